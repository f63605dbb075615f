package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"lianggao"
)

// checkPlan verifies the properties every visit plan must have.
func checkPlan(t *testing.T, in VisitInputs, plan *VisitPlan) {
	t.Helper()
	size := max(in.TeamSize, DefaultTeamSize)
	daily := in.DailyVisits
	if daily == 0 {
		daily = DefaultDailyVisits
	}
	people := map[int64]Inspector{}
	for _, p := range in.Staff {
		people[p.PersonID] = p
	}
	isDay := map[lianggao.Date]bool{}
	for _, d := range in.Days {
		isDay[d] = true
	}
	covering := map[string]string{}
	for _, g := range in.Groups {
		for _, c := range g.Cities {
			covering[c] = g.Department
		}
	}
	targets := map[string]Target{}
	for _, e := range in.Enterprises {
		targets[e.ID] = e
	}
	seen := map[string]int{}
	type personDay struct {
		id  int64
		day lianggao.Date
	}
	load := map[personDay]int{}
	unplanned := 0
	for _, g := range plan.Groups {
		for _, id := range g.Unplanned {
			seen[id]++
			unplanned++
		}
		for _, task := range g.Tasks {
			e, ok := targets[task.Enterprise]
			city := lianggao.CityOf(e.County)
			seen[task.Enterprise]++
			switch {
			case !ok || covering[city] != g.Department:
				t.Fatalf("task %+v in group %s: unknown enterprise or another group's city", task, g.Department)
			case !isDay[task.Day]:
				t.Fatalf("task %+v: %s is not a working day of the window", task, task.Day)
			case len(task.Team) < size:
				t.Fatalf("task %+v: team of %d, want at least %d", task, len(task.Team), size)
			}
			members := map[int64]bool{}
			for _, id := range task.Team {
				p, ok := people[id]
				switch {
				case !ok || !p.Certified || p.Department != g.Department || members[id]:
					t.Fatalf("task %+v: member %d unknown, uncertified, twice or of another group", task, id)
				case lianggao.CityOf(p.HomeRegion) == city:
					t.Fatalf("task %+v: member %d inspects their home city %s", task, id, city)
				}
				members[id] = true
				if load[personDay{id, task.Day}]++; load[personDay{id, task.Day}] > daily {
					t.Fatalf("person %d has more than %d visits on %s", id, daily, task.Day)
				}
			}
		}
	}
	for _, e := range in.Enterprises {
		if seen[e.ID] != 1 {
			t.Fatalf("enterprise %s is planned or left out %d times, want once", e.ID, seen[e.ID])
		}
	}
	if (plan.Shortfall == nil) != (unplanned == 0) || plan.Shortfall != nil && plan.Shortfall.Unplanned != unplanned {
		t.Fatalf("%d unplanned, shortfall %+v", unplanned, plan.Shortfall)
	}
}

// TestPlanShandong plans the demo province for several assignments: every
// enterprise once, in the window, by certified teams from away, the daily
// load even and most team-days within one county.
func TestPlanShandong(t *testing.T) {
	for seed := range 5 {
		a, err := Assign(shandongInputs(), testSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		in := shandongVisits(a)
		plan, err := PlanVisits(in)
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, in, plan)
		if plan.Shortfall != nil {
			t.Fatalf("seed %d: 36 certified inspectors per group fall short: %+v", seed, plan.Shortfall)
		}
		county := map[string]string{}
		for _, e := range in.Enterprises {
			county[e.ID] = e.County
		}
		teamDays, mixed := 0, 0
		for _, g := range plan.Groups {
			perDay := map[lianggao.Date]int{}
			counties := map[string]map[string]bool{}
			for _, task := range g.Tasks {
				perDay[task.Day]++
				k := fmt.Sprint(task.Day, task.Team)
				if counties[k] == nil {
					counties[k] = map[string]bool{}
				}
				counties[k][county[task.Enterprise]] = true
			}
			lo, hi := len(g.Tasks), 0
			for _, d := range in.Days {
				lo, hi = min(lo, perDay[d]), max(hi, perDay[d])
			}
			if hi-lo > 1 {
				t.Errorf("seed %d group %s: between %d and %d visits a day", seed, g.Department, lo, hi)
			}
			for _, cs := range counties {
				teamDays++
				if len(cs) > 1 {
					mixed++
				}
			}
		}
		if mixed*5 > teamDays {
			t.Errorf("seed %d: %d of %d team-days span more than one county", seed, mixed, teamDays)
		}
		t.Logf("seed %d: %d of %d team-days span more than one county", seed, mixed, teamDays)
	}
}

