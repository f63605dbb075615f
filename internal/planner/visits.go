package planner

import (
	"cmp"
	"maps"
	"slices"

	"lianggao"
)

// Defaults of the visit plan (R7.1 asks for at least two inspectors).
const (
	DefaultTeamSize    = 2
	DefaultDailyVisits = 2
)

// VisitInputs is everything the visit plan depends on. The caller computes the
// working days from the profile's calendar and each inspector's certificate
// validity; the planner reads no clock.
type VisitInputs struct {
	Groups      []AssignedGroup // the assignment: each department's cities
	Enterprises []Target        // the campaign's target list
	Staff       []Inspector     // the members of every group
	Days        []lianggao.Date // the window's working days
	TeamSize    int             // inspectors per team; 0 means DefaultTeamSize, less than 2 is refused
	DailyVisits int             // visits one inspector makes in a day; 0 means DefaultDailyVisits
	AnnualCap   int             // inspections per enterprise per year across programmes; 0 means none
	Existing    []ExistingVisit // other programmes' planned visits; those inside the window may merge
}

// Target is an enterprise to inspect.
type Target struct {
	ID          string // the unified social credit code
	County      string // its county code; its city is lianggao.CityOf(County)
	Inspections int    // inspections this year across all programmes, done or planned, not this campaign's
}

// Inspector is a member of a joint group.
type Inspector struct {
	PersonID   int64
	Department string // the group they belong to
	HomeRegion string // a city or county code: they never inspect enterprises of its city
	Certified  bool   // holds an enforcement certificate valid on every day of the window
}

// ExistingVisit is an inspection of an enterprise already planned by another programme.
type ExistingVisit struct {
	Enterprise string // credit code
	Programme  string
	Day        lianggao.Date
}

// VisitPlan is the outcome: one task per enterprise, or an explanation of
// what is missing.
type VisitPlan struct {
	Groups    []GroupPlan  `json:"groups"`    // in department order
	Shortfall *Shortfall   `json:"shortfall"` // nil when every enterprise has a task
	Warnings  []CapWarning `json:"warnings"`  // in enterprise order
	Merges    []Merge      `json:"merges"`    // in enterprise then day order
}

// GroupPlan is one group's teams and tasks.
type GroupPlan struct {
	Department string   `json:"department"`
	Cities     []string `json:"cities"`
	Tasks      []Task   `json:"tasks"`     // by day, then team
	Reserves   []int64  `json:"reserves"`  // certified members on no team: too few left, or a team barred from every city
	Unplanned  []string `json:"unplanned"` // enterprises the staff cannot cover in the window, by city, county, code
}

// Task is one on-site inspection: an enterprise, a day and a team.
type Task struct {
	Enterprise string        `json:"enterprise"`
	Day        lianggao.Date `json:"day"`
	Team       []int64       `json:"team"` // person ids, ascending
}

// Shortfall says how far the staff fall short of covering every enterprise.
type Shortfall struct {
	Unplanned  int              `json:"unplanned"`   // enterprises without a task
	MorePeople int              `json:"more_people"` // the sum of the groups' MorePeople, or -1 if one is -1
	MoreDays   int              `json:"more_days"`   // working days to add to the window so that every group covers all with its present staff, or -1 if no number would
	Groups     []GroupShortfall `json:"groups"`      // the groups that fall short, in department order
}

// GroupShortfall is one group's shortfall.
type GroupShortfall struct {
	Department string `json:"department"`
	Unplanned  int    `json:"unplanned"`
	MorePeople int    `json:"more_people"` // certified inspectors from outside the group's cities who would cover all; -1 if people alone cannot (no working day)
	MoreDays   int    `json:"more_days"`   // working days to add that would cover all with the present staff; -1 if no number would
}

