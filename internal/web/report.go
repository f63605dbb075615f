package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/config"
	"lianggao/internal/docx"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// reportRoutes are the pages of the group reports and the joint report
// (R1.7). The store decides who may do what; the table only keeps out those
// who could never.
func (h *Handler) reportRoutes() []server.Route {
	need := server.Need
	read, manage := need(lianggao.PermCampaignRead), need(lianggao.PermCampaignManage)
	return []server.Route{
		{Method: "GET", Pattern: "/reports", Policy: read, Handler: h.handleReportsLatest},
		{Method: "GET", Pattern: "/campaigns/{code}/reports", Policy: read, Handler: h.handleReportList},
		{Method: "GET", Pattern: "/campaigns/{code}/reports/{dept}", Policy: read, Handler: h.handleReportShow},
		{Method: "POST", Pattern: "/campaigns/{code}/reports/{dept}/save", Policy: read, Handler: h.handleReportSave},
		{Method: "POST", Pattern: "/campaigns/{code}/reports/{dept}/submit", Policy: read, Handler: h.handleReportSubmit},
		{Method: "POST", Pattern: "/campaigns/{code}/reports/{dept}/accept", Policy: manage, Handler: h.handleReportAccept},
		{Method: "POST", Pattern: "/campaigns/{code}/reports/{dept}/return", Policy: manage, Handler: h.handleReportReturn},
		{Method: "GET", Pattern: "/campaigns/{code}/reports/{dept}/export.docx", Policy: read, Handler: h.handleReportDocx},
		{Method: "GET", Pattern: "/campaigns/{code}/reports/{dept}/export.xlsx", Policy: read, Handler: h.handleReportXLSX},
		{Method: "GET", Pattern: "/campaigns/{code}/joint", Policy: read, Handler: h.handleJointShow},
		{Method: "POST", Pattern: "/campaigns/{code}/joint/compile", Policy: manage, Handler: h.handleJointCompile},
		{Method: "POST", Pattern: "/campaigns/{code}/joint/countersign", Policy: need(lianggao.PermCountersign), Handler: h.handleJointCountersign},
		{Method: "POST", Pattern: "/campaigns/{code}/joint/submit", Policy: manage, Handler: h.handleJointSubmit},
		{Method: "GET", Pattern: "/campaigns/{code}/joint/export.docx", Policy: read, Handler: h.handleJointDocx},
		{Method: "GET", Pattern: "/campaigns/{code}/joint/request.docx", Policy: read, Handler: h.handleRequestDocx},
	}
}

func (h *Handler) reportCrumbs(lang string, c *lianggao.Campaign) []crumb {
	return []crumb{{i18n.T(lang, "report.nav"), ""}, {c.Name, "/campaigns/" + url.PathEscape(c.Code) + "/reports"}}
}