// randomVisits makes a small random campaign: 1–4 groups of 1–3 cities,
// up to 40 enterprises a city, up to 24 members a group from anywhere,
// 0–12 days, and other programmes' visits.
func randomVisits(r *rand.Rand) VisitInputs {
	in := VisitInputs{TeamSize: 2 + r.IntN(2), DailyVisits: 1 + r.IntN(3), AnnualCap: 3 + r.IntN(3)}
	start := lianggao.Date{Year: 2026, Month: 6, Day: 1}
	for i := range r.IntN(13) {
		in.Days = append(in.Days, start.AddDays(i))
	}
	city := 0
	var all []string
	for g := range 1 + r.IntN(4) {
		grp := AssignedGroup{Department: fmt.Sprint("d", g)}
		for range 1 + r.IntN(3) {
			code := fmt.Sprintf("37%02d00", 1+city)
			city++
			grp.Cities = append(grp.Cities, code)
			all = append(all, code)
			for i := range r.IntN(41) {
				id := fmt.Sprintf("E%s-%03d", code, i)
				in.Enterprises = append(in.Enterprises, Target{ID: id, County: fmt.Sprintf("%s%02d", code[:4], 1+r.IntN(4)), Inspections: r.IntN(6)})
				if r.IntN(8) == 0 {
					in.Existing = append(in.Existing, ExistingVisit{Enterprise: id, Programme: "four_into", Day: start.AddDays(r.IntN(12))})
				}
			}
		}
		in.Groups = append(in.Groups, grp)
	}
	all = append(all, "370000", "379900") // the province, and a city outside the campaign
	for g := range in.Groups {
		for range r.IntN(25) {
			home := all[r.IntN(len(all))]
			if r.IntN(2) == 0 {
				home = home[:4] + "02" // a county of the city
			}
			in.Staff = append(in.Staff, Inspector{PersonID: int64(len(in.Staff) + 1), Department: in.Groups[g].Department,
				HomeRegion: home, Certified: r.IntN(5) > 0})
		}
	}
	return in
}

// withPeople returns the inputs with n more certified inspectors in a group,
// from outside its cities.
func withPeople(in VisitInputs, dept string, n int) VisitInputs {
	in.Staff = slices.Clone(in.Staff)
	for i := range n {
		home := "370000"
		if i%2 == 1 {
			home = "379901" // a county of a city no group covers
		}
		in.Staff = append(in.Staff, Inspector{PersonID: int64(100000 + len(in.Staff)), Department: dept, HomeRegion: home, Certified: true})
	}
	return in
}

// withDays returns the inputs with n more working days after the window.
func withDays(in VisitInputs, n int) VisitInputs {
	next := lianggao.Date{Year: 2026, Month: 7, Day: 1}
	if len(in.Days) > 0 {
		next = in.Days[len(in.Days)-1].AddDays(1)
	}
	in.Days = slices.Clone(in.Days)
	for i := range n {
		in.Days = append(in.Days, next.AddDays(i))
	}
	return in
}

// groupShort returns a group's shortfall in a plan, or nil.
func groupShort(plan *VisitPlan, dept string) *GroupShortfall {
	if plan.Shortfall == nil {
		return nil
	}
	for i, g := range plan.Shortfall.Groups {
		if g.Department == dept {
			return &plan.Shortfall.Groups[i]
		}
	}
	return nil
}

// mustPlan plans and checks the invariants.
func mustPlan(t *testing.T, in VisitInputs) *VisitPlan {
	t.Helper()
	plan, err := PlanVisits(in)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, in, plan)
	return plan
}

