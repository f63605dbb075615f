package planner

import (
	"crypto/sha256"
	"encoding/binary"

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
