package planner

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"lianggao"
	"lianggao/internal/config"
)

// shandongLoads are realistic counts of two-high enterprises per city.
var shandongLoads = map[string]int{
	"370100": 250, "370200": 180, "370300": 320, "370400": 150,
	"370500": 230, "370600": 170, "370700": 300, "370800": 220,
	"370900": 140, "371000": 60, "371100": 120, "371300": 260,
	"371400": 150, "371500": 160, "371600": 170, "371700": 120,
}

// shandongInputs builds the assignment inputs from the default profile's
// departments and cities.
func shandongInputs() AssignmentInputs {
	p := config.Default()
	in := AssignmentInputs{Campaign: "2026H1"}
	for _, d := range p.Departments {
		in.Groups = append(in.Groups, GroupSpec{Department: d.Code, Cities: d.CitiesPerCampaign})
	}
	for _, c := range p.Cities() {
		in.Cities = append(in.Cities, CityLoad{Code: c.Code, Enterprises: shandongLoads[c.Code]})
	}
	return in
}

// testSeed derives a seed from a number.
func testSeed(i int) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(i))
	s := sha256.Sum256(b[:])
	return s[:]
}

// windowDays returns the working days of June 2026 in the default profile: 21.
func windowDays() []lianggao.Date {
	cal := config.Default().Calendar()
	var days []lianggao.Date
	for d := (lianggao.Date{Year: 2026, Month: time.June, Day: 1}); d.Month == time.June; d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			days = append(days, d)
		}
	}
	return days
}

// shandongVisits builds the visit inputs for an assignment: 3,000
// enterprises spread over each city's counties, 40 members per group with
// home cities spread over the 16 cities, nine in ten certified.
func shandongVisits(a *Assignment) VisitInputs {
	p := config.Default()
	in := VisitInputs{Groups: a.Groups, Days: windowDays(), AnnualCap: p.Campaign.AnnualInspectionCap}
	cities := p.Cities()
	for _, c := range cities {
		counties := p.Counties(c.Code)
		for i := range shandongLoads[c.Code] {
			in.Enterprises = append(in.Enterprises, Target{
				ID:          fmt.Sprintf("9137%s%08d", c.Code[2:4], i),
				County:      counties[(i*7)%len(counties)].Code,
				Inspections: i % 5,
			})
		}
	}
	id := int64(1000)
	for g, grp := range a.Groups {
		for i := range 40 {
			id++
			in.Staff = append(in.Staff, Inspector{PersonID: id, Department: grp.Department,
				HomeRegion: cities[(g*7+i)%len(cities)].Code, Certified: i%10 != 9})
		}
	}
	return in
}
