package monitor

import (
	"maps"
	"math"
	"slices"

	"lianggao"
)

// ChangeParams are the thresholds of the lone-change rule.
type ChangeParams struct {
	WeekDays        int     `toml:"week_days"`         // the window judged
	BaselineDays    int     `toml:"baseline_days"`     // the clean days it is compared with
	LookbackDays    int     `toml:"lookback_days"`     // how far back clean days are looked for
	MinWeekDays     int     `toml:"min_week_days"`     // complete days the window needs
	MinBaselineDays int     `toml:"min_baseline_days"` // clean complete days the baseline needs
	Change          float64 `toml:"change"`            // a lone change of this share or more is a finding
	Flat            float64 `toml:"flat"`              // related indicators within this share count as flat
	StoppedShare    float64 `toml:"stopped_share"`     // below this share of its typical level an indicator is stopped
}

// ChangeInput is a group of indicators of one enterprise that move
// together: output, electricity, coal and, for a plant supplying heat, the
// heat it supplies.
type ChangeInput struct {
	Series   map[string]Series
	From, To lianggao.Date
}

// LoneChange finds a sudden jump or drop of one indicator that the related
// indicators do not share: reported output up 30% while electricity and
// coal stay flat is a report to doubt; a plant that stops, with everything
// falling together, is not. For each day t, the window of the last
// WeekDays days is compared with a baseline of up to BaselineDays clean
// days before it (days of earlier findings left out). With r the ratio of
// window mean to baseline mean, a change of indicator x starts when every
// other indicator's r is within 1 ± Flat and x's relative ratio
//
//	q = r(x) ÷ geometric mean of the others' r
//
// is ≥ 1 + Change (jump) or ≤ 1 − Change (drop). The finding then runs on
// while q, measured against the same baseline, stays beyond the threshold,
// so one false spell is one finding whatever its length; its days are kept
// out of later baselines, so the return to normal is not another change.
// A window where the related indicators are stopped (below StoppedShare of
// their typical level) decides nothing.
func LoneChange(in ChangeInput, p ChangeParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	c, ok := newChangeFrame(in.Series, period, p)
	if !ok {
		return nil
	}
	var fs []Finding
	open := make([]*episode, len(c.codes))
	for t := c.all.lo + p.WeekDays - 1; t <= c.all.hi; t++ {
		w := span{t - p.WeekDays + 1, t}
		wm, okW := c.means(w)
		if !okW {
			continue
		}
		for k, e := range open {
			if e != nil && !c.continues(e, w, wm) {
				fs = append(fs, c.close(e))
				open[k] = nil
			}
		}
		bm, okB := c.baseline(w.lo)
		for k := range c.codes {
			if open[k] == nil && okB {
				open[k] = c.onset(k, w, wm, bm)
			}
		}
	}
	for _, e := range open {
		if e != nil {
			fs = append(fs, c.close(e))
		}
	}
	return Merge(within(fs, period))
}

// changeFrame holds a group's series laid out over its days.
type changeFrame struct {
	p     ChangeParams
	codes []string
	all   span
	v     [][]float64
	level []float64 // each indicator's typical level: its upper quartile
	anom  []bool    // days inside a finding
}

// episode is a lone change under way.
type episode struct {
	subject  int
	jump     bool
	from, to int
	base     []float64 // baseline means at the onset
	evidence map[string]float64
}

func newChangeFrame(series map[string]Series, period span, p ChangeParams) (*changeFrame, bool) {
	var all []Series
	for _, s := range series {
		all = append(all, s)
	}
	ext, ok := extent(all...)
	if !ok || ext.lo > period.hi {
		return nil, false
	}
	c := &changeFrame{p: p, all: span{ext.lo, period.hi}}
	for _, code := range slices.Sorted(maps.Keys(series)) {
		v := dense(series[code], c.all)
		// An indicator that is always zero cannot move with the others.
		if level := quantile(v, 0.75); level > 0 {
			c.codes, c.v, c.level = append(c.codes, code), append(c.v, v), append(c.level, level)
		}
	}
	c.anom = make([]bool, c.all.days())
	return c, len(c.codes) >= 2
}

// means returns each indicator's mean over the days of w where all are
// present, and whether there are enough.
func (c *changeFrame) means(w span) ([]float64, bool) {
	m := make([]float64, len(c.codes))
	n := 0
	for d := max(w.lo, c.all.lo); d <= min(w.hi, c.all.hi); d++ {
		if c.complete(d) {
			n++
			for k := range c.codes {
				m[k] += c.v[k][d-c.all.lo]
			}
		}
	}
	for k := range m {
		m[k] /= float64(max(n, 1))
	}
	return m, n >= c.p.MinWeekDays
}

