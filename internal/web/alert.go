package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/monitor"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// monitorRoutes are the pages of the monitoring: the figures and readings
// uploaded, the daily table, the monthly analysis and the alerts.
func (h *Handler) monitorRoutes() []server.Route {
	read, write := server.Need(lianggao.PermFigureRead), server.Need(lianggao.PermFigureWrite)
	return []server.Route{
		{Method: "GET", Pattern: "/upload/figures", Policy: write, Handler: h.handleUploadPage},
		{Method: "POST", Pattern: "/upload/figures", Policy: write, MaxBody: MaxFigureUpload, Handler: h.handleUpload},
		{Method: "GET", Pattern: "/upload/readings", Policy: write, Handler: h.handleUploadPage},
		{Method: "POST", Pattern: "/upload/readings", Policy: write, MaxBody: MaxFigureUpload, Handler: h.handleUpload},
		{Method: "GET", Pattern: "/daily", Policy: read, Handler: h.handleDaily},
		{Method: "GET", Pattern: "/daily/export", Policy: read, Handler: h.handleDailyExport},
		{Method: "GET", Pattern: "/analysis", Policy: read, Handler: h.handleAnalysis},
		{Method: "GET", Pattern: "/analysis/export.xlsx", Policy: read, Handler: h.handleAnalysisXLSX},
		{Method: "GET", Pattern: "/analysis/export.docx", Policy: read, Handler: h.handleAnalysisDOCX},
		{Method: "GET", Pattern: "/alerts", Policy: read, Handler: h.handleAlertList},
		{Method: "GET", Pattern: "/alerts/export", Policy: read, Handler: h.handleAlertExport},
		{Method: "GET", Pattern: "/alerts/{id}", Policy: read, Handler: h.handleAlertShow},
		{Method: "POST", Pattern: "/alerts/{id}/move", Policy: server.Need(lianggao.PermAlertTriage), Handler: h.handleAlertMove},
	}
}

func alertFilter(q url.Values) lianggao.AlertFilter {
	return lianggao.AlertFilter{City: q.Get("city"), County: q.Get("county"), Industry: q.Get("industry"), Rule: q.Get("rule"),
		Status: q.Get("status"), Severity: q.Get("severity")}
}

// handleAlertExport exports the filtered alerts, for the monthly analysis
// and for other systems.
func (h *Handler) handleAlertExport(w http.ResponseWriter, r *http.Request) error {
	if err := mayExport(r); err != nil {
		return err
	}
	f := alertFilter(r.URL.Query())
	f.Limit = store.All
	lang := server.Lang(r)
	return exportList(h, w, r, "alerts", alertHeader,
		func() ([]*lianggao.Alert, int, error) { return h.Store.FindAlerts(r.Context(), f) },
		func(a *lianggao.Alert) []any {
			return []any{strconv.FormatInt(a.ID, 10), a.CreditCode, a.EnterpriseName, h.regionName(a.City), h.regionName(a.County),
				i18n.T(lang, "rule."+a.Rule), a.Subject, a.From.String(), a.To.String(), i18n.T(lang, "severity."+a.Severity),
				i18n.T(lang, "astatus."+a.Status), a.Reason, string(a.Evidence)}
		})
}

var alertHeader = []string{"编号", "统一社会信用代码", "企业名称", "市", "县（区）", "规则", "指标或器具", "起始日期", "截止日期", "级别", "状态", "处置理由", "依据"}

// alertRules are the rules an alert can come from, for the filter.
var alertRules = []string{monitor.RuleOverproduction, monitor.RuleIntensityBaseline, monitor.RuleUnitUseHistory,
	monitor.RuleUnitUsePeers, monitor.RuleLoneChange, monitor.RuleReportsMissing, monitor.RuleReportsIncomplete,
	monitor.RuleReportsLate, monitor.RuleMeterSilent, monitor.RuleMeterOverdue, monitor.RuleDailyMonthly,
	monitor.RuleSourceMismatch, monitor.RuleEnergyMismatch}

