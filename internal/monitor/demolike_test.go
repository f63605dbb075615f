package monitor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"lianggao"
)

// This file builds series shaped like the demo province's (internal/demo,
// figures.go and problems.go): the same rates per unit, utilisation,
// seasons, noise, stoppages, rounding and planted problems, drawn with a
// test seed. The demo itself writes through the store, so the rules are
// checked here on look-alikes; the engineer wiring the store runs
// Evaluate on the real thing.

// industryShape is an industry as the demo draws it.
type industryShape struct {
	code, product string
	lo, hi        float64 // capacity range per year
	elec, coal    float64 // per unit of output
	continuous    bool
	season        func(doy int) float64
	controlled    bool // output-controlled: steel and coking
}

func gentle(a float64, peak int) func(int) float64 {
	return func(doy int) float64 { return 1 + a*math.Cos(2*math.Pi*float64(doy-peak)/365) }
}

func twoPeaks(a float64) func(int) float64 {
	return func(doy int) float64 { return 1 + a*math.Cos(4*math.Pi*float64(doy-20)/365) }
}

func heatingSeasonCut(a float64) func(int) float64 {
	return func(doy int) float64 {
		if doy >= 319 || doy <= 74 {
			return 1 - a
		}
		return 1
	}
}

var demoIndustries = []industryShape{
	{"steel", "crude_steel", 1e6, 1e7, 450, 0.62, true, heatingSeasonCut(0.08), true},
	{"coking", "coke", 5e5, 3e6, 32, 1.33, true, heatingSeasonCut(0.06), true},
	{"refining", "crude_oil_processed", 2e6, 1.5e7, 62, 0.08, true, gentle(0.04, 120), false},
	{"coal_power", "power_supplied_mwh", 1e6, 8e6, 55, 0.43, true, twoPeaks(0.12), false},
	{"cement", "clinker", 1e6, 5e6, 62, 0.15, true, gentle(0.12, 260), false},
	{"tyres", "tyres", 1e6, 3e7, 18, 0.012, false, gentle(0.06, 90), false},
	{"asphalt", "asphalt_membrane", 5e6, 5e7, 0.3, 0.0015, false, gentle(0.15, 240), false},
}

// demoPlant is one generated plant with its figures and what was planted.
type demoPlant struct {
	ind      industryShape
	code     string
	capacity float64
	figures  map[string]Series
	meters   []MeterStatus
	problem  *TruthItem
	factor   float64
}