func (c *changeFrame) complete(d int) bool {
	for k := range c.codes {
		if !present(c.v[k][d-c.all.lo]) {
			return false
		}
	}
	return true
}

// baseline returns the mean of up to BaselineDays clean complete days
// before day lo, looking back at most LookbackDays.
func (c *changeFrame) baseline(lo int) ([]float64, bool) {
	m := make([]float64, len(c.codes))
	n := 0
	for d := lo - 1; d >= max(lo-c.p.LookbackDays, c.all.lo) && n < c.p.BaselineDays; d-- {
		if c.complete(d) && !c.anom[d-c.all.lo] {
			n++
			for k := range c.codes {
				m[k] += c.v[k][d-c.all.lo]
			}
		}
	}
	for k := range m {
		m[k] /= float64(max(n, 1))
	}
	return m, n >= c.p.MinBaselineDays
}

// running reports whether every indicator but skip is at least
// StoppedShare of its typical level in means m.
func (c *changeFrame) running(m []float64, skip int) bool {
	for j := range c.codes {
		if j != skip && m[j] < c.p.StoppedShare*c.level[j] {
			return false
		}
	}
	return true
}

// relative returns x's ratio r, the others' geometric mean ratio and q.
func (c *changeFrame) relative(x int, wm, bm []float64) (r, others, q float64) {
	logSum := 0.0
	for j := range c.codes {
		if j != x {
			logSum += math.Log(wm[j] / bm[j])
		}
	}
	r = wm[x] / bm[x]
	others = math.Exp(logSum / float64(len(c.codes)-1))
	return r, others, r / others
}

// onset starts an episode for indicator x when it changes alone.
func (c *changeFrame) onset(x int, w span, wm, bm []float64) *episode {
	if !c.running(bm, -1) || !c.running(wm, x) {
		return nil
	}
	for j := range c.codes {
		if j != x && math.Abs(wm[j]/bm[j]-1) > c.p.Flat {
			return nil
		}
	}
	r, others, q := c.relative(x, wm, bm)
	jump := q >= 1+c.p.Change
	if !jump && q > 1-c.p.Change {
		return nil
	}
	c.mark(w)
	return &episode{subject: x, jump: jump, from: w.lo, to: w.hi, base: bm,
		evidence: map[string]float64{"ratio": round4(r), "related_ratio": round4(others), "relative": round4(q)}}
}

// beyond reports whether day d on its own shows the episode's change
// against its baseline: a window holding the edge of a spell still shows
// the change with a day or two of normal in it.
func (c *changeFrame) beyond(e *episode, d int) bool {
	if !c.complete(d) {
		return false
	}
	day := make([]float64, len(c.codes))
	for k := range c.codes {
		day[k] = c.v[k][d-c.all.lo]
	}
	_, _, q := c.relative(e.subject, day, e.base)
	return e.jump && q >= 1+c.p.Change || !e.jump && q <= 1-c.p.Change
}

// close trims the episode to the days that show the change themselves,
// gives the trimmed days back to the baselines, and returns its finding.
func (c *changeFrame) close(e *episode) Finding {
	for e.from < e.to && !c.beyond(e, e.from) {
		c.anom[e.from-c.all.lo] = false
		e.from++
	}
	for e.to > e.from && !c.beyond(e, e.to) {
		c.anom[e.to-c.all.lo] = false
		e.to--
	}
	msg := "alert.change.drop"
	if e.jump {
		msg = "alert.change.jump"
	}
	return newFinding(RuleLoneChange, c.codes[e.subject], span{e.from, e.to}, Warning, msg, e.evidence)
}

// continues extends an episode over window w while the change holds; a
// window where the related indicators are stopped keeps it open.
func (c *changeFrame) continues(e *episode, w span, wm []float64) bool {
	if !c.running(wm, e.subject) {
		return true
	}
	_, _, q := c.relative(e.subject, wm, e.base)
	if e.jump && q < 1+c.p.Change || !e.jump && q > 1-c.p.Change {
		return false
	}
	c.mark(w)
	e.to = w.hi
	return true
}

func (c *changeFrame) mark(w span) {
	for d := max(w.lo, c.all.lo); d <= w.hi; d++ {
		c.anom[d-c.all.lo] = true
	}
}
