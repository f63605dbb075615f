package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// The on-site pages (R1.4, R1.5, R7.1): the inspector's tasks on a phone,
// check-in with the phone's position, photos, the record with its figures
// and findings, its signature once submitted, amendments, and the cities'
// own curbing work.

// maxPhotoUpload bounds one request of photos: several taken at once.
const maxPhotoUpload = 32 << 20

func (h *Handler) inspectionRoutes() []server.Route {
	read, write := server.Need(lianggao.PermCampaignRead), server.Need(lianggao.PermInspectionWrite)
	return []server.Route{
		{Method: "GET", Pattern: "/tasks", Policy: read, Handler: h.handleTaskList},
		{Method: "GET", Pattern: "/tasks/{id}", Policy: read, Handler: h.handleTaskShow},
		{Method: "POST", Pattern: "/tasks/{id}/checkin", Policy: write, Handler: h.handleCheckIn},
		{Method: "POST", Pattern: "/tasks/{id}/photos", Policy: write, MaxBody: maxPhotoUpload, Handler: h.handlePhotoUpload},
		{Method: "GET", Pattern: "/tasks/{id}/photos/{photo}", Policy: read, Handler: h.handlePhoto},
		{Method: "POST", Pattern: "/tasks/{id}/submit", Policy: write, MaxBody: 2 << 20, Handler: h.handleSubmitInspection},
		{Method: "POST", Pattern: "/tasks/{id}/amend", Policy: write, Handler: h.handleAmend},
		// A campaign manager or a group member; the store decides which cities.
		{Method: "POST", Pattern: "/campaigns/{code}/city-work", Policy: read, Handler: h.handleCityWork},
	}
}

// activeCampaigns are the campaigns whose teams are on site.
func (h *Handler) activeCampaigns(r *http.Request) ([]*lianggao.Campaign, error) {
	all, err := h.Store.FindCampaigns(r.Context())
	var out []*lianggao.Campaign
	for _, c := range all {
		if c.State == lianggao.CampaignAssigned || c.State == lianggao.CampaignInProgress {
			out = append(out, c)
		}
	}
	return out, err
}

// cityWorkForm is a campaign's curbing-work form for the cities the actor
// may record, with what is recorded already.
type cityWorkForm struct {
	Campaign *lianggao.Campaign
	Cities   []string
	Work     map[string]*lianggao.CityWork
	City     string // the city chosen, kept on error
	Summary  string
	Error    string
}

// taskSection is a run of tasks under a heading: today's, upcoming, earlier.
type taskSection struct {
	Key   string
	Tasks []*lianggao.InspectionTask
}

// handleTaskList lists the actor's own tasks of the campaigns on site,
// today's first; whoever has no team (a manager, a city officer) sees the
// campaign's tasks in their scope, with filters.
func (h *Handler) handleTaskList(w http.ResponseWriter, r *http.Request) error {
	return h.renderTaskList(w, r, http.StatusOK, nil)
}