// CapWarning flags an enterprise whose campaign visit reaches or exceeds the
// annual cap on inspections (R7.1).
type CapWarning struct {
	Enterprise  string `json:"enterprise"`
	Inspections int    `json:"inspections"`
	Cap         int    `json:"cap"`
	Exceeds     bool   `json:"exceeds"` // the visit would take it over the cap, not just to it
	Merged      bool   `json:"merged"`  // the task is on the day of another programme's visit, so it adds no inspection
}

// Merge suggests combining the campaign's visit with another programme's
// visit of the same enterprise in the window (综合查一次).
type Merge struct {
	Enterprise string        `json:"enterprise"`
	Programme  string        `json:"programme"`
	Day        lianggao.Date `json:"day"`       // the other programme's visit
	TaskDay    lianggao.Date `json:"task_day"`  // the campaign's task; zero when the enterprise is unplanned
	Scheduled  bool          `json:"scheduled"` // the task is already on Day
}

// PlanVisits plans the on-site inspections of the campaign. Groups are
// planned independently, since every enterprise and every inspector belongs
// to exactly one; see groupPlanner for the method.
func PlanVisits(in VisitInputs) (*VisitPlan, error) {
	setup, err := newSetup(in)
	if err != nil {
		return nil, err
	}
	plan := &VisitPlan{}
	var short []GroupShortfall
	for _, g := range setup.groups {
		gp, s := g.plan()
		plan.Groups = append(plan.Groups, gp)
		if s != nil {
			short = append(short, *s)
		}
	}
	plan.Shortfall = sumShortfalls(short)
	taskDays := map[string]lianggao.Date{}
	for _, g := range plan.Groups {
		for _, t := range g.Tasks {
			taskDays[t.Enterprise] = t.Day
		}
	}
	plan.Merges = setup.merges(taskDays)
	plan.Warnings = setup.capWarnings(taskDays)
	return plan, nil
}

// sumShortfalls combines the groups' shortfalls; nil when there are none.
func sumShortfalls(groups []GroupShortfall) *Shortfall {
	if len(groups) == 0 {
		return nil
	}
	s := &Shortfall{Groups: groups}
	for _, g := range groups {
		s.Unplanned += g.Unplanned
		s.MorePeople = addOrNone(s.MorePeople, g.MorePeople)
		if s.MoreDays >= 0 && g.MoreDays >= 0 {
			s.MoreDays = max(s.MoreDays, g.MoreDays)
		} else {
			s.MoreDays = -1
		}
	}
	return s
}

// addOrNone adds counts where -1 means "no number would do".
func addOrNone(a, b int) int {
	if a < 0 || b < 0 {
		return -1
	}
	return a + b
}

// merges lists, for every target with another programme's visit in the
// window, the suggestion to combine them.
func (s *setup) merges(taskDays map[string]lianggao.Date) []Merge {
	var out []Merge
	for _, id := range slices.Sorted(maps.Keys(s.existing)) {
		for _, v := range s.existing[id] {
			day := taskDays[id]
			out = append(out, Merge{Enterprise: id, Programme: v.Programme, Day: v.Day, TaskDay: day, Scheduled: day == v.Day})
		}
	}
	return out
}

// capWarnings flags the targets whose visit reaches or exceeds the cap.
func (s *setup) capWarnings(taskDays map[string]lianggao.Date) []CapWarning {
	if s.annualCap == 0 {
		return nil
	}
	var out []CapWarning
	for _, t := range s.targets {
		if t.Inspections+1 < s.annualCap {
			continue
		}
		merged := false
		for _, v := range s.existing[t.ID] {
			merged = merged || v.Day == taskDays[t.ID]
		}
		out = append(out, CapWarning{Enterprise: t.ID, Inspections: t.Inspections, Cap: s.annualCap,
			Exceeds: t.Inspections >= s.annualCap, Merged: merged})
	}
	slices.SortFunc(out, func(a, b CapWarning) int { return cmp.Compare(a.Enterprise, b.Enterprise) })
	return out
}
