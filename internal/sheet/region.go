package sheet

import (
	"strings"

	"lianggao/internal/config"
)

// regionIndex resolves what people write for a region: its code, its name,
// or, for a name that several cities share (市中区 is in Jinan and in
// Zaozhuang), the city's name followed by it.
type regionIndex struct {
	p            *config.Profile
	countiesOnly bool
	what         string // the message keys' prefix: county or region
	byName       map[string][]string
}

// newRegionIndex indexes the profile's county-level units, or, unless
// countiesOnly, all its regions.
func newRegionIndex(p *config.Profile, countiesOnly bool) *regionIndex {
	ix := &regionIndex{p: p, countiesOnly: countiesOnly, what: "region", byName: map[string][]string{}}
	if countiesOnly {
		ix.what = "county"
	}
	for i := range p.Regions {
		r := &p.Regions[i]
		if !ix.admits(r) {
			continue
		}
		ix.byName[r.Name] = append(ix.byName[r.Name], r.Code)
		if city, ok := p.Region(r.Parent); ok && isCounty(r) {
			ix.byName[city.Name+r.Name] = append(ix.byName[city.Name+r.Name], r.Code)
		}
	}
	return ix
}

func isCounty(r *config.Region) bool { return r.Kind != "city" && r.Kind != "province" }

func (ix *regionIndex) admits(r *config.Region) bool { return !ix.countiesOnly || isCounty(r) }

// resolve returns the code of the region in the cell of column key, or ""
// when blank, unknown or ambiguous (the last two recorded as problems).
func (ix *regionIndex) resolve(r *row, key string) string {
	v := strings.Join(strings.Fields(r.text(key)), "") // "济南市 市中区" too
	if v == "" {
		return ""
	}
	if reg, ok := ix.p.Region(v); ok && ix.admits(reg) {
		return v
	}
	switch codes := ix.byName[v]; len(codes) {
	case 1:
		return codes[0]
	case 0:
		r.fail(key, ix.what+".unknown", v)
	default:
		r.fail(key, ix.what+".ambiguous", v)
	}
	return ""
}
