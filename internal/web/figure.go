package web

import (
	"net/http"
	"sort"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

// figureChart is an enterprise's daily figures of the past year as chart
// series, with monthly totals as the table behind the chart.
type figureChart struct {
	Dates  []string      `json:"dates"`
	Series []chartSeries `json:"series"`
	Mark   []string      `json:"mark,omitempty"` // a period to shade: an alert's`
	Months []chartMonth  `json:"-"`
	Names  []string      `json:"-"`
}

type chartSeries struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"` // nil where the day has no figure
}

type chartMonth struct {
	Month  string
	Totals []float64
}

// figureChart reads the enterprise's own reports of [from, to].
func (h *Handler) figureChart(r *http.Request, e *lianggao.Enterprise, from, to lianggao.Date) (*figureChart, error) {
	figs, err := h.Store.FindFigures(r.Context(), lianggao.FigureFilter{EnterpriseID: e.ID, Source: "enterprise",
		From: from, To: to})
	if err != nil || len(figs) == 0 {
		return nil, err
	}
	lang := server.Lang(r)
	byInd := map[string]map[string]float64{}
	days := map[string]bool{}
	for _, f := range figs {
		d := f.Date.String()
		if byInd[f.Indicator] == nil {
			byInd[f.Indicator] = map[string]float64{}
		}
		byInd[f.Indicator][d] = f.Value
		days[d] = true
	}
	c := &figureChart{}
	for d := range days {
		c.Dates = append(c.Dates, d)
	}
	sort.Strings(c.Dates)
	inds := make([]string, 0, len(byInd))
	for ind := range byInd {
		inds = append(inds, ind)
	}
	sort.Slice(inds, func(i, j int) bool { return indicatorRank(inds[i]) < indicatorRank(inds[j]) })
	for _, ind := range inds {
		s := chartSeries{Name: h.indicatorLabel(lang, ind)}
		for _, d := range c.Dates {
			if v, ok := byInd[ind][d]; ok {
				s.Values = append(s.Values, &v)
			} else {
				s.Values = append(s.Values, nil)
			}
		}
		c.Series = append(c.Series, s)
		c.Names = append(c.Names, s.Name)
	}
	c.Months = monthlyTotals(c)
	return c, nil
}

// indicatorRank puts output first, then electricity, coal and energy.
func indicatorRank(ind string) string {
	switch {
	case strings.HasPrefix(ind, "output:"):
		return "0" + ind
	case ind == "elec_kwh":
		return "1"
	case ind == "coal_t":
		return "2"
	case ind == "energy_tce":
		return "3"
	}
	return "4" + ind
}

func (h *Handler) indicatorLabel(lang, ind string) string {
	if p, ok := strings.CutPrefix(ind, "output:"); ok {
		return i18n.T(lang, "ind.output") + " · " + h.productLabel(p)
	}
	if i18n.Has("ind." + ind) {
		return i18n.T(lang, "ind."+ind)
	}
	return ind
}

func monthlyTotals(c *figureChart) []chartMonth {
	var out []chartMonth
	for i, d := range c.Dates {
		m := d[:7]
		if len(out) == 0 || out[len(out)-1].Month != m {
			out = append(out, chartMonth{Month: m, Totals: make([]float64, len(c.Series))})
		}
		for j, s := range c.Series {
			if v := s.Values[i]; v != nil {
				out[len(out)-1].Totals[j] += *v
			}
		}
	}
	return out
}
