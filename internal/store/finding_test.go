package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// escalate raises an alert for the enterprise and escalates it to the
// problem list, returning the alert.
func escalate(t *testing.T, s *store.Store, e *lianggao.Enterprise, rule string, sev monitor.Severity) *lianggao.Alert {
	t.Helper()
	ctx := storetest.Admin()
	d := lianggao.Date{Year: 2026, Month: 10, Day: 1}
	if _, err := s.SaveFindings(ctx, []monitor.Finding{{CreditCode: e.CreditCode, Rule: rule, Subject: "output:clinker",
		From: d, To: d.AddDays(30), Severity: sev, Message: "alert.overproduction", Evidence: map[string]float64{"ratio": 1.27}}}); err != nil {
		t.Fatal(err)
	}
	als, _, err := s.FindAlerts(ctx, lianggao.AlertFilter{EnterpriseID: e.ID, Rule: rule})
	if err != nil || len(als) != 1 {
		t.Fatalf("alert of %s: %v, %d", e.CreditCode, err, len(als))
	}
	al, err := s.MoveAlert(ctx, als[0].ID, lianggao.AlertEscalated, "finding", "超产明显，列入问题清单")
	if err != nil {
		t.Fatal(err)
	}
	return al
}

// inspect records a visit of the task: an inspection (flagged or not), a
// photo if asked, and the task's state; it returns the inspection's id.
func inspect(t *testing.T, s *store.Store, task *lianggao.InspectionTask, state string, flagged, photo bool) int64 {
	t.Helper()
	at := storetest.Now.Add(-time.Hour)
	storetest.Exec(t, s, `INSERT INTO inspections (task_id, checked_in_at, checked_in_by, lat, lon, distance_m, outside_reason,
		flagged, registration_id, certificates, body, items, figures, submitted_at, submitted_by, signature)
		VALUES (?, ?, 1, 36.6, 117.0, 10, '', ?, 'R1', '', '', '[]', '[]', ?, 'inspector', '')`, task.ID, at, flagged, at)
	id := int64(count(t, s, fmt.Sprintf(`SELECT id FROM inspections WHERE task_id = %d`, task.ID)))
	if photo {
		storetest.Exec(t, s, `INSERT INTO inspection_photos (inspection_id, name, content_type, size, sha256, data, created_at)
			VALUES (?, 'site.jpg', 'image/jpeg', 3, 'abc', ?, ?)`, id, []byte{1, 2, 3}, at)
	}
	storetest.Exec(t, s, `UPDATE inspection_tasks SET state = ? WHERE id = ?`, state, task.ID)
	return id
}

// findOnInspection puts a finding of the campaign on the problem list as the
// inspection made it.
func findOnInspection(t *testing.T, s *store.Store, c *lianggao.Campaign, task *lianggao.InspectionTask, inspection int64, category string) {
	t.Helper()
	storetest.Exec(t, s, `INSERT INTO findings (source, source_id, campaign_id, enterprise_id, city_code, county_code, category,
		description, evidence, severity, created_at) VALUES ('inspection', ?, ?, ?, ?, ?, ?, '现场发现', '照片', 'major', ?)`,
		inspection, c.ID, task.EnterpriseID, task.City, task.County, category, storetest.Now)
}

// drawnTasks seeds a province of two enterprises a city, draws the campaign
// and returns its tasks.
func drawnTasks(t *testing.T, s *store.Store) (*lianggao.Campaign, []*lianggao.InspectionTask) {
	t.Helper()
	storetest.SeedProvince(t, s, 2)
	c := storetest.SeedCampaign(t, s, true)
	tasks, _, err := s.FindTasks(storetest.Admin(), c.Code, lianggao.TaskFilter{Limit: store.All})
	if err != nil || len(tasks) < 6 {
		t.Fatalf("%d tasks (%v)", len(tasks), err)
	}
	return c, tasks
}

func member(personID int64, region string) context.Context {
	return lianggao.NewContext(context.Background(), &lianggao.Actor{UserID: 9, Username: "member",
		Roles: []lianggao.Role{lianggao.RoleGroupLeader}, Region: region, PersonID: personID})
}

