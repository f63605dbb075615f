package config

import (
	"fmt"
	"time"

	"lianggao"
)

// Calendar tells working days from days off: weekends are off unless made up
// (调休), public holidays are off whatever the weekday.
type Calendar struct {
	holidays map[lianggao.Date]bool
	workdays map[lianggao.Date]bool
}

func newCalendar(years []CalendarYear) (Calendar, error) {
	c := Calendar{holidays: map[lianggao.Date]bool{}, workdays: map[lianggao.Date]bool{}}
	for i, y := range years {
		for j, s := range y.Holidays {
			d, err := lianggao.ParseDate(s)
			if err != nil || d.Year != y.Year {
				return c, fmt.Errorf("calendar[%d].holidays[%d]: %q is not a date of %d", i, j, s, y.Year)
			}
			c.holidays[d] = true
		}
		for j, s := range y.Workdays {
			d, err := lianggao.ParseDate(s)
			if err != nil || d.Year != y.Year {
				return c, fmt.Errorf("calendar[%d].workdays[%d]: %q is not a date of %d", i, j, s, y.Year)
			}
			if c.holidays[d] {
				return c, fmt.Errorf("calendar[%d].workdays[%d]: %s is also a holiday", i, j, s)
			}
			c.workdays[d] = true
		}
	}
	return c, nil
}

// IsWorkingDay reports whether d is a working day.
func (c Calendar) IsWorkingDay(d lianggao.Date) bool {
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the date n working days after d (before it for negative n).
func (c Calendar) AddWorkingDays(d lianggao.Date, n int) lianggao.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days in [from, to].
func (c Calendar) WorkingDaysBetween(from, to lianggao.Date) int {
	n := 0
	for d := from; !to.Before(d); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