func (h *Handler) renderTaskList(w http.ResponseWriter, r *http.Request, status int, kept *cityWorkForm) error {
	ctx := r.Context()
	a := lianggao.ActorFrom(ctx)
	lang := server.Lang(r)
	campaigns, err := h.activeCampaigns(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	data := map[string]any{"Campaigns": campaigns}
	mine := a.PersonID != 0 && a.Can(lianggao.PermInspectionWrite) && q.Get("all") == ""
	data["Mine"] = mine
	var forms []*cityWorkForm
	for _, c := range campaigns {
		cities, err := h.Store.MyGroupCities(ctx, c.Code)
		if err != nil {
			return err
		}
		if len(cities) == 0 {
			continue
		}
		work, err := h.Store.CityWork(ctx, c.Code)
		if err != nil {
			return err
		}
		f := &cityWorkForm{Campaign: c, Cities: cities, Work: work}
		if kept != nil && kept.Campaign.Code == c.Code {
			f.City, f.Summary, f.Error = kept.City, kept.Summary, kept.Error
		}
		forms = append(forms, f)
	}
	data["CityWork"] = forms
	if mine {
		today := h.today()
		sections := []*taskSection{{Key: "inspection.today"}, {Key: "inspection.upcoming"}, {Key: "inspection.earlier"}}
		for _, c := range campaigns {
			tasks, _, err := h.Store.FindTasks(ctx, c.Code, lianggao.TaskFilter{Mine: true, Limit: store.All})
			if err != nil {
				return err
			}
			for _, t := range tasks {
				switch {
				case t.Day == today:
					sections[0].Tasks = append(sections[0].Tasks, t)
				case today.Before(t.Day):
					sections[1].Tasks = append(sections[1].Tasks, t)
				default:
					sections[2].Tasks = append(sections[2].Tasks, t)
				}
			}
		}
		data["Sections"] = sections
	} else if len(campaigns) > 0 {
		code := q.Get("campaign")
		i := slices.IndexFunc(campaigns, func(c *lianggao.Campaign) bool { return c.Code == code })
		c := campaigns[max(i, 0)]
		f := lianggao.TaskFilter{Department: q.Get("department"), City: q.Get("city"), State: q.Get("state")}
		if d, err := lianggao.ParseDate(q.Get("day")); err == nil {
			f.Day = d
		}
		num, offset := pageOf(q)
		f.Offset, f.Limit = offset, pageSize
		tasks, total, err := h.Store.FindTasks(ctx, c.Code, f)
		if err != nil {
			return err
		}
		data["Campaign"], data["Tasks"], data["Filter"], data["Pager"] = c, tasks, f, newPager(num, total)
		data["Cities"] = h.Profile.Cities()
		data["States"] = []string{lianggao.TaskScheduled, lianggao.TaskCheckedIn, lianggao.TaskSubmitted}
	}
	return h.render(w, r, status, "tasks", &page{Title: i18n.T(lang, "inspection.mine"), Nav: "tasks",
		Crumbs: []crumb{{i18n.T(lang, "inspection.nav_group"), ""}}, Data: data})
}

// handleCityWork records a city's own curbing work in a campaign.
func (h *Handler) handleCityWork(w http.ResponseWriter, r *http.Request) error {
	a := lianggao.ActorFrom(r.Context())
	if !a.Can(lianggao.PermCampaignManage) && !a.Can(lianggao.PermInspectionWrite) {
		return lianggao.Errorf(lianggao.EFORBIDDEN, "forbidden")
	}
	code, city, summary := r.PathValue("code"), r.PostFormValue("city"), r.PostFormValue("summary")
	err := h.Store.RecordCityWork(r.Context(), code, city, summary)
	if lianggao.ErrorCode(err) == lianggao.EINVALID {
		lang := server.Lang(r)
		msgs, _ := inspectionErrors(lang, err)
		return h.renderTaskList(w, r, http.StatusBadRequest, &cityWorkForm{Campaign: &lianggao.Campaign{Code: code}, City: city,
			Summary: summary, Error: strings.Join(msgs, "；")})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/tasks#city-work", http.StatusSeeOther)
	return nil
}

// figureRow is one line of the figures table.
type figureRow struct {
	Indicator, Label string
	Recorded         *float64
	RecordedText     string // with thousands separators, "—" when none
	RecordedRaw      string // for the browser's computation
	Verified         string // as typed, kept on error
	Document         string
	Difference       float64 // after submission
	HasDifference    bool
	Large            bool
}

// findingRow is one finding as typed.
type findingRow struct {
	Category, Description, Evidence, Severity, Error string
}

// inspectionInput is what the user typed, kept when the server refuses it.
type inspectionInput struct {
	Reason, RegistrationID, Certificates string
	Body                                 string
	Items                                []string
	Figures                              map[string][2]string // indicator → verified, document
	Findings                             []findingRow
	Summary                              []string
	Errors                               map[string]string
	Change, AmendReason                  string
}

func (h *Handler) handleTaskShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderTask(w, r, http.StatusOK, pathID(r), &inspectionInput{})
}

// renderTask shows the on-site page: the task, then check-in, photos and
// the form, or the locked record with its signature and amendments.
func (h *Handler) renderTask(w http.ResponseWriter, r *http.Request, status int, id int64, in *inspectionInput) error {
	ctx := r.Context()
	a := lianggao.ActorFrom(ctx)
	lang := server.Lang(r)
	task, err := h.Store.FindTask(ctx, id)
	if err != nil {
		return err
	}
	site, err := h.Store.TaskSite(ctx, id)
	if err != nil {
		return err
	}
	insp, err := h.findInspectionIfAny(ctx, id)
	if err != nil {
		return err
	}
	campaign, err := h.taskCampaign(ctx, task)
	if err != nil {
		return err
	}
	members, err := h.Store.Members(ctx, campaign.Code)
	if err != nil {
		return err
	}
	team, certs, onTeam := taskTeam(members, task, a)
	canWrite := onTeam && a.Can(lianggao.PermInspectionWrite) &&
		(campaign.State == lianggao.CampaignAssigned || campaign.State == lianggao.CampaignInProgress)
	if in.Certificates == "" {
		in.Certificates = strings.Join(certs, "、")
	}
	data := map[string]any{"Task": task, "Site": site, "Campaign": campaign, "Team": team, "Inspection": insp,
		"CanWrite": canWrite, "Input": in, "Threshold": strconv.FormatFloat(lianggao.LargeDifference, 'f', -1, 64),
		"Categories": lianggao.FindingCategories, "Severities": lianggao.FindingSeverities,
		"Submitted": insp != nil && !insp.SubmittedAt.IsZero()}
	data["ErrorList"] = inputErrorList(in)
	if insp != nil && !insp.SubmittedAt.IsZero() {
		h.addSubmittedRecord(data, lang, insp, onTeam && a.Can(lianggao.PermInspectionWrite))
	} else if insp != nil {
		if err := h.addInspectionForm(ctx, data, lang, id, task, in); err != nil {
			return err
		}
	}
	if in.Errors == nil {
		in.Errors = map[string]string{}
	}
	return h.render(w, r, status, "task", &page{Title: task.EnterpriseName, Nav: "tasks",
		Crumbs: []crumb{{i18n.T(lang, "inspection.nav_group"), ""}, {i18n.T(lang, "inspection.mine"), "/tasks"}}, Data: data})
}

// findInspectionIfAny returns the task's inspection, or nil when none was
// started.
func (h *Handler) findInspectionIfAny(ctx context.Context, id int64) (*lianggao.Inspection, error) {
	insp, err := h.Store.FindInspection(ctx, id)
	if lianggao.ErrorCode(err) == lianggao.ENOTFOUND {
		return nil, nil
	}
	return insp, err
}

// taskCampaign returns the campaign the task belongs to.
func (h *Handler) taskCampaign(ctx context.Context, task *lianggao.InspectionTask) (*lianggao.Campaign, error) {
	campaigns, err := h.Store.FindCampaigns(ctx)
	if err != nil {
		return nil, err
	}
	var campaign *lianggao.Campaign
	for _, c := range campaigns {
		if c.ID == task.CampaignID {
			campaign = c
		}
	}
	if campaign == nil {
		return nil, lianggao.Errorf(lianggao.ENOTFOUND, "inspection.not_found")
	}
	return campaign, nil
}

// taskTeam picks the task's team from the group's members, with their
// certificate numbers, and tells whether the actor is on the team or leads
// the task's department.
func taskTeam(members []*lianggao.InspectionGroupMember, task *lianggao.InspectionTask, a *lianggao.Actor) (team []*lianggao.InspectionGroupMember, certs []string, onTeam bool) {
	for _, m := range members {
		if slices.Contains(task.Team, m.PersonID) {
			team = append(team, m)
			if m.CertNumber != "" {
				certs = append(certs, m.CertNumber)
			}
		}
		if m.PersonID == a.PersonID && a.PersonID != 0 &&
			(slices.Contains(task.Team, m.PersonID) || (m.Role == lianggao.MemberLeader && m.Department == task.Department)) {
			onTeam = true
		}
	}
	return team, certs, onTeam
}

// inputErrorList lists the field errors, by field name, then the summary.
func inputErrorList(in *inspectionInput) []string {
	var errs []string
	for _, k := range sortedKeys(in.Errors) {
		errs = append(errs, in.Errors[k])
	}
	return append(errs, in.Summary...)
}

// addSubmittedRecord adds the locked record's figures and items.
func (h *Handler) addSubmittedRecord(data map[string]any, lang string, insp *lianggao.Inspection, canAmend bool) {
	data["Rows"] = h.recordRows(lang, insp.Figures)
	data["Items"] = h.itemNames(insp.Items)
	data["CanAmend"] = canAmend
}

// addInspectionForm adds the form's figures, with what the user typed, the
// profile's items and the blank finding, and fills the form's defaults.
func (h *Handler) addInspectionForm(ctx context.Context, data map[string]any, lang string, id int64, task *lianggao.InspectionTask, in *inspectionInput) error {
	recorded, err := h.Store.RecordedFigures(ctx, id)
	if err != nil {
		return err
	}
	rows := make([]*figureRow, 0, len(recorded))
	for _, f := range recorded {
		typed := in.Figures[f.Indicator]
		row := newFigureRow(h.figureLabel(lang, f.Indicator), f)
		row.Verified, row.Document = typed[0], typed[1]
		rows = append(rows, row)
	}
	data["Rows"] = rows
	if in.Body == "" {
		in.Body = h.Profile.Name + h.departmentName(task.Department)
	}
	if len(in.Findings) == 0 {
		in.Findings = []findingRow{{}}
	}
	data["ProfileItems"] = h.Profile.Campaign.Items
	checked := map[string]bool{}
	for _, it := range in.Items {
		checked[it] = true
	}
	data["Checked"], data["Blank"] = checked, findingRow{}
	data["ThresholdPct"] = formatNumber(lianggao.LargeDifference*100, 0)
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func newFigureRow(label string, f *lianggao.InspectionFigure) *figureRow {
	row := &figureRow{Indicator: f.Indicator, Label: label, Recorded: f.Recorded, RecordedText: "—"}
	if f.Recorded != nil {
		row.RecordedText = formatNumber(*f.Recorded, 2)
		row.RecordedRaw = strconv.FormatFloat(*f.Recorded, 'f', -1, 64)
	}
	return row
}

// recordRows are a submitted record's figures with their differences.
func (h *Handler) recordRows(lang string, figs []*lianggao.InspectionFigure) []*figureRow {
	rows := make([]*figureRow, 0, len(figs))
	for _, f := range figs {
		row := newFigureRow(h.figureLabel(lang, f.Indicator), f)
		row.Document = f.Document
		if f.Verified != nil {
			row.Verified = formatNumber(*f.Verified, 2)
		}
		row.Difference, row.HasDifference = f.Difference()
		row.Difference *= 100
		row.Large = row.HasDifference && (row.Difference > lianggao.LargeDifference*100 || row.Difference < -lianggao.LargeDifference*100)
		rows = append(rows, row)
	}
	return rows
}

func (h *Handler) itemNames(codes []string) []string {
	var out []string
	for _, c := range codes {
		name := c
		for _, it := range h.Profile.Campaign.Items {
			if it.Code == c {
				name = it.Code + " " + it.Name
			}
		}
		out = append(out, name)
	}
	return out
}

// figureLabel names an indicator of the inspection with its unit.
func (h *Handler) figureLabel(lang, ind string) string {
	if i18n.Has("inspection.ind." + ind) {
		return i18n.T(lang, "inspection.ind."+ind)
	}
	return h.indicatorLabel(lang, ind)
}

// handleCheckIn records the arrival; outside the radius the page comes
// back with the distance and asks for the reason.
func (h *Handler) handleCheckIn(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	in := &inspectionInput{Reason: r.PostFormValue("reason"), RegistrationID: r.PostFormValue("registration_id"),
		Certificates: r.PostFormValue("certificates")}
	lat, errLat := strconv.ParseFloat(r.PostFormValue("lat"), 64)
	lon, errLon := strconv.ParseFloat(r.PostFormValue("lon"), 64)
	var err error
	if errLat != nil || errLon != nil {
		err = lianggao.FieldError("position", "inspection.position_invalid")
	} else {
		_, err = h.Store.CheckIn(r.Context(), id, lianggao.CheckIn{Position: lianggao.Point{Lat: lat, Lon: lon}, Reason: in.Reason,
			RegistrationID: in.RegistrationID, Certificates: in.Certificates})
	}
	return h.afterPost(w, r, id, in, err, "#photos")
}

// afterPost redirects to the task after a change, or shows the page again
// with the errors beside the user's input.
func (h *Handler) afterPost(w http.ResponseWriter, r *http.Request, id int64, in *inspectionInput, err error, anchor string) error {
	if code := lianggao.ErrorCode(err); code == lianggao.EINVALID || code == lianggao.ETOOLARGE {
		lang := server.Lang(r)
		in.Summary, in.Errors = inspectionErrors(lang, err)
		return h.renderTask(w, r, server.Status(err), id, in)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10)+anchor, http.StatusSeeOther)
	return nil
}

// inspectionErrors turns a refusal into messages: row problems as a list,
// field errors by field.
func inspectionErrors(lang string, err error) ([]string, map[string]string) {
	var e *lianggao.Error
	fields := map[string]string{}
	if !errors.As(err, &e) {
		return []string{i18n.Error(lang, err)}, fields
	}
	if len(e.Problems) == 0 {
		fields[e.Field] = fieldLabel(lang, e.Field) + i18n.T(lang, e.Key, e.Args...)
		return nil, fields
	}
	row := "inspection.finding_row"
	if e.Key == "inspection.figures_invalid" {
		row = "inspection.figure_row"
	}
	var list []string
	for _, p := range e.Problems {
		list = append(list, i18n.T(lang, row, p.Line)+fieldLabel(lang, p.Field)+i18n.T(lang, p.Key, p.Args...))
	}
	return list, fields
}

func fieldLabel(lang, field string) string {
	if field == "" {
		return ""
	}
	sep := "："
	if lang == i18n.EN {
		sep = ": "
	}
	return i18n.T(lang, "inspection.f."+field) + sep
}

// handlePhotoUpload keeps the photos chosen, each judged by its content.
func (h *Handler) handlePhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	if err := r.ParseMultipartForm(maxPhotoUpload); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return h.afterPost(w, r, id, &inspectionInput{}, &lianggao.Error{Code: lianggao.ETOOLARGE, Key: "inspection.photo_too_large",
				Field: "photo", Args: []any{maxPhotoUpload >> 20}}, "")
		}
		return h.afterPost(w, r, id, &inspectionInput{}, lianggao.FieldError("photo", "required"), "")
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		return h.afterPost(w, r, id, &inspectionInput{}, lianggao.FieldError("photo", "required"), "")
	}
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, lianggao.MaxPhotoBytes+1))
		f.Close()
		if err != nil {
			return err
		}
		if _, err := h.Store.AddPhoto(r.Context(), id, fh.Filename, data); err != nil {
			return h.afterPost(w, r, id, &inspectionInput{}, err, "")
		}
	}
	return h.afterPost(w, r, id, nil, nil, "#photos")
}

