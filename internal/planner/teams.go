package planner

import "slices"

// member is a certified member of a group. home is their home class: the
// index of their home city among the group's cities, or the number of the
// group's cities (the outsiders' class) when it is none of them.
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

// recipe is a kind of team: how many members it takes from each home class,
// the cities it is barred from, and how many such teams there are.
type recipe struct {
	take   []int
	barred uint32
	teams  int
}

// compose decides the teams, of exactly size members, from the number of
// certified members in each home class (the group's cities, then the
// outsiders). The teams are fixed for the whole window, which makes the
// coverage a flow problem (see route). What limits a team is the union of
// its members' home cities, so:
//  1. people from the same home city go together, and so do the outsiders
//     (a team barred from one city, or from none);
//  2. each city's leftovers (fewer than size) are completed with the
//     outsiders' leftovers while they last: still barred from one city only;
//  3. the other leftovers go together in class order, unless the team would
//     be barred from every city.
//
// Everyone else is a reserve. Only the counts matter, which is what makes the
// shortfall exact: the people it asks for change the counts, and nothing else.
func compose(counts []int, size int) []recipe {
	cities := len(counts) - 1
	left := slices.Clone(counts)
	var out []recipe
	for c, n := range counts {
		if n >= size {
			out = append(out, newRecipe(cities, n/size).with(c, size))
			left[c] = n % size
		}
	}
	for c := range cities {
		if need := size - left[c]; left[c] > 0 && need <= left[cities] {
			out = append(out, newRecipe(cities, 1).with(c, left[c]).with(cities, need))
			left[c], left[cities] = 0, left[cities]-need
		}
	}
	chunk, filled := newRecipe(cities, 1), 0
	for c := range counts {
		for left[c] > 0 {
			k := min(left[c], size-filled)
			chunk = chunk.with(c, k)
			left[c] -= k
			if filled += k; filled == size {
				if chunk.barred != 1<<cities-1 {
					out = append(out, chunk)
				}
				chunk, filled = newRecipe(cities, 1), 0
			}
		}
	}
	return out
}

func newRecipe(cities, teams int) recipe {
	return recipe{take: make([]int, cities+1), teams: teams}
}

// with adds k members of home class c to the recipe.
func (r recipe) with(c, k int) recipe {
	r.take[c] += k
	if c < len(r.take)-1 {
		r.barred |= 1 << c
	}
	return r
}

// formTeams makes the teams compose decides, taking the members of each home
// class in id order; those left over are the reserves.
func formTeams(staff []member, cities, size int) (teams []team, reserves []int64) {
	queues := make([][]int64, cities+1)
	for _, m := range staff {
		queues[m.home] = append(queues[m.home], m.id)
	}
	counts := make([]int, cities+1)
	for c, q := range queues {
		slices.Sort(q)
		counts[c] = len(q)
	}
	for _, r := range compose(counts, size) {
		for range r.teams {
			t := team{barred: r.barred}
			for c, k := range r.take {
				t.members = append(t.members, queues[c][:k]...)
				queues[c] = queues[c][k:]
			}
			slices.Sort(t.members)
			teams = append(teams, t)
		}
	}
	return teams, slices.Sorted(slices.Values(slices.Concat(queues...)))
}

// class is a number of teams barred from the same cities: for routing they
// are interchangeable.
type class struct {
	barred uint32
	teams  int
}

// classesOf merges the recipes by the cities they are barred from, in order
// of first appearance.
func classesOf(recipes []recipe) []class {
	var out []class
	for _, r := range recipes {
		i := slices.IndexFunc(out, func(c class) bool { return c.barred == r.barred })
		if i < 0 {
			i = len(out)
			out = append(out, class{barred: r.barred})
		}
		out[i].teams += r.teams
	}
	return out
}

// classify groups teams the same way, also returning each class's teams
// (indexes); for teams from formTeams it gives what classesOf gives for the
// recipes they came from.
func classify(teams []team) ([]class, [][]int) {
	var out []class
	var members [][]int
	for i, t := range teams {
		k := slices.IndexFunc(out, func(c class) bool { return c.barred == t.barred })
		if k < 0 {
			k = len(out)
			out = append(out, class{barred: t.barred})
			members = append(members, nil)
		}
		out[k].teams++
		members[k] = append(members[k], i)
	}
	return out, members
}
