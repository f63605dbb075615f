package monitor

import (
	"fmt"
	"time"

	"lianggao"
)

// Rules index days by a day number, the count of days since 1970-01-01, so
// that a window is a slice and moving by a day is an addition; converting
// through time.Time for every day of every series would dominate a year's
// run.

// dayNumber returns the day number of d (Hinnant's days_from_civil).
func dayNumber(d lianggao.Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOf returns the date of day number n (Hinnant's civil_from_days).
func dateOf(n int) lianggao.Date {
	z := n + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	y := yoe + era*400
	if month <= 2 {
		y++
	}
	return lianggao.Date{Year: y, Month: time.Month(month), Day: day}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Period is a run of days, both ends included.
type Period struct {
	From lianggao.Date `json:"from" toml:"from"`
	To   lianggao.Date `json:"to" toml:"to"`
}

// span is a period as day numbers, both ends included.
type span struct{ lo, hi int }

func spanOf(p Period) span { return span{dayNumber(p.From), dayNumber(p.To)} }

func (s span) period() Period { return Period{dateOf(s.lo), dateOf(s.hi)} }

func (s span) days() int { return s.hi - s.lo + 1 }

func (s span) contains(n int) bool { return s.lo <= n && n <= s.hi }

func (s span) overlaps(t span) bool { return s.lo <= t.hi && t.lo <= s.hi }

// clip returns the part of s inside t; ok is false when they do not meet.
func (s span) clip(t span) (span, bool) {
	c := span{max(s.lo, t.lo), min(s.hi, t.hi)}
	return c, c.lo <= c.hi
}

// monthOf returns the calendar month holding day n.
func monthOf(n int) span {
	d := dateOf(n)
	first := lianggao.Date{Year: d.Year, Month: d.Month, Day: 1}
	next := lianggao.Date{Year: d.Year, Month: d.Month + 1, Day: 1}
	if d.Month == 12 {
		next = lianggao.Date{Year: d.Year + 1, Month: 1, Day: 1}
	}
	return span{dayNumber(first), dayNumber(next) - 1}
}

// months returns the calendar months that meet s, whole, in order.
func months(s span) []span {
	var out []span
	for n := s.lo; n <= s.hi; {
		m := monthOf(n)
		out = append(out, m)
		n = m.hi + 1
	}
	return out
}

// yearStart returns the day number of 1 January of the year holding day n.
func yearStart(n int) int {
	return dayNumber(lianggao.Date{Year: dateOf(n).Year, Month: 1, Day: 1})
}

// inAny reports whether day n lies in one of the spans.
func inAny(n int, spans []span) bool {
	for _, s := range spans {
		if s.contains(n) {
			return true
		}
	}
	return false
}

func spansOf(ps []Period) []span {
	out := make([]span, len(ps))
	for i, p := range ps {
		out[i] = spanOf(p)
	}
	return out
}

// MonthDay is a day of the year without the year, written MM-DD.
type MonthDay struct {
	Month time.Month
	Day   int
}

// UnmarshalText reads MM-DD; 02-29 is admitted, as in a leap year.
func (md *MonthDay) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, "2024-"+string(b))
	if err != nil || len(b) != 5 {
		return fmt.Errorf("%q: want MM-DD", b)
	}
	*md = MonthDay{t.Month(), t.Day()}
	return nil
}

// MarshalText writes MM-DD.
func (md MonthDay) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "%02d-%02d", int(md.Month), md.Day), nil
}

// key orders days of the year: MMDD as a number.
func (md MonthDay) key() int { return int(md.Month)*100 + md.Day }

// Season is a stretch of the year, such as the heating season from 15
// November to 15 March; it may run over the new year.
type Season struct {
	From MonthDay `toml:"from"`
	To   MonthDay `toml:"to"`
}

// contains reports whether date d falls in the season.
func (s Season) contains(d lianggao.Date) bool {
	k := MonthDay{d.Month, d.Day}.key()
	if s.To.key() < s.From.key() { // runs over the new year
		return k >= s.From.key() || k <= s.To.key()
	}
	return k >= s.From.key() && k <= s.To.key()
}

// seasonOf returns the index of the first season holding day n, or -1.
func seasonOf(n int, seasons []Season) int {
	d := dateOf(n)
	for i, s := range seasons {
		if s.contains(d) {
			return i
		}
	}
	return -1
}