func (h *Handler) handleAlertList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := alertFilter(q)
	num, offset := pageOf(q)
	f.Offset, f.Limit = offset, pageSize
	items, total, err := h.Store.FindAlerts(r.Context(), f)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "alerts", &page{Title: i18n.T(lang, "alert.list"), Nav: "alerts",
		Crumbs: []crumb{{i18n.T(lang, "nav.monitor"), ""}},
		Data: map[string]any{"Items": items, "Pager": newPager(num, total), "Filter": f, "Cities": h.Profile.Cities(),
			"Counties": h.regionOptions(h.Profile.Counties(f.City), f.County), "Industries": h.industryOptions(f.Industry),
			"Rules": alertRules, "Statuses": []string{lianggao.AlertNew, lianggao.AlertTriaged, lianggao.AlertEscalated, lianggao.AlertClosed}}})
}

// evidenceRow is one number behind an alert.
type evidenceRow struct {
	Name  string
	Value float64
}

// evidenceOf reads an alert's evidence, its numbers by name: as a map, and
// as rows in the order of their names. Whatever is not a number is an error.
func evidenceOf(raw []byte) (map[string]float64, []evidenceRow, error) {
	var ev map[string]float64
	err := json.Unmarshal(raw, &ev)
	rows := make([]evidenceRow, 0, len(ev))
	for k, v := range ev {
		rows = append(rows, evidenceRow{k, v})
	}
	slices.SortFunc(rows, func(a, b evidenceRow) int { return strings.Compare(a.Name, b.Name) })
	return ev, rows, err
}

func (h *Handler) handleAlertShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderAlert(w, r, http.StatusOK, pathID(r), nil)
}

func (h *Handler) renderAlert(w http.ResponseWriter, r *http.Request, status int, id int64, errs map[string]string) error {
	a, err := h.Store.FindAlertByID(r.Context(), id)
	if err != nil {
		return err
	}
	ev, rows, _ := evidenceOf(a.Evidence)
	// The series around the alert, its period shaded, so the judgement can
	// be made on the figures themselves.
	chart, err := h.figureChart(r, &lianggao.Enterprise{ID: a.EnterpriseID}, a.From.AddDays(-45), a.To.AddDays(45))
	if err != nil {
		return err
	}
	if chart != nil {
		chart.Mark = []string{a.From.String(), a.To.String()}
	}
	lang := server.Lang(r)
	text := alertText(i18n.T(lang, a.Message), a.Subject, ev)
	return h.render(w, r, status, "alert", &page{Title: i18n.T(lang, "rule."+a.Rule) + " · " + a.EnterpriseName, Nav: "alerts",
		Crumbs: []crumb{{i18n.T(lang, "nav.monitor"), ""}, {i18n.T(lang, "alert.list"), "/alerts"}},
		Data: map[string]any{"A": a, "Evidence": rows, "Chart": chart, "Text": text, "Verdicts": lianggao.TriageVerdicts, "Targets": lianggao.EscalationTargets,
			"Next": lianggao.AlertTransitions[a.Status], "Errors": errs}})
}

// handleAlertMove triages, escalates or closes an alert.
func (h *Handler) handleAlertMove(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	_, err := h.Store.MoveAlert(r.Context(), id, r.PostFormValue("to"), r.PostFormValue("verdict"), r.PostFormValue("reason"))
	if lianggao.ErrorCode(err) == lianggao.EINVALID {
		return h.renderAlert(w, r, http.StatusBadRequest, id, fieldErrors(server.Lang(r), err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/alerts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// alertText fills an alert's message: its {names} are the evidence's
// numbers and {subject} what the alert concerns.
func alertText(msg, subject string, evidence map[string]float64) string {
	pairs := []string{"{subject}", subject}
	for k, v := range evidence {
		pairs = append(pairs, "{"+k+"}", strconv.FormatFloat(v, 'f', -1, 64))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}