// handlePhoto serves a photo of an inspection the actor may see.
func (h *Handler) handlePhoto(w http.ResponseWriter, r *http.Request) error {
	photo, _ := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	ctype, data, err := h.Store.Photo(r.Context(), pathID(r), photo)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	_, err = w.Write(data)
	return err
}

// handleSubmitInspection submits the form, which signs and locks it.
func (h *Handler) handleSubmitInspection(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	if err := r.ParseForm(); err != nil {
		return lianggao.FieldError("body", "form.invalid")
	}
	form, in, err := readInspectionForm(r.PostForm)
	if err == nil {
		_, err = h.Store.SubmitInspection(r.Context(), id, form)
	}
	return h.afterPost(w, r, id, in, err, "#record")
}

// readInspectionForm reads the submitted form: the figures as parallel
// fields by indicator, the findings as parallel rows; a row left blank is
// no finding.
func readInspectionForm(v url.Values) (lianggao.InspectionForm, *inspectionInput, error) {
	form := lianggao.InspectionForm{Body: v.Get("body"), Items: v["item"], RegistrationID: v.Get("registration_id")}
	in := &inspectionInput{Body: form.Body, Items: form.Items, Figures: map[string][2]string{}}
	inds, verified, docs := v["fig_indicator"], v["fig_verified"], v["fig_document"]
	var bad error
	for i, ind := range inds {
		val, doc := at(verified, i), strings.TrimSpace(at(docs, i))
		in.Figures[ind] = [2]string{val, doc}
		f := &lianggao.InspectionFigure{Indicator: ind, Document: doc}
		if s := strings.ReplaceAll(strings.TrimSpace(val), ",", ""); s != "" {
			n, err := strconv.ParseFloat(s, 64)
			if err != nil && bad == nil {
				bad = &lianggao.Error{Code: lianggao.EINVALID, Key: "inspection.figures_invalid", Args: []any{1},
					Problems: []*lianggao.Error{{Code: lianggao.EINVALID, Key: "number.invalid", Args: []any{val}, Field: "verified", Line: i + 1}}}
			}
			f.Verified = &n
		}
		form.Figures = append(form.Figures, f)
	}
	cats, descs, evs, sevs := v["f_category"], v["f_description"], v["f_evidence"], v["f_severity"]
	for i := range max(len(cats), len(descs), len(evs), len(sevs)) {
		row := findingRow{Category: at(cats, i), Description: at(descs, i), Evidence: at(evs, i), Severity: at(sevs, i)}
		if strings.TrimSpace(row.Description+row.Evidence) == "" && row.Category == "" {
			continue // a row left blank; dropping it keeps the rows numbered as the store numbers them
		}
		in.Findings = append(in.Findings, row)
		form.Findings = append(form.Findings, &lianggao.Finding{Category: row.Category, Description: row.Description,
			Evidence: row.Evidence, Severity: row.Severity})
	}
	return form, in, bad
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// handleAmend adds an amendment beside a submitted record.
func (h *Handler) handleAmend(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	in := &inspectionInput{AmendReason: r.PostFormValue("reason"), Change: r.PostFormValue("change")}
	_, err := h.Store.AmendInspection(r.Context(), id, in.AmendReason, in.Change)
	return h.afterPost(w, r, id, in, err, "#amendments")
}
