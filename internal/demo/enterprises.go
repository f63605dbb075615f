package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"lianggao"
	"lianggao/internal/config"
)

// DemoCounty is the county of the county supervisor and enterprise accounts:
// Lanshan, Rizhao, home of a large steel base. The first steel plant is
// always built there.
const DemoCounty = "371103"

// plant is a generated enterprise with what the figures need to know of it.
type plant struct {
	*lianggao.Enterprise
	ind      *industry
	v        *variant
	capacity float64 // of the main product, per year
	rank     float64 // the capacity's place in the industry's range, 0 smallest to 1 largest
	// keyIndustry marks the plants of the five key industries, checked on site every month.
	keyIndustry bool
}

// writeEnterprises generates the enterprises and imports them in one go.
func (g *generator) writeEnterprises(ctx context.Context) error {
	g.plants = g.enterprises()
	es := make([]*lianggao.Enterprise, len(g.plants))
	for i, p := range g.plants {
		es[i] = p.Enterprise
	}
	if err := g.s.ImportEnterprises(ctx, es, lineNumbers(len(es)), checksum(es)); err != nil {
		return err
	}
	g.sum.Enterprises = len(es)
	return nil
}

// enterprises draws every industry's plants over the cities and counties.
func (g *generator) enterprises() []*plant {
	r := newRNG(g.o.Seed, streamEnterprises)
	centres := g.countyCentres(r)
	names, codes := map[string]bool{}, map[string]bool{}
	var out []*plant
	for i := range industries {
		ind := &industries[i]
		for n := range g.scaled(ind.count) {
			county := g.county(r, ind)
			demo := ind.code == "steel" && n == 0 // the enterprise account reports for it
			if demo {
				county = DemoCounty
			}
			p := g.plant(r, ind, county)
			p.Name = uniqueName(r, names, g.namePrefix(r, county), pick(r, p.v.words))
			p.CreditCode = uniqueCreditCode(r, codes, county)
			p.Location = jitter(r, centres[county])
			if demo {
				p.Status = lianggao.EnterpriseOperating
			}
			out = append(out, p)
		}
	}
	return out
}

// keyIndustry reports whether the profile marks the industry as key.
func (g *generator) keyIndustry(code string) bool {
	i := slices.IndexFunc(g.profile.Industries, func(ind config.Industry) bool { return ind.Code == code })
	return i >= 0 && g.profile.Industries[i].Key
}

// plant draws one enterprise's kind, capacities, flags and status.
func (g *generator) plant(r rng, ind *industry, county string) *plant {
	weights := make([]float64, len(ind.variants))
	for i, v := range ind.variants {
		weights[i] = v.weight
	}
	v := &ind.variants[r.weighted(weights)]
	u := r.Float64()
	capacity := nice(logBetween(v.lo, v.hi, u))
	caps := []lianggao.Capacity{{Product: v.main, Amount: capacity}}
	if r.chance(v.share) {
		for _, o := range v.others {
			caps = append(caps, lianggao.Capacity{Product: o.product, Amount: nice(capacity * o.factor)})
		}
	}
	e := &lianggao.Enterprise{
		Address:    address(r, g.regionName(county)),
		County:     county,
		City:       lianggao.CityOf(county),
		Industry:   ind.code,
		Datum:      lianggao.DatumWGS84,
		Key:        u >= 1-ind.daily,
		Status:     status(r),
		Capacities: caps,

		OutputControlled: outputControlled[ind.code],
	}
	return &plant{Enterprise: e, ind: ind, v: v, capacity: capacity, rank: u, keyIndustry: g.keyIndustry(ind.code)}
}

func status(r rng) string {
	switch x := r.Float64(); {
	case x < 0.01:
		return lianggao.EnterpriseClosed
	case x < 0.05:
		return lianggao.EnterpriseStopped
	}
	return lianggao.EnterpriseOperating
}

// nice rounds a capacity to two significant digits, as capacities are stated.
func nice(x float64) float64 {
	p := math.Pow10(int(math.Floor(math.Log10(x))) - 1)
	return math.Round(x/p) * p
}

