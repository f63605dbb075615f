package lianggao

import "context"

// Region levels.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
)

// Region is an administrative division identified by its GB/T 2260 code. Every
// other record hangs on a county or a city, and scope checks follow this tree.
type Region struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Level  string  `json:"level"`
	Kind   string  `json:"kind,omitempty"` // district, county-level city, county
	Parent string  `json:"parent,omitempty"`
	Lat    float64 `json:"lat,omitempty"`
	Lon    float64 `json:"lon,omitempty"`
}

// RegionLevel returns the level a six-digit GB/T 2260 code denotes: xx0000 is a
// province, xxxx00 a city, anything else a county-level unit.
func RegionLevel(code string) string {
	switch {
	case len(code) != 6:
		return ""
	case code[2:] == "0000":
		return LevelProvince
	case code[4:] == "00":
		return LevelCity
	default:
		return LevelCounty
	}
}

// CityOf returns the code of the city a county code belongs to (a city's own
// code for a city).
func CityOf(code string) string {
	if len(code) != 6 {
		return ""
	}
	return code[:4] + "00"
}

// RegionService reads the region tree.
type RegionService interface {
	// FindRegions returns every region, cities before their counties, ordered by code.
	FindRegions(ctx context.Context) ([]*Region, error)
}

// Department is one of the five department lines (drc, iit, eco, amr, stats).
type Department struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Industry is one of the two-high industries; key industries get monthly on-site checks.
type Industry struct {
	Code     string     `json:"code"`
	Name     string     `json:"name"`
	Key      bool       `json:"key"`
	Products []*Product `json:"products,omitempty"`
}

// Product is something an industry makes, with its unit.
type Product struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Industry string `json:"industry"`
}
