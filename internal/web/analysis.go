package web

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/config"
	"lianggao/internal/docx"
	"lianggao/internal/i18n"
	"lianggao/internal/monitor"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// The monthly verification analysis (月度核查分析, R2.6): a key industry's
// month, enterprise by enterprise — totals, unit energy use against the
// national levels, the biggest changes and the open alerts — as a page, a
// workbook and an official document. docs/MONITORING.md gives the formulas.

const (
	// changeTop is how many changes each comparison lists.
	changeTop = 10
	// tinyShare: an enterprise whose output in the month compared with is
	// below this share of the median output of the month is not compared;
	// its relative change would say nothing.
	tinyShare = 0.05
	// maxAnalysisAlerts bounds the open alerts listed by status.
	maxAnalysisAlerts = 200
)

// analysisLine is one enterprise of the analysis with its unit energy use.
type analysisLine struct {
	*store.AnalysisRow
	Unit   float64
	Judged bool          // a unit use was computed and compared with the levels
	Level  monitor.Level // when judged
}

// totalRow is one indicator summed over the industry; the changes are in
// percent, nil when the earlier month had nothing to compare with.
type totalRow struct {
	Indicator                string
	Now, PrevMonth, PrevYear float64
	MoM, YoY                 *float64
}

// change is one enterprise's output and energy use against an earlier
// month; side by side, output moving without energy use is what the reader
// looks for.
type change struct {
	E                          *lianggao.Enterprise
	Output, OutputBase, OutPct float64
	Energy, EnergyBase         float64
	EnergyPct                  *float64 // nil when either month lacks energy use
}

// size is the larger of the two changes, by absolute value.
func (c change) size() float64 {
	s := math.Abs(c.OutPct)
	if c.EnergyPct != nil {
		s = max(s, math.Abs(*c.EnergyPct))
	}
	return s
}

// analysis is everything the page and the exports show.
type analysis struct {
	*store.IndustryMonth
	Name         string // the industry's
	Output       string // output:<product>
	Benchmark    monitor.Benchmark
	HasBenchmark bool
	Lines        []*analysisLine
	Totals       []totalRow
	Reporting    int // enterprises that reported output this month
	// The industry's unit use over the judged enterprises.
	Unit     float64
	Judged   bool
	Level    monitor.Level
	Levels   map[monitor.Level]int
	Unjudged int
	MoM, YoY []change
	// OpenAlerts sums the enterprises' open alerts; Alerts lists them.
	OpenAlerts int
	Alerts     []*lianggao.Alert
}

// comparison is one list of changes, against the month before or the same
// month a year earlier, with the keys of its texts.
type comparison struct {
	ID, Title, Change, OutputBase, EnergyBase string
	List                                      []change
}

func (a *analysis) comparisons() []comparison {
	return []comparison{
		{"analysis-mom", "analysis.changes_mom", "analysis.mom", "analysis.output_mom", "analysis.energy_mom", a.MoM},
		{"analysis-yoy", "analysis.changes_yoy", "analysis.yoy", "analysis.output_yoy", "analysis.energy_yoy", a.YoY},
	}
}

// changeTable is a list of changes as every output shows it: a title, a
// header, rows of text and each row's enterprise.
type changeTable struct {
	Title, ID   string
	Header      []string
	Rows        [][]string
	Enterprises []*lianggao.Enterprise
}

func changeTables(lang string, a *analysis) []changeTable {
	var out []changeTable
	for _, c := range a.comparisons() {
		t := changeTable{Title: i18n.T(lang, c.Title), ID: c.ID,
			Header: []string{i18n.T(lang, "meter.enterprise"), i18n.T(lang, "analysis.output_now"), i18n.T(lang, c.OutputBase),
				i18n.T(lang, c.Change), i18n.T(lang, "analysis.energy_now"), i18n.T(lang, c.EnergyBase), i18n.T(lang, c.Change)}}
		for _, ch := range c.List {
			t.Rows = append(t.Rows, []string{ch.E.Name, formatNumber(ch.Output, 0), formatNumber(ch.OutputBase, 0), signed(ch.OutPct),
				formatNumber(ch.Energy, 1), formatNumber(ch.EnergyBase, 1), pct(ch.EnergyPct)})
			t.Enterprises = append(t.Enterprises, ch.E)
		}
		out = append(out, t)
	}
	return out
}

