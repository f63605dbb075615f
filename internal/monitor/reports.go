package monitor

import (
	"fmt"
	"time"

	"lianggao"
)

// Clock is a time of day, written HH:MM.
type Clock struct{ Hour, Minute int }

// UnmarshalText reads HH:MM.
func (c *Clock) UnmarshalText(b []byte) error {
	t, err := time.Parse("15:04", string(b))
	if err != nil {
		return fmt.Errorf("%q: want HH:MM", b)
	}
	*c = Clock{t.Hour(), t.Minute()}
	return nil
}

// MarshalText writes HH:MM.
func (c Clock) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "%02d:%02d", c.Hour, c.Minute), nil
}

// ReportsParams are the thresholds of the reporting rules.
type ReportsParams struct {
	Deadline        Clock   `toml:"deadline"`          // a day's figures are due at this time the next day
	CompletenessMin float64 `toml:"completeness_min"`  // share of a month's due days that must have figures
	MinMonthDays    int     `toml:"min_month_days"`    // a month is judged once this many of its days are due
	GapDays         int     `toml:"gap_days"`          // this many missing days in a row are a finding of their own
	CriticalGapDays int     `toml:"critical_gap_days"` // and this many a critical one
}

// ReportsInput is one enterprise's daily reporting.
type ReportsInput struct {
	// Received holds the days whose figures have arrived, with when they
	// first arrived; a zero time means the time is not known (figures
	// loaded in bulk), and such a day is never late.
	Received map[lianggao.Date]time.Time
	Since    lianggao.Date // first day figures are due
	Excused  []Period      // days without a duty to report: a declared closure
	From, To lianggao.Date
	Now      time.Time      // days not yet due by Now are not judged
	Loc      *time.Location // required: the profile's zone, where deadlines fall
}

// Reports finds missing and late daily reports. A day is due at Deadline
// on the next day, in Loc. Over each calendar month, completeness is the
// share of due days with figures; below CompletenessMin is a warning. A run
// of GapDays or more due days without figures is a warning of its own
// (critical from CriticalGapDays), so a gap across a month end is not lost
// between two months that each look complete enough. Figures received
// after the deadline are late: an info finding that stays after a backfill
// has closed the gap.
func Reports(in ReportsInput, p ReportsParams) []Finding {
	r := reports{in: in, p: p, period: span{dayNumber(in.From), dayNumber(in.To)}, excused: spansOf(in.Excused)}
	var fs []Finding
	fs = append(fs, r.gaps()...)
	fs = append(fs, r.late()...)
	for _, m := range months(r.period) {
		fs = append(fs, r.completeness(m)...)
	}
	return Merge(fs)
}

type reports struct {
	in      ReportsInput
	p       ReportsParams
	period  span
	excused []span
}

// due returns when day n's figures are due.
func (r *reports) due(n int) time.Time {
	return dateOf(n + 1).Time(r.in.Loc).Add(time.Duration(r.p.Deadline.Hour)*time.Hour + time.Duration(r.p.Deadline.Minute)*time.Minute)
}

// owed reports whether day n has a duty to report at all.
func (r *reports) owed(n int) bool {
	return (r.in.Since.IsZero() || n >= dayNumber(r.in.Since)) && !inAny(n, r.excused)
}

// missing reports whether day n is owed, due by now and without figures.
func (r *reports) missing(n int) bool {
	_, got := r.in.Received[dateOf(n)]
	return r.owed(n) && !got && !r.due(n).After(r.in.Now)
}

func (r *reports) gaps() []Finding {
	var fs []Finding
	runs(r.period, r.missing, func(s span) {
		if s.days() < r.p.GapDays {
			return
		}
		sev := Warning
		if s.days() >= r.p.CriticalGapDays {
			sev = Critical
		}
		fs = append(fs, newFinding(RuleReportsMissing, "", s, sev, "alert.reports.missing",
			map[string]float64{"days": float64(s.days())}))
	})
	return fs
}

func (r *reports) late() []Finding {
	var fs []Finding
	hoursLate := func(n int) float64 {
		at := r.in.Received[dateOf(n)]
		if at.IsZero() || !r.owed(n) {
			return 0
		}
		return at.Sub(r.due(n)).Hours()
	}
	runs(r.period, func(n int) bool { return hoursLate(n) > 0 }, func(s span) {
		worst := 0.0
		for n := s.lo; n <= s.hi; n++ {
			worst = max(worst, hoursLate(n))
		}
		fs = append(fs, newFinding(RuleReportsLate, "", s, Info, "alert.reports.late",
			map[string]float64{"days": float64(s.days()), "max_hours_late": round4(worst)}))
	})
	return fs
}

func (r *reports) completeness(m span) []Finding {
	var due, got int
	first, last := 0, 0
	for n := m.lo; n <= m.hi; n++ {
		if !r.owed(n) || r.due(n).After(r.in.Now) {
			continue
		}
		if due == 0 {
			first = n
		}
		due, last = due+1, n
		if _, ok := r.in.Received[dateOf(n)]; ok {
			got++
		}
	}
	share := float64(got) / float64(max(due, 1))
	if due < r.p.MinMonthDays || share >= r.p.CompletenessMin {
		return nil
	}
	return []Finding{newFinding(RuleReportsIncomplete, "", span{first, last}, Warning, "alert.reports.incomplete",
		map[string]float64{"completeness_pct": round4(100 * share), "due": float64(due), "received": float64(got)})}
}

// runs calls found with each maximal run of days in s where is holds.
func runs(s span, is func(n int) bool, found func(span)) {
	start := -1
	for n := s.lo; n <= s.hi+1; n++ {
		switch on := n <= s.hi && is(n); {
		case on && start < 0:
			start = n
		case !on && start >= 0:
			found(span{start, n - 1})
			start = -1
		}
	}
}