// Ensure the problem list is scoped: a city officer sees only the city's
// findings, a member of a joint group the findings its group made anywhere
// and nothing of another group's, an enterprise only its own, and an
// enterprise reporter may not read the list at all.
func TestFindingScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		c, tasks := drawnTasks(t, s)
		admin := storetest.Admin()
		task := tasks[0]
		id := inspect(t, s, task, lianggao.TaskSubmitted, false, true)
		findOnInspection(t, s, c, task, id, "metering")
		// An alert-made finding in another city.
		var other *lianggao.Enterprise
		ents, _, _ := s.FindEnterprises(admin, lianggao.EnterpriseFilter{Limit: store.All})
		for _, e := range ents {
			if e.City != task.City {
				other = e
				break
			}
		}
		escalate(t, s, other, monitor.RuleOverproduction, monitor.Critical)

		all, total, err := s.FindFindings(admin, lianggao.FindingFilter{})
		if err != nil || total != 2 || len(all) != 2 {
			t.Fatalf("province sees %d findings (%v), want 2", total, err)
		}
		city := storetest.As(lianggao.RoleTaskForce, task.City)
		got, total, err := s.FindFindings(city, lianggao.FindingFilter{})
		if err != nil || total != 1 || got[0].EnterpriseID != task.EnterpriseID {
			t.Fatalf("city officer of %s sees %d findings (%v), want the city's one", task.City, total, err)
		}
		if _, total, _ := s.FindFindings(storetest.As(lianggao.RoleTaskForce, other.City), lianggao.FindingFilter{Source: "inspection"}); total != 0 {
			t.Errorf("city officer of %s sees %d inspection findings of another city", other.City, total)
		}
		var alertFinding int64
		for _, f := range all {
			if f.Source == "alert" {
				alertFinding = f.ID
			}
		}
		if _, err := s.FindFinding(city, alertFinding); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("city officer opening another city's finding: %v", err)
		}
		if code, task, err := s.FindingLinks(city, got[0].ID); err != nil || code != c.Code || task != tasks[0].ID {
			t.Errorf("links of the inspection's finding: %q, task %d (%v)", code, task, err)
		}
		if code, task, err := s.FindingLinks(admin, alertFinding); err != nil || code != "" || task != 0 {
			t.Errorf("links of the alert's finding: %q, task %d (%v)", code, task, err)
		}
		if _, _, err := s.FindingLinks(city, alertFinding); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("city officer's links of another city's finding: %v", err)
		}

		plan, err := s.FindPlan(admin, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		var mine, theirs int64
		for _, g := range plan.Groups {
			if g.Department == task.Department {
				mine = g.Members[0].PersonID
			} else if theirs == 0 {
				theirs = g.Members[0].PersonID
			}
		}
		got, total, err = s.FindFindings(member(mine, ""), lianggao.FindingFilter{})
		if err != nil || total != 1 || got[0].Source != "inspection" {
			t.Errorf("member of the visiting group sees %d findings (%v), want its one", total, err)
		}
		if _, total, _ := s.FindFindings(member(theirs, ""), lianggao.FindingFilter{}); total != 0 {
			t.Errorf("member of another group sees %d findings", total)
		}

		if _, _, err := s.FindFindings(storetest.As(lianggao.RoleEnterprise, other.County), lianggao.FindingFilter{}); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("enterprise reporter reading the problem list: %v", err)
		}
		own := lianggao.NewContext(context.Background(), &lianggao.Actor{UserID: 8, Username: "e", Roles: []lianggao.Role{lianggao.RoleObserver},
			Region: other.County, EnterpriseID: other.ID})
		if got, total, _ := s.FindFindings(own, lianggao.FindingFilter{}); total != 1 || got[0].EnterpriseID != other.ID {
			t.Errorf("an enterprise's own view: %d findings", total)
		}
		var neighbour *lianggao.Enterprise
		for _, e := range ents {
			if e.County == other.County && e.ID != other.ID {
				neighbour = e
			}
		}
		stranger := lianggao.NewContext(context.Background(), &lianggao.Actor{UserID: 8, Username: "e", Roles: []lianggao.Role{lianggao.RoleObserver},
			Region: neighbour.County, EnterpriseID: neighbour.ID})
		if _, total, _ := s.FindFindings(stranger, lianggao.FindingFilter{}); total != 0 {
			t.Errorf("another enterprise of the county sees %d findings", total)
		}

		for _, tc := range []struct {
			f    lianggao.FindingFilter
			want int
		}{
			{lianggao.FindingFilter{Campaign: c.Code}, 1},
			{lianggao.FindingFilter{Category: "overproduction"}, 1},
			{lianggao.FindingFilter{Severity: "serious"}, 1},
			{lianggao.FindingFilter{City: other.City}, 1},
			{lianggao.FindingFilter{Open: true}, 2},
			{lianggao.FindingFilter{Campaign: "2025H1"}, 0},
		} {
			if _, total, err := s.FindFindings(admin, tc.f); err != nil || total != tc.want {
				t.Errorf("filter %+v: %d (%v), want %d", tc.f, total, err, tc.want)
			}
		}
	})
}

