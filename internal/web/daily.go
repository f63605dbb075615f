package web

import (
	"net/http"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// dailyRow is one key enterprise's figures of a day, or its silence.
type dailyRow struct {
	E                               *lianggao.Enterprise
	Output                          string // the main product's label
	OutputValue, Elec, Coal, Energy *float64
}

// Reported tells whether the enterprise sent any figure of the day.
func (d dailyRow) Reported() bool {
	return d.OutputValue != nil || d.Elec != nil || d.Coal != nil || d.Energy != nil
}

// dailyTable gathers, for one day, every key enterprise in scope with its
// own reported figures; those with none have not reported (R2.6).
func (h *Handler) dailyTable(r *http.Request) (lianggao.Date, []dailyRow, int, error) {
	ctx := r.Context()
	day, err := lianggao.ParseDate(r.URL.Query().Get("date"))
	if err != nil {
		day = h.today().AddDays(-1)
	}
	yes := true
	ents, _, err := h.Store.FindEnterprises(ctx, lianggao.EnterpriseFilter{Key: &yes, City: r.URL.Query().Get("city"), Limit: store.All})
	if err != nil {
		return day, nil, 0, err
	}
	figs, err := h.Store.FiguresBetween(ctx, day, day, nil)
	if err != nil {
		return day, nil, 0, err
	}
	rows := make([]dailyRow, 0, len(ents))
	missing := 0
	for _, e := range ents {
		row := dailyRow{E: e}
		for _, f := range figs[e.ID] {
			if f.Source != "enterprise" {
				continue
			}
			v := f.Value
			switch {
			case strings.HasPrefix(f.Indicator, "output:"):
				row.Output, row.OutputValue = h.productLabel(strings.TrimPrefix(f.Indicator, "output:")), &v
			case f.Indicator == "elec_kwh":
				row.Elec = &v
			case f.Indicator == "coal_t":
				row.Coal = &v
			case f.Indicator == "energy_tce":
				row.Energy = &v
			}
		}
		if !row.Reported() {
			missing++
		}
		rows = append(rows, row)
	}
	return day, rows, missing, nil
}

func (h *Handler) handleDaily(w http.ResponseWriter, r *http.Request) error {
	day, rows, missing, err := h.dailyTable(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "daily", &page{Title: i18n.T(lang, "daily.title"), Nav: "daily",
		Crumbs: []crumb{{i18n.T(lang, "nav.monitor"), ""}},
		Data:   map[string]any{"Day": day, "Rows": rows, "Missing": missing, "Cities": h.Profile.Cities(), "City": r.URL.Query().Get("city")}})
}

// handleDailyExport exports the day's table, the non-reporters included.
func (h *Handler) handleDailyExport(w http.ResponseWriter, r *http.Request) error {
	if err := mayExport(r); err != nil {
		return err
	}
	day, rows, _, err := h.dailyTable(r)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	cells := make([][]any, len(rows))
	for i, d := range rows {
		status := i18n.T(lang, "daily.reported")
		if !d.Reported() {
			status = i18n.T(lang, "daily.missing")
		}
		cells[i] = []any{day.String(), d.E.CreditCode, d.E.Name, h.regionName(d.E.City), h.regionName(d.E.County),
			d.Output, cell(d.OutputValue), cell(d.Elec), cell(d.Coal), cell(d.Energy), status}
	}
	return h.export(w, r, "daily", dailyHeader, cells)
}

var dailyHeader = []string{"日期", "统一社会信用代码", "企业名称", "市", "县（区）", "产品", "产量", "用电量（千瓦时）", "耗煤量（吨）", "综合能耗（吨标准煤）", "报送"}

// cell is a number for a spreadsheet, or empty when absent.
func cell(v *float64) any {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
