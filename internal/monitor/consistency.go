package monitor

import (
	"math"

	"lianggao"
)

// DailyMonthlyParams are the thresholds of the daily-against-monthly rule.
type DailyMonthlyParams struct {
	Tolerance       float64 `toml:"tolerance"`        // FACTS.md §3.3: within 5%
	MinCompleteness float64 `toml:"min_completeness"` // share of a month's days with daily figures needed to judge it
}

// DailyMonthlyInput is one indicator of one enterprise.
type DailyMonthlyInput struct {
	Indicator string
	Daily     Series
	Monthly   map[lianggao.Date]float64 // first day of the month → the monthly report's figure
	From, To  lianggao.Date
}

// DailyMonthly finds months whose daily figures do not add up to the
// monthly figure: |Σ daily − monthly| ÷ |monthly| > Tolerance is a warning.
// A month with a few daily figures missing is judged on the daily sum
// scaled up to the whole month; with fewer than MinCompleteness of its days
// it is left to the missing-reports rule.
func DailyMonthly(in DailyMonthlyInput, p DailyMonthlyParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	var fs []Finding
	for first, monthly := range in.Monthly {
		m := monthOf(dayNumber(first))
		if !m.overlaps(period) {
			continue
		}
		daily, days := sum(dense(in.Daily, m), 0, m.days())
		if float64(days) < p.MinCompleteness*float64(m.days()) {
			continue
		}
		est := daily * float64(m.days()) / float64(days)
		if relTo(est, monthly) <= p.Tolerance {
			continue
		}
		fs = append(fs, newFinding(RuleDailyMonthly, in.Indicator, m, Warning, "alert.daily_monthly",
			map[string]float64{"daily_sum": round4(daily), "days": float64(days), "monthly": monthly, "difference_pct": pct(est, monthly)}))
	}
	return Merge(fs)
}

// relTo is |a − b| ÷ |b|: 0 when both are zero, 1 when only b is.
func relTo(a, b float64) float64 {
	if b == 0 {
		if a == 0 {
			return 0
		}
		return 1
	}
	return math.Abs(a-b) / math.Abs(b)
}

// SourcesParams are the thresholds of the source-comparison rule.
type SourcesParams struct {
	Threshold float64 `toml:"threshold"` // relative difference beyond which two sources disagree
	Critical  float64 `toml:"critical"`  // and beyond which the finding is critical
	Daily     bool    `toml:"daily"`     // compare day by day instead of month by month
	MinDays   int     `toml:"min_days"`  // days both sources need in a month to compare it
}

// SourcesInput is one indicator as the enterprise and another source report it.
type SourcesInput struct {
	Indicator   string
	Own         Series // the enterprise's figures
	Other       Series
	OtherSource string // grid, tax, stationed, inspection, …
	From, To    lianggao.Date
}

// Sources compares the enterprise's figures with another source's over the
// days both have, month by month (or day by day): a relative difference
// |own − other| ÷ max(|own|, |other|) beyond Threshold is a warning, beyond
// Critical a critical finding. The subject names the indicator and source.
func Sources(in SourcesInput, p SourcesParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	own, other := dense(in.Own, period), dense(in.Other, period)
	var windows []span
	if p.Daily {
		for n := period.lo; n <= period.hi; n++ {
			windows = append(windows, span{n, n})
		}
	} else {
		for _, m := range months(period) {
			windows = append(windows, span{max(m.lo, period.lo), min(m.hi, period.hi)})
		}
	}
	minDays := p.MinDays
	if p.Daily {
		minDays = 1
	}
	var fs []Finding
	for _, w := range windows {
		a, b, n := commonSums(own, other, w.lo-period.lo, w.hi-period.lo+1)
		rel := relDiff(a, b)
		if n < minDays || rel <= p.Threshold {
			continue
		}
		sev := Warning
		if rel > p.Critical {
			sev = Critical
		}
		fs = append(fs, newFinding(RuleSourceMismatch, in.Indicator+"|"+in.OtherSource, w, sev, "alert.source_mismatch",
			map[string]float64{"own": round4(a), "other": round4(b), "days": float64(n), "difference_pct": pct(a, b)}))
	}
	return Merge(fs)
}

// commonSums adds a and b over the indices [i, j) where both are present.
func commonSums(a, b []float64, i, j int) (sa, sb float64, n int) {
	for k := i; k < j; k++ {
		if present(a[k]) && present(b[k]) {
			sa, sb, n = sa+a[k], sb+b[k], n+1
		}
	}
	return sa, sb, n
}

// EnergyParams are the thresholds of the reported-against-computed energy rule.
type EnergyParams struct {
	Threshold float64 `toml:"threshold"`
	Critical  float64 `toml:"critical"`
	MinDays   int     `toml:"min_days"` // days with both figures a month needs
}

// EnergyInput is one enterprise's reported and computed energy use.
type EnergyInput struct {
	Reported Series // energy_tce
	Computed map[lianggao.Date]EnergyUse
	From, To lianggao.Date
}

// EnergyCheck compares the enterprise's reported comprehensive energy use
// with the platform's computation, month by month over the days both
// exist: (reported − computed) ÷ energy brought in beyond Threshold is a
// warning, beyond Critical a critical finding. Dividing by the energy
// brought in rather than the net keeps the measure sane for plants that
// supply most of their energy out (coking, power), whose net is small.
func EnergyCheck(in EnergyInput, p EnergyParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	var fs []Finding
	for _, m := range months(period) {
		w := span{max(m.lo, period.lo), min(m.hi, period.hi)}
		var reported, computed, inputs float64
		n := 0
		for d := w.lo; d <= w.hi; d++ {
			r, ok1 := in.Reported[dateOf(d)]
			c, ok2 := in.Computed[dateOf(d)]
			if ok1 && ok2 {
				reported, computed, inputs, n = reported+r, computed+c.Total(), inputs+c.Inputs, n+1
			}
		}
		if n < p.MinDays || inputs <= 0 {
			continue
		}
		rel := (reported - computed) / inputs
		if math.Abs(rel) <= p.Threshold {
			continue
		}
		sev := Warning
		if math.Abs(rel) > p.Critical {
			sev = Critical
		}
		fs = append(fs, newFinding(RuleEnergyMismatch, IndicatorEnergy, w, sev, "alert.energy.mismatch",
			map[string]float64{"reported": round4(reported), "computed": round4(computed), "days": float64(n),
				"difference_pct": round4(100 * rel)}))
	}
	return Merge(fs)
}
