package monitor

import "lianggao"

// TruthItem is a planted problem of the demo province, as its truth.json
// lists it (the demo package's Problem has the same JSON fields).
type TruthItem struct {
	CreditCode string        `json:"credit_code"`
	Kind       string        `json:"kind"`
	Indicator  string        `json:"indicator,omitempty"`
	From       lianggao.Date `json:"from"`
	To         lianggao.Date `json:"to"`
}

// kindRules says which rules find each kind of planted problem (the demo's
// Kind constants). A false output jump also shows as output above plan,
// and as electricity and coal per unit breaking away; a concealed output
// as the latter.
var kindRules = map[string][]string{
	"overproduction":       {RuleOverproduction},
	"output_jump":          {RuleLoneChange, RuleUnitUseHistory, RuleUnitUsePeers, RuleOverproduction},
	"output_concealed":     {RuleLoneChange, RuleUnitUseHistory, RuleUnitUsePeers},
	"missing_figures":      {RuleReportsMissing, RuleReportsIncomplete},
	"energy_underreported": {RuleEnergyMismatch},
	"meter_overdue":        {RuleMeterOverdue},
}

// MatchSlackDays is how far apart a finding and a planted problem may lie
// and still match: a finding may start a few days late (a week's window has
// to fill) or run on a few days (the window empties).
const MatchSlackDays = 7

// Evaluate measures findings against the planted problems. Precision is the
// share of findings that match a planted problem; recall, the share of
// planted problems matched by at least one finding. A finding matches a
// problem of the same enterprise whose kind its rule finds and
// whose period it meets, give or take MatchSlackDays.
//
// Only the findings that ask a person to act (warning and critical) of the
// rules that look for planted kinds are counted: overproduction;
// lone_change, unit_use_history, unit_use_peers (and overproduction, for a
// false jump) for output jumps and concealment; reports_missing and
// reports_incomplete; energy_mismatch; meter_overdue. Info findings are notes,
// and the other rules report facts the truth file does not list: a demo
// coking plant above the coke baseline is above it, not a planted error.
// With no findings counted precision is 1; with no problems recall is 1.
func Evaluate(findings []Finding, truth []TruthItem) (precision, recall float64) {
	counted, matched := 0, 0
	found := make([]bool, len(truth))
	for _, f := range findings {
		if f.Severity.rank() < Warning.rank() || !planted(f.Rule) {
			continue
		}
		counted++
		hit := false
		for i, t := range truth {
			if matches(f, t) {
				found[i], hit = true, true
			}
		}
		if hit {
			matched++
		}
	}
	recalled := 0
	for _, ok := range found {
		if ok {
			recalled++
		}
	}
	return ratio(matched, counted), ratio(recalled, len(truth))
}

func planted(rule string) bool {
	for _, rules := range kindRules {
		for _, r := range rules {
			if r == rule {
				return true
			}
		}
	}
	return false
}

func matches(f Finding, t TruthItem) bool {
	if f.CreditCode != t.CreditCode {
		return false
	}
	ruleFits := false
	for _, r := range kindRules[t.Kind] {
		ruleFits = ruleFits || r == f.Rule
	}
	truth := span{dayNumber(t.From) - MatchSlackDays, dayNumber(t.To) + MatchSlackDays}
	return ruleFits && f.span().overlaps(truth)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
