package monitor

import (
	"time"

	"lianggao"
)

// MeterParams are the thresholds of the meter rules.
type MeterParams struct {
	SilentHours         float64 `toml:"silent_hours"`          // an online meter without a reading this long is silent
	CriticalSilentHours float64 `toml:"critical_silent_hours"` // and critical past this: faults are to be fixed in 3 working days
	OverdueGraceDays    int     `toml:"overdue_grace_days"`    // a lapsed verification is a note this long, then a warning
	CriticalOverdueDays int     `toml:"critical_overdue_days"` // and critical past this
}

// MeterStatus is what the rules know of one meter.
type MeterStatus struct {
	Serial         string
	Online         bool // sends readings to the platform
	CalibrationDue lianggao.Date
	LastReading    time.Time // zero: none yet
	// Since is when the meter went online; a meter that never sent a
	// reading is silent from then. Zero: unknown, and such a meter is not
	// judged silent.
	Since time.Time
}

// Meters finds meters that have gone silent and meters past their
// verification (calibration) date. Silence counts from the last reading;
// SilentHours makes a warning, CriticalSilentHours a critical finding.
// Days past the due date up to OverdueGraceDays make an info finding —
// time to book the verification — then a warning, and past
// CriticalOverdueDays a critical finding: the meter's readings can no longer
// be relied on.
func Meters(meters []MeterStatus, now time.Time, loc *time.Location, p MeterParams) []Finding {
	today := dayNumber(lianggao.DateOf(now.In(loc)))
	var fs []Finding
	for _, m := range meters {
		if f, ok := silent(m, now, loc, p); ok {
			fs = append(fs, f)
		}
		if m.CalibrationDue.IsZero() {
			continue
		}
		due := dayNumber(m.CalibrationDue)
		days := today - due
		if days <= 0 {
			continue
		}
		sev := Info
		switch {
		case days > p.CriticalOverdueDays:
			sev = Critical
		case days > p.OverdueGraceDays:
			sev = Warning
		}
		fs = append(fs, newFinding(RuleMeterOverdue, m.Serial, span{due + 1, today}, sev, "alert.meter.overdue",
			map[string]float64{"days_overdue": float64(days)}))
	}
	return Merge(fs)
}

func silent(m MeterStatus, now time.Time, loc *time.Location, p MeterParams) (Finding, bool) {
	last := m.LastReading
	if last.IsZero() {
		last = m.Since
	}
	if !m.Online || last.IsZero() {
		return Finding{}, false
	}
	hours := now.Sub(last).Hours()
	if hours < p.SilentHours {
		return Finding{}, false
	}
	sev := Warning
	if hours >= p.CriticalSilentHours {
		sev = Critical
	}
	s := span{dayNumber(lianggao.DateOf(last.In(loc))), dayNumber(lianggao.DateOf(now.In(loc)))}
	return newFinding(RuleMeterSilent, m.Serial, s, sev, "alert.meter.silent",
		map[string]float64{"hours_silent": round4(hours)}), true
}
