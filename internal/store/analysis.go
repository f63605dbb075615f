package store

import (
	"context"
	"fmt"

	"lianggao"
)

// AnalysisIndicators are what a monthly analysis sums besides the main
// product's output.
var AnalysisIndicators = []string{"energy_tce", "elec_kwh", "coal_t"}

// MonthTotals are the sums of one month's daily figures of an enterprise
// (its own reports) by indicator, with the days each was reported on. An
// indicator never reported that month is absent from both.
type MonthTotals struct {
	Sum  map[string]float64
	Days map[string]int
}

// Has reports whether the indicator was reported at all that month.
func (m MonthTotals) Has(indicator string) bool { return m.Days[indicator] > 0 }

// AnalysisRow is one enterprise of a monthly analysis: the month, the month
// before and the same month a year earlier, and its open alerts.
type AnalysisRow struct {
	Enterprise                 *lianggao.Enterprise
	Month, PrevMonth, PrevYear MonthTotals
	// OpenAlerts counts the alerts still new or triaged whose period meets
	// the month.
	OpenAlerts int
}

// IndustryMonth is a key industry's month, enterprise by enterprise.
type IndustryMonth struct {
	Industry string
	// Product is the industry's main product (the profile's first), whose
	// output is summed as output:<Product>.
	Product string
	Month   lianggao.Date // the first day
	Rows    []*AnalysisRow
}

// FindIndustryMonth returns, for the month starting on month's first day,
// every enterprise of a key industry in the actor's scope that is a key
// enterprise, reported in any of the three months compared or has an open
// alert, with the
// totals of its main output, energy_tce, elec_kwh and coal_t for the month,
// the month before and the same month of the year before. Three queries,
// whatever the number of enterprises. It needs figure:read; an industry that
// is unknown or not a key industry is an EINVALID on the field "industry".
func (s *Store) FindIndustryMonth(ctx context.Context, industry string, month lianggao.Date) (*IndustryMonth, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	product, err := s.mainProduct(industry)
	if err != nil {
		return nil, err
	}
	first := lianggao.Date{Year: month.Year, Month: month.Month, Day: 1}
	prev := first.AddDays(-1)
	prev.Day = 1
	periods := [3]lianggao.Date{first, prev, {Year: first.Year - 1, Month: first.Month, Day: 1}}
	out := &IndustryMonth{Industry: industry, Product: product, Month: first}
	err = s.view(ctx, func(t *tx) error {
		sums, err := monthSums(ctx, t, a, industry, append([]string{"output:" + product}, AnalysisIndicators...), periods)
		if err != nil {
			return err
		}
		alerts, err := openAlerts(ctx, t, a, industry, first, monthEnd(first))
		if err != nil {
			return err
		}
		w := enterpriseWhere(a, lianggao.EnterpriseFilter{Industry: industry})
		rows, err := t.query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE `+w.String()+
			` ORDER BY e.city_code, e.county_code, e.name, e.id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &lianggao.Enterprise{}
			if err := scanEnterprise(rows, e); err != nil {
				return err
			}
			got := sums[e.ID]
			if got == nil {
				if !e.Key && alerts[e.ID] == 0 {
					continue
				}
				got = newTotals(len(periods))
			}
			row := &AnalysisRow{Enterprise: e, Month: got[0], PrevMonth: got[1], PrevYear: got[2], OpenAlerts: alerts[e.ID]}
			out.Rows = append(out.Rows, row)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: industry month: %w", err)
	}
	return out, nil
}

// mainProduct returns a key industry's main product: the profile lists it
// first, and it is the output its enterprises report daily.
func (s *Store) mainProduct(industry string) (string, error) {
	for _, ind := range s.profile.Industries {
		if ind.Code == industry && ind.Key && len(ind.Products) > 0 {
			return ind.Products[0].Code, nil
		}
	}
	return "", lianggao.FieldError("industry", "analysis.industry_not_key", industry)
}

func monthEnd(first lianggao.Date) lianggao.Date {
	return lianggao.Date{Year: first.Year, Month: first.Month + 1, Day: 1}.AddDays(-1)
}

// monthSums sums the enterprise's own figures of each period by enterprise
// and indicator, in one grouped query; the periods are whole months, told
// apart by the day's YYYY-MM.
func monthSums(ctx context.Context, t *tx, a *lianggao.Actor, industry string, indicators []string,
	periods [3]lianggao.Date) (map[int64][]MonthTotals, error) {
	w := &where{}
	scopeEnterprise(w, a, "e")
	w.add("e.industry_code = ?", industry)
	w.add("f.source = ?", "enterprise")
	args := make([]any, len(indicators))
	for i, ind := range indicators {
		args[i] = ind
	}
	w.add("f.indicator IN ("+placeholders(len(args))+")", args...)
	w.add("(f.day BETWEEN ? AND ? OR f.day BETWEEN ? AND ? OR f.day BETWEEN ? AND ?)",
		periods[0].String(), monthEnd(periods[0]).String(), periods[1].String(), monthEnd(periods[1]).String(),
		periods[2].String(), monthEnd(periods[2]).String())
	rows, err := t.query(ctx, `SELECT f.enterprise_id, substr(f.day, 1, 7), f.indicator, SUM(f.value), COUNT(*)
		FROM figures f JOIN enterprises e ON e.id = f.enterprise_id WHERE `+w.String()+`
		GROUP BY f.enterprise_id, substr(f.day, 1, 7), f.indicator`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	index := map[string]int{}
	for i, p := range periods {
		index[p.String()[:7]] = i
	}
	out := map[int64][]MonthTotals{}
	for rows.Next() {
		var id int64
		var month, indicator string
		var sum float64
		var days int
		if err := rows.Scan(&id, &month, &indicator, &sum, &days); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = newTotals(len(periods))
		}
		i := index[month]
		out[id][i].Sum[indicator], out[id][i].Days[indicator] = sum, days
	}
	return out, rows.Err()
}

func newTotals(n int) []MonthTotals {
	out := make([]MonthTotals, n)
	for i := range out {
		out[i] = MonthTotals{Sum: map[string]float64{}, Days: map[string]int{}}
	}
	return out
}

// openAlerts counts by enterprise the alerts still new or triaged whose
// period meets [from, to].
func openAlerts(ctx context.Context, t *tx, a *lianggao.Actor, industry string, from, to lianggao.Date) (map[int64]int, error) {
	w := alertWhere(a, lianggao.AlertFilter{Industry: industry, From: from, To: to})
	w.add("a.status IN (?, ?)", lianggao.AlertNew, lianggao.AlertTriaged)
	rows, err := t.query(ctx, `SELECT a.enterprise_id, count(*) FROM alerts a JOIN enterprises e ON e.id = a.enterprise_id
		WHERE `+w.String()+` GROUP BY a.enterprise_id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
