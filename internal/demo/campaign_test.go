package demo_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"testing"

	"lianggao"
	"lianggao/internal/planner"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// checkCampaignDraws draws the demo province's campaign with many seeds and
// checks every draw and its visit plan: each city in exactly one group, of
// the profile's size; the largest workload within 5% of the optimum; the
// draw replaying from the published inputs and seed, its commitment
// matching; each enterprise visited exactly once, on a working day of the
// window, by at least two certified members of the covering group, none
// from the enterprise's city.
func checkCampaignDraws(t *testing.T, s *store.Store, seeds int) {
	t.Helper()
	ctx := storetest.Admin()
	cs, err := s.FindCampaigns(ctx)
	if err != nil || len(cs) != 1 {
		t.Fatalf("the demo's campaigns: %v, %v", cs, err)
	}
	code := cs[0].Code
	raw, err := s.AssignmentInputs(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	in, err := planner.ParseInputs(raw)
	if err != nil {
		t.Fatal(err)
	}
	visits, err := s.VisitInputs(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	drawer, err := planner.NewDrawer(in)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := s.Profile().Window(code)
	staff := map[int64]planner.Inspector{}
	for _, p := range visits.Staff {
		staff[p.PersonID] = p
	}
	for i := range seeds {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		sum := sha256.Sum256(b[:])
		seed := sum[:]
		asg, err := drawer.Assign(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		checkAssignment(t, i, in, asg, raw, seed)
		visits.Groups = asg.Groups
		plan, err := planner.PlanVisits(visits)
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		if plan.Shortfall != nil {
			t.Fatalf("seed %d: the demo's staff fall short: %+v", i, plan.Shortfall)
		}
		checkVisits(t, i, plan, visits, staff, w.Starts, w.Ends)
	}
}

func checkAssignment(t *testing.T, i int, in planner.AssignmentInputs, asg *planner.Assignment, raw, seed []byte) {
	t.Helper()
	seen := map[string]int{}
	load := map[string]int{}
	for _, c := range in.Cities {
		load[c.Code] = c.Enterprises
	}
	for _, g := range asg.Groups {
		want := slices.IndexFunc(in.Groups, func(s planner.GroupSpec) bool { return s.Department == g.Department && s.Cities == len(g.Cities) })
		work := 0
		for _, c := range g.Cities {
			seen[c]++
			work += load[c]
		}
		if want < 0 || work != g.Workload || work > asg.Bound || asg.Bound > asg.Optimum*105/100 {
			t.Fatalf("seed %d: group %s with %d cities, workload %d, bound %d, optimum %d", i, g.Department, len(g.Cities),
				work, asg.Bound, asg.Optimum)
		}
	}
	for _, c := range in.Cities {
		if seen[c.Code] != 1 {
			t.Fatalf("seed %d: city %s in %d groups", i, c.Code, seen[c.Code])
		}
	}
	// Replaying repeats the search; every 20th draw is enough to catch a
	// difference between the two paths.
	if i%20 == 0 {
		replayed, err := planner.Replay(raw, asg.Seed, planner.Commitment(seed, in))
		if err != nil || !bytes.Equal(replayed, asg.JSON()) {
			t.Fatalf("seed %d: replay %v", i, err)
		}
	}
}

func checkVisits(t *testing.T, i int, plan *planner.VisitPlan, in planner.VisitInputs, staff map[int64]planner.Inspector,
	starts, ends lianggao.Date) {
	t.Helper()
	visited := map[string]int{}
	city := map[string]string{}
	for _, e := range in.Enterprises {
		city[e.ID] = lianggao.CityOf(e.County)
	}
	for _, g := range plan.Groups {
		for _, task := range g.Tasks {
			visited[task.Enterprise]++
			ok := len(task.Team) >= 2 && slices.Contains(g.Cities, city[task.Enterprise]) &&
				!task.Day.Before(starts) && !ends.Before(task.Day) && slices.Contains(in.Days, task.Day)
			for _, p := range task.Team {
				m := staff[p]
				ok = ok && m.Certified && m.Department == g.Department && lianggao.CityOf(m.HomeRegion) != city[task.Enterprise]
			}
			if !ok {
				t.Fatalf("seed %d: task %+v of %s breaks a rule", i, task, g.Department)
			}
		}
	}
	for _, e := range in.Enterprises {
		if visited[e.ID] != 1 {
			t.Fatalf("seed %d: %s visited %d times", i, e.ID, visited[e.ID])
		}
	}
}
