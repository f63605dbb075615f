package monitor

import (
	"cmp"
	"slices"

	"lianggao"
)

// Severity says how urgently a finding needs a person.
type Severity string

// Severities, least urgent first.
const (
	Info     Severity = "info"     // a note: nothing to do yet
	Warning  Severity = "warning"  // to be looked at and triaged
	Critical Severity = "critical" // to be acted on at once
)

func (s Severity) rank() int {
	switch s {
	case Warning:
		return 1
	case Critical:
		return 2
	}
	return 0
}

// Rule names: what found a problem. They are stable identifiers, stored with
// alerts and used in the profile.
const (
	RuleOverproduction     = "overproduction"
	RuleIntensityBaseline  = "intensity_baseline"
	RuleIntensityBenchmark = "intensity_benchmark"
	RuleUnitUseHistory     = "unit_use_history"
	RuleUnitUsePeers       = "unit_use_peers"
	RuleLoneChange         = "lone_change"
	RuleReportsMissing     = "reports_missing"
	RuleReportsIncomplete  = "reports_incomplete"
	RuleReportsLate        = "reports_late"
	RuleMeterSilent        = "meter_silent"
	RuleMeterOverdue       = "meter_overdue"
	RuleDailyMonthly       = "daily_vs_monthly"
	RuleSourceMismatch     = "source_mismatch"
	RuleEnergyMismatch     = "energy_mismatch"
)

// Finding is one problem a rule found: who, which rule, about what, over
// which days, how bad, and the numbers behind it. Message is a message key;
// its text, in the reader's language, takes the numbers from Evidence.
type Finding struct {
	CreditCode string             `json:"credit_code"`
	Rule       string             `json:"rule"`
	Subject    string             `json:"subject,omitempty"` // the product, indicator, meter serial or source the finding is about
	From       lianggao.Date      `json:"from"`
	To         lianggao.Date      `json:"to"`
	Severity   Severity           `json:"severity"`
	Evidence   map[string]float64 `json:"evidence"`
	Message    string             `json:"message"`
}

func (f Finding) span() span { return spanOf(Period{f.From, f.To}) }

func newFinding(rule, subject string, s span, sev Severity, msg string, ev map[string]float64) Finding {
	p := s.period()
	return Finding{Rule: rule, Subject: subject, From: p.From, To: p.To, Severity: sev, Evidence: ev, Message: msg}
}

// Merge folds repeated findings of one problem — same enterprise, rule and
// subject, periods overlapping or adjacent — into one finding over the whole
// period, so that a month-by-month rule raises one alert for a run of bad
// months. The merged finding keeps the most severe finding's severity,
// message and evidence (the latest among equals: the freshest numbers).
// The input is left alone; the result is in enterprise, rule, subject and
// date order.
func Merge(findings []Finding) []Finding {
	fs := slices.Clone(findings)
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.CreditCode, b.CreditCode), cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Subject, b.Subject), cmp.Compare(dayNumber(a.From), dayNumber(b.From)))
	})
	var out []Finding
	for _, f := range fs {
		if n := len(out); n > 0 && sameProblem(out[n-1], f) {
			out[n-1] = fold(out[n-1], f)
			continue
		}
		out = append(out, f)
	}
	return out
}

func sameProblem(a, b Finding) bool {
	return a.CreditCode == b.CreditCode && a.Rule == b.Rule && a.Subject == b.Subject &&
		dayNumber(b.From) <= dayNumber(a.To)+1
}

// fold merges b, which starts no earlier, into a.
func fold(a, b Finding) Finding {
	to := a.To
	if a.To.Before(b.To) {
		to = b.To
	}
	if b.Severity.rank() >= a.Severity.rank() {
		a.Severity, a.Message, a.Evidence = b.Severity, b.Message, b.Evidence
	}
	a.To = to
	return a
}

// within keeps the findings that meet the period s.
func within(fs []Finding, s span) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.span().overlaps(s) {
			out = append(out, f)
		}
	}
	return out
}
