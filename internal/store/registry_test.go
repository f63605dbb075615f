package store_test

import (
	"context"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func mustEnterprise(t *testing.T, s *store.Store, county string, n int) *lianggao.Enterprise {
	t.Helper()
	e := storetest.Enterprise(county, n)
	if err := s.CreateEnterprise(storetest.Admin(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

// Ensure a project moves only along its state machine, keeps its history,
// and is hidden outside the actor's scope.
func TestProjectLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		e := mustEnterprise(t, s, "370102", 1)
		p := &lianggao.Project{EnterpriseID: e.ID, Code: "2021-370102-30-03-000001", Name: "熟料生产线", ListStage: lianggao.StagePlanned,
			Listed: true, DesignedEnergyTce: 120000, Permits: []*lianggao.Permit{{Kind: "energy_review", Number: "鲁发改能评〔2021〕1号",
				Authority: "省发展改革委", IssuedOn: lianggao.Date{Year: 2021, Month: 5, Day: 6}}}}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MoveProject(ctx, p.ID, lianggao.ProjectOperating, "跳过审批"); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("illegal transition: %v", err)
		}
		moved, err := s.MoveProject(ctx, p.ID, lianggao.ProjectApproved, "核准")
		if err != nil || moved.Status != lianggao.ProjectApproved || moved.Version != 2 {
			t.Fatalf("move: %+v %v", moved, err)
		}
		got, err := s.FindProjectByID(ctx, p.ID)
		if err != nil || len(got.Permits) != 1 || got.Permits[0].IssuedOn.String() != "2021-05-06" || got.EnterpriseCode != e.CreditCode {
			t.Fatalf("find: %+v %v", got, err)
		}
		hist, _ := s.ProjectHistory(ctx, p.ID)
		if len(hist) != 1 || hist[0].Reason != "核准" {
			t.Fatalf("history: %+v", hist)
		}
		dup := *p
		dup.ID, dup.Permits = 0, nil
		if err := s.CreateProject(ctx, &dup); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("duplicate code: %v", err)
		}
		other := storetest.As(lianggao.RoleCountySupervisor, "370103")
		if _, err := s.FindProjectByID(other, p.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
		if _, n, _ := s.FindProjects(other, lianggao.ProjectFilter{}); n != 0 {
			t.Fatalf("out-of-scope list has %d", n)
		}
	})
}

// Ensure a project import is all or nothing and names each bad line.
func TestImportProjects(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		e := mustEnterprise(t, s, "370102", 1)
		row := func(line int, code, credit string) store.ProjectImport {
			return store.ProjectImport{Line: line, CreditCode: credit, Project: &lianggao.Project{Code: code, Name: "项目",
				ListStage: lianggao.StageExisting, Listed: true, Status: lianggao.ProjectOperating}}
		}
		bad := []store.ProjectImport{
			row(2, "2020-370102-30-03-000001", e.CreditCode),
			row(3, "2020-370102-30-03-000001", e.CreditCode),                       // duplicate in file
			row(4, "2020-370102-30-03-000002", storetest.CreditCode("370100", 77)), // unknown enterprise
		}
		err := s.ImportProjects(ctx, bad, "x")
		var ae *lianggao.Error
		if !asError(err, &ae) || len(ae.Problems) != 2 || ae.Problems[0].Line != 3 || ae.Problems[1].Line != 4 {
			t.Fatalf("bad import: %v", err)
		}
		if _, n, _ := s.FindProjects(ctx, lianggao.ProjectFilter{}); n != 0 {
			t.Fatalf("rejected import wrote %d projects", n)
		}
		if err := s.ImportProjects(ctx, bad[:1], "y"); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := s.FindProjects(ctx, lianggao.ProjectFilter{}); n != 1 {
			t.Fatalf("import wrote %d projects", n)
		}
	})
}

