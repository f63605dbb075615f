package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// findingRoutes are the problem list and the disposal of findings (R1.8).
func (h *Handler) findingRoutes() []server.Route {
	need := server.Need
	return []server.Route{
		{Method: "GET", Pattern: "/findings", Policy: need(lianggao.PermCampaignRead), Handler: h.handleFindingList},
		{Method: "GET", Pattern: "/findings/export", Policy: need(lianggao.PermCampaignRead), Handler: h.handleFindingExport},
		{Method: "GET", Pattern: "/findings/{id}", Policy: need(lianggao.PermCampaignRead), Handler: h.handleFindingShow},
		{Method: "POST", Pattern: "/findings/{id}/dispositions", Policy: need(lianggao.PermFindingWrite), Handler: h.handleDispositionAdd},
		{Method: "POST", Pattern: "/dispositions/{id}/decision", Policy: need(lianggao.PermFindingWrite), Handler: h.handleDecision},
		{Method: "POST", Pattern: "/dispositions/{id}/verify", Policy: need(lianggao.PermFindingWrite), Handler: h.handleVerify},
		{Method: "GET", Pattern: "/alerts/{id}/finding", Policy: need(lianggao.PermCampaignRead), Handler: h.handleAlertFinding},
	}
}

func init() { exportTitles["findings"] = "finding.list" }

func findingFilter(q url.Values) lianggao.FindingFilter {
	return lianggao.FindingFilter{Campaign: q.Get("campaign"), City: q.Get("city"), County: q.Get("county"),
		Category: q.Get("category"), Severity: q.Get("severity"), Open: q.Get("open") == "1"}
}

func (h *Handler) handleFindingList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := findingFilter(q)
	num, offset := pageOf(q)
	f.Offset, f.Limit = offset, pageSize
	items, total, err := h.Store.FindFindings(r.Context(), f)
	if err != nil {
		return err
	}
	campaigns, err := h.Store.FindCampaigns(r.Context())
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "findings", &page{Title: i18n.T(lang, "finding.list"), Nav: "findings",
		Crumbs: []crumb{{i18n.T(lang, "nav.disposal"), ""}},
		Data: map[string]any{"Items": items, "Pager": newPager(num, total), "Filter": f, "Campaigns": campaigns,
			"Cities": h.Profile.Cities(), "Counties": h.regionOptions(h.Profile.Counties(f.City), f.County),
			"Categories": lianggao.FindingCategories, "Severities": lianggao.FindingSeverities}})
}

// handleFindingExport exports the filtered problem list; exporting needs the
// right to export as well as to read.
func (h *Handler) handleFindingExport(w http.ResponseWriter, r *http.Request) error {
	if err := mayExport(r); err != nil {
		return err
	}
	f := findingFilter(r.URL.Query())
	f.Limit = store.All
	lang := server.Lang(r)
	return exportList(h, w, r, "findings", findingHeader,
		func() ([]*lianggao.Finding, int, error) { return h.Store.FindFindings(r.Context(), f) },
		func(f *lianggao.Finding) []any {
			return []any{strconv.FormatInt(f.ID, 10), f.CreditCode, f.EnterpriseName, h.regionName(f.City), h.regionName(f.County),
				i18n.T(lang, "fcategory."+f.Category), i18n.T(lang, "fseverity."+f.Severity), i18n.T(lang, "fsource."+f.Source),
				f.Description, f.Evidence, f.CreatedAt.In(h.Profile.Location()).Format("2006-01-02"),
				i18n.T(lang, findingState(f)), dispositionSummary(lang, f)}
		})
}

var findingHeader = []string{"编号", "统一社会信用代码", "企业名称", "市", "县（区）", "问题类别", "严重程度", "来源", "问题描述", "证据",
	"发现日期", "状态", "处置情况"}

// findingState is the message key of a finding's state: closed when a
// rectification was verified or a referral decided, in hand when something
// was ordered, new otherwise.
func findingState(f *lianggao.Finding) string {
	switch {
	case f.Closed():
		return "fstate.closed"
	case len(f.Dispositions) > 0:
		return "fstate.handling"
	}
	return "fstate.new"
}

// dispositionSummary lists a finding's dispositions in one cell.
func dispositionSummary(lang string, f *lianggao.Finding) string {
	parts := make([]string, 0, len(f.Dispositions))
	for _, d := range f.Dispositions {
		s := i18n.T(lang, "dkind."+d.Kind)
		switch d.Kind {
		case lianggao.DispositionRectification:
			s += "：" + d.Owner + " " + d.Deadline.String()
			if !d.VerifiedAt.IsZero() {
				s += " " + i18n.T(lang, "disposition.verified_tag")
			}
		case lianggao.DispositionReferral:
			s += "：" + d.Owner
			if d.Decision != "" {
				s += " " + d.Decision
			}
		case lianggao.DispositionQuotaCut:
			s += "：" + i18n.T(lang, "quota."+d.Quota) + " " + strconv.FormatFloat(d.Amount, 'f', -1, 64)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "；")
}

func (h *Handler) handleFindingShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderFinding(w, r, http.StatusOK, pathID(r), nil, nil)
}