// handleReportsLatest opens the reports of the newest campaign that has
// them (the menu's entry), or the campaign list when none has.
func (h *Handler) handleReportsLatest(w http.ResponseWriter, r *http.Request) error {
	cs, err := h.Store.FindCampaigns(r.Context())
	if err != nil {
		return err
	}
	to := "/campaigns"
	for _, c := range cs {
		if slices.Contains(reportStates, c.State) {
			to = "/campaigns/" + url.PathEscape(c.Code) + "/reports"
			break
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// reportStates are the campaign states in which group reports exist.
var reportStates = []string{lianggao.CampaignInProgress, lianggao.CampaignReporting, lianggao.CampaignClosed}

// handleReportList shows the five groups' reports the actor may see, with
// their state, due date and whether they are overdue.
func (h *Handler) handleReportList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := h.Store.FindCampaign(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	list, err := h.Store.GroupReports(ctx, c.Code)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "reports", &page{Title: i18n.T(lang, "report.list", c.Name), Nav: "reports",
		Crumbs: []crumb{{i18n.T(lang, "report.nav"), ""}},
		Data:   map[string]any{"C": c, "Items": list, "Open": slices.Contains(reportStates, c.State)}})
}

// reportForm is what the editor shows besides the stored report: the text
// typed when a save failed, and the errors.
type reportForm struct {
	Sections map[string]string
	Errors   map[string]string
	Message  string
}

func (h *Handler) handleReportShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderReport(w, r, http.StatusOK, nil)
}

func (h *Handler) renderReport(w http.ResponseWriter, r *http.Request, status int, form *reportForm) error {
	ctx, dept := r.Context(), r.PathValue("dept")
	c, rep, err := h.groupReportOf(r)
	if err != nil {
		return err
	}
	if form == nil {
		form = &reportForm{}
	}
	if form.Sections == nil {
		form.Sections = rep.Sections
	}
	paragraphs := map[string][]string{}
	for k, v := range rep.Sections {
		paragraphs[k] = sectionParagraphs(v)
	}
	a := lianggao.ActorFrom(ctx)
	editable := rep.State == lianggao.ReportDraft || rep.State == lianggao.ReportReturned
	lang := server.Lang(r)
	return h.render(w, r, status, "report", &page{Title: h.groupReportTitle(c, dept), Nav: "reports", Crumbs: h.reportCrumbs(lang, c),
		Data: map[string]any{"C": c, "R": rep, "Dept": dept, "Form": form, "SectionNames": lianggao.ReportSections, "Paragraphs": paragraphs,
			"Overdue":  h.Store.Overdue(c, rep),
			"CanWrite": editable && (a.Can(lianggao.PermReportWrite) || a.Can(lianggao.PermCampaignManage)),
			"CanJudge": rep.State == lianggao.ReportSubmitted && a.Can(lianggao.PermCampaignManage)}})
}

func (h *Handler) reportURL(r *http.Request) string {
	return "/campaigns/" + url.PathEscape(r.PathValue("code")) + "/reports/" + url.PathEscape(r.PathValue("dept"))
}

// handleReportSave stores the edited sections. A report changed meanwhile
// is not overwritten: the page comes back with the text typed and a notice.
func (h *Handler) handleReportSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return lianggao.FieldError("sections", "form.invalid")
	}
	sections := map[string]string{}
	for _, k := range lianggao.ReportSections {
		if vs, ok := r.PostForm[k]; ok && len(vs) > 0 {
			sections[k] = vs[0]
		}
	}
	var version int64
	fmt.Sscan(r.PostFormValue("version"), &version)
	_, err := h.Store.SaveGroupReport(r.Context(), r.PathValue("code"), r.PathValue("dept"), sections, version)
	lang := server.Lang(r)
	switch lianggao.ErrorCode(err) {
	case "":
		http.Redirect(w, r, h.reportURL(r)+"?saved=1", http.StatusSeeOther)
		return nil
	case lianggao.EINVALID:
		return h.renderReport(w, r, http.StatusBadRequest, &reportForm{Sections: sections, Errors: fieldErrors(lang, err)})
	case lianggao.ECONFLICT:
		return h.renderReport(w, r, http.StatusConflict, &reportForm{Sections: sections, Message: i18n.Error(lang, err)})
	}
	return err
}

func (h *Handler) handleReportSubmit(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.SubmitGroupReport(r.Context(), r.PathValue("code"), r.PathValue("dept"))
	return h.afterReportMove(w, r, err)
}

func (h *Handler) handleReportAccept(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.AcceptGroupReport(r.Context(), r.PathValue("code"), r.PathValue("dept"))
	return h.afterReportMove(w, r, err)
}

func (h *Handler) handleReportReturn(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.ReturnGroupReport(r.Context(), r.PathValue("code"), r.PathValue("dept"), r.PostFormValue("reason"))
	return h.afterReportMove(w, r, err)
}

// afterReportMove goes back to the report, or shows it with what was wrong.
func (h *Handler) afterReportMove(w http.ResponseWriter, r *http.Request, err error) error {
	lang := server.Lang(r)
	switch lianggao.ErrorCode(err) {
	case "":
		http.Redirect(w, r, h.reportURL(r), http.StatusSeeOther)
		return nil
	case lianggao.EINVALID:
		return h.renderReport(w, r, http.StatusBadRequest, &reportForm{Errors: fieldErrors(lang, err)})
	case lianggao.ECONFLICT:
		return h.renderReport(w, r, http.StatusConflict, &reportForm{Message: i18n.Error(lang, err)})
	}
	return err
}

// groupName is the group's name as documents give it: 山东省发展改革委检查组.
func (h *Handler) groupName(dept string) string {
	return h.Profile.Name + h.departmentName(dept) + "检查组"
}

func (h *Handler) groupReportTitle(c *lianggao.Campaign, dept string) string {
	return h.groupName(dept) + "关于" + c.Name + "情况的报告"
}

