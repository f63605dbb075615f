package storetest

import (
	"fmt"
	"testing"

	"lianggao"
	"lianggao/internal/store"
)

// CampaignCode is the campaign SeedCampaign opens: December 2026.
const CampaignCode = "2026H2"

// SeedProvince registers, in every city's first county, perCity enterprises
// (numbered from 1000 + 100 × the city's place), and the staff of the five department lines: per
// line a leader and five provincial officials, and two officials in every
// city, all certified to the end of 2027; plus two Four-Into members and two
// experts. It returns the enterprises.
func SeedProvince(t testing.TB, s *store.Store, perCity int) []*lianggao.Enterprise {
	t.Helper()
	ctx := Admin()
	p := s.Profile()
	var ents []*lianggao.Enterprise
	var people []*lianggao.Person
	person := func(kind, dept, region, home string) {
		n := len(people) + 1
		people = append(people, &lianggao.Person{Name: fmt.Sprintf("检查员%03d", n), Kind: kind, Department: dept, Region: region,
			HomeRegion: home, Phone: "13800000000", CertNumber: fmt.Sprintf("鲁执证%05d", n), CertValidUntil: lianggao.Date{Year: 2027, Month: 12, Day: 31}})
	}
	for i, c := range p.Cities() {
		county := p.Counties(c.Code)[0].Code
		for n := range perCity {
			e := Enterprise(county, 1000+i*100+n)
			ents = append(ents, e)
		}
		for _, d := range p.Departments {
			person(lianggao.PersonOfficial, d.Code, c.Code, c.Code)
			person(lianggao.PersonOfficial, d.Code, county, c.Code)
		}
	}
	for _, d := range p.Departments {
		for i := range 6 {
			person(lianggao.PersonOfficial, d.Code, p.Province, p.Cities()[i].Code)
		}
	}
	for i := range 2 {
		person(lianggao.PersonFourInto, "", p.Cities()[i].Code, p.Cities()[i].Code)
		person(lianggao.PersonExpert, "", p.Province, p.Cities()[i+2].Code)
	}
	lines := make([]int, len(ents))
	for i := range lines {
		lines[i] = i + 2
	}
	if err := s.ImportEnterprises(ctx, ents, lines, "seed"); err != nil {
		t.Fatalf("seed enterprises: %v", err)
	}
	plines := make([]int, len(people))
	for i := range plines {
		plines[i] = i + 2
	}
	if err := s.ImportPeople(ctx, people, plines, "seed"); err != nil {
		t.Fatalf("seed people: %v", err)
	}
	return ents
}

// SeedCampaign opens CampaignCode on a seeded province, freezes its target
// list, staffs its groups from the register and, when draw is set, commits
// and draws it.
func SeedCampaign(t testing.TB, s *store.Store, draw bool) *lianggao.Campaign {
	t.Helper()
	ctx := Admin()
	if _, err := s.CreateCampaign(ctx, CampaignCode, "2026年下半年两高企业全面检查"); err != nil {
		t.Fatalf("create campaign: %v", err)
	}
	if _, err := s.FreezeTargets(ctx, CampaignCode, nil); err != nil {
		t.Fatalf("freeze targets: %v", err)
	}
	if _, err := s.ProposeMembers(ctx, CampaignCode); err != nil {
		t.Fatalf("propose members: %v", err)
	}
	if draw {
		if _, err := s.Commit(ctx, CampaignCode); err != nil {
			t.Fatalf("commit: %v", err)
		}
		if _, err := s.Draw(ctx, CampaignCode); err != nil {
			t.Fatalf("draw: %v", err)
		}
	}
	c, err := s.FindCampaign(ctx, CampaignCode)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
