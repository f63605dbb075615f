package store_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"lianggao"
	"lianggao/internal/planner"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure a campaign goes from draft to assigned: the target list is frozen,
// the groups are staffed from their own lines, the commitment published
// before the draw matches the revealed seed and the inputs, the plan gives
// every target exactly one visit by at least two certified members of the
// covering group from other cities, and the draw replays byte for byte.
func TestCampaignDraw(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ents := storetest.SeedProvince(t, s, 3)
		c := storetest.SeedCampaign(t, s, false)
		ctx := storetest.Admin()
		if c.State != lianggao.CampaignStaffing || c.Targets != len(ents) {
			t.Fatalf("after freezing: state %s, %d targets, want staffing and %d", c.State, c.Targets, len(ents))
		}
		if c.Starts.String() != "2026-12-01" || c.ReportDue.String() != "2027-01-07" {
			t.Errorf("window %v, due %v", c.Starts, c.ReportDue)
		}
		ms, err := s.Members(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range store.StaffingOf(s.Profile(), c, ms) {
			if st.Have[lianggao.MemberLeader] != 1 || st.Have[lianggao.MemberProvincial] != 5 || st.Have[lianggao.MemberLocal] == 0 {
				t.Errorf("%s staffed %v", st.Department, st.Have)
			}
		}
		if _, err := s.Draw(ctx, c.Code); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("draw before commitment: %v", err)
		}
		c, err = s.Commit(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		inputs, err := s.AssignmentInputs(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		if c.Seed != "" || c.Commitment == "" {
			t.Fatalf("before the draw: seed %q, commitment %q", c.Seed, c.Commitment)
		}
		if _, err := s.Draw(ctx, c.Code); err != nil {
			t.Fatal(err)
		}
		plan, err := s.FindPlan(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		replayed, err := planner.Replay(inputs, plan.Seed, c.Commitment)
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		if !bytes.Equal(bytes.TrimSuffix(replayed, []byte("\n")), plan.Assignment) {
			t.Errorf("replay differs:\n%s\n%s", replayed, plan.Assignment)
		}
		checkPlan(t, s, plan, ents)
	})
}

func checkPlan(t *testing.T, s *store.Store, plan *store.Plan, ents []*lianggao.Enterprise) {
	t.Helper()
	home := map[int64]string{}
	for _, g := range plan.Groups {
		for _, m := range g.Members {
			home[m.PersonID] = lianggao.CityOf(m.HomeRegion)
		}
	}
	seen := map[string]int{}
	for _, g := range plan.Groups {
		for _, task := range g.Tasks {
			seen[task.CreditCode]++
			city := task.CreditCode[2:8]
			if !slices.Contains(g.Cities, city) {
				t.Errorf("%s visited by %s, which does not cover %s", task.CreditCode, g.Department, city)
			}
			if len(task.Team) < 2 {
				t.Errorf("%s: team of %d", task.CreditCode, len(task.Team))
			}
			for _, p := range task.Team {
				if home[p] == city {
					t.Errorf("%s: person %d inspects their home city", task.CreditCode, p)
				}
			}
			if task.Day.Before(lianggao.Date{Year: 2026, Month: 12, Day: 1}) || task.Day.String() > "2026-12-31" ||
				!s.Profile().Calendar().IsWorkingDay(task.Day) {
				t.Errorf("%s on %v", task.CreditCode, task.Day)
			}
		}
	}
	for _, e := range ents {
		if seen[e.CreditCode] != 1 {
			t.Errorf("%s has %d tasks", e.CreditCode, seen[e.CreditCode])
		}
	}
}

// Ensure a city officer sees only the tasks in the city, a group member
// their group's tasks everywhere, and a redraw needs a reason and keeps the
// earlier draw.
func TestCampaignScopeAndRedraw(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		storetest.SeedProvince(t, s, 2)
		c := storetest.SeedCampaign(t, s, true)
		city := storetest.As(lianggao.RoleTaskForce, "370300")
		tasks, total, err := s.FindTasks(city, c.Code, lianggao.TaskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 {
			t.Errorf("city officer sees %d tasks, want the city's 2", total)
		}
		for _, task := range tasks {
			if task.City != "370300" {
				t.Errorf("city officer sees a task in %s", task.City)
			}
		}
		plan, _ := s.FindPlan(storetest.Admin(), c.Code)
		for _, ctx := range []context.Context{storetest.Admin(), city} {
			full, _ := s.FindPlan(ctx, c.Code)
			summary, counts, err := s.FindPlanSummary(ctx, c.Code)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range full.Groups {
				if counts[g.Department] != len(g.Tasks) || len(summary.Group(g.Department).Tasks) != 0 {
					t.Errorf("summary of %s: %d tasks counted, the plan has %d", g.Department, counts[g.Department], len(g.Tasks))
				}
			}
		}
		g := plan.Groups[0]
		member := lianggao.NewContext(t.Context(), &lianggao.Actor{UserID: 7, Username: "m", Roles: []lianggao.Role{lianggao.RoleInspector},
			PersonID: g.Members[0].PersonID})
		_, total, err = s.FindTasks(member, c.Code, lianggao.TaskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(g.Tasks) {
			t.Errorf("member of %s sees %d tasks, want the group's %d", g.Department, total, len(g.Tasks))
		}
		if _, err := s.MoveCampaign(storetest.Admin(), c.Code, lianggao.CampaignStaffing, " "); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Errorf("redraw without a reason: %v", err)
		}
		if _, err := s.MoveCampaign(storetest.Admin(), c.Code, lianggao.CampaignStaffing, "组成员调整"); err != nil {
			t.Fatal(err)
		}
		var draws, superseded int
		db := storetest.RawDB(t, s)
		if err := db.QueryRow(`SELECT count(*), count(superseded_at) FROM campaign_draws`).Scan(&draws, &superseded); err != nil {
			t.Fatal(err)
		}
		if draws != 1 || superseded != 1 {
			t.Errorf("after going back: %d draws, %d superseded", draws, superseded)
		}
		if _, err := s.FindPlan(storetest.Admin(), c.Code); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("plan after going back: %v", err)
		}
	})
}