// county draws the county of a plant: a city by the industry's weights, then
// one of the industry's clusters there or any county but the quiet centres.
func (g *generator) county(r rng, ind *industry) string {
	cities := g.profile.Cities()
	weights := make([]float64, len(cities))
	for i, c := range cities {
		switch w, ok := ind.cities[c.Code]; {
		case ind.cities == nil:
			weights[i] = cityWeights[c.Code]
		case ok:
			weights[i] = w
		default:
			weights[i] = 0.15
		}
	}
	city := cities[r.weighted(weights)].Code
	counties := g.profile.Counties(city)
	var hot []string
	for _, c := range counties {
		if slices.Contains(ind.hot, c.Code) {
			hot = append(hot, c.Code)
		}
	}
	if len(hot) > 0 && r.chance(0.6) {
		return pick(r, hot)
	}
	weights = make([]float64, len(counties))
	for i, c := range counties {
		weights[i] = 1
		if quietDistricts[c.Code] {
			weights[i] = 0.15
		}
	}
	return counties[r.weighted(weights)].Code
}

// countyCentres places each county around its city's centre, so that a
// county's plants cluster on the map. The profile gives city centres only.
func (g *generator) countyCentres(r rng) map[string]lianggao.Point {
	out := map[string]lianggao.Point{}
	for _, c := range g.profile.Cities() {
		for _, k := range g.profile.Counties(c.Code) {
			out[k.Code] = lianggao.Point{Lat: c.Lat + r.between(-0.22, 0.22), Lon: c.Lon + r.between(-0.22, 0.22)}
		}
	}
	return out
}

// jitter places a plant near its county's centre, at most 0.35° from the
// city's, rounded to six decimals (about 0.1 m) as a GPS reading would be.
func jitter(r rng, centre lianggao.Point) lianggao.Point {
	round6 := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	return lianggao.Point{Lat: round6(centre.Lat + r.between(-0.12, 0.12)), Lon: round6(centre.Lon + r.between(-0.12, 0.12))}
}

func (g *generator) regionName(code string) string {
	r, _ := g.profile.Region(code)
	return r.Name
}

// namePrefix is how an enterprise name starts: the province, the city or,
// outside the city districts, the county.
func (g *generator) namePrefix(r rng, county string) string {
	switch x := r.Float64(); {
	case x < 0.35:
		return "山东"
	case x < 0.75:
		return shortName(g.regionName(lianggao.CityOf(county)))
	}
	if c, _ := g.profile.Region(county); c.Kind != "district" {
		return shortName(c.Name)
	}
	return shortName(g.regionName(lianggao.CityOf(county)))
}

// uniqueName returns prefix + trade name + industry word + suffix, drawing
// trade names until the name is new.
func uniqueName(r rng, seen map[string]bool, prefix, word string) string {
	for {
		name := prefix + tradeName(r) + word + pick(r, suffixes)
		if !seen[name] {
			seen[name] = true
			return name
		}
	}
}

// uniqueCreditCode returns a new unified social credit code of an enterprise
// (登记管理部门 9, 类别 1) registered in the county.
func uniqueCreditCode(r rng, seen map[string]bool, county string) string {
	for {
		body := "91" + county + orgCode(r)
		c, _ := lianggao.CreditCodeCheck(body)
		code := body + string(c)
		if !seen[code] {
			seen[code] = true
			return code
		}
	}
}

// orgCode returns an organisation code (GB 11714): eight characters and their
// check character. Enterprises registered since 2015 have codes starting MA.
func orgCode(r rng) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var b strings.Builder
	if r.chance(0.55) {
		b.WriteString("MA")
		b.WriteByte(alphabet[r.intBetween(1, 9)])
		for range 5 {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
	} else {
		fmt.Fprintf(&b, "%d%07d", pick(r, []int{6, 7, 7, 7}), r.IntN(1e7))
	}
	return b.String() + orgCheck(b.String())
}

// orgCheck computes the check character of an organisation code.
func orgCheck(body string) string {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 8 {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return "X"
	case 11:
		return "0"
	default:
		return fmt.Sprint(c)
	}
}
