package store_test

import (
	"testing"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func finding(code, rule string, from, to lianggao.Date, sev monitor.Severity) monitor.Finding {
	return monitor.Finding{CreditCode: code, Rule: rule, Subject: "output:clinker", From: from, To: to, Severity: sev,
		Message: "alert.change.jump", Evidence: map[string]float64{"ratio": 1.4}}
}

// Ensure findings become alerts, a repeated finding of the same problem
// extends its alert, triage follows the state machine with a reason, and a
// county officer sees only the county's alerts.
func TestAlerts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		mine := mustEnterprise(t, s, "370102", 1)
		other := mustEnterprise(t, s, "370103", 2)
		d := lianggao.Date{Year: 2026, Month: 10, Day: 1}
		run, err := s.SaveFindings(ctx, []monitor.Finding{
			finding(mine.CreditCode, "lone_change", d, d.AddDays(6), monitor.Warning),
			finding(other.CreditCode, "lone_change", d, d.AddDays(6), monitor.Warning),
			finding(mine.CreditCode, "meter_overdue", d, d, monitor.Info),
		})
		if err != nil || run.Created != 2 || run.Findings != 2 {
			t.Fatalf("first run: %+v %v", run, err)
		}
		run, err = s.SaveFindings(ctx, []monitor.Finding{finding(mine.CreditCode, "lone_change", d.AddDays(5), d.AddDays(12), monitor.Critical)})
		if err != nil || run.Extended != 1 || run.Created != 0 {
			t.Fatalf("repeated finding: %+v %v", run, err)
		}
		county := storetest.As(lianggao.RoleCountySupervisor, "370102")
		list, n, err := s.FindAlerts(county, lianggao.AlertFilter{})
		if err != nil || n != 1 || list[0].To != d.AddDays(12) || list[0].Severity != "critical" {
			t.Fatalf("county's alerts: %d %+v %v", n, list, err)
		}
		id := list[0].ID
		if _, err := s.MoveAlert(county, id, lianggao.AlertTriaged, "maintenance", " "); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("triage without a reason: %v", err)
		}
		a, err := s.MoveAlert(county, id, lianggao.AlertTriaged, "suspected_misreporting", "产量骤增而用电持平")
		if err != nil || a.Status != lianggao.AlertTriaged || a.Verdict != "suspected_misreporting" {
			t.Fatalf("triage: %+v %v", a, err)
		}
		if _, err := s.MoveAlert(county, id, lianggao.AlertTriaged, "maintenance", "again"); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("triaging twice: %v", err)
		}
		if a, err = s.MoveAlert(county, id, lianggao.AlertEscalated, "special_inspection", "移交专项督查"); err != nil || a.EscalatedTo != "special_inspection" {
			t.Fatalf("escalate: %+v %v", a, err)
		}
		others, _, _ := s.FindAlerts(ctx, lianggao.AlertFilter{EnterpriseID: other.ID})
		if _, err := s.MoveAlert(county, others[0].ID, lianggao.AlertClosed, "", "not mine"); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Fatalf("another county's alert: %v", err)
		}
		observer := storetest.As(lianggao.RoleObserver, "370000")
		if _, err := s.MoveAlert(observer, others[0].ID, lianggao.AlertClosed, "", "x"); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("observer triaging: %v", err)
		}
	})
}