// Ensure bad input is refused and nothing written: an unknown code, a
// duplicate campaign, a listed target that is not registered, a member from
// another line, and a reader trying to manage.
func TestCampaignRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		storetest.SeedProvince(t, s, 1)
		ctx := storetest.Admin()
		if _, err := s.CreateCampaign(ctx, "2026H3", ""); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Errorf("bad code: %v", err)
		}
		if _, err := s.CreateCampaign(storetest.As(lianggao.RoleObserver, "370000"), "2026H2", ""); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("observer creating: %v", err)
		}
		if _, err := s.CreateCampaign(ctx, "2026H2", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateCampaign(ctx, "2026H2", ""); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Errorf("duplicate: %v", err)
		}
		_, err := s.FreezeTargets(ctx, "2026H2", []string{storetest.CreditCode("370100", 1000), storetest.CreditCode("370100", 999)})
		var e *lianggao.Error
		if !asError(err, &e) || len(e.Problems) != 1 || e.Problems[0].Line != 2 {
			t.Fatalf("unknown listed target: %v", err)
		}
		c, _ := s.FindCampaign(ctx, "2026H2")
		if c.State != lianggao.CampaignDraft || c.Targets != 0 {
			t.Errorf("after a refused list: %s with %d targets", c.State, c.Targets)
		}
		if _, err := s.FreezeTargets(ctx, "2026H2", []string{storetest.CreditCode("370100", 1000)}); err != nil {
			t.Fatal(err)
		}
		people, _, _ := s.FindPeople(ctx, lianggao.PersonFilter{Department: "iit", Limit: 1})
		err = s.AddMember(ctx, "2026H2", &lianggao.InspectionGroupMember{PersonID: people[0].ID, Department: "drc", Role: lianggao.MemberLocal})
		if lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Errorf("member of another line: %v", err)
		}
	})
}

// Ensure the staffing names the officials whose certificate lapses inside
// the window, and not the Four-Into members and experts, who assist and
// need none.
func TestStaffingUncertified(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		storetest.SeedProvince(t, s, 1)
		c := storetest.SeedCampaign(t, s, false)
		ms, err := s.Members(storetest.Admin(), c.Code)
		if err != nil {
			t.Fatal(err)
		}
		var local, helper int64
		for _, m := range ms {
			switch {
			case m.Role == lianggao.MemberLocal && m.Department == "drc" && local == 0:
				local = m.PersonID
			case m.Role == lianggao.MemberFourInto && m.Department == "drc":
				helper = m.PersonID
			}
		}
		if local == 0 || helper == 0 {
			t.Fatalf("the DRC group lacks a local member (%d) or a Four-Into member (%d)", local, helper)
		}
		storetest.Exec(t, s, `UPDATE people SET cert_valid_until = '2026-12-15' WHERE id = ?`, local)
		storetest.Exec(t, s, `UPDATE people SET cert_number = '' WHERE id = ?`, helper)
		ms, _ = s.Members(storetest.Admin(), c.Code)
		for _, st := range store.StaffingOf(s.Profile(), c, ms) {
			var ids []int64
			for _, m := range st.Uncertified {
				ids = append(ids, m.PersonID)
			}
			want := []int64(nil)
			if st.Department == "drc" {
				want = []int64{local}
			}
			if !slices.Equal(ids, want) {
				t.Errorf("%s: uncertified %v, want %v", st.Department, ids, want)
			}
		}
	})
}