// Count is the number of enterprises judged at a level.
func (a *analysis) Count(level string) int { return a.Levels[monitor.Level(level)] }

// MoMText and YoYText are the changes as the tables show them.
func (t totalRow) MoMText() string { return pct(t.MoM) }

// YoYText is the change against the same month a year earlier.
func (t totalRow) YoYText() string { return pct(t.YoY) }

// analysisIndicators returns the indicators summed, the output first.
func (a *analysis) indicators() []string {
	return append([]string{a.Output}, store.AnalysisIndicators...)
}

// analyse computes the analysis from the month's totals: a pure function of
// the store's answer, the product's national levels (ok false: none) and
// the profile's standard-coal coefficients.
func analyse(im *store.IndustryMonth, levels monitor.Benchmark, ok bool, coef *monitor.Coefficients) *analysis {
	a := &analysis{IndustryMonth: im, Output: monitor.OutputPrefix + im.Product, Levels: map[monitor.Level]int{}}
	a.Benchmark, a.HasBenchmark = levels, ok
	judged := map[string]float64{}
	for _, r := range im.Rows {
		l := &analysisLine{AnalysisRow: r}
		if r.Month.Has(a.Output) {
			a.Reporting++
		}
		if a.HasBenchmark {
			l.Unit, l.Judged = a.Benchmark.UnitUseOfTotals(r.Month.Sum, coef)
		}
		if l.Judged {
			l.Level = a.Benchmark.Level(l.Unit)
			a.Levels[l.Level]++
			for k, v := range r.Month.Sum {
				judged[k] += v
			}
		} else {
			a.Unjudged++
		}
		a.OpenAlerts += r.OpenAlerts
		a.Lines = append(a.Lines, l)
	}
	if a.HasBenchmark {
		if a.Unit, a.Judged = a.Benchmark.UnitUseOfTotals(judged, coef); a.Judged {
			a.Level = a.Benchmark.Level(a.Unit)
		}
	}
	for _, ind := range a.indicators() {
		t := totalRow{Indicator: ind}
		for _, r := range im.Rows {
			t.Now += r.Month.Sum[ind]
			t.PrevMonth += r.PrevMonth.Sum[ind]
			t.PrevYear += r.PrevYear.Sum[ind]
		}
		t.MoM, t.YoY = percentChange(t.Now, t.PrevMonth), percentChange(t.Now, t.PrevYear)
		a.Totals = append(a.Totals, t)
	}
	a.MoM = a.biggestChanges(func(r *store.AnalysisRow) store.MonthTotals { return r.PrevMonth })
	a.YoY = a.biggestChanges(func(r *store.AnalysisRow) store.MonthTotals { return r.PrevYear })
	return a
}

// percentChange is (now − base) ÷ base in percent, nil without a base.
func percentChange(now, base float64) *float64 {
	if base <= 0 {
		return nil
	}
	p := (now - base) / base * 100
	return &p
}