// Ensure people are scoped by where they work and groups list their members.
func TestPeopleAndGroups(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		people := []*lianggao.Person{
			{Name: "张三", Department: "drc", Region: "370000", HomeRegion: "370300", Kind: lianggao.PersonOfficial,
				CertNumber: "鲁执1", CertValidUntil: lianggao.Date{Year: 2027, Month: 1, Day: 1}},
			{Name: "李四", Department: "eco", Region: "370102", Kind: lianggao.PersonOfficial},
			{Name: "王五", Region: "370203", Kind: lianggao.PersonExpert},
		}
		if err := s.ImportPeople(ctx, people, []int{2, 3, 4}, "sum"); err != nil {
			t.Fatal(err)
		}
		if people[1].HomeRegion != "370102" {
			t.Fatalf("home region defaults to the work region, got %q", people[1].HomeRegion)
		}
		jinan := storetest.As(lianggao.RoleDeptOfficer, "370100")
		list, n, err := s.FindPeople(jinan, lianggao.PersonFilter{})
		if err != nil || n != 1 || list[0].Name != "李四" {
			t.Fatalf("city scope: %d %v", n, err)
		}
		if _, n, _ := s.FindPeople(ctx, lianggao.PersonFilter{Department: "drc"}); n != 1 {
			t.Fatalf("department filter: %d", n)
		}
		bad := []*lianggao.Person{{Name: "赵六", Region: "379999", Kind: lianggao.PersonOfficial}}
		if err := s.ImportPeople(ctx, bad, []int{2}, "x"); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("unknown region: %v", err)
		}
		g := &lianggao.SupervisionGroup{Code: "SG-370102", Name: "历下区督导组", Region: "370102",
			Members: []*lianggao.GroupMember{{PersonID: people[1].ID, Role: "leader"}}}
		if err := s.CreateSupervisionGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindSupervisionGroupByID(jinan, g.ID)
		if err != nil || got.Size != 1 || got.Members[0].Name != "李四" {
			t.Fatalf("group: %+v %v", got, err)
		}
		qingdao := storetest.As(lianggao.RoleDeptOfficer, "370200")
		if _, err := s.FindSupervisionGroupByID(qingdao, g.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Fatalf("other city's group: %v", err)
		}
	})
}

// Ensure figures are idempotent, keep earlier revisions, and reject an
// out-of-scope enterprise without writing anything.
func TestFigures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		e := mustEnterprise(t, s, "370102", 1)
		other := mustEnterprise(t, s, "370103", 2)
		d := lianggao.Date{Year: 2026, Month: 11, Day: 1}
		batch := []*lianggao.Figure{
			{EnterpriseID: e.ID, Date: d, Indicator: "elec_kwh", Value: 1000},
			{EnterpriseID: e.ID, Date: d.AddDays(1), Indicator: "elec_kwh", Value: 1100},
		}
		if _, err := s.PutFigures(ctx, "enterprise", batch); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutFigures(ctx, "enterprise", batch); err != nil {
			t.Fatal(err)
		}
		revised := []*lianggao.Figure{{EnterpriseID: e.ID, Date: d, Indicator: "elec_kwh", Value: 1200}}
		if _, err := s.PutFigures(ctx, "enterprise", revised); err != nil {
			t.Fatal(err)
		}
		grid := []*lianggao.Figure{{EnterpriseID: e.ID, Date: d, Indicator: "elec_kwh", Value: 1500}}
		if _, err := s.PutFigures(ctx, "grid", grid); err != nil {
			t.Fatal(err)
		}
		figs, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID, Source: "enterprise"})
		if err != nil || len(figs) != 2 || figs[0].Value != 1200 || figs[0].Revision != 2 || figs[1].Revision != 1 {
			t.Fatalf("current figures: %+v %v", figs, err)
		}
		revs, err := s.FigureRevisions(ctx, e.ID, d, "elec_kwh", "enterprise")
		if err != nil || len(revs) != 2 || revs[0].Value != 1000 || revs[1].Value != 1200 {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
		if all, _ := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID}); len(all) != 3 {
			t.Fatalf("both sources side by side: %d figures", len(all))
		}
		twice := []*lianggao.Figure{
			{EnterpriseID: e.ID, Date: d.AddDays(3), Indicator: "coal_t", Value: 5},
			{EnterpriseID: e.ID, Date: d.AddDays(3), Indicator: "coal_t", Value: 6},
		}
		if _, err := s.PutFigures(ctx, "enterprise", twice); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID, Indicators: []string{"coal_t"}}); len(got) != 1 || got[0].Value != 6 {
			t.Fatalf("a key twice in one batch: the later line must win, got %+v", got)
		}
		county := lianggao.NewContext(context.Background(), &lianggao.Actor{UserID: 5, Username: "c",
			Roles: []lianggao.Role{lianggao.RoleCountySupervisor}, Region: "370102"})
		mixed := []*lianggao.Figure{
			{EnterpriseID: e.ID, Date: d.AddDays(5), Indicator: "coal_t", Value: 1},
			{EnterpriseID: other.ID, Date: d.AddDays(5), Indicator: "coal_t", Value: 1},
		}
		if _, err := s.PutFigures(county, "stationed", mixed); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("out-of-scope figure: %v", err)
		}
		if got, _ := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID, Source: "stationed"}); len(got) != 0 {
			t.Fatalf("rejected batch wrote %d figures", len(got))
		}
	})
}

