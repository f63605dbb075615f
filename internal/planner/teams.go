package planner

import (
	"cmp"
	"slices"
)

// outside marks an inspector whose home city is none of the group's cities:
// they may inspect all of them.
const outside = -1

// member is a certified member of a group and the index of their home city
// among the group's cities, or outside.
type member struct {
	id   int64
	home int
}

// team is a set of inspectors who go together, and the group's cities
// (a bitmask over the group's cities) none of them may inspect.
type team struct {
	members []int64
	barred  uint32
}

// formTeams makes teams of exactly size members. The teams are fixed for the
// whole window, which makes the coverage a flow problem (see route).
//
// What limits a team is the union of its members' home cities, so:
//  1. people from the same home city go together, and so do the people from
//     outside the group's cities (barred from one city, or from none);
//  2. each city's leftovers (fewer than size) are completed with outsiders'
//     leftovers while they last, so that the team is still barred from one
//     city only;
//  3. the other leftovers go together in city order, unless the team would be
//     barred from every city.
//
// Everyone else is a reserve. Within a class people go in id order; only the
// number of people in each class matters to how much the teams can cover,
// which is what makes the shortfall exact (see groupPlanner.shortfall).
func formTeams(staff []member, cities, size int) (teams []team, reserves []int64) {
	classes := make([][]member, cities+1) // the home cities, then outside
	for _, m := range staff {
		c := m.home
		if c == outside {
			c = cities
		}
		classes[c] = append(classes[c], m)
	}
	var left [][]member
	for _, class := range classes {
		slices.SortFunc(class, func(a, b member) int { return cmp.Compare(a.id, b.id) })
		n := len(class) / size * size
		for i := 0; i < n; i += size {
			teams = append(teams, newTeam(class[i:i+size]))
		}
		left = append(left, class[n:])
	}
	outsiders := left[cities]
	var rest []member
	for _, l := range left[:cities] {
		if need := size - len(l); len(l) > 0 && need <= len(outsiders) {
			teams = append(teams, newTeam(append(slices.Clone(l), outsiders[:need]...)))
			outsiders = outsiders[need:]
			continue
		}
		rest = append(rest, l...)
	}
	rest = append(rest, outsiders...)
	all := uint32(1)<<cities - 1
	for len(rest) >= size {
		t := newTeam(rest[:size])
		rest = rest[size:]
		if t.barred == all {
			reserves = append(reserves, t.members...)
			continue
		}
		teams = append(teams, t)
	}
	for _, m := range rest {
		reserves = append(reserves, m.id)
	}
	slices.Sort(reserves)
	return teams, reserves
}

func newTeam(ms []member) team {
	t := team{}
	for _, m := range ms {
		t.members = append(t.members, m.id)
		if m.home != outside {
			t.barred |= 1 << m.home
		}
	}
	slices.Sort(t.members)
	return t
}