// renderFinding shows a finding with its source, its dispositions and the
// forms to deal with it; errs are a refused form's problems and form its
// values, so nothing typed is lost.
func (h *Handler) renderFinding(w http.ResponseWriter, r *http.Request, status int, id int64, errs map[string]string, form url.Values) error {
	f, err := h.Store.FindFinding(r.Context(), id)
	if err != nil {
		return err
	}
	campaign, taskID, err := h.Store.FindingLinks(r.Context(), f.ID)
	if err != nil {
		return err
	}
	history, err := h.Store.FindingHistory(r.Context(), f.ID)
	if err != nil {
		return err
	}
	source := ""
	switch {
	case f.Source == "inspection" && taskID != 0:
		source = "/tasks/" + strconv.FormatInt(taskID, 10)
	case f.Source == "alert":
		source = "/alerts/" + strconv.FormatInt(f.SourceID, 10)
	}
	if form == nil {
		form = url.Values{}
	}
	// The evidence of an alert is its numbers; anything else is text.
	_, evidence, err := evidenceOf([]byte(f.Evidence))
	if err != nil {
		evidence = nil
	}
	lang := server.Lang(r)
	return h.render(w, r, status, "finding", &page{Title: i18n.T(lang, "fcategory."+f.Category) + " · " + f.EnterpriseName, Nav: "findings",
		Crumbs: []crumb{{i18n.T(lang, "nav.disposal"), ""}, {i18n.T(lang, "finding.list"), "/findings"}},
		Data: map[string]any{"F": f, "State": findingState(f), "Campaign": campaign, "Source": source, "Errors": errs, "Form": form, "Evidence": evidence, "History": history,
			"Kinds": lianggao.DispositionKinds, "Quotas": lianggao.QuotaKinds}})
}

// dispositionForm reads a disposition from the form; a malformed number or
// date is the field's problem.
func dispositionForm(r *http.Request) (*lianggao.Disposition, error) {
	d := &lianggao.Disposition{Kind: r.PostFormValue("kind"), Owner: r.PostFormValue("owner"), Quota: r.PostFormValue("quota"),
		Description: r.PostFormValue("description")}
	if v := strings.TrimSpace(r.PostFormValue("deadline")); v != "" {
		day, err := lianggao.ParseDate(v)
		if err != nil {
			return nil, lianggao.FieldError("deadline", "date.invalid", v)
		}
		d.Deadline = day
	}
	if v := strings.TrimSpace(r.PostFormValue("amount")); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, lianggao.FieldError("amount", "number.invalid", v)
		}
		d.Amount = n
	}
	return d, nil
}

func (h *Handler) handleDispositionAdd(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	d, err := dispositionForm(r)
	if err == nil {
		err = h.Store.AddDisposition(r.Context(), id, d)
	}
	return h.afterFindingForm(w, r, id, err)
}

// afterFindingForm answers a form of the finding page: back to the page on
// success, the page with the problems beside the fields otherwise.
func (h *Handler) afterFindingForm(w http.ResponseWriter, r *http.Request, findingID int64, err error) error {
	switch lianggao.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/findings/"+strconv.FormatInt(findingID, 10), http.StatusSeeOther)
		return nil
	case lianggao.EINVALID, lianggao.ECONFLICT:
		return h.renderFinding(w, r, server.Status(err), findingID, fieldErrors(server.Lang(r), err), r.PostForm)
	}
	return err
}

// dispositionFinding returns the finding a disposition form belongs to, as
// the form says; the store checks the disposition itself in scope.
func dispositionFinding(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue("finding"), 10, 64)
	return id
}

func (h *Handler) handleDecision(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.RecordDecision(r.Context(), pathID(r), r.PostFormValue("decision"))
	return h.afterDisposition(w, r, err)
}

func (h *Handler) handleVerify(w http.ResponseWriter, r *http.Request) error {
	_, err := h.Store.VerifyRectification(r.Context(), pathID(r), r.PostFormValue("evidence"))
	return h.afterDisposition(w, r, err)
}

func (h *Handler) afterDisposition(w http.ResponseWriter, r *http.Request, err error) error {
	finding := dispositionFinding(r)
	if finding == 0 && err == nil {
		http.Redirect(w, r, "/findings", http.StatusSeeOther)
		return nil
	}
	if finding == 0 {
		return err
	}
	return h.afterFindingForm(w, r, finding, err)
}

// handleAlertFinding leads from an alert escalated to the problem list to
// the finding it became.
func (h *Handler) handleAlertFinding(w http.ResponseWriter, r *http.Request) error {
	f, err := h.Store.FindFindingBySource(r.Context(), "alert", pathID(r))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/findings/"+strconv.FormatInt(f.ID, 10), http.StatusSeeOther)
	return nil
}