// Ensure passwords, sessions and their expiry work, and failures are audited.
func TestUsersAndSessions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
		u := &lianggao.User{Username: "Inspector1", Name: "检查员", Roles: []lianggao.Role{lianggao.RoleInspector}, Region: "370000"}
		if err := s.CreateUser(sys, u, "a-long-password"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(storetest.Admin(), &lianggao.User{Username: "x", Roles: u.Roles, Region: "370000"}, "a-long-password"); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("province admin creating accounts: %v", err)
		}
		if err := s.CreateUser(sys, &lianggao.User{Username: "inspector1", Roles: u.Roles, Region: "370000"}, "a-long-password"); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("duplicate user name: %v", err)
		}
		ctx := context.Background()
		if _, err := s.Authenticate(ctx, "inspector1", "wrong"); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
			t.Fatalf("wrong password: %v", err)
		}
		got, err := s.Authenticate(ctx, " INSPECTOR1 ", "a-long-password")
		if err != nil || got.ID != u.ID || got.Roles[0] != lianggao.RoleInspector {
			t.Fatalf("sign in: %+v %v", got, err)
		}
		token, err := s.CreateSession(ctx, u.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if su, err := s.SessionUser(ctx, token); err != nil || su.ID != u.ID {
			t.Fatalf("session: %v", err)
		}
		if _, err := s.SessionUser(ctx, token+"x"); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
			t.Fatalf("forged token: %v", err)
		}
		if err := s.DeleteSession(lianggao.NewContext(ctx, got.Actor()), token); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, token); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
			t.Fatalf("session after sign-out: %v", err)
		}
		entries, _ := s.FindAudit(ctx, "user", "inspector1", 10)
		if len(entries) != 1 || entries[0].Action != "session.signin_failed" {
			t.Fatalf("failed sign-in not audited: %+v", entries)
		}
	})
}

// Ensure a session expires after its idle time.
func TestSessionIdleExpiry(t *testing.T) {
	now := storetest.Now
	s := storetest.OpenClock(t, "sqlite", func() time.Time { return now })
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	u := &lianggao.User{Username: "idle", Name: "idle", Roles: []lianggao.Role{lianggao.RoleInspector}, Region: "370000"}
	if err := s.CreateUser(sys, u, "a-long-password"); err != nil {
		t.Fatal(err)
	}
	token, _ := s.CreateSession(context.Background(), u.ID, false)
	now = now.Add(3 * time.Hour)
	if _, err := s.SessionUser(context.Background(), token); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
		t.Fatalf("idle session still valid: %v", err)
	}
}

// Ensure an ingested batch resolves enterprises by credit code within the
// actor's scope, is idempotent, and is rejected whole for an unknown or
// out-of-scope enterprise, naming the line.
func TestIngestFigures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		mine := mustEnterprise(t, s, "370102", 1)
		other := mustEnterprise(t, s, "370103", 2)
		d := lianggao.Date{Year: 2026, Month: 11, Day: 2}
		lines := []store.FigureLine{
			{Line: 1, CreditCode: mine.CreditCode, Date: d, Indicator: "elec_kwh", Value: 100, Source: "enterprise"},
			{Line: 2, CreditCode: mine.CreditCode, Date: d, Indicator: "elec_kwh", Value: 104, Source: "grid"},
		}
		res, err := s.IngestFigures(ctx, lines, "sum1")
		if err != nil || res.Lines != 2 || res.Changed != 2 {
			t.Fatalf("first send: %+v %v", res, err)
		}
		if res, err = s.IngestFigures(ctx, lines, "sum1"); err != nil || res.Changed != 0 {
			t.Fatalf("second send changed %+v %v", res, err)
		}
		county := storetest.As(lianggao.RoleCountySupervisor, "370102")
		bad := append(lines, store.FigureLine{Line: 3, CreditCode: other.CreditCode, Date: d, Indicator: "elec_kwh", Value: 1, Source: "stationed"})
		_, err = s.IngestFigures(county, bad, "sum2")
		var ae *lianggao.Error
		if !asError(err, &ae) || len(ae.Problems) != 1 || ae.Problems[0].Line != 3 || ae.Problems[0].Field != "credit_code" {
			t.Fatalf("out-of-scope line: %v", err)
		}
		if got, _ := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: other.ID}); len(got) != 0 {
			t.Fatalf("a rejected batch wrote %d figures", len(got))
		}
	})
}
