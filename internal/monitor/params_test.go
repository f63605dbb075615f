package monitor

import (
	"os"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"
)

// defaultParams is read once from the embedded province profile, the one
// place the thresholds are written; the package cannot import config.
var defaultParams = sync.OnceValues(func() (Params, error) {
	b, err := os.ReadFile("../config/default.toml")
	if err != nil {
		return Params{}, err
	}
	var profile struct {
		Reporting struct {
			DailyDeadline   Clock   `toml:"daily_deadline"`
			CompletenessMin float64 `toml:"completeness_min"`
		} `toml:"reporting"`
		Rules Params `toml:"rules"`
	}
	if _, err := toml.Decode(string(b), &profile); err != nil {
		return Params{}, err
	}
	p := profile.Rules
	p.Reports.Deadline, p.Reports.CompletenessMin = profile.Reporting.DailyDeadline, profile.Reporting.CompletenessMin
	return p, nil
})

// DefaultParams returns the thresholds of the default province profile
// (config's [rules], with the reporting deadline and completeness).
func DefaultParams() Params {
	p, err := defaultParams()
	if err != nil {
		panic("monitor: default profile: " + err.Error())
	}
	p.Overproduction.Milestones = append([]Milestone(nil), p.Overproduction.Milestones...)
	return p
}

// Ensure the default profile's thresholds are read: a rule without them
// would never fire.
func TestDefaultParamsRead(t *testing.T) {
	p := DefaultParams()
	if p.UnitUse.Z == 0 || p.Reports.Deadline != (Clock{10, 0}) || len(p.Overproduction.Milestones) != 1 {
		t.Fatalf("%+v", p)
	}
}