// biggestChanges returns the enterprises whose output or energy use changed
// most against an earlier month, by the larger absolute relative change:
// output reported in both months, the earlier at least tinyShare of the
// month's median output.
func (a *analysis) biggestChanges(base func(*store.AnalysisRow) store.MonthTotals) []change {
	var outputs []float64
	for _, r := range a.Rows {
		if r.Month.Sum[a.Output] > 0 {
			outputs = append(outputs, r.Month.Sum[a.Output])
		}
	}
	floor := tinyShare * median(outputs)
	var out []change
	for _, r := range a.Rows {
		was := base(r)
		p := percentChange(r.Month.Sum[a.Output], was.Sum[a.Output])
		if !r.Month.Has(a.Output) || p == nil || was.Sum[a.Output] < floor {
			continue
		}
		c := change{E: r.Enterprise, Output: r.Month.Sum[a.Output], OutputBase: was.Sum[a.Output], OutPct: *p,
			Energy: r.Month.Sum[monitor.IndicatorEnergy], EnergyBase: was.Sum[monitor.IndicatorEnergy]}
		if r.Month.Has(monitor.IndicatorEnergy) && was.Has(monitor.IndicatorEnergy) {
			c.EnergyPct = percentChange(c.Energy, c.EnergyBase)
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(x, y change) int {
		return cmp.Or(cmp.Compare(y.size(), x.size()), cmp.Compare(x.E.Name, y.E.Name))
	})
	return out[:min(len(out), changeTop)]
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// analysisParams reads ?month=YYYY-MM, the month before today's by
// default, and ?industry=, the first key industry by default.
func (h *Handler) analysisParams(q url.Values) (lianggao.Date, string, error) {
	month := h.today()
	month.Day = 1
	month = month.AddDays(-1)
	if s := q.Get("month"); s != "" {
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return month, "", lianggao.FieldError("month", "analysis.month_invalid", s)
		}
		month = lianggao.DateOf(t)
	}
	month.Day = 1
	industry := q.Get("industry")
	if _, given := q["industry"]; !given {
		if keys := h.keyIndustries(); len(keys) > 0 {
			industry = keys[0].Code
		}
	}
	return month, industry, nil
}

func (h *Handler) keyIndustries() []config.Industry {
	var out []config.Industry
	for _, ind := range h.Profile.Industries {
		if ind.Key {
			out = append(out, ind)
		}
	}
	return out
}

// monthlyAnalysis reads and computes the analysis the request asks for.
func (h *Handler) monthlyAnalysis(r *http.Request) (*analysis, error) {
	month, industry, err := h.analysisParams(r.URL.Query())
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	im, err := h.Store.FindIndustryMonth(ctx, industry, month)
	if err != nil {
		return nil, err
	}
	levels, ok := h.Profile.Benchmark(im.Product)
	a := analyse(im, levels, ok, h.Profile.Coefficients)
	a.Name = h.industryName(industry)
	for _, status := range []string{lianggao.AlertNew, lianggao.AlertTriaged} {
		list, _, err := h.Store.FindAlerts(ctx, lianggao.AlertFilter{Industry: industry, Status: status,
			From: im.Month, To: lianggao.Date{Year: im.Month.Year, Month: im.Month.Month + 1, Day: 1}.AddDays(-1), Limit: maxAnalysisAlerts})
		if err != nil {
			return nil, err
		}
		a.Alerts = append(a.Alerts, list...)
	}
	slices.SortFunc(a.Alerts, func(x, y *lianggao.Alert) int { return cmp.Compare(x.ID, y.ID) })
	return a, nil
}

func (h *Handler) handleAnalysis(w http.ResponseWriter, r *http.Request) error {
	a, err := h.monthlyAnalysis(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "analysis", &page{Title: i18n.T(lang, "analysis.title"), Nav: "analysis",
		Crumbs: []crumb{{i18n.T(lang, "nav.monitor"), ""}},
		Data: map[string]any{"A": a, "Industries": h.keyIndustries(), "Month": a.Month.String()[:7],
			"Heading": h.analysisTitle(lang, a), "OutputLabel": h.productLabel(a.Product),
			"ChangeTop": changeTop, "TinyPct": int(tinyShare * 100), "Changes": changeTables(lang, a)}})
}

// analysisTitle is the report's title: 水泥行业2026年10月核查分析.
func (h *Handler) analysisTitle(lang string, a *analysis) string {
	return i18n.T(lang, "analysis.doc_title", a.Name, a.Month.Year, int(a.Month.Month))
}

// analysisExport checks the right to export, computes the analysis and
// audits the export.
func (h *Handler) analysisExport(r *http.Request) (*analysis, error) {
	if err := mayExport(r); err != nil {
		return nil, err
	}
	a, err := h.monthlyAnalysis(r)
	if err != nil {
		return nil, err
	}
	return a, h.Store.RecordAccess(r.Context(), "export", "analysis", r.URL.RawQuery, len(a.Lines))
}

// level is a level's label, or "not judged".
func levelLabel(lang string, judged bool, l monitor.Level) string {
	if !judged {
		return i18n.T(lang, "analysis.level.none")
	}
	return i18n.T(lang, "analysis.level."+string(l))
}

func pct(p *float64) string {
	if p == nil {
		return "—"
	}
	return signed(*p)
}

// prose is a change for a sentence: without a base, words say so.
func prose(lang string, p *float64) string {
	if p == nil {
		return i18n.T(lang, "analysis.no_base")
	}
	return signed(*p)
}

func signed(p float64) string {
	s := formatNumber(p, 1) + "%"
	if p > 0 {
		s = "+" + s
	}
	return s
}

// enterpriseCells are an enterprise's columns in both exports.
func (h *Handler) enterpriseCells(lang string, a *analysis, l *analysisLine) []string {
	unit := "—"
	if l.Judged {
		unit = formatNumber(l.Unit, 1)
	}
	return []string{l.Enterprise.Name, h.regionName(l.Enterprise.City) + h.regionName(l.Enterprise.County),
		amount(l.Month, a.Output, 0), amount(l.Month, monitor.IndicatorEnergy, 1), amount(l.Month, monitor.IndicatorElectricity, 0),
		amount(l.Month, monitor.IndicatorCoal, 1), unit, levelLabel(lang, l.Judged, l.Level), formatNumber(float64(l.OpenAlerts), 0)}
}

func amount(m store.MonthTotals, ind string, decimals int) string {
	if !m.Has(ind) {
		return "—"
	}
	return formatNumber(m.Sum[ind], decimals)
}

func (h *Handler) enterpriseHeader(lang string, a *analysis) []string {
	unit := i18n.T(lang, "analysis.intensity")
	if a.HasBenchmark {
		unit += "（" + a.Benchmark.Unit + "）"
	}
	return []string{i18n.T(lang, "meter.enterprise"), i18n.T(lang, "enterprise.county"), h.indicatorLabel(lang, a.Output),
		i18n.T(lang, "ind.energy_tce"), i18n.T(lang, "ind.elec_kwh"), i18n.T(lang, "ind.coal_t"), unit,
		i18n.T(lang, "analysis.level"), i18n.T(lang, "analysis.open_alerts")}
}

func (h *Handler) totalCells(lang string, a *analysis, t totalRow) []string {
	decimals := 0
	if t.Indicator == monitor.IndicatorEnergy || t.Indicator == monitor.IndicatorCoal {
		decimals = 1
	}
	base := func(v float64) string {
		if v == 0 {
			return "—" // nothing reported then: no base, not a zero
		}
		return formatNumber(v, decimals)
	}
	return []string{h.indicatorLabel(lang, t.Indicator), formatNumber(t.Now, decimals), base(t.PrevMonth),
		pct(t.MoM), base(t.PrevYear), pct(t.YoY)}
}

func totalHeader(lang string) []string {
	return []string{i18n.T(lang, "analysis.indicator"), i18n.T(lang, "analysis.this_month"), i18n.T(lang, "analysis.mom_month"),
		i18n.T(lang, "analysis.mom"), i18n.T(lang, "analysis.yoy_month"), i18n.T(lang, "analysis.yoy")}
}

// handleAnalysisXLSX exports the analysis as a workbook of three sheets:
// the summary with the industry's totals, the enterprises, the changes.
func (h *Handler) handleAnalysisXLSX(w http.ResponseWriter, r *http.Request) error {
	a, err := h.analysisExport(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	summary := [][]string{{h.analysisTitle(lang, a)}, {i18n.T(lang, "analysis.enterprises"), formatNumber(float64(len(a.Lines)), 0)},
		{i18n.T(lang, "analysis.reporting"), formatNumber(float64(a.Reporting), 0)}, {i18n.T(lang, "analysis.open_alerts"), formatNumber(float64(a.OpenAlerts), 0)}}
	if a.HasBenchmark {
		summary = append(summary, []string{i18n.T(lang, "analysis.benchmark_levels"),
			i18n.T(lang, "analysis.levels_text", formatNumber(a.Benchmark.Benchmark, 0), formatNumber(a.Benchmark.Baseline, 0), a.Benchmark.Unit)})
		if a.Judged {
			summary = append(summary, []string{i18n.T(lang, "analysis.industry_intensity"),
				formatNumber(a.Unit, 1) + " " + a.Benchmark.Unit + " · " + levelLabel(lang, true, a.Level)})
		}
	}
	summary = append(summary, nil, totalHeader(lang))
	for _, t := range a.Totals {
		summary = append(summary, h.totalCells(lang, a, t))
	}
	var ents [][]string
	for _, l := range a.Lines {
		ents = append(ents, h.enterpriseCells(lang, a, l))
	}
	var changes [][]string
	for _, t := range changeTables(lang, a) {
		if len(changes) > 0 {
			changes = append(changes, nil)
		}
		changes = append(changes, []string{t.Title}, t.Header)
		changes = append(changes, t.Rows...)
	}
	text := func(rows [][]string) func(*excelize.File, string) error {
		return func(f *excelize.File, sheet string) error { return writeSheet(f, sheet, rows) }
	}
	return writeWorkbook(w, h.analysisTitle(lang, a)+".xlsx", []namedSheet{
		{i18n.T(lang, "analysis.sheet.summary"), text(summary)},
		{i18n.T(lang, "analysis.sheet.enterprises"), text(append([][]string{h.enterpriseHeader(lang, a)}, ents...))},
		{i18n.T(lang, "analysis.sheet.changes"), text(changes)},
	})
}

// writeSheet writes rows of text, numbers as numbers; a row after a blank
// one, and the first, are headings in bold.
func writeSheet(f *excelize.File, sheet string, rows [][]string) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = sheetValue(c)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return err
		}
		if i == 0 || len(rows[i-1]) == 0 {
			end, _ := excelize.CoordinatesToCellName(max(len(row), 1), i+1)
			if err := f.SetCellStyle(sheet, cell, end, bold); err != nil {
				return err
			}
		}
	}
	return f.SetColWidth(sheet, "A", "A", 36)
}