// TestPlanRandom checks the invariants on 200 random campaigns and, when
// the staff fall short, that the shortfall is exact: the people or days it
// names cover every enterprise, one fewer does not.
func TestPlanRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shortfalls := 0
	for range 200 {
		in := randomVisits(r)
		plan := mustPlan(t, in)
		if plan.Shortfall == nil {
			continue
		}
		shortfalls++
		for _, s := range plan.Shortfall.Groups {
			checkMorePeople(t, in, s)
			checkMoreDays(t, in, s)
		}
		if d := plan.Shortfall.MoreDays; d > 0 {
			if p := mustPlan(t, withDays(in, d)); p.Shortfall != nil {
				t.Fatalf("%d more days leave %+v", d, p.Shortfall)
			}
		}
	}
	t.Logf("%d of 200 random campaigns fell short", shortfalls)
	if shortfalls < 20 {
		t.Errorf("only %d random campaigns fell short: the round trips are barely tested", shortfalls)
	}
}

func checkMorePeople(t *testing.T, in VisitInputs, s GroupShortfall) {
	t.Helper()
	if s.MorePeople < 0 {
		if len(in.Days) > 0 {
			t.Fatalf("group %s: no number of people would do, with %d days", s.Department, len(in.Days))
		}
		return
	}
	if groupShort(mustPlan(t, withPeople(in, s.Department, s.MorePeople)), s.Department) != nil {
		t.Fatalf("group %s: %d more people do not cover it", s.Department, s.MorePeople)
	}
	if groupShort(mustPlan(t, withPeople(in, s.Department, s.MorePeople-1)), s.Department) == nil {
		t.Fatalf("group %s: %d more people would do, not %d", s.Department, s.MorePeople-1, s.MorePeople)
	}
}

func checkMoreDays(t *testing.T, in VisitInputs, s GroupShortfall) {
	t.Helper()
	if s.MoreDays < 0 {
		if groupShort(mustPlan(t, withDays(in, 100)), s.Department) == nil {
			t.Fatalf("group %s: said no days would do, but 100 do", s.Department)
		}
		return
	}
	if groupShort(mustPlan(t, withDays(in, s.MoreDays)), s.Department) != nil {
		t.Fatalf("group %s: %d more days do not cover it", s.Department, s.MoreDays)
	}
	if groupShort(mustPlan(t, withDays(in, s.MoreDays-1)), s.Department) == nil {
		t.Fatalf("group %s: %d more days would do, not %d", s.Department, s.MoreDays-1, s.MoreDays)
	}
}

// TestShortfallNumbers checks a shortfall worked out by hand: 100
// enterprises, 5 days, two teams of two making two visits a day cover 20.
// Ten teams would cover all (16 more people); two teams need 25 days (20 more).
func TestShortfallNumbers(t *testing.T) {
	in := VisitInputs{Groups: []AssignedGroup{{Department: "drc", Cities: []string{"370100"}}}}
	for i := range 100 {
		in.Enterprises = append(in.Enterprises, Target{ID: fmt.Sprintf("E%03d", i), County: "370102"})
	}
	for i := range 5 {
		in.Days = append(in.Days, lianggao.Date{Year: 2026, Month: 6, Day: 1 + i})
	}
	for i := range 4 {
		in.Staff = append(in.Staff, Inspector{PersonID: int64(i + 1), Department: "drc", HomeRegion: "370200", Certified: true})
	}
	in.Staff = append(in.Staff,
		Inspector{PersonID: 10, Department: "drc", HomeRegion: "370103", Certified: true}, // from the city inspected
		Inspector{PersonID: 11, Department: "drc", HomeRegion: "370200"})                  // no certificate
	plan := mustPlan(t, in)
	want := &Shortfall{Unplanned: 80, MorePeople: 16, MoreDays: 20,
		Groups: []GroupShortfall{{Department: "drc", Unplanned: 80, MorePeople: 16, MoreDays: 20}}}
	if !reflect.DeepEqual(plan.Shortfall, want) {
		t.Fatalf("shortfall %+v, want %+v", plan.Shortfall, want)
	}
	if g := plan.Groups[0]; !slices.Equal(g.Reserves, []int64{10}) || len(g.Tasks) != 20 {
		t.Fatalf("reserves %v, %d tasks; want [10] and 20", g.Reserves, len(g.Tasks))
	}
	if p := mustPlan(t, withPeople(in, "drc", 16)); p.Shortfall != nil {
		t.Fatalf("16 more people: %+v", p.Shortfall)
	}
	if p := mustPlan(t, withDays(in, 20)); p.Shortfall != nil {
		t.Fatalf("20 more days: %+v", p.Shortfall)
	}
	// Nobody may inspect the city: days cannot help; two outsiders can.
	in.Staff = in.Staff[4:]
	plan = mustPlan(t, in)
	if s := plan.Shortfall; s.MoreDays != -1 || s.MorePeople != 20 {
		t.Fatalf("shortfall %+v, want no number of days and 20 people", s)
	}
	// No day at all: no number of people can help.
	in.Days = nil
	if s := mustPlan(t, in).Shortfall; s.MorePeople != -1 || s.MoreDays != -1 || s.Unplanned != 100 {
		t.Fatalf("shortfall %+v, want -1 people, -1 days (nobody may inspect), 100 unplanned", s)
	}
}