// sectionParagraphs splits a section into its paragraphs.
func sectionParagraphs(text string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dateOr returns t, or now when t is zero, for a document's date.
func (h *Handler) dateOr(t time.Time) time.Time {
	if t.IsZero() {
		t = h.Now()
	}
	return t.In(h.Profile.Location())
}

// handleReportDocx exports the group's report as an official document.
func (h *Handler) handleReportDocx(w http.ResponseWriter, r *http.Request) error {
	ctx, dept := r.Context(), r.PathValue("dept")
	c, rep, err := h.groupReportOf(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	n := slices.IndexFunc(h.Profile.Departments, func(d config.Department) bool { return d.Code == dept }) + 1
	title := h.groupReportTitle(c, dept)
	d := docx.New(docx.Meta{Number: i18n.T(lang, "report.doc_number", h.departmentName(dept), c.Starts.Year, n), Title: title,
		Recipient: i18n.T(lang, "report.doc_recipient", h.Profile.Name), Issuer: h.groupName(dept), Date: h.dateOr(rep.SubmittedAt),
		Author: lianggao.ActorFrom(ctx).Name})
	for _, k := range lianggao.ReportSections {
		d.Heading(1, i18n.T(lang, "report.section."+k))
		for _, p := range sectionParagraphs(rep.Sections[k]) {
			d.Para(p)
		}
	}
	return writeDocx(w, d, title)
}

// writeDocx sends a document as a download named name.docx.
func writeDocx(w http.ResponseWriter, d *docx.Document, name string) error {
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		return err
	}
	attachment(w, name+".docx", "docx")
	_, err := buf.WriteTo(w)
	return err
}

// handleReportXLSX exports the group report's annex workbook: the visits
// with their check-ins, the findings with their evidence, and the figures on
// record against those verified on site.
func (h *Handler) handleReportXLSX(w http.ResponseWriter, r *http.Request) error {
	ctx, dept := r.Context(), r.PathValue("dept")
	c, f, err := campaignAnd(h, r, func(code string) (*store.GroupFacts, error) { return h.Store.GroupFacts(ctx, code, dept) })
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	t := func(k string, args ...any) string { return i18n.T(lang, k, args...) }
	tasks := [][]any{{t("report.col.credit_code"), t("report.col.enterprise"), t("report.col.city"), t("report.col.county"),
		t("report.col.day"), t("report.col.state"), t("report.col.checked_in"), t("report.col.distance"), t("report.col.flagged"), t("report.col.photos")}}
	for _, x := range f.Tasks {
		var checked, distance, flagged any
		if !x.CheckedInAt.IsZero() {
			checked, distance, flagged = h.when(x.CheckedInAt), x.DistanceM, t(map[bool]string{true: "common.yes", false: "common.no"}[x.Flagged])
		}
		tasks = append(tasks, []any{x.CreditCode, x.EnterpriseName, h.regionName(x.City), h.regionName(x.County), x.Day.String(),
			t("report.task." + x.State), checked, distance, flagged, x.Photos})
	}
	findings := [][]any{{t("report.col.credit_code"), t("report.col.enterprise"), t("report.col.county"), t("report.col.category"),
		t("report.col.severity"), t("report.col.description"), t("report.col.evidence")}}
	for _, x := range f.Findings {
		findings = append(findings, []any{x.CreditCode, x.EnterpriseName, h.regionName(x.County), t("report.category." + x.Category),
			t("report.severity." + x.Severity), x.Description, x.Evidence})
	}
	figures := [][]any{{t("report.col.credit_code"), t("report.col.enterprise"), t("report.col.indicator"), t("report.col.recorded"),
		t("report.col.verified"), t("report.col.difference"), t("report.col.document")}}
	for _, x := range f.Figures {
		var diff any
		if d, ok := x.Difference(); ok {
			diff = d * 100
		}
		figures = append(figures, []any{x.CreditCode, x.EnterpriseName, x.Indicator, floatOrNil(x.Recorded), floatOrNil(x.Verified), diff, x.Document})
	}
	typed := func(rows [][]any) func(*excelize.File, string) error {
		return func(f *excelize.File, sheet string) error { return writeTypedSheet(f, sheet, rows) }
	}
	return writeWorkbook(w, h.groupReportTitle(c, dept)+"（附件）.xlsx", []namedSheet{
		{t("report.sheet.tasks"), typed(tasks)}, {t("report.sheet.findings"), typed(findings)}, {t("report.sheet.figures"), typed(figures)}})
}

// namedSheet is a sheet of a workbook: its name and what writes its rows.
type namedSheet struct {
	name  string
	write func(f *excelize.File, sheet string) error
}

// writeWorkbook sends a workbook of the sheets, in their order, as a
// download named name.
func writeWorkbook(w http.ResponseWriter, name string, sheets []namedSheet) error {
	book := excelize.NewFile()
	defer book.Close()
	for i, s := range sheets {
		var err error
		if i == 0 {
			err = book.SetSheetName(book.GetSheetName(0), s.name)
		} else {
			_, err = book.NewSheet(s.name)
		}
		if err == nil {
			err = s.write(book, s.name)
		}
		if err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if _, err := book.WriteTo(&buf); err != nil {
		return fmt.Errorf("web: workbook %s: %w", name, err)
	}
	attachment(w, name, "xlsx")
	_, err := buf.WriteTo(w)
	return err
}

func floatOrNil(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// writeTypedSheet writes rows whose cells keep their type: strings are
// written as text (credit codes never become numbers), numbers as numbers;
// the first row is the header, in bold and frozen.
func writeTypedSheet(f *excelize.File, sheet string, rows [][]any) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			if v != "" {
				cells[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return err
		}
	}
	end, _ := excelize.CoordinatesToCellName(max(len(rows[0]), 1), 1)
	if err := f.SetCellStyle(sheet, "A1", end, bold); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "B", 24); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// jointDept is one department's line on the countersign panel.
type jointDept struct {
	Department string
	Sign       *store.Countersign
	Mine       bool // the signed-in officer signs for it
}

// handleJointShow shows the joint report: before it is compiled, the
// groups' states and the compile button; then the frozen body, the five
// departments' countersigns and the approval request.
func (h *Handler) handleJointShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderJoint(w, r, http.StatusOK, nil, "")
}

func (h *Handler) renderJoint(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, message string) error {
	ctx := r.Context()
	c, err := h.Store.FindCampaign(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	data := map[string]any{"C": c, "Errors": errs, "Message": message}
	j, err := h.Store.JointReport(ctx, c.Code)
	switch lianggao.ErrorCode(err) {
	case "":
		signs, err := h.Store.Countersigns(ctx, c.Code)
		if err != nil {
			return err
		}
		mine, err := h.Store.CountersignDepartment(ctx)
		if err != nil {
			return err
		}
		var depts []*jointDept
		for _, d := range h.Profile.Departments {
			jd := &jointDept{Department: d.Code, Mine: d.Code == mine}
			for _, s := range signs {
				if s.Department == d.Code {
					jd.Sign = s
				}
			}
			depts = append(depts, jd)
		}
		request := j.Request
		if request == "" {
			request = i18n.T(lang, "joint.request_text", c.Name)
		}
		if v := r.PostFormValue("request"); v != "" {
			request = v
		}
		data["J"], data["Depts"], data["Paragraphs"], data["Signed"], data["Request"] = j, depts, sectionParagraphs(j.Body), len(signs), request
		data["RequestParagraphs"] = sectionParagraphs(j.Request)
	case lianggao.ENOTFOUND:
		list, err := h.Store.GroupReports(ctx, c.Code)
		if err != nil {
			return err
		}
		data["Groups"] = list
	default:
		return err
	}
	return h.render(w, r, status, "joint", &page{Title: h.jointTitle(c), Nav: "reports", Crumbs: h.reportCrumbs(lang, c), Data: data})
}

func (h *Handler) jointURL(r *http.Request) string {
	return "/campaigns/" + url.PathEscape(r.PathValue("code")) + "/joint"
}

func (h *Handler) afterJoint(w http.ResponseWriter, r *http.Request, err error) error {
	lang := server.Lang(r)
	switch lianggao.ErrorCode(err) {
	case "":
		http.Redirect(w, r, h.jointURL(r), http.StatusSeeOther)
		return nil
	case lianggao.EINVALID:
		return h.renderJoint(w, r, http.StatusBadRequest, fieldErrors(lang, err), "")
	case lianggao.ECONFLICT:
		return h.renderJoint(w, r, http.StatusConflict, nil, i18n.Error(lang, err))
	}
	return err
}

func (h *Handler) handleJointCompile(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.CompileJointReport(r.Context(), r.PathValue("code"))
	return h.afterJoint(w, r, err)
}

func (h *Handler) handleJointCountersign(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.Countersign(r.Context(), r.PathValue("code"))
	return h.afterJoint(w, r, err)
}

func (h *Handler) handleJointSubmit(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.SubmitJointReport(r.Context(), r.PathValue("code"), r.PostFormValue("request"))
	return h.afterJoint(w, r, err)
}

// groupReportOf reads the request's campaign and the group's report.
func (h *Handler) groupReportOf(r *http.Request) (*lianggao.Campaign, *lianggao.GroupReport, error) {
	return campaignAnd(h, r, func(code string) (*lianggao.GroupReport, error) {
		return h.Store.GroupReport(r.Context(), code, r.PathValue("dept"))
	})
}

// jointOf reads the request's campaign and its joint report.
func (h *Handler) jointOf(r *http.Request) (*lianggao.Campaign, *lianggao.JointReport, error) {
	return campaignAnd(h, r, func(code string) (*lianggao.JointReport, error) { return h.Store.JointReport(r.Context(), code) })
}

// campaignAnd reads the request's campaign, then what find reads of it.
func campaignAnd[T any](h *Handler, r *http.Request, find func(code string) (T, error)) (*lianggao.Campaign, T, error) {
	var zero T
	c, err := h.Store.FindCampaign(r.Context(), r.PathValue("code"))
	if err != nil {
		return nil, zero, err
	}
	v, err := find(c.Code)
	return c, v, err
}

func (h *Handler) jointTitle(c *lianggao.Campaign) string {
	return h.Profile.Name + "关于" + c.Name + "情况的联合报告"
}

// handleJointDocx exports the frozen joint report. The five departments
// issue it together: the docx package prints one issuer, so the DRC, which
// compiles it, signs and the countersigning departments are listed above.
func (h *Handler) handleJointDocx(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, j, err := h.jointOf(r)
	if err != nil {
		return err
	}
	signs, err := h.Store.Countersigns(ctx, c.Code)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	title := h.jointTitle(c)
	d := docx.New(docx.Meta{Title: title, Recipient: i18n.T(lang, "joint.doc_recipient", h.Profile.Name),
		Issuer: h.Profile.Name + h.departmentName(h.Profile.Departments[0].Code), Date: h.dateOr(j.FrozenAt), Author: lianggao.ActorFrom(ctx).Name})
	addStructured(d, j.Body)
	if len(signs) > 0 {
		var names []string
		for _, s := range signs {
			names = append(names, h.departmentName(s.Department)+"（"+s.Signer+" "+h.when(s.SignedAt)+"）")
		}
		d.Para(i18n.T(lang, "joint.doc_countersigned", strings.Join(names, "、")))
	}
	return writeDocx(w, d, title)
}

// addStructured writes a compiled body: paragraphs that begin 一、 or （一）
// become headings of level 1 or 2 (numbered anew by the document, in the
// same order), the rest body paragraphs.
func addStructured(d *docx.Document, body string) {
	for _, p := range sectionParagraphs(body) {
		if level, text := headingOf(p); level > 0 {
			d.Heading(level, text)
			continue
		}
		d.Para(p)
	}
}

// headingOf recognises a heading's ordinal in Chinese numerals.
func headingOf(p string) (int, string) {
	const numerals = "一二三四五六七八九十"
	if rest, ok := strings.CutPrefix(p, "（"); ok {
		if i := strings.Index(rest, "）"); i > 0 && strings.Trim(rest[:i], numerals) == "" && !strings.Contains(rest, "\n") {
			return 2, rest[i+len("）"):]
		}
		return 0, p
	}
	if i := strings.Index(p, "、"); i > 0 && strings.Trim(p[:i], numerals) == "" && !strings.Contains(p, "\n") {
		return 1, p[i+len("、"):]
	}
	return 0, p
}

// handleRequestDocx exports the approval request (请示) that carries the
// joint report up, the report as its annex.
func (h *Handler) handleRequestDocx(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, j, err := h.jointOf(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	request := j.Request
	if request == "" {
		return lianggao.Errorf(lianggao.ECONFLICT, "joint.request_missing")
	}
	title := i18n.T(lang, "joint.request_title", c.Name)
	d := docx.New(docx.Meta{Title: title, Recipient: i18n.T(lang, "joint.request_recipient", h.Profile.Name),
		Issuer: h.Profile.Name + h.departmentName(h.Profile.Departments[0].Code), Date: h.dateOr(j.SubmittedAt), Author: lianggao.ActorFrom(ctx).Name})
	for _, p := range sectionParagraphs(request) {
		d.Para(p)
	}
	d.Annex(h.jointTitle(c))
	addStructured(d, j.Body)
	return writeDocx(w, d, title)
}
