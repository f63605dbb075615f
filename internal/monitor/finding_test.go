package monitor

import (
	"fmt"
	"testing"
)

func finding(code, rule, subject, from, to string, sev Severity) Finding {
	return Finding{CreditCode: code, Rule: rule, Subject: subject, From: date(from), To: date(to), Severity: sev,
		Evidence: map[string]float64{"sev": float64(sev.rank())}, Message: "m." + string(sev)}
}

// Ensure repeated findings of one problem merge — overlapping or adjacent
// periods, the most severe finding's message and evidence kept — and that
// other enterprises, rules, subjects and gaps keep findings apart.
func TestMerge(t *testing.T) {
	in := []Finding{
		finding("A", RuleUnitUseHistory, "elec_kwh", "2026-02-01", "2026-02-28", Critical),
		finding("A", RuleUnitUseHistory, "elec_kwh", "2026-01-01", "2026-01-31", Warning),
		finding("A", RuleUnitUseHistory, "elec_kwh", "2026-03-01", "2026-03-31", Warning),
		finding("A", RuleUnitUseHistory, "elec_kwh", "2026-05-01", "2026-05-31", Warning), // a gap: another problem
		finding("A", RuleUnitUseHistory, "coal_t", "2026-01-15", "2026-02-10", Warning),
		finding("A", RuleUnitUsePeers, "elec_kwh", "2026-01-01", "2026-01-31", Warning),
		finding("B", RuleUnitUseHistory, "elec_kwh", "2026-01-20", "2026-03-10", Info),
	}
	got := Merge(in)
	var lines []string
	for _, f := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s %v %v %s %s", f.CreditCode, f.Rule, f.Subject, f.From, f.To, f.Severity, f.Message))
	}
	want := []string{
		"A unit_use_history coal_t 2026-01-15 2026-02-10 warning m.warning",
		"A unit_use_history elec_kwh 2026-01-01 2026-03-31 critical m.critical",
		"A unit_use_history elec_kwh 2026-05-01 2026-05-31 warning m.warning",
		"A unit_use_peers elec_kwh 2026-01-01 2026-01-31 warning m.warning",
		"B unit_use_history elec_kwh 2026-01-20 2026-03-10 info m.info",
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Fatalf("merged\n got %q\nwant %q", lines, want)
	}
	if in[0].From != date("2026-02-01") {
		t.Fatal("Merge changed its input")
	}
}

// Ensure precision counts the acting findings of the planted kinds' rules
// that match a planted problem, and recall the problems found.
func TestEvaluate(t *testing.T) {
	truth := []TruthItem{
		{CreditCode: "A", Kind: "output_jump", From: date("2026-02-01"), To: date("2026-03-10")},
		{CreditCode: "B", Kind: "missing_figures", From: date("2026-02-01"), To: date("2026-02-07")},
		{CreditCode: "C", Kind: "meter_overdue", From: date("2025-05-01"), To: date("2026-03-31")},
		{CreditCode: "D", Kind: "energy_underreported", From: date("2026-01-10"), To: date("2026-03-10")},
	}
	findings := []Finding{
		finding("A", RuleLoneChange, "output:coke", "2026-02-01", "2026-03-10", Warning),     // hit
		finding("A", RuleUnitUseHistory, "elec_kwh", "2026-03-01", "2026-03-31", Warning),    // hit
		finding("B", RuleReportsMissing, "", "2026-02-10", "2026-02-12", Warning),            // within the slack: hit
		finding("B", RuleEnergyMismatch, "energy_tce", "2026-02-01", "2026-02-28", Warning),  // wrong rule: miss
		finding("C", RuleMeterOverdue, "M1", "2025-05-02", "2026-04-01", Critical),           // hit
		finding("E", RuleMeterOverdue, "M9", "2026-03-20", "2026-04-01", Info),               // a note: not counted
		finding("E", RuleIntensityBaseline, "coke", "2025-04-01", "2026-03-31", Warning),     // not a planted kind: not counted
		finding("D", RuleEnergyMismatch, "energy_tce", "2026-04-01", "2026-04-30", Critical), // too late: miss
	}
	precision, recall := Evaluate(findings, truth)
	if precision != 4.0/6 || recall != 3.0/4 {
		t.Fatalf("precision %v recall %v", precision, recall)
	}
	if p, r := Evaluate(nil, nil); p != 1 || r != 1 {
		t.Fatalf("empty: %v %v", p, r)
	}
}
