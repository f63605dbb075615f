package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// reportWorld is a drawn campaign under way, with the people who act on its
// reports.
type reportWorld struct {
	s        *store.Store
	c        *lianggao.Campaign
	admin    context.Context
	leaders  map[string]context.Context // each group's leader
	officers map[string]context.Context // a provincial official of each department, who countersigns
	tasks    map[string][]*lianggao.InspectionTask
}

func newReportWorld(t *testing.T, s *store.Store) *reportWorld {
	t.Helper()
	storetest.SeedProvince(t, s, 2)
	c := storetest.SeedCampaign(t, s, true)
	w := &reportWorld{s: s, c: c, admin: storetest.Admin(), leaders: map[string]context.Context{},
		officers: map[string]context.Context{}, tasks: map[string][]*lianggao.InspectionTask{}}
	if _, err := s.MoveCampaign(w.admin, c.Code, lianggao.CampaignInProgress, ""); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Members(w.admin, c.Code)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.Role == lianggao.MemberLeader {
			w.leaders[m.Department] = reportActor(int64(100+i), lianggao.RoleGroupLeader, "370000", m.PersonID)
		}
		if _, ok := w.officers[m.Department]; m.Role == lianggao.MemberProvincial && !ok {
			w.officers[m.Department] = reportActor(int64(200+i), lianggao.RoleDeptOfficer, "370000", m.PersonID)
		}
	}
	tasks, _, err := s.FindTasks(w.admin, c.Code, lianggao.TaskFilter{Limit: store.All})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		w.tasks[task.Department] = append(w.tasks[task.Department], task)
	}
	for _, d := range s.Profile().Departments {
		if w.leaders[d.Code] == nil || w.officers[d.Code] == nil || len(w.tasks[d.Code]) < 2 {
			t.Fatalf("%s: leader, officer or two tasks missing", d.Code)
		}
	}
	return w
}

func reportActor(id int64, role lianggao.Role, region string, person int64) context.Context {
	return lianggao.NewContext(context.Background(), &lianggao.Actor{UserID: id, Username: fmt.Sprintf("u%d", id),
		Name: fmt.Sprintf("用户%d", id), Roles: []lianggao.Role{role}, Region: region, PersonID: person})
}

// inspect records an inspection of the task as the inspection pages would:
// checked in (flagged or not), submitted with figures, photos and a finding.
func (w *reportWorld) inspect(t *testing.T, task *lianggao.InspectionTask, flagged bool, figures string, photos int,
	category, description, evidence string) int64 {
	t.Helper()
	at := storetest.Now.Add(24 * time.Hour)
	storetest.Exec(t, w.s, `INSERT INTO inspections (task_id, checked_in_at, checked_in_by, lat, lon, distance_m, outside_reason, flagged,
		registration_id, certificates, body, items, figures, submitted_at, submitted_by, signature)
		VALUES (?, ?, 1, 36.6, 117.0, ?, '', ?, 'R1', '鲁执证00001', '省发展改革委', '["FG-01"]', ?, ?, '检查员', 'sig')`,
		task.ID, at, map[bool]float64{true: 2500, false: 80}[flagged], flagged, figures, at)
	storetest.Exec(t, w.s, `UPDATE inspection_tasks SET state = ? WHERE id = ?`, lianggao.TaskSubmitted, task.ID)
	var inspection int64
	if err := storetest.RawDB(t, w.s).QueryRow(reportRebind(w.s, `SELECT id FROM inspections WHERE task_id = ?`), task.ID).Scan(&inspection); err != nil {
		t.Fatal(err)
	}
	for i := range photos {
		storetest.Exec(t, w.s, `INSERT INTO inspection_photos (inspection_id, name, content_type, size, sha256, data, created_at)
			VALUES (?, ?, 'image/jpeg', 3, 'abc', ?, ?)`, inspection, fmt.Sprintf("p%d.jpg", i), []byte{1, 2, 3}, at)
	}
	if description == "" {
		return 0
	}
	storetest.Exec(t, w.s, `INSERT INTO findings (source, source_id, campaign_id, enterprise_id, city_code, county_code, category,
		description, evidence, severity, created_at) VALUES ('inspection', ?, ?, ?, ?, ?, ?, ?, ?, 'major', ?)`,
		inspection, w.c.ID, task.EnterpriseID, task.City, task.County, category, description, evidence, at)
	var finding int64
	if err := storetest.RawDB(t, w.s).QueryRow(reportRebind(w.s, `SELECT max(id) FROM findings`)).Scan(&finding); err != nil {
		t.Fatal(err)
	}
	return finding
}