// sheetValue turns a formatted number back into a number, so the workbook
// can be summed; text stays text.
func sheetValue(s string) any {
	if s == "—" {
		return nil
	}
	plain := strings.ReplaceAll(s, ",", "")
	if strings.Trim(plain, "+-.0123456789") != "" {
		return s
	}
	if v, err := strconv.ParseFloat(plain, 64); err == nil {
		return v
	}
	return s
}

// handleAnalysisDOCX exports the analysis as an official document in the
// layout of GB/T 9704: the situation, energy efficiency, changes and
// alerts, with the enterprises' table as its annex.
func (h *Handler) handleAnalysisDOCX(w http.ResponseWriter, r *http.Request) error {
	a, err := h.analysisExport(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	actor := lianggao.ActorFrom(r.Context())
	now := h.Now().In(h.Profile.Location())
	title := h.analysisTitle(lang, a)
	d := docx.New(docx.Meta{Title: title, Issuer: i18n.T(lang, "analysis.issuer", h.regionName(actor.Region)), Date: now, Author: actor.Name})
	h.docxAnalysisOverview(d, lang, a, actor.Region)
	h.docxAnalysisEfficiency(d, lang, a)
	docxAnalysisChanges(d, lang, a)
	docxAnalysisAlerts(d, lang, a)
	h.docxAnalysisAnnex(d, lang, a)
	return writeDocx(w, d, title)
}

// docxAnalysisOverview writes the situation: output and energy of the
// region's enterprises, with the totals' table.
func (h *Handler) docxAnalysisOverview(d *docx.Document, lang string, a *analysis, region string) {
	d.Heading(1, i18n.T(lang, "analysis.section.overview"))
	out := a.Totals[0]
	d.Para(i18n.T(lang, "analysis.overview_text", a.Month.Year, int(a.Month.Month), h.regionName(region), a.Name,
		len(a.Lines), a.Reporting, h.productLabel(a.Product), formatNumber(out.Now, 0), prose(lang, out.MoM), prose(lang, out.YoY),
		formatNumber(a.Totals[1].Now, 1), prose(lang, a.Totals[1].MoM), prose(lang, a.Totals[1].YoY)))
	rows := make([][]string, len(a.Totals))
	for i, t := range a.Totals {
		rows[i] = h.totalCells(lang, a, t)
	}
	d.Table(totalHeader(lang), rows, []float64{46, 24, 24, 16, 24, 16})
}

// docxAnalysisEfficiency writes the energy efficiency against the product's
// benchmark, with the enterprises above the baseline.
func (h *Handler) docxAnalysisEfficiency(d *docx.Document, lang string, a *analysis) {
	d.Heading(1, i18n.T(lang, "analysis.section.efficiency"))
	if !a.HasBenchmark {
		d.Para(i18n.T(lang, "analysis.no_benchmark"))
		return
	}
	industry := i18n.T(lang, "analysis.level.none")
	if a.Judged {
		industry = formatNumber(a.Unit, 1) + " " + a.Benchmark.Unit + "（" + levelLabel(lang, true, a.Level) + "）"
	}
	d.Para(i18n.T(lang, "analysis.efficiency_text", h.productLabel(a.Product),
		formatNumber(a.Benchmark.Benchmark, 0), formatNumber(a.Benchmark.Baseline, 0), a.Benchmark.Unit, industry,
		a.Levels[monitor.AboveBaseline], a.Levels[monitor.Between], a.Levels[monitor.AtBenchmark], a.Unjudged))
	above := h.aboveBaselineRows(a)
	if len(above) > 0 {
		d.Para(i18n.T(lang, "analysis.above_list"))
		d.Table([]string{i18n.T(lang, "meter.enterprise"), i18n.T(lang, "enterprise.county"),
			i18n.T(lang, "analysis.intensity") + "（" + a.Benchmark.Unit + "）", i18n.T(lang, "analysis.above_baseline_by")},
			above, []float64{70, 30, 32, 24})
	}
}

// aboveBaselineRows lists the enterprises judged above the baseline: name,
// county, intensity and how far above the baseline, in per cent.
func (h *Handler) aboveBaselineRows(a *analysis) [][]string {
	var above [][]string
	for _, l := range a.Lines {
		if l.Judged && l.Level == monitor.AboveBaseline {
			above = append(above, []string{l.Enterprise.Name, h.regionName(l.Enterprise.County), formatNumber(l.Unit, 1),
				signed((l.Unit - a.Benchmark.Baseline) / a.Benchmark.Baseline * 100)})
		}
	}
	return above
}

// docxAnalysisChanges writes the largest changes, one table each.
func docxAnalysisChanges(d *docx.Document, lang string, a *analysis) {
	d.Heading(1, i18n.T(lang, "analysis.section.changes"))
	d.Para(i18n.T(lang, "analysis.change_note", changeTop, int(tinyShare*100)))
	for _, t := range changeTables(lang, a) {
		d.Heading(2, t.Title)
		if len(t.Rows) == 0 {
			d.Para(i18n.T(lang, "analysis.no_changes"))
			continue
		}
		d.Table(t.Header, t.Rows, []float64{40, 20, 20, 16, 22, 22, 16})
	}
}

// docxAnalysisAlerts writes the open alerts, with their table when any.
func docxAnalysisAlerts(d *docx.Document, lang string, a *analysis) {
	d.Heading(1, i18n.T(lang, "analysis.section.alerts"))
	d.Para(i18n.T(lang, "analysis.alerts_text", a.OpenAlerts))
	if len(a.Alerts) == 0 {
		return
	}
	rows := make([][]string, len(a.Alerts))
	for i, al := range a.Alerts {
		rows[i] = []string{al.EnterpriseName, i18n.T(lang, "rule."+al.Rule), al.From.String() + " – " + al.To.String(),
			i18n.T(lang, "astatus."+al.Status)}
	}
	d.Table([]string{i18n.T(lang, "meter.enterprise"), i18n.T(lang, "alert.rule"), i18n.T(lang, "alert.period"),
		i18n.T(lang, "alert.status")}, rows, []float64{56, 40, 40, 20})
}

// docxAnalysisAnnex writes the enterprises' table as the annex.
func (h *Handler) docxAnalysisAnnex(d *docx.Document, lang string, a *analysis) {
	d.Annex(i18n.T(lang, "analysis.annex", a.Name))
	ents := make([][]string, len(a.Lines))
	for i, l := range a.Lines {
		ents[i] = h.enterpriseCells(lang, a, l)
	}
	d.Table(h.enterpriseHeader(lang, a), ents, []float64{34, 18, 16, 16, 18, 14, 14, 16, 10})
}
