package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"lianggao"
)

// Staff sizes: officials per department line at each level, and the pools
// that are not tied to a department.
const (
	provincialPerDept = 15
	countyShare       = 0.6 // of counties with their own line staff; groups elsewhere borrow city staff
	expertCount       = 60
	fourIntoPerCity   = 4
	professionalsCity = 2
)

// writePeople generates the staff and imports them in one go.
func (g *generator) writePeople(ctx context.Context) error {
	g.people = g.staff()
	if err := g.s.ImportPeople(ctx, g.people, lineNumbers(len(g.people)), checksum(g.people)); err != nil {
		return err
	}
	g.sum.People = len(g.people)
	return nil
}

// staff draws the officials of the five department lines at province, city
// and county level, the experts, the Four-Into members and the hired
// professionals.
func (g *generator) staff() []*lianggao.Person {
	ro := &roster{g: g, r: newRNG(g.o.Seed, streamPeople), serials: map[string]int{}}
	cities := g.profile.Cities()
	for _, d := range g.profile.Departments {
		for range provincialPerDept {
			ro.add(lianggao.PersonOfficial, d.Code, g.profile.Province, pick(ro.r, cities).Code)
		}
	}
	for _, c := range cities {
		ro.city(c.Code)
	}
	for range expertCount {
		ro.add(lianggao.PersonExpert, "", g.profile.Province, pick(ro.r, cities).Code)
	}
	return ro.people
}

// roster collects the people as they are drawn.
type roster struct {
	g       *generator
	r       rng
	serials map[string]int // certificates issued per region
	people  []*lianggao.Person
}

// add draws a person; most officials hold an enforcement certificate.
func (ro *roster) add(kind, dept, region, home string) {
	p := &lianggao.Person{Name: personName(ro.r), Kind: kind, Department: dept, Region: region, HomeRegion: home, Phone: phone(ro.r)}
	if kind == lianggao.PersonOfficial && ro.r.chance(0.88) {
		ro.serials[region]++
		p.CertNumber = fmt.Sprintf("鲁执证%s%05d", region, ro.serials[region])
		p.CertValidUntil = ro.g.certExpiry(ro.r)
	}
	ro.people = append(ro.people, p)
}

// city draws a city's line officials, those of some of its counties (always
// DemoCounty's), its Four-Into members and its professionals.
func (ro *roster) city(city string) {
	depts := ro.g.profile.Departments
	for _, d := range depts {
		for range ro.r.intBetween(4, 5) {
			ro.add(lianggao.PersonOfficial, d.Code, city, city)
		}
	}
	for _, k := range ro.g.profile.Counties(city) {
		if k.Code != DemoCounty && !ro.r.chance(countyShare) {
			continue
		}
		for _, d := range depts {
			for range ro.r.intBetween(1, 2) {
				ro.add(lianggao.PersonOfficial, d.Code, k.Code, city)
			}
		}
	}
	for range fourIntoPerCity {
		ro.add(lianggao.PersonFourInto, "", city, city)
	}
	for range professionalsCity {
		ro.add(lianggao.PersonProfessional, "", city, city)
	}
}

// certExpiry spreads certificate validity so that some certificates lapse in
// the coming months and a few already have.
func (g *generator) certExpiry(r rng) lianggao.Date {
	switch x := r.Float64(); {
	case x < 0.04:
		return g.today.AddDays(-r.intBetween(1, 300))
	case x < 0.13:
		return g.today.AddDays(r.intBetween(0, 120))
	}
	return g.today.AddDays(r.intBetween(121, 1800))
}

// writeGroups creates one supervision group per city and county-level unit,
// staffed from the officials working there.
func (g *generator) writeGroups(ctx context.Context) error {
	groups := g.groups()
	for _, sg := range groups {
		if err := g.s.CreateSupervisionGroup(ctx, sg); err != nil {
			return err
		}
		g.sum.GroupMembers += len(sg.Members)
	}
	g.sum.Groups = len(groups)
	return nil
}

// groups staffs the groups from the officials working in their
// jurisdiction; a county without its own line staff borrows its city's.
func (g *generator) groups() []*lianggao.SupervisionGroup {
	r := newRNG(g.o.Seed, streamGroups)
	sizes := g.groupSizes(r)
	staff := map[string][]*lianggao.Person{}
	for _, p := range g.people {
		if p.Kind == lianggao.PersonOfficial {
			staff[p.Region] = append(staff[p.Region], p)
		}
	}
	used := map[*lianggao.Person]bool{}
	var out []*lianggao.SupervisionGroup
	for _, code := range slices.Sorted(maps.Keys(sizes)) {
		out = append(out, &lianggao.SupervisionGroup{Code: "SG-" + code, Name: g.groupName(code) + "两高项目专项督导组",
			Region: code, Members: draw(r, staff[code], staff[lianggao.CityOf(code)], used, sizes[code])})
	}
	return out
}

// groupSizes returns the size of the group of each city and county-level
// unit. The profile fixes how many members there are in all, so most groups
// have two; the city groups, then a few county groups drawn at random, get
// one more.
func (g *generator) groupSizes(r rng) map[string]int {
	var cities, counties []string
	for _, c := range g.profile.Cities() {
		cities = append(cities, c.Code)
		for _, k := range g.profile.Counties(c.Code) {
			counties = append(counties, k.Code)
		}
	}
	r.Shuffle(len(counties), func(i, j int) { counties[i], counties[j] = counties[j], counties[i] })
	regions := append(cities, counties...)
	base, extra := g.profile.Supervision.Members/len(regions), g.profile.Supervision.Members%len(regions)
	out := make(map[string]int, len(regions))
	for i, code := range regions {
		out[code] = base
		if i < extra {
			out[code]++
		}
	}
	return out
}

// draw picks size people not yet in a group, from own staff first, then from
// fallback. The first, a DRC official when there is one, leads the group.
func draw(r rng, own, fallback []*lianggao.Person, used map[*lianggao.Person]bool, size int) []*lianggao.GroupMember {
	var chosen []*lianggao.Person
	for _, pool := range [][]*lianggao.Person{own, fallback} {
		for _, i := range r.Perm(len(pool)) {
			if len(chosen) < size && !used[pool[i]] {
				used[pool[i]] = true
				chosen = append(chosen, pool[i])
			}
		}
	}
	if i := slices.IndexFunc(chosen, func(p *lianggao.Person) bool { return p.Department == "drc" }); i > 0 {
		chosen[0], chosen[i] = chosen[i], chosen[0]
	}
	out := make([]*lianggao.GroupMember, len(chosen))
	for i, p := range chosen {
		out[i] = &lianggao.GroupMember{PersonID: p.ID, Name: p.Name, Role: "member"}
	}
	if len(out) > 0 {
		out[0].Role = "leader"
	}
	return out
}

// groupName is the jurisdiction's name, with its city's where the county
// name alone is ambiguous (two districts are called 市中区).
func (g *generator) groupName(code string) string {
	name := g.regionName(code)
	if lianggao.RegionLevel(code) != lianggao.LevelCounty {
		return name
	}
	same := 0
	for _, reg := range g.profile.Regions {
		if reg.Name == name {
			same++
		}
	}
	if same > 1 {
		return g.regionName(lianggao.CityOf(code)) + name
	}
	return name
}
