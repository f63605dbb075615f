package planner

import (
	"slices"

	"lianggao"
)

// groupPlanner plans one group's visits:
//
//  1. Teams: formTeams makes fixed teams of the certified members.
//  2. Coverage: route finds how many of each city's enterprises each class of
//     teams takes. The per-team limit is the least (by binary search) at which
//     every enterprise is covered, so that work is spread evenly over the
//     teams; when even daily visits × days does not cover all, the rest is
//     unplanned and the shortfall says what would.
//  3. Enterprises: each city's list (county, then code order) is cut into runs
//     for the classes, and each class's list into even runs for its teams,
//     so a team's enterprises lie in few counties.
//  4. Days: a team's n enterprises are spread over the d days, n div d a day
//     and one more on n mod d days; the extra days rotate from team to team,
//     so that the group's daily total varies by at most one. An enterprise
//     with another programme's visit in the window goes on that day if the
//     team can take it (moving one of the team's visits there from the day
//     with the most room if need be); the others fill the days in list
//     order, so that a day's visits are neighbours in county order.
type groupPlanner struct {
	dept    string
	cities  []string   // in code order; bit i of a mask stands for cities[i]
	targets [][]Target // per city, in county then code order
	staff   []member   // the certified members
	days    []lianggao.Date
	size    int              // inspectors per team
	daily   int              // visits per inspector per day
	pinned  map[string][]int // by target: the days (indexes) of other programmes' visits
}

// plan returns the group's plan and, if it cannot cover every enterprise,
// its shortfall.
func (g *groupPlanner) plan() (GroupPlan, *GroupShortfall) {
	teams, reserves := formTeams(g.staff, len(g.cities), g.size)
	classes, members := classify(teams)
	flow, routed := g.balanced(classes)
	lists, unplanned := g.distribute(flow, members, len(teams))
	gp := GroupPlan{Department: g.dept, Cities: g.cities, Tasks: g.schedule(teams, lists),
		Reserves: reserves, Unplanned: unplanned}
	if routed == g.total() {
		return gp, nil
	}
	return gp, &GroupShortfall{Department: g.dept, Unplanned: len(unplanned),
		MorePeople: g.morePeople(), MoreDays: g.moreDays()}
}

// demand returns the number of enterprises per city.
func (g *groupPlanner) demand() []int {
	d := make([]int, len(g.targets))
	for c, list := range g.targets {
		d[c] = len(list)
	}
	return d
}

func (g *groupPlanner) total() int {
	n := 0
	for _, list := range g.targets {
		n += len(list)
	}
	return n
}

// balanced routes the enterprises with the least per-team limit that covers
// them all, or at full capacity if none does.
func (g *groupPlanner) balanced(classes []class) ([][]int, int) {
	demand, total, capacity := g.demand(), g.total(), g.daily*len(g.days)
	flow, routed := route(demand, classes, capacity)
	if routed < total || total == 0 {
		return flow, routed
	}
	teams := 0
	for _, c := range classes {
		teams += c.teams
	}
	lo, hi := ceilDiv(total, teams), capacity
	for lo < hi {
		mid := (lo + hi) / 2
		if _, r := route(demand, classes, mid); r == total {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return route(demand, classes, hi)
}

// distribute turns the flow into each team's list of enterprises and the
// codes of those left out; members holds each class's teams.
func (g *groupPlanner) distribute(flow [][]int, members [][]int, teams int) ([][]Target, []string) {
	perClass := make([][]Target, len(members))
	var unplanned []string
	for c, list := range g.targets {
		for k := range members {
			perClass[k] = append(perClass[k], list[:flow[c][k]]...)
			list = list[flow[c][k]:]
		}
		for _, t := range list {
			unplanned = append(unplanned, t.ID)
		}
	}
	lists := make([][]Target, teams)
	for k, ts := range members {
		list, m := perClass[k], len(ts)
		for j, team := range ts {
			n := len(list) / (m - j) // even runs: the remainder goes to the last teams
			lists[team], list = list[:n], list[n:]
		}
	}
	return lists, unplanned
}

// schedule gives every team's enterprises a day and returns the tasks by
// day, then team.
func (g *groupPlanner) schedule(teams []team, lists [][]Target) []Task {
	byDay := make([][]Task, len(g.days))
	offset := 0
	for j, list := range lists {
		for i, d := range g.spread(list, &offset) {
			byDay[d] = append(byDay[d], Task{Enterprise: list[i].ID, Day: g.days[d], Team: teams[j].members})
		}
	}
	return slices.Concat(byDay...)
}

// spread returns the day (index) of each of a team's enterprises; offset is
// the first day of the next extra visits, carried from team to team.
func (g *groupPlanner) spread(list []Target, offset *int) []int {
	n, nd := len(list), len(g.days)
	if n == 0 {
		return nil
	}
	quota := make([]int, nd)
	for d := range quota {
		quota[d] = n / nd
	}
	for i := range n % nd {
		quota[(*offset+i)%nd]++
	}
	*offset = (*offset + n%nd) % nd
	day, used := make([]int, n), make([]int, nd)
	for i, t := range list {
		day[i] = -1
		for _, d := range g.pinned[t.ID] {
			if used[d] < quota[d] || g.borrow(quota, used, d) {
				day[i] = d
				used[d]++
				break
			}
		}
	}
	d := 0
	for i := range list {
		if day[i] >= 0 {
			continue
		}
		for used[d] >= quota[d] {
			d++
		}
		day[i] = d
		used[d]++
	}
	return day
}

// borrow moves one visit of the team's quota to day d from the day with the
// most room left, if d can take one more within the daily limit.
func (g *groupPlanner) borrow(quota, used []int, d int) bool {
	if quota[d] >= g.daily {
		return false
	}
	from := -1
	for e := range quota {
		if room := quota[e] - used[e]; room > 0 && (from < 0 || room > quota[from]-used[from]) {
			from = e
		}
	}
	if from < 0 {
		return false
	}
	quota[from]--
	quota[d]++
	return true
}

// covers reports whether the group, with extra certified inspectors from
// outside its cities, covers every enterprise in the given number of days.
// It composes the same teams as plan would, from the counts alone.
func (g *groupPlanner) covers(extra, days int) bool {
	counts := make([]int, len(g.cities)+1)
	for _, m := range g.staff {
		counts[m.home]++
	}
	counts[len(g.cities)] += extra
	_, routed := route(g.demand(), classesOf(compose(counts, g.size)), g.daily*days)
	return routed == g.total()
}

// morePeople returns the fewest extra outsiders that make the group cover
// every enterprise in the window, or -1 if the window has no day. It tries
// 1, 2, … rather than bisecting because team formation need not be monotone;
// enough outsiders to form ⌈enterprises ÷ (daily × days)⌉ teams of their own
// always do, which bounds the search.
func (g *groupPlanner) morePeople() int {
	days := len(g.days)
	if days == 0 {
		return -1
	}
	most := g.size * ceilDiv(g.total(), g.daily*days)
	for x := 1; x <= most; x++ {
		if g.covers(x, days) {
			return x
		}
	}
	return -1
}

// moreDays returns the fewest working days to add to the window for the
// present staff to cover every enterprise, or -1 if no number would (a city
// no team may inspect). With fixed teams the coverage only grows with the
// days, so bisection finds the least.
func (g *groupPlanner) moreDays() int {
	lo, hi := 1, ceilDiv(g.total(), g.daily) // one team alone would do in hi more days
	if !g.covers(0, len(g.days)+hi) {
		return -1
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if g.covers(0, len(g.days)+mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
