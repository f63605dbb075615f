package planner

import (
	"cmp"
	"slices"

	"lianggao"
)

// setup is the checked, sorted form of the visit inputs.
type setup struct {
	groups    []*groupPlanner            // in department order
	targets   []Target                   // all targets, in code order
	existing  map[string][]ExistingVisit // by target: other programmes' visits in the window, by day
	annualCap int
}

// newSetup checks the inputs, applies the defaults and hands each target and
// inspector to the group covering them. The order of the inputs does not
// matter: everything is sorted.
func newSetup(in VisitInputs) (*setup, error) {
	size, daily, err := teamDefaults(in)
	if err != nil {
		return nil, err
	}
	days, err := sortedDays(in.Days)
	if err != nil {
		return nil, err
	}
	s := &setup{annualCap: in.AnnualCap, existing: map[string][]ExistingVisit{}}
	byCity, err := s.makeGroups(in.Groups, days, size, daily)
	if err != nil {
		return nil, err
	}
	if err := s.addTargets(in.Enterprises, byCity); err != nil {
		return nil, err
	}
	if err := s.addStaff(in.Staff); err != nil {
		return nil, err
	}
	return s, s.addExisting(in.Existing, days)
}

// maxTeam bounds the team size and the daily visits, far above any real
// value, so that capacities cannot overflow.
const maxTeam = 100

func teamDefaults(in VisitInputs) (size, daily int, err error) {
	size, daily = cmp.Or(in.TeamSize, DefaultTeamSize), cmp.Or(in.DailyVisits, DefaultDailyVisits)
	switch {
	case size < 2 || size > maxTeam:
		return 0, 0, invalid("team size: %d, the law asks for at least two inspectors (at most %d)", size, maxTeam)
	case daily < 1 || daily > maxTeam:
		return 0, 0, invalid("daily visits: %d, want 1 to %d", daily, maxTeam)
	case in.AnnualCap < 0:
		return 0, 0, invalid("annual cap: %d, want 0 (none) or more", in.AnnualCap)
	}
	return size, daily, nil
}

// sortedDays returns the working days in order; a day twice or unset is refused.
func sortedDays(days []lianggao.Date) ([]lianggao.Date, error) {
	out := slices.SortedFunc(slices.Values(days), lianggao.Date.Compare)
	for i, d := range out {
		if d.IsZero() {
			return nil, invalid("days: a day is unset")
		}
		if i > 0 && d == out[i-1] {
			return nil, invalid("days: %s appears twice", d)
		}
	}
	return out, nil
}

// makeGroups creates the group planners and returns them by city.
func (s *setup) makeGroups(groups []AssignedGroup, days []lianggao.Date, size, daily int) (map[string]*groupPlanner, error) {
	if len(groups) == 0 {
		return nil, invalid("groups: none")
	}
	byCity := map[string]*groupPlanner{}
	for _, g := range slices.SortedFunc(slices.Values(groups), func(a, b AssignedGroup) int { return cmp.Compare(a.Department, b.Department) }) {
		if len(s.groups) > 0 && s.groups[len(s.groups)-1].dept == g.Department || g.Department == "" {
			return nil, invalid("groups: department %q is empty or appears twice", g.Department)
		}
		gp := &groupPlanner{dept: g.Department, cities: slices.Sorted(slices.Values(g.Cities)), days: days,
			size: size, daily: daily, pinned: map[string][]int{}}
		if len(gp.cities) > 32 {
			return nil, invalid("groups: %s covers %d cities, at most 32", g.Department, len(gp.cities))
		}
		gp.targets = make([][]Target, len(gp.cities))
		for _, c := range gp.cities {
			if byCity[c] != nil {
				return nil, invalid("groups: city %s is in groups %s and %s", c, byCity[c].dept, g.Department)
			}
			byCity[c] = gp
		}
		s.groups = append(s.groups, gp)
	}
	return byCity, nil
}

// addTargets checks the targets and hands them to their groups, each city's
// in county then code order so that neighbours end up on the same team.
func (s *setup) addTargets(targets []Target, byCity map[string]*groupPlanner) error {
	s.targets = slices.SortedFunc(slices.Values(targets), func(a, b Target) int { return cmp.Compare(a.ID, b.ID) })
	for i, t := range s.targets {
		city := lianggao.CityOf(t.County)
		gp := byCity[city]
		switch {
		case t.ID == "":
			return invalid("enterprises: an enterprise has no code")
		case i > 0 && t.ID == s.targets[i-1].ID:
			return invalid("enterprises: %s appears twice", t.ID)
		case t.Inspections < 0:
			return invalid("enterprises: %s has %d inspections", t.ID, t.Inspections)
		case gp == nil:
			return invalid("enterprises: %s is in county %q, whose city no group covers", t.ID, t.County)
		}
		c, _ := slices.BinarySearch(gp.cities, city)
		gp.targets[c] = append(gp.targets[c], t)
	}
	for _, gp := range s.groups {
		for _, list := range gp.targets {
			slices.SortStableFunc(list, func(a, b Target) int { return cmp.Compare(a.County, b.County) })
		}
	}
	return nil
}

// addStaff checks the inspectors and gives each group its certified members.
func (s *setup) addStaff(staff []Inspector) error {
	seen := map[int64]bool{}
	for _, p := range slices.SortedFunc(slices.Values(staff), func(a, b Inspector) int { return cmp.Compare(a.PersonID, b.PersonID) }) {
		i, ok := slices.BinarySearchFunc(s.groups, p.Department, func(g *groupPlanner, d string) int { return cmp.Compare(g.dept, d) })
		switch {
		case seen[p.PersonID]:
			return invalid("staff: person %d appears twice", p.PersonID)
		case !ok:
			return invalid("staff: person %d is in department %q, which has no group", p.PersonID, p.Department)
		}
		seen[p.PersonID] = true
		if p.Certified {
			gp := s.groups[i]
			home, ok := slices.BinarySearch(gp.cities, lianggao.CityOf(p.HomeRegion))
			if !ok {
				home = len(gp.cities) // an outsider
			}
			gp.staff = append(gp.staff, member{id: p.PersonID, home: home})
		}
	}
	return nil
}

// addExisting keeps the other programmes' visits of targets inside the window.
func (s *setup) addExisting(visits []ExistingVisit, days []lianggao.Date) error {
	group := map[string]*groupPlanner{}
	for _, gp := range s.groups {
		for _, list := range gp.targets {
			for _, t := range list {
				group[t.ID] = gp
			}
		}
	}
	sorted := slices.SortedFunc(slices.Values(visits), func(a, b ExistingVisit) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.Programme, b.Programme))
	})
	for _, v := range sorted {
		if v.Day.IsZero() {
			return invalid("existing visits: the visit of %s by %q has no day", v.Enterprise, v.Programme)
		}
		d, inWindow := slices.BinarySearchFunc(days, v.Day, lianggao.Date.Compare)
		gp := group[v.Enterprise]
		if !inWindow || gp == nil {
			continue
		}
		s.existing[v.Enterprise] = append(s.existing[v.Enterprise], v)
		gp.pinned[v.Enterprise] = append(gp.pinned[v.Enterprise], d)
	}
	return nil
}
