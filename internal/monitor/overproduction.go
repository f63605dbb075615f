package monitor

import (
	"time"

	"lianggao"
)

// OutputPlan is what an enterprise may make of one product: a plan for each
// month and, where the province caps output, an annual control target.
type OutputPlan struct {
	Product string
	Monthly map[lianggao.Date]float64 // first day of the month → planned output
	Annual  map[int]float64           // year → annual control target; none: no cap
}

// CapacityPlan spreads an annual capacity over the months of the given
// years in proportion to their days — the plan an output-controlled plant
// has when nobody set another — with the capacity as the annual target.
func CapacityPlan(product string, capacity float64, years ...int) OutputPlan {
	p := OutputPlan{Product: product, Monthly: map[lianggao.Date]float64{}, Annual: map[int]float64{}}
	for _, y := range years {
		year := span{dayNumber(lianggao.Date{Year: y, Month: 1, Day: 1}), dayNumber(lianggao.Date{Year: y, Month: 12, Day: 31})}
		for _, m := range months(year) {
			p.Monthly[dateOf(m.lo)] = capacity * float64(m.days()) / float64(year.days())
		}
		p.Annual[y] = capacity
	}
	return p
}

// Milestone is a share of the annual target that output to date must not
// pass by a day of the year: Shandong's "no more than 45% of the year's coke
// by the end of May" (FACTS.md §2.1).
type Milestone struct {
	By    MonthDay `toml:"by"`
	Share float64  `toml:"share"`
}

// OverproductionParams are the thresholds of the overproduction rule.
type OverproductionParams struct {
	MonthTolerance float64     `toml:"month_tolerance"` // a month's output may pass its plan by this share
	YearTolerance  float64     `toml:"year_tolerance"`  // output to date may pass the plan to date by this share
	MinMonthDays   int         `toml:"min_month_days"`  // a month is judged once this many of its days count
	Milestones     []Milestone `toml:"milestone"`
}

// OverproductionInput is one product of one enterprise.
type OverproductionInput struct {
	Output Series // output:<product>, the enterprise's own figures
	Plan   OutputPlan
	// Exempt days count neither output nor plan: staggered winter
	// production, heavy-pollution response days, heating-supply duty.
	Exempt []Period
	// Since is the first day figures are due; a year begun later is not
	// held against its annual target. Zero: figures were always due.
	Since    lianggao.Date
	From, To lianggao.Date
}

// Overproduction compares output with the plan and the annual target:
//   - each month against its plan, pro rata to the days that count
//     (warning above 1 + MonthTolerance);
//   - output to date this year against the plan to date, at each month end
//     and at To (critical above 1 + YearTolerance);
//   - output to date against each milestone share of the annual target
//     (critical when passed, even before the milestone's day).
func Overproduction(in OverproductionInput, p OverproductionParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	all := span{yearStart(period.lo), period.hi}
	o := overproduction{in: in, p: p, period: period, all: all, out: dense(in.Output, all), exempt: spansOf(in.Exempt), since: all.lo}
	if !in.Since.IsZero() {
		o.since = max(all.lo, dayNumber(in.Since))
	}
	var fs []Finding
	for _, m := range months(period) {
		fs = append(fs, o.month(m)...)
		if m.hi < period.hi {
			fs = append(fs, o.yearToDate(m.hi)...)
		}
	}
	fs = append(fs, o.yearToDate(period.hi)...)
	for y := dateOf(period.lo).Year; y <= dateOf(period.hi).Year; y++ {
		for _, ms := range p.Milestones {
			fs = append(fs, o.milestone(y, ms)...)
		}
	}
	return Merge(fs)
}

type overproduction struct {
	in          OverproductionInput
	p           OverproductionParams
	period, all span
	out         []float64
	exempt      []span
	since       int
}

// counted sums output over the days of s that count, and counts them;
// days after To count but have no output yet.
func (o *overproduction) counted(s span) (output float64, days int) {
	for n := max(s.lo, o.since); n <= s.hi; n++ {
		if inAny(n, o.exempt) {
			continue
		}
		days++
		if o.all.contains(n) && present(o.out[n-o.all.lo]) {
			output += o.out[n-o.all.lo]
		}
	}
	return output, days
}

// planFor is the plan of the part s of month m: the month's plan times the
// share of its days that count. ok is false when the month has no plan.
func (o *overproduction) planFor(m, s span) (plan float64, ok bool) {
	monthly, ok := o.in.Plan.Monthly[dateOf(m.lo)]
	if !ok || monthly <= 0 {
		return 0, false
	}
	_, days := o.counted(s)
	return monthly * float64(days) / float64(m.days()), true
}

func (o *overproduction) month(m span) []Finding {
	s, ok := m.clip(span{o.since, o.period.hi})
	if !ok {
		return nil
	}
	output, days := o.counted(s)
	plan, ok := o.planFor(m, s)
	if !ok || days < o.p.MinMonthDays || output <= plan*(1+o.p.MonthTolerance) {
		return nil
	}
	return []Finding{newFinding(RuleOverproduction, o.in.Plan.Product, s, Warning, "alert.overproduction.month",
		map[string]float64{"output": round4(output), "plan": round4(plan), "excess_pct": pct(output, plan)})}
}

// yearToDate compares output from 1 January (or Since) to day end with the
// plan over the same days.
func (o *overproduction) yearToDate(end int) []Finding {
	s := span{max(yearStart(end), o.since), end}
	if s.lo > s.hi {
		return nil
	}
	plan := 0.0
	for _, m := range months(s) {
		part, _ := m.clip(s)
		p, ok := o.planFor(m, part)
		if !ok {
			return nil // a month without a plan: the plan to date is unknown
		}
		plan += p
	}
	output, days := o.counted(s)
	if days < o.p.MinMonthDays || output <= plan*(1+o.p.YearTolerance) {
		return nil
	}
	return []Finding{newFinding(RuleOverproduction, o.in.Plan.Product, s, Critical, "alert.overproduction.year",
		map[string]float64{"output": round4(output), "plan": round4(plan), "excess_pct": pct(output, plan)})}
}

// milestone checks output to date in year y against a milestone share of
// the annual target, scaled by the share of the days up to the milestone
// that count. It is judged on the milestone's day, or on To before it.
func (o *overproduction) milestone(y int, ms Milestone) []Finding {
	target := o.in.Plan.Annual[y]
	jan1 := dayNumber(lianggao.Date{Year: y, Month: time.January, Day: 1})
	by := dayNumber(lianggao.Date{Year: y, Month: ms.By.Month, Day: ms.By.Day})
	end := min(by, o.period.hi)
	if target <= 0 || o.since > jan1 || end < o.period.lo || end < jan1 {
		return nil
	}
	_, countedToBy := o.counted(span{jan1, by})
	limit := ms.Share * target * float64(countedToBy) / float64(by-jan1+1)
	output, _ := o.counted(span{jan1, end})
	if output <= limit {
		return nil
	}
	return []Finding{newFinding(RuleOverproduction, o.in.Plan.Product, span{jan1, end}, Critical, "alert.overproduction.milestone",
		map[string]float64{"output": round4(output), "limit": round4(limit), "target": target,
			"share_pct": round4(100 * output / target), "milestone_pct": round4(100 * ms.Share)})}
}

// pct is how far a exceeds b, in percent of b.
func pct(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round4(100 * (a - b) / b)
}
