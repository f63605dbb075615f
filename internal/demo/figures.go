package demo

import (
	"context"
	"math"
	"time"

	"lianggao"
)

// Standard-coal coefficients of GB/T 2589: raw coal of 5,000 kcal/kg, and
// electricity at its equivalent value (0.1229 kgce/kWh).
const (
	tcePerTonneCoal = 0.7143
	tcePerKWh       = 0.0001229
	tcePerTonneCoke = 0.9714
)

// Indicators every reporting plant sends each day besides its output.
const (
	IndicatorElectricity = "elec_kwh"
	IndicatorCoal        = "coal_t"
	IndicatorEnergy      = "energy_tce"
	// IndicatorCokeOut is coke supplied out: a coking plant's whole output.
	IndicatorCokeOut = "out:coke_t"
)

// reports tells whether a plant reports daily figures: the key enterprises
// in operation.
func reports(p *plant) bool {
	return p.Key && p.Status == lianggao.EnterpriseOperating
}

// designTce is the plant's energy use at full capacity, in tce a year.
func (p *plant) designTce() float64 {
	return p.capacity * (p.v.coal*tcePerTonneCoal + p.v.elec*tcePerKWh)
}

// day is one day of a plant's report; missing days are not sent.
type day struct {
	output, elec, coal, energy float64
	supplied                   float64 // coke supplied out: the true output, whatever is reported as output
	missing                    bool
}

// plantYear is a plant's year of reports, from the first day of the window.
type plantYear struct {
	p    *plant
	days []day
}

// writeFigures generates a year of daily figures for every reporting plant
// and stores them one month per batch, in the order of the figures' key so
// that the inserts append to the index.
func (g *generator) writeFigures(ctx context.Context) error {
	r := newRNG(g.o.Seed, streamFigures)
	first, last := g.figureWindow()
	var all []plantYear
	for _, p := range g.plants {
		if reports(p) {
			all = append(all, plantYear{p, g.series(r, p, first)})
		}
	}
	for m := first; !last.Before(m); m = monthEnd(m).AddDays(1) {
		end := monthEnd(m)
		if last.Before(end) {
			end = last
		}
		g.progress("figures " + m.String()[:7])
		figs := batch(all, daysBetween(first, m), daysBetween(first, end), first)
		if _, err := g.s.PutFigures(ctx, "enterprise", figs); err != nil {
			return err
		}
		g.sum.Figures += len(figs)
	}
	return nil
}

// dailyIndicators are what a reporting plant sends each day.
var dailyIndicators = []struct {
	name  func(*plant) string
	value func(day) float64
}{
	{outputIndicator, func(d day) float64 { return d.output }},
	{func(*plant) string { return IndicatorElectricity }, func(d day) float64 { return d.elec }},
	{func(*plant) string { return IndicatorCoal }, func(d day) float64 { return d.coal }},
	{func(*plant) string { return IndicatorEnergy }, func(d day) float64 { return d.energy }},
	{suppliedIndicator, func(d day) float64 { return d.supplied }},
}

// suppliedIndicator names the main product supplied out as energy, for the
// plants whose product is one (coke); "" for the others.
func suppliedIndicator(p *plant) string {
	if p.v.net > 0 {
		return IndicatorCokeOut
	}
	return ""
}

// batch returns the figures of days [from, to] (indices into the year),
// plant by plant and indicator by indicator.
func batch(all []plantYear, from, to int, first lianggao.Date) []*lianggao.Figure {
	block := make([]lianggao.Figure, 0, len(all)*len(dailyIndicators)*(to-from+1))
	for _, s := range all {
		for _, ind := range dailyIndicators {
			name := ind.name(s.p)
			if name == "" {
				continue
			}
			for i := from; i <= to; i++ {
				if !s.days[i].missing {
					block = append(block, lianggao.Figure{EnterpriseID: s.p.ID, Date: first.AddDays(i),
						Indicator: name, Value: ind.value(s.days[i])})
				}
			}
		}
	}
	out := make([]*lianggao.Figure, len(block))
	for i := range block {
		out[i] = &block[i]
	}
	return out
}

// operation is how a plant runs over the year, drawn once: its utilisation,
// its own electricity and coal rates per unit of output, and its stoppages.
type operation struct {
	daily      float64 // capacity per day
	util       float64
	elec, coal float64
	stopped    []bool
}