func reportRebind(s *store.Store, q string) string {
	if s.Engine() != "postgres" {
		return q
	}
	for n := 1; strings.Contains(q, "?"); n++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", n), 1)
	}
	return q
}

// Ensure the first reading drafts the group's report from its own records —
// its cities and targets, the visits submitted, flagged check-ins, photos,
// figures that differ, its findings with their evidence, the causes by
// category and the rectification demands — and nothing of another group.
func TestGroupReportDraft(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		w := newReportWorld(t, s)
		drc, iit := w.tasks["drc"], w.tasks["iit"]
		finding := w.inspect(t, drc[0], true, `[{"indicator":"elec_kwh","recorded":1000,"verified":1120,"document":"电费单"}]`, 3,
			"metering", "主要用能设备电能表未按期检定", "检定证书有效期至2025年3月")
		w.inspect(t, drc[1], false, `[{"indicator":"coal_t","recorded":500,"verified":501,"document":"台账"}]`, 2,
			"misreporting", "10月综合能耗少报", "能源台账与统计报表不一致")
		storetest.Exec(t, s, `INSERT INTO dispositions (finding_id, kind, owner, deadline, decision, quota, amount, description, evidence, created_at)
			VALUES (?, 'rectification', '历城区发展改革局', '2027-01-31', '', '', 0, '', '', ?)`, finding, storetest.Now)
		w.inspect(t, iit[0], false, `[]`, 1, "overproduction", "水泥熟料超计划生产", "生产日报")

		r, err := s.GroupReport(w.leaders["drc"], w.c.Code, "drc")
		if err != nil {
			t.Fatal(err)
		}
		if r.State != lianggao.ReportDraft || r.Version != 1 {
			t.Fatalf("draft: state %s, version %d", r.State, r.Version)
		}
		plan, err := s.FindPlan(w.admin, w.c.Code)
		if err != nil {
			t.Fatal(err)
		}
		cities := plan.Groups[0].Cities
		for _, g := range plan.Groups {
			if g.Department == "drc" {
				cities = g.Cities
			}
		}
		first, _ := s.Profile().Region(cities[0])
		sec := r.Sections
		for name, want := range map[string][]string{
			"basis":    {w.c.Name, first.Name, "2026年12月1日", fmt.Sprintf("共%d家", 2*len(cities))},
			"overview": {fmt.Sprintf("企业%d家", len(drc)), "已提交现场检查记录2家", "已标记1次", "照片5张", "其中相差5%以上的1项", "elec_kwh", "12.0%"},
			"problems": {"问题2个", "电能表未按期检定", "检定证书有效期至2025年3月", "10月综合能耗少报", drc[0].EnterpriseName},
			"causes":   {"计量器具配备和检定问题1个", "数据虚报瞒报问题1个"},
			"demands":  {"历城区发展改革局", "2027年1月31日"},
		} {
			for _, s := range want {
				if !strings.Contains(sec[name], s) {
					t.Errorf("%s lacks %q:\n%s", name, s, sec[name])
				}
			}
		}
		if strings.Contains(sec["problems"], "水泥熟料超计划生产") || strings.Contains(sec["demands"], "30日内") {
			t.Errorf("the DRC's draft holds another group's finding or a default demand:\n%s\n%s", sec["problems"], sec["demands"])
		}
		// Without a rectification demand, one demand per finding goes to its county.
		ri, err := s.GroupReport(w.leaders["iit"], w.c.Code, "iit")
		if err != nil {
			t.Fatal(err)
		}
		county, _ := s.Profile().Region(iit[0].County)
		if !strings.Contains(ri.Sections["demands"], "请"+county.Name) || !strings.Contains(ri.Sections["demands"], "30日内") ||
			!strings.Contains(ri.Sections["problems"], "水泥熟料超计划生产") {
			t.Errorf("iit's draft:\n%s", ri.Sections["demands"])
		}
		// The draft is made once: a second reading returns the stored report.
		again, err := s.GroupReport(w.admin, w.c.Code, "drc")
		if err != nil || again.ID != r.ID || again.Sections["problems"] != sec["problems"] {
			t.Fatalf("second reading: %v", err)
		}
		var drafts int
		storetest.RawDB(t, s).QueryRow(`SELECT count(*) FROM audit_entries WHERE action = 'report.draft'`).Scan(&drafts)
		if drafts != 2 {
			t.Errorf("%d drafts audited, want 2", drafts)
		}
	})
}