// demoWorld is a generated province: plants over the year of figures that
// ends the day before now.
type demoWorld struct {
	r           *rand.Rand
	first, last lianggao.Date
	now         time.Time
	plants      []*demoPlant
	planted     map[string]int // problems planted so far, by kind
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func newDemoWorld(seed uint64, now time.Time) *demoWorld {
	today := lianggao.DateOf(now.In(shanghai))
	return &demoWorld{r: rand.New(rand.NewPCG(seed, 7)), first: today.AddDays(-365), last: today.AddDays(-1), now: now,
		planted: map[string]int{}}
}

func (w *demoWorld) between(lo, hi float64) float64 { return lo + w.r.Float64()*(hi-lo) }

func (w *demoWorld) intBetween(lo, hi int) int { return lo + w.r.IntN(hi-lo+1) }

func (w *demoWorld) noise(sd float64) float64 { return max(0.5, min(1.5, 1+w.r.NormFloat64()*sd)) }

// add draws a plant of the industry, with a planted problem of the kind
// (or none for "").
func (w *demoWorld) add(ind industryShape, kind string) *demoPlant {
	p := &demoPlant{ind: ind, code: fmt.Sprintf("P%04d", len(w.plants)),
		capacity: ind.lo * math.Pow(ind.hi/ind.lo, w.r.Float64())}
	if kind != "" {
		p.problem = w.plant(p, kind)
		w.planted[kind]++
	}
	p.figures = w.series(p)
	p.meters = w.meters(p)
	w.plants = append(w.plants, p)
	return p
}

// plant draws a problem's period and factor as problems.go does.
func (w *demoWorld) plant(p *demoPlant, kind string) *TruthItem {
	t := &TruthItem{CreditCode: p.code, Kind: kind}
	daysWindow := func(lo, hi int) {
		n := w.intBetween(lo, hi)
		t.From = w.first.AddDays(w.intBetween(45, 365-n-20))
		t.To = t.From.AddDays(n - 1)
	}
	switch kind {
	case "overproduction": // two to four whole calendar months
		var starts []span
		for _, m := range months(span{dayNumber(w.first), dayNumber(w.last)}) {
			if m.lo >= dayNumber(w.first) && m.hi <= dayNumber(w.last) {
				starts = append(starts, m)
			}
		}
		k := w.intBetween(2, 4)
		i := w.r.IntN(len(starts) - k + 1)
		t.From, t.To, p.factor = dateOf(starts[i].lo), dateOf(starts[i+k-1].hi), w.between(1.12, 1.22)
	case "output_jump":
		daysWindow(30, 50)
		p.factor = w.between(1.35, 1.5)
	case "output_concealed":
		daysWindow(30, 60)
		p.factor = w.between(0.55, 0.65)
	case "missing_figures":
		days := w.intBetween(5, 12)
		t.From = w.first.AddDays(w.intBetween(20, 365-days-20))
		if w.planted[kind] == 0 { // the first has stopped reporting altogether
			t.From = w.last.AddDays(1 - days)
		}
		t.To = t.From.AddDays(days - 1)
	case "energy_underreported":
		daysWindow(60, 90)
		p.factor = w.between(0.68, 0.76)
	case "meter_overdue":
		t.From = lianggao.DateOf(w.now.In(shanghai)).AddDays(-w.intBetween(200, 400))
		t.To = w.last
	}
	return t
}

func (w *demoWorld) covers(p *demoPlant, d lianggao.Date, kind string) bool {
	t := p.problem
	return t != nil && t.Kind == kind && !d.Before(t.From) && !t.To.Before(d)
}

// series draws the plant's year of figures as figures.go does.
func (w *demoWorld) series(p *demoPlant) map[string]Series {
	out := map[string]Series{OutputPrefix + p.ind.product: {}, IndicatorElectricity: {}, IndicatorCoal: {}, IndicatorEnergy: {}}
	daily, util := p.capacity/365, w.between(0.72, 0.92)
	elecRate, coalRate := p.ind.elec*w.between(0.9, 1.1), p.ind.coal*w.between(0.9, 1.1)
	stopped := w.stoppages(p)
	for i := range 365 {
		d := w.first.AddDays(i)
		rate := util * p.ind.season(d.Time(time.UTC).YearDay())
		if !p.ind.continuous && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday) {
			rate *= 0.75
		}
		if w.covers(p, d, "overproduction") {
			rate = p.factor
		}
		var output, elec, coal float64
		if stopped[i] {
			output = daily * w.between(0, 0.02)
			elec = daily * elecRate * w.between(0.08, 0.15)
			coal = output * coalRate
		} else {
			output = daily * rate * w.noise(0.04)
			elec = output * elecRate * w.noise(0.02)
			coal = output * coalRate * w.noise(0.03)
		}
		energy := (coal*0.7143 + elec*0.0001229) * w.noise(0.003)
		switch {
		case w.covers(p, d, "output_jump"), w.covers(p, d, "output_concealed"):
			output *= p.factor
		case w.covers(p, d, "energy_underreported"):
			energy *= p.factor
		case w.covers(p, d, "missing_figures"):
			continue
		}
		out[OutputPrefix+p.ind.product][d] = roundTo(output, 1)
		out[IndicatorElectricity][d] = roundTo(elec, 0)
		out[IndicatorCoal][d] = roundTo(coal, 1)
		out[IndicatorEnergy][d] = roundTo(energy, 1)
	}
	return out
}

// stoppages marks maintenance stops and, for cement, the winter stop;
// plants with a planted problem keep running.
func (w *demoWorld) stoppages(p *demoPlant) []bool {
	out := make([]bool, 365)
	if p.problem != nil {
		return out
	}
	mark := func(start, n int) {
		for i := max(start, 0); i < min(start+n, 365); i++ {
			out[i] = true
		}
	}
	for range w.r.IntN(3) {
		mark(w.r.IntN(365), w.intBetween(3, 10))
	}
	if p.ind.code == "cement" {
		newYear := dayNumber(lianggao.Date{Year: w.first.Year + 1, Month: 1, Day: 1}) - dayNumber(w.first)
		mark(newYear-15+w.r.IntN(30), w.intBetween(25, 45))
	}
	return out
}