// series draws a plant's year of reports: the true values of each day, bent
// by the plant's planted problem, rounded as a plant would report them.
func (g *generator) series(r rng, p *plant, first lianggao.Date) []day {
	op := operation{daily: p.capacity / 365, util: r.between(0.72, 0.92),
		elec: p.v.elec * r.between(0.9, 1.1), coal: p.v.coal * r.between(0.9, 1.1), stopped: g.stoppages(r, p, first)}
	if p.v.net > 0 {
		// The plant's own spread is in its net use, not in its coal: the
		// coal that becomes coke is most of the coal.
		op.coal = (p.v.net*op.coal/p.v.coal + tcePerTonneCoke - op.elec*tcePerKWh) / tcePerTonneCoal
	}
	decimals := 0
	if prod, _ := g.profile.Product(p.v.main); prod.Unit == "t" || prod.Unit == "MWh" {
		decimals = 1
	}
	out := make([]day, 365)
	for i := range out {
		d := first.AddDays(i)
		v := g.reported(p, d, g.trueDay(r, p, op, d, op.stopped[i]))
		out[i] = day{output: round(v.output, decimals), elec: round(v.elec, 0), coal: round(v.coal, 1),
			energy: round(v.energy, 1), supplied: round(v.supplied, decimals), missing: v.missing}
	}
	return out
}

// trueDay draws what a plant really made and used on day d: output follows
// utilisation and the season, electricity and coal follow output at the
// plant's rates; on a stoppage day all of them fall together, electricity
// to the standby load.
func (g *generator) trueDay(r rng, p *plant, op operation, d lianggao.Date, stopped bool) day {
	rate := op.util * p.ind.season(d.Time(time.UTC).YearDay())
	if !p.ind.continuous && !g.profile.Calendar().IsWorkingDay(d) {
		rate *= 0.75
	}
	if pr := g.problem[p]; pr.Kind == KindOverproduction && pr.covers(d) {
		rate = pr.Factor
	}
	var v day
	if stopped {
		v.output = op.daily * r.between(0, 0.02)
		v.elec = op.daily * op.elec * r.between(0.08, 0.15)
		v.coal = v.output * op.coal
	} else {
		v.output = op.daily * rate * r.noise(0.04)
		v.elec = v.output * op.elec * r.noise(0.02)
		v.coal = v.output * op.coal * r.noise(0.03)
	}
	v.energy = (v.coal*tcePerTonneCoal + v.elec*tcePerKWh) * r.noise(0.003)
	if p.v.net > 0 {
		v.supplied = v.output
		v.energy -= v.supplied * tcePerTonneCoke
	}
	return v
}

// reported bends a day's true values by the plant's planted problem.
func (g *generator) reported(p *plant, d lianggao.Date, v day) day {
	pr := g.problem[p]
	if !pr.covers(d) {
		return v
	}
	switch pr.Kind {
	case KindOutputJump, KindOutputConcealed:
		v.output *= pr.Factor
	case KindEnergyUnderreported:
		v.energy *= pr.Factor
	case KindMissingFigures:
		v.missing = true
	}
	return v
}

// stoppages marks the days a plant stands still: a maintenance shutdown or
// two, and for cement the winter off-peak stop (错峰生产). Plants with a
// planted problem keep running, so that the problem stands out clearly.
func (g *generator) stoppages(r rng, p *plant, first lianggao.Date) []bool {
	out := make([]bool, 365)
	if _, planted := g.problem[p]; planted {
		return out
	}
	mark := func(start, n int) {
		for i := max(start, 0); i < min(start+n, len(out)); i++ {
			out[i] = true
		}
	}
	for range r.IntN(3) {
		mark(r.IntN(365), r.intBetween(3, 10))
	}
	if p.Industry == "cement" {
		newYear := daysBetween(first, lianggao.Date{Year: first.Year + 1, Month: 1, Day: 1})
		mark(newYear-15+r.IntN(30), r.intBetween(25, 45))
	}
	return out
}

// Seasonal patterns of output, by day of the year.

// gentle swings output by ±a around a peak on day peak.
func gentle(a float64, peak int) func(int) float64 {
	return func(doy int) float64 { return 1 + a*math.Cos(2*math.Pi*float64(doy-peak)/365) }
}

// twoPeaks is the power plants' year: peaks in midwinter and midsummer.
func twoPeaks(a float64) func(int) float64 {
	return func(doy int) float64 { return 1 + a*math.Cos(4*math.Pi*float64(doy-20)/365) }
}

// heatingSeasonCut lowers output by a from 15 November to 15 March, when
// steel and coke output is curbed for air quality.
func heatingSeasonCut(a float64) func(int) float64 {
	return func(doy int) float64 {
		if doy >= 319 || doy <= 74 {
			return 1 - a
		}
		return 1
	}
}

// round rounds x to the given number of decimals.
func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}