// Ensure the group's report is seen by the group and the DRC only: a member
// of another group and a city officer learn nothing; a member who is not the
// leader reads but cannot edit; and before the campaign starts there is none.
func TestGroupReportScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		storetest.SeedProvince(t, s, 2)
		c := storetest.SeedCampaign(t, s, true)
		admin := storetest.Admin()
		ms, _ := s.Members(admin, c.Code)
		var iitInspector, drcInspector context.Context
		var drcLeader context.Context
		for i, m := range ms {
			switch {
			case m.Department == "iit" && m.Role == lianggao.MemberProvincial:
				iitInspector = reportActor(int64(300+i), lianggao.RoleInspector, "370000", m.PersonID)
			case m.Department == "drc" && m.Role == lianggao.MemberLocal:
				drcInspector = reportActor(int64(300+i), lianggao.RoleInspector, m.HomeRegion, m.PersonID)
			case m.Department == "drc" && m.Role == lianggao.MemberLeader:
				drcLeader = reportActor(int64(300+i), lianggao.RoleGroupLeader, "370000", m.PersonID)
			}
		}
		if _, err := s.GroupReport(drcLeader, c.Code, "drc"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("report before the campaign starts: %v", err)
		}
		if _, err := s.MoveCampaign(admin, c.Code, lianggao.CampaignInProgress, ""); err != nil {
			t.Fatal(err)
		}
		r, err := s.GroupReport(drcLeader, c.Code, "drc")
		if err != nil {
			t.Fatal(err)
		}
		city := storetest.As(lianggao.RoleTaskForce, "370100")
		for name, ctx := range map[string]context.Context{"another group's inspector": iitInspector, "city officer": city} {
			if _, err := s.GroupReport(ctx, c.Code, "drc"); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
				t.Errorf("%s reads the DRC's report: %v", name, err)
			}
			if _, err := s.GroupFacts(ctx, c.Code, "drc"); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
				t.Errorf("%s reads the DRC's records: %v", name, err)
			}
			list, err := s.GroupReports(ctx, c.Code)
			for _, sum := range list {
				if sum.Department == "drc" {
					t.Errorf("%s lists the DRC's report (%v)", name, err)
				}
			}
		}
		if _, err := s.GroupReport(drcInspector, c.Code, "drc"); err != nil {
			t.Errorf("a member reads their group's report: %v", err)
		}
		if _, err := s.SaveGroupReport(drcInspector, c.Code, "drc", map[string]string{"basis": "x"}, r.Version); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("an inspector edits the report: %v", err)
		}
		if _, err := s.SaveGroupReport(city, c.Code, "drc", map[string]string{"basis": "x"}, r.Version); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("a city officer edits the report: %v", err)
		}
		list, err := s.GroupReports(admin, c.Code)
		if err != nil || len(list) != 5 || list[0].Report == nil || list[1].Report != nil || list[0].Overdue {
			t.Fatalf("the DRC's list: %v", err)
		}
		// A week after the due date, an unaccepted report is overdue.
		late := storetest.OpenClock(t, s.Engine(), func() time.Time { return time.Date(2027, 1, 7, 17, 0, 0, 0, time.UTC) })
		if late.Overdue(c, r) != true || s.Overdue(c, r) {
			t.Error("overdue is not judged by the day after the due date in the profile's zone")
		}
		if late.Overdue(c, &lianggao.GroupReport{State: lianggao.ReportAccepted}) {
			t.Error("an accepted report is overdue")
		}
	})
}