// TestCapWarningsAndMerges checks the warnings near the annual cap and the
// merging of visits that overlap with other programmes'.
func TestCapWarningsAndMerges(t *testing.T) {
	day := func(d int) lianggao.Date { return lianggao.Date{Year: 2026, Month: 6, Day: d} }
	in := VisitInputs{
		Groups:    []AssignedGroup{{Department: "eco", Cities: []string{"370300"}}},
		Days:      []lianggao.Date{day(1), day(2), day(3), day(4), day(5)},
		AnnualCap: 4,
		Enterprises: []Target{
			{ID: "A", County: "370302", Inspections: 2},
			{ID: "B", County: "370302", Inspections: 3},
			{ID: "C", County: "370303", Inspections: 4},
			{ID: "D", County: "370303", Inspections: 5},
		},
		Staff: []Inspector{{PersonID: 1, Department: "eco", HomeRegion: "370100", Certified: true},
			{PersonID: 2, Department: "eco", HomeRegion: "370200", Certified: true}},
		Existing: []ExistingVisit{
			{Enterprise: "D", Programme: "four_into", Day: day(5)}, // a day the team has no visit: borrowed
			{Enterprise: "B", Programme: "special", Day: day(30)},  // outside the window
			{Enterprise: "Z", Programme: "special", Day: day(2)},   // not a target
		},
	}
	plan := mustPlan(t, in)
	var dDay lianggao.Date
	for _, task := range plan.Groups[0].Tasks {
		if task.Enterprise == "D" {
			dDay = task.Day
		}
	}
	wantMerges := []Merge{{Enterprise: "D", Programme: "four_into", Day: day(5), TaskDay: day(5), Scheduled: true}}
	wantWarnings := []CapWarning{
		{Enterprise: "B", Inspections: 3, Cap: 4},
		{Enterprise: "C", Inspections: 4, Cap: 4, Exceeds: true},
		{Enterprise: "D", Inspections: 5, Cap: 4, Exceeds: true, Merged: true},
	}
	if dDay != day(5) || !reflect.DeepEqual(plan.Merges, wantMerges) || !reflect.DeepEqual(plan.Warnings, wantWarnings) {
		t.Fatalf("D on %s\nmerges %+v\nwarnings %+v", dDay, plan.Merges, plan.Warnings)
	}
	if b, _ := json.Marshal(plan.Merges); !strings.Contains(string(b), `"day":"2026-06-05","task_day":"2026-06-05"`) {
		t.Fatalf("merges in JSON: %s", b)
	}
	// Four visits over five days: one a day, except the day D was moved to.
	perDay := map[lianggao.Date]int{}
	for _, task := range plan.Groups[0].Tasks {
		perDay[task.Day]++
	}
	if len(perDay) != 4 {
		t.Fatalf("visits per day %v, want four days with one each", perDay)
	}
	// A merge the team cannot take on that day stays a suggestion.
	in.DailyVisits = 1
	in.Days = in.Days[:4]
	in.Existing = []ExistingVisit{{Enterprise: "A", Programme: "x", Day: day(1)}, {Enterprise: "B", Programme: "y", Day: day(1)}}
	plan = mustPlan(t, in)
	if m := plan.Merges; len(m) != 2 || !m[0].Scheduled || m[1].Scheduled || m[1].TaskDay.IsZero() {
		t.Fatalf("merges %+v, want A on day 1 and B only suggested", m)
	}
}

