package monitor

import (
	"testing"
	"time"

	"lianggao"
)

// Ensure day numbers agree with the time package over four centuries.
func TestDayNumber(t *testing.T) {
	start := time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 146097; i += 7 {
		tm := start.AddDate(0, 0, i)
		d := lianggao.DateOf(tm)
		want := int(tm.Unix() / 86400)
		if n := dayNumber(d); n != want || dateOf(n) != d {
			t.Fatalf("%v: day number %d, want %d; back %v", d, n, want, dateOf(n))
		}
	}
}

func TestSeason(t *testing.T) {
	heating := Season{MonthDay{11, 15}, MonthDay{3, 15}}
	summer := Season{MonthDay{6, 1}, MonthDay{8, 31}}
	for _, c := range []struct {
		s    Season
		d    lianggao.Date
		want bool
	}{
		{heating, lianggao.Date{Year: 2025, Month: 11, Day: 14}, false},
		{heating, lianggao.Date{Year: 2025, Month: 11, Day: 15}, true},
		{heating, lianggao.Date{Year: 2026, Month: 1, Day: 10}, true},
		{heating, lianggao.Date{Year: 2026, Month: 3, Day: 15}, true},
		{heating, lianggao.Date{Year: 2026, Month: 3, Day: 16}, false},
		{summer, lianggao.Date{Year: 2026, Month: 7, Day: 1}, true},
		{summer, lianggao.Date{Year: 2026, Month: 9, Day: 1}, false},
	} {
		if got := c.s.contains(c.d); got != c.want {
			t.Errorf("%v in %v: %v", c.d, c.s, got)
		}
	}
	var md MonthDay
	if err := md.UnmarshalText([]byte("02-30")); err == nil {
		t.Error("02-30 accepted")
	}
	if err := md.UnmarshalText([]byte("11-15")); err != nil || md != (MonthDay{11, 15}) {
		t.Errorf("11-15: %v %v", md, err)
	}
}