// Ensure the leader edits with the version read, a stale save is refused
// without writing, submission needs every section, the DRC sends back only
// with a reason and accepts, and the state machine refuses the rest.
func TestGroupReportLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		w := newReportWorld(t, s)
		leader := w.leaders["drc"]
		code := w.c.Code
		r, err := s.GroupReport(leader, code, "drc")
		if err != nil {
			t.Fatal(err)
		}
		saved, err := s.SaveGroupReport(leader, code, "drc", map[string]string{"causes": "原因一\r\n\r\n\r\n原因二  "}, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != r.Version+1 || saved.Sections["causes"] != "原因一\n\n原因二" || saved.Sections["basis"] != r.Sections["basis"] {
			t.Fatalf("saved: version %d, causes %q", saved.Version, saved.Sections["causes"])
		}
		if _, err := s.SaveGroupReport(leader, code, "drc", map[string]string{"causes": "旧稿"}, r.Version); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}
		if _, err := s.SaveGroupReport(leader, code, "drc", map[string]string{"summary": "x"}, saved.Version); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("unknown section: %v", err)
		}
		if got, _ := s.GroupReport(leader, code, "drc"); got.Sections["causes"] != "原因一\n\n原因二" || got.Version != saved.Version {
			t.Fatalf("a refused save wrote: %q v%d", got.Sections["causes"], got.Version)
		}
		if _, err := s.AcceptGroupReport(w.admin, code, "drc"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("accepting a draft: %v", err)
		}
		if _, err := s.AcceptGroupReport(leader, code, "drc"); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("the leader accepts: %v", err)
		}
		blank, _ := s.SaveGroupReport(leader, code, "drc", map[string]string{"causes": "  "}, saved.Version)
		if _, err := s.SubmitGroupReport(leader, code, "drc"); lianggao.ErrorCode(err) != lianggao.EINVALID ||
			err.(*lianggao.Error).Field != "sections.causes" {
			t.Fatalf("submitting an empty section: %v", err)
		}
		if _, err := s.SaveGroupReport(leader, code, "drc", map[string]string{"causes": "原因"}, blank.Version); err != nil {
			t.Fatal(err)
		}
		sub, err := s.SubmitGroupReport(leader, code, "drc")
		if err != nil || sub.State != lianggao.ReportSubmitted || sub.SubmittedAt.IsZero() {
			t.Fatalf("submit: %v", err)
		}
		if _, err := s.SaveGroupReport(leader, code, "drc", map[string]string{"causes": "改"}, sub.Version); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("editing a submitted report: %v", err)
		}
		if _, err := s.SubmitGroupReport(leader, code, "drc"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("submitting twice: %v", err)
		}
		if _, err := s.ReturnGroupReport(w.admin, code, "drc", "  "); lianggao.ErrorCode(err) != lianggao.EINVALID ||
			err.(*lianggao.Error).Field != "reason" {
			t.Fatalf("return without a reason: %v", err)
		}
		back, err := s.ReturnGroupReport(w.admin, code, "drc", "问题原因分析不够具体")
		if err != nil || back.State != lianggao.ReportReturned || back.Reason != "问题原因分析不够具体" {
			t.Fatalf("return: %v", err)
		}
		if _, err := s.SaveGroupReport(leader, code, "drc", map[string]string{"causes": "原因（已细化）"}, back.Version); err != nil {
			t.Fatalf("editing a returned report: %v", err)
		}
		if _, err := s.SubmitGroupReport(leader, code, "drc"); err != nil {
			t.Fatal(err)
		}
		acc, err := s.AcceptGroupReport(w.admin, code, "drc")
		if err != nil || acc.State != lianggao.ReportAccepted {
			t.Fatalf("accept: %v", err)
		}
		if _, err := s.ReturnGroupReport(w.admin, code, "drc", "再改"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("returning an accepted report: %v", err)
		}
		// The other groups' leaders cannot touch the DRC's report.
		if _, err := s.SubmitGroupReport(w.leaders["iit"], code, "drc"); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Fatalf("another leader submits: %v", err)
		}
	})
}

// acceptAll drafts, submits and accepts the groups' reports as the DRC.
func (w *reportWorld) acceptAll(t *testing.T, depts ...string) {
	t.Helper()
	for _, d := range depts {
		if _, err := w.s.GroupReport(w.admin, w.c.Code, d); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.SubmitGroupReport(w.admin, w.c.Code, d); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AcceptGroupReport(w.admin, w.c.Code, d); err != nil {
			t.Fatal(err)
		}
	}
}