// meters fits four meters, their verification due over the coming year
// and a few just overdue, as meters.go does.
func (w *demoWorld) meters(p *demoPlant) []MeterStatus {
	today := lianggao.DateOf(w.now.In(shanghai))
	out := make([]MeterStatus, 4)
	for i := range out {
		due := today.AddDays(w.intBetween(0, 365))
		if w.r.Float64() < 0.04 {
			due = today.AddDays(-w.intBetween(1, 30))
		}
		out[i] = MeterStatus{Serial: fmt.Sprintf("%s-M%d", p.code, i), CalibrationDue: due}
	}
	if p.problem != nil && p.problem.Kind == "meter_overdue" {
		out[0].CalibrationDue = p.problem.From
	}
	return out
}

func roundTo(x float64, decimals int) float64 {
	f := math.Pow10(decimals)
	return math.Round(x*f) / f
}

// enterprise returns what the store would hand the rules for the plant:
// its figures, plan if output-controlled, meters, reporting days (receipt
// times unknown, as for figures loaded in bulk) and the peers' rates.
func (w *demoWorld) enterprise(p *demoPlant, peers map[string]map[string]map[lianggao.Date][]float64) *Enterprise {
	e := &Enterprise{CreditCode: p.code, Product: p.ind.product, Figures: Figures{}, Meters: p.meters,
		Since: w.first, Received: map[lianggao.Date]time.Time{}, Peers: map[string]map[lianggao.Date][]float64{}}
	for ind, s := range p.figures {
		e.Figures[ind] = map[string]Series{DefaultSource: s}
	}
	for d := range p.figures[IndicatorElectricity] {
		e.Received[d] = time.Time{}
	}
	if p.ind.controlled {
		e.Plans = []OutputPlan{CapacityPlan(p.ind.product, p.capacity, w.first.Year, w.last.Year)}
	}
	for use, byIndustry := range peers {
		e.Peers[use] = map[lianggao.Date][]float64{}
		for month, rates := range byIndustry[p.code] {
			e.Peers[use][month] = rates
		}
	}
	switch p.ind.product {
	case "coke":
		e.Benchmarks = []Benchmark{{Product: "coke", Numerator: NumeratorEnergy, Scale: 1000, Benchmark: 110, Baseline: 135}}
	case "clinker":
		e.Benchmarks = []Benchmark{{Product: "clinker", Numerator: NumeratorEnergy, Scale: 1000, Benchmark: 100, Baseline: 117}}
	}
	return e
}

// peerRates returns, by use indicator and plant, the monthly rates of the
// plant's industry peers (itself excluded), as the store would gather them.
func (w *demoWorld) peerRates(p UnitUseParams) map[string]map[string]map[lianggao.Date][]float64 {
	out := map[string]map[string]map[lianggao.Date][]float64{}
	for _, use := range []string{IndicatorElectricity, IndicatorCoal} {
		rates := map[*demoPlant]map[lianggao.Date]float64{}
		for _, pl := range w.plants {
			rates[pl] = MonthlyRates(pl.figures[OutputPrefix+pl.ind.product], pl.figures[use], p)
		}
		out[use] = map[string]map[lianggao.Date][]float64{}
		for _, pl := range w.plants {
			byMonth := map[lianggao.Date][]float64{}
			for _, other := range w.plants {
				if other == pl || other.ind.code != pl.ind.code {
					continue
				}
				for m, r := range rates[other] {
					byMonth[m] = append(byMonth[m], r)
				}
			}
			out[use][pl.code] = byMonth
		}
	}
	return out
}

func demoCatalogue() *Catalogue {
	var products []*lianggao.Product
	for _, ind := range demoIndustries {
		products = append(products, &lianggao.Product{Code: ind.product, Unit: "t"})
	}
	return NewCatalogue(products)
}
