// Package planner plans the semi-annual comprehensive inspection campaign
// (R1.4, R1.6, R7.1): which joint group inspects which cities, and who visits
// which enterprise on which day.
//
// It is pure: no I/O, no database, no clock and no global state. Everything —
// the seed, the working days, the staff — is passed in, and the same inputs
// always give the same output, byte for byte, so that anyone can replay a
// published assignment.
//
// Invalid inputs give a *lianggao.Error with code EINVALID and key
// "planner.invalid" whose only argument is an English explanation; nothing
// here panics on bad input.
package planner

import (
	"fmt"

	"lianggao"
)

// invalid returns the error for a rejected input.
func invalid(format string, args ...any) error {
	return lianggao.Errorf(lianggao.EINVALID, "planner.invalid", fmt.Sprintf(format, args...))
}