// Ensure an escalation to the problem list makes exactly one finding, named
// after the alert, with its evidence and a category and severity from its
// rule; escalating elsewhere or being refused makes none.
func TestAlertEscalationMakesFinding(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ents := storetest.SeedProvince(t, s, 1)
		ctx := storetest.Admin()
		al := escalate(t, s, ents[0], monitor.RuleMeterOverdue, monitor.Warning)
		if _, err := s.MoveAlert(ctx, al.ID, lianggao.AlertClosed, "", "已列入问题清单"); err != nil {
			t.Fatal(err)
		}
		fs, total, err := s.FindFindings(ctx, lianggao.FindingFilter{Source: "alert"})
		if err != nil || total != 1 {
			t.Fatalf("after one escalation: %d findings (%v)", total, err)
		}
		f := fs[0]
		if f.SourceID != al.ID || f.EnterpriseID != ents[0].ID || f.Category != "metering" || f.Severity != "major" ||
			f.City != ents[0].City || !strings.Contains(f.Evidence, "1.27") || !strings.Contains(f.Description, "2026-10-01") {
			t.Errorf("finding of the alert: %+v", f)
		}
		if byAlert, err := s.FindFindingBySource(ctx, "alert", al.ID); err != nil || byAlert.ID != f.ID {
			t.Errorf("finding by its alert: %v", err)
		}

		d := lianggao.Date{Year: 2026, Month: 9, Day: 1}
		s.SaveFindings(ctx, []monitor.Finding{{CreditCode: ents[1].CreditCode, Rule: monitor.RuleOverproduction, From: d, To: d,
			Severity: monitor.Critical, Message: "alert.overproduction", Evidence: map[string]float64{"ratio": 1.5}}})
		als, _, _ := s.FindAlerts(ctx, lianggao.AlertFilter{EnterpriseID: ents[1].ID})
		if _, err := s.MoveAlert(ctx, als[0].ID, lianggao.AlertEscalated, "finding", " "); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Errorf("escalation without a reason: %v", err)
		}
		if _, err := s.MoveAlert(ctx, als[0].ID, lianggao.AlertEscalated, "special_inspection", "转专项督查"); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := s.FindFindings(ctx, lianggao.FindingFilter{}); total != 1 {
			t.Errorf("after a refused escalation and one to a special inspection: %d findings, want 1", total)
		}
	})
}