// TestPlanOrderIndependent checks that shuffling the inputs changes nothing.
func TestPlanOrderIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20 {
		in := randomVisits(r)
		want := mustPlan(t, in)
		shuffled := in
		shuffled.Enterprises = slices.Clone(in.Enterprises)
		shuffled.Staff = slices.Clone(in.Staff)
		shuffled.Days = slices.Clone(in.Days)
		shuffled.Groups = slices.Clone(in.Groups)
		r.Shuffle(len(shuffled.Enterprises), func(i, j int) {
			shuffled.Enterprises[i], shuffled.Enterprises[j] = shuffled.Enterprises[j], shuffled.Enterprises[i]
		})
		r.Shuffle(len(shuffled.Staff), func(i, j int) { shuffled.Staff[i], shuffled.Staff[j] = shuffled.Staff[j], shuffled.Staff[i] })
		slices.Reverse(shuffled.Days)
		slices.Reverse(shuffled.Groups)
		if got := mustPlan(t, shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled inputs give another plan")
		}
	}
}

// TestPlanInvalid checks that bad inputs give an EINVALID error, not a panic.
func TestPlanInvalid(t *testing.T) {
	good := func() VisitInputs {
		return VisitInputs{
			Groups:      []AssignedGroup{{Department: "drc", Cities: []string{"370100"}}, {Department: "iit", Cities: []string{"370200"}}},
			Enterprises: []Target{{ID: "A", County: "370102"}},
			Staff:       []Inspector{{PersonID: 1, Department: "drc", HomeRegion: "370200", Certified: true}},
			Days:        []lianggao.Date{{Year: 2026, Month: 6, Day: 1}},
		}
	}
	tests := []struct {
		name   string
		change func(*VisitInputs)
		want   string
	}{
		{"team of one", func(in *VisitInputs) { in.TeamSize = 1 }, "at least two"},
		{"negative visits", func(in *VisitInputs) { in.DailyVisits = -1 }, "daily visits"},
		{"negative cap", func(in *VisitInputs) { in.AnnualCap = -1 }, "annual cap"},
		{"no groups", func(in *VisitInputs) { in.Groups = nil }, "groups: none"},
		{"group twice", func(in *VisitInputs) { in.Groups[1].Department = "drc" }, "appears twice"},
		{"city twice", func(in *VisitInputs) { in.Groups[1].Cities = []string{"370100"} }, "is in groups"},
		{"enterprise twice", func(in *VisitInputs) { in.Enterprises = append(in.Enterprises, in.Enterprises[0]) }, "appears twice"},
		{"no code", func(in *VisitInputs) { in.Enterprises[0].ID = "" }, "no code"},
		{"uncovered city", func(in *VisitInputs) { in.Enterprises[0].County = "370302" }, "no group covers"},
		{"bad county", func(in *VisitInputs) { in.Enterprises[0].County = "x" }, "no group covers"},
		{"negative inspections", func(in *VisitInputs) { in.Enterprises[0].Inspections = -1 }, "inspections"},
		{"person twice", func(in *VisitInputs) { in.Staff = append(in.Staff, in.Staff[0]) }, "appears twice"},
		{"unknown department", func(in *VisitInputs) { in.Staff[0].Department = "amr" }, "has no group"},
		{"day twice", func(in *VisitInputs) { in.Days = append(in.Days, in.Days[0]) }, "appears twice"},
		{"unset day", func(in *VisitInputs) { in.Days = append(in.Days, lianggao.Date{}) }, "unset"},
		{"visit without day", func(in *VisitInputs) { in.Existing = []ExistingVisit{{Enterprise: "A"}} }, "no day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.change(&in)
			plan, err := PlanVisits(in)
			var e *lianggao.Error
			if err == nil || !errors.As(err, &e) || e.Code != lianggao.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an invalid error mentioning %q", plan, err, tt.want)
			}
		})
	}
}

// FuzzPlanVisits plans random campaigns from fuzzed generator seeds, with
// the same checks as TestPlanRandom.
func FuzzPlanVisits(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		in := randomVisits(rand.New(rand.NewPCG(a, b)))
		plan := mustPlan(t, in)
		if plan.Shortfall != nil {
			for _, s := range plan.Shortfall.Groups {
				checkMorePeople(t, in, s)
				checkMoreDays(t, in, s)
			}
		}
	})
}