// Ensure the joint report is compiled only from five accepted reports and
// frozen, each department countersigns once and its signature verifies (and
// fails once the body is tampered with), it goes up only with all five
// signatures and an approval request, and only then may the campaign close.
func TestJointReport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		w := newReportWorld(t, s)
		code := w.c.Code
		w.inspect(t, w.tasks["eco"][0], false, `[]`, 0, "emissions", "脱硝设施未正常运行", "在线监测记录")
		w.acceptAll(t, "drc", "iit", "eco", "amr")
		if _, err := s.CompileJointReport(w.admin, code); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("compiling with four accepted: %v", err)
		}
		if _, err := s.GroupReport(w.admin, code, "stats"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitGroupReport(w.admin, code, "stats"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CompileJointReport(w.admin, code); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("compiling with one submitted, not accepted: %v", err)
		}
		if _, err := s.AcceptGroupReport(w.admin, code, "stats"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CompileJointReport(w.leaders["drc"], code); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("a leader compiles: %v", err)
		}
		j, err := s.CompileJointReport(w.admin, code)
		if err != nil {
			t.Fatal(err)
		}
		eco, _ := s.GroupReport(w.admin, code, "eco")
		for _, want := range []string{"一、各检查组检查情况", "（三）生态环境厅检查组", "二、整改要求", "脱硝设施未正常运行",
			eco.Sections["overview"], eco.Sections["demands"]} {
			if !strings.Contains(j.Body, want) {
				t.Errorf("joint body lacks %q", want)
			}
		}
		if strings.Contains(j.Body, eco.Sections["basis"]) {
			t.Error("the joint body holds a group's basis")
		}
		if _, err := s.CompileJointReport(w.admin, code); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("compiling twice: %v", err)
		}
		// Later changes to a group report do not reach the frozen body.
		storetest.Exec(t, s, `UPDATE group_reports SET sections = ? WHERE department_code = 'eco'`, `{"overview":"改过的概况"}`)
		if got, _ := s.JointReport(w.admin, code); got.Body != j.Body {
			t.Fatal("the joint body moved with a group report")
		}
		if _, err := s.SubmitJointReport(w.admin, code, "请予审定。"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("submitting before the countersigns: %v", err)
		}
		if _, err := s.Countersign(w.leaders["drc"], code); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("a group leader countersigns: %v", err)
		}
		for _, d := range s.Profile().Departments {
			cs, err := s.Countersign(w.officers[d.Code], code)
			if err != nil || cs.Department != d.Code {
				t.Fatalf("%s countersigns: %v", d.Code, err)
			}
			if _, err := s.Countersign(w.officers[d.Code], code); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
				t.Fatalf("%s countersigns twice: %v", d.Code, err)
			}
		}
		signs, err := s.Countersigns(w.admin, code)
		if err != nil || len(signs) != 5 || signs[0].Department != "drc" {
			t.Fatalf("countersigns: %d, %v", len(signs), err)
		}
		for _, cs := range signs {
			if !cs.Valid || cs.Signer == "" || !strings.HasPrefix(cs.Signature, "sm2:") {
				t.Errorf("%s: signature %q does not verify", cs.Department, cs.Signature)
			}
		}
		if _, err := s.MoveCampaign(w.admin, code, lianggao.CampaignReporting, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MoveCampaign(w.admin, code, lianggao.CampaignClosed, ""); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("closing before the joint report is sent: %v", err)
		}
		if _, err := s.SubmitJointReport(w.admin, code, " \n "); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("submitting without a request: %v", err)
		}
		sent, err := s.SubmitJointReport(w.admin, code, "关于2026年下半年两高企业全面检查情况的请示。\n\n妥否，请批示。")
		if err != nil || sent.SubmittedAt.IsZero() || len(sent.Countersigns) != 5 {
			t.Fatalf("submit: %v", err)
		}
		if _, err := s.SubmitJointReport(w.admin, code, "再次"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Fatalf("submitting twice: %v", err)
		}
		if _, err := s.MoveCampaign(w.admin, code, lianggao.CampaignClosed, ""); err != nil {
			t.Fatalf("closing after the joint report: %v", err)
		}
		city := storetest.As(lianggao.RoleTaskForce, "370100")
		if _, err := s.JointReport(city, code); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("a city officer reads the joint report: %v", err)
		}
		// Whoever alters the frozen body breaks every signature.
		storetest.Exec(t, s, `UPDATE joint_reports SET body = body || ?`, "（补充）")
		signs, _ = s.Countersigns(w.admin, code)
		for _, cs := range signs {
			if cs.Valid {
				t.Errorf("%s still verifies over an altered body", cs.Department)
			}
		}
	})
}