func count(t *testing.T, s *store.Store, q string) int {
	t.Helper()
	var n int
	if err := storetest.RawDB(t, s).QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure dispositions are validated field by field with nothing written,
// only in scope and with the right to dispose; a referral's decision is
// recorded once, a rectification is verified only with evidence, and the
// finding leaves the open list when one of them is done.
func TestDispositions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ents := storetest.SeedProvince(t, s, 1)
		ctx := storetest.Admin()
		escalate(t, s, ents[0], monitor.RuleOverproduction, monitor.Critical)
		fs, _, _ := s.FindFindings(ctx, lianggao.FindingFilter{})
		f := fs[0]
		deadline := lianggao.Date{Year: 2027, Month: 1, Day: 31}
		for _, tc := range []struct {
			d     lianggao.Disposition
			field string
		}{
			{lianggao.Disposition{Kind: "fine"}, "kind"},
			{lianggao.Disposition{Kind: lianggao.DispositionRectification, Deadline: deadline, Description: "限期整改"}, "owner"},
			{lianggao.Disposition{Kind: lianggao.DispositionRectification, Owner: "企业", Description: "限期整改"}, "deadline"},
			{lianggao.Disposition{Kind: lianggao.DispositionRectification, Owner: "企业", Deadline: lianggao.Date{Year: 2026, Month: 11, Day: 1},
				Description: "限期整改"}, "deadline"},
			{lianggao.Disposition{Kind: lianggao.DispositionRectification, Owner: "企业", Deadline: deadline, Description: "  "}, "description"},
			{lianggao.Disposition{Kind: lianggao.DispositionReferral, Owner: " "}, "owner"},
			{lianggao.Disposition{Kind: lianggao.DispositionQuotaCut, Quota: "water", Amount: 1}, "quota"},
			{lianggao.Disposition{Kind: lianggao.DispositionQuotaCut, Quota: "energy_tce", Amount: 0}, "amount"},
		} {
			err := s.AddDisposition(ctx, f.ID, &tc.d)
			var e *lianggao.Error
			if !asError(err, &e) || e.Code != lianggao.EINVALID || e.Field != tc.field {
				t.Errorf("%+v: %v, want a problem with %s", tc.d, err, tc.field)
			}
		}
		rect := &lianggao.Disposition{Kind: lianggao.DispositionRectification, Owner: "某某水泥有限公司", Deadline: deadline, Description: "压减产量至计划内"}
		if err := s.AddDisposition(storetest.As(lianggao.RoleInspector, "370000"), f.ID, rect); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("inspector disposing: %v", err)
		}
		elsewhere := "370200"
		if f.City == elsewhere {
			elsewhere = "370300"
		}
		if err := s.AddDisposition(storetest.As(lianggao.RoleTaskForce, elsewhere), f.ID, rect); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("another city's officer disposing: %v", err)
		}
		if n := count(t, s, `SELECT count(*) FROM dispositions`); n != 0 {
			t.Fatalf("refused dispositions wrote %d rows", n)
		}

		ref := &lianggao.Disposition{Kind: lianggao.DispositionReferral, Owner: "市市场监管局", Decision: "early"}
		cut := &lianggao.Disposition{Kind: lianggao.DispositionQuotaCut, Quota: "energy_tce", Amount: 5000, Description: "拟扣减用能指标"}
		for _, d := range []*lianggao.Disposition{rect, ref, cut} {
			if err := s.AddDisposition(storetest.As(lianggao.RoleTaskForce, f.City), f.ID, d); err != nil {
				t.Fatalf("%s: %v", d.Kind, err)
			}
		}
		got, err := s.FindFinding(ctx, f.ID)
		if err != nil || len(got.Dispositions) != 3 {
			t.Fatalf("finding after three dispositions: %v", err)
		}
		if got.Dispositions[1].Decision != "" || got.Dispositions[0].Deadline != deadline ||
			!strings.Contains(got.Dispositions[2].Description, f.City) || got.Closed() {
			t.Errorf("dispositions as stored: %+v %+v %+v", got.Dispositions[0], got.Dispositions[1], got.Dispositions[2])
		}

		if _, err := s.RecordDecision(ctx, ref.ID, " "); fieldOf(err) != "decision" {
			t.Errorf("decision without a number: %v", err)
		}
		if _, err := s.RecordDecision(ctx, rect.ID, "鲁市监罚〔2026〕12号"); fieldOf(err) != "kind" {
			t.Errorf("decision on a rectification: %v", err)
		}
		if _, err := s.RecordDecision(ctx, ref.ID, "鲁市监罚〔2026〕12号"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordDecision(ctx, ref.ID, "鲁市监罚〔2026〕13号"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("second decision: %v", err)
		}
		if _, err := s.VerifyRectification(ctx, rect.ID, "  "); fieldOf(err) != "evidence" {
			t.Errorf("verification without evidence: %v", err)
		}
		if _, err := s.VerifyRectification(ctx, ref.ID, "照片"); fieldOf(err) != "kind" {
			t.Errorf("verifying a referral: %v", err)
		}
		v, err := s.VerifyRectification(ctx, rect.ID, "2026年12月产量报表及现场照片")
		if err != nil || !v.VerifiedAt.Equal(storetest.Now) {
			t.Fatalf("verify: %v, %v", err, v)
		}
		if _, err := s.VerifyRectification(ctx, rect.ID, "again"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("second verification: %v", err)
		}
		got, _ = s.FindFinding(ctx, f.ID)
		if got.Dispositions[1].Decision != "鲁市监罚〔2026〕12号" || got.Dispositions[0].Evidence != "2026年12月产量报表及现场照片" ||
			!got.Dispositions[0].VerifiedAt.Equal(storetest.Now) || !got.Closed() {
			t.Errorf("after decision and verification: %+v %+v", got.Dispositions[0], got.Dispositions[1])
		}
		if _, total, _ := s.FindFindings(ctx, lianggao.FindingFilter{Open: true}); total != 0 {
			t.Errorf("a dealt-with finding is still open")
		}
		if n := count(t, s, `SELECT count(*) FROM audit_entries WHERE action LIKE 'disposition.%'`); n != 5 {
			t.Errorf("%d disposition audit entries, want 5", n)
		}
		history, err := s.FindingHistory(ctx, f.ID)
		if err != nil || len(history) != 6 || history[0].Action != "disposition.verify" || history[5].Action != "finding.create" {
			t.Errorf("history: %d entries (%v)", len(history), err)
		}
		if _, err := s.FindingHistory(storetest.As(lianggao.RoleTaskForce, elsewhere), f.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("another city's officer reading the history: %v", err)
		}
	})
}

func fieldOf(err error) string {
	var e *lianggao.Error
	if !asError(err, &e) {
		return ""
	}
	return e.Field
}
