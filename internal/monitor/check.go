package monitor

import (
	"maps"
	"slices"
	"time"

	"lianggao"
)

// Params are the thresholds of every rule, with the names of the province
// profile's [rules] section, which holds their values.
type Params struct {
	Overproduction OverproductionParams `toml:"overproduction"`
	Intensity      IntensityParams      `toml:"intensity"`
	UnitUse        UnitUseParams        `toml:"unit_use"`
	Change         ChangeParams         `toml:"lone_change"`
	Reports        ReportsParams        `toml:"reports"`
	Meters         MeterParams          `toml:"meters"`
	DailyMonthly   DailyMonthlyParams   `toml:"daily_vs_monthly"`
	Sources        SourcesParams        `toml:"source_mismatch"`
	Energy         EnergyParams         `toml:"energy_mismatch"`
	// HeatingSeason splits the unit-use history of plants that supply heat.
	HeatingSeason Season `toml:"heating_season"`
	// WarmupDays is how far before From Check looks, so that a run over one
	// day sees the episodes and history a run over the year would.
	WarmupDays int `toml:"warmup_days"`
}

// Enterprise is what the rules know about one enterprise. Only Figures is
// required; each rule runs when its inputs are there.
type Enterprise struct {
	CreditCode string
	// Product is the main product: output:<Product> is the output that
	// electricity and coal are compared with.
	Product string
	Figures Figures
	Plans   []OutputPlan // products under output control
	Exempt  []Period     // days exempt from output control
	// Since is the first day daily figures are due; zero: the enterprise
	// has no daily reporting duty and the reporting rules do not run.
	Since    lianggao.Date
	Excused  []Period
	Received map[lianggao.Date]time.Time
	Meters   []MeterStatus
	// Monthly holds monthly figures by indicator and first day of the month.
	Monthly    map[string]map[lianggao.Date]float64
	Benchmarks []Benchmark
	// Peers holds, by use indicator (elec_kwh, coal_t) and first day of the
	// month, the monthly rates of the other enterprises making Product.
	Peers map[string]map[lianggao.Date][]float64
}

// Context is what one run of the rules shares; every field is required.
type Context struct {
	From, To     lianggao.Date
	Now          time.Time
	Loc          *time.Location // the profile's zone
	Catalogue    *Catalogue
	Coefficients *Coefficients
}

// Check runs every rule over one enterprise and returns its findings that
// meet [From, To], merged. It is pure and safe to run for many enterprises
// at once. The rules read the enterprise's own figures
// (source "enterprise"); other sources are compared with them. The error is
// a coefficient table missing a carrier the enterprise reports.
func Check(e *Enterprise, c Context, p Params) ([]Finding, error) {
	period := span{dayNumber(c.From), dayNumber(c.To)}
	wide := Period{dateOf(period.lo - p.WarmupDays), c.To}
	own := e.Figures.source(DefaultSource)
	computed, err := c.Coefficients.Daily(c.Catalogue, own)
	if err != nil {
		return nil, err
	}
	var fs []Finding
	fs = append(fs, checkOutput(e, c, own, wide, p)...)
	fs = append(fs, checkIntensity(e, own, computed, wide, p)...)
	fs = append(fs, checkData(e, c, own, computed, wide, p)...)
	for i := range fs {
		fs[i].CreditCode = e.CreditCode
	}
	return Merge(within(fs, period)), nil
}

// source returns each indicator's series from one source.
func (f Figures) source(src string) map[string]Series {
	out := map[string]Series{}
	for ind, bySource := range f {
		if s := bySource[src]; len(s) > 0 {
			out[ind] = s
		}
	}
	return out
}

// checkOutput runs the rules on output and its relation to electricity
// and coal.
func checkOutput(e *Enterprise, c Context, own map[string]Series, wide Period, p Params) []Finding {
	var fs []Finding
	for _, plan := range e.Plans {
		fs = append(fs, Overproduction(OverproductionInput{Output: own[OutputPrefix+plan.Product], Plan: plan,
			Exempt: e.Exempt, Since: e.Since, From: wide.From, To: wide.To}, p.Overproduction)...)
	}
	output := own[OutputPrefix+e.Product]
	if e.Product == "" || len(output) == 0 {
		return fs
	}
	heat := heatSupplied(c.Catalogue, own)
	uu := p.UnitUse
	if len(heat) > 0 {
		uu.Seasons = []Season{p.HeatingSeason}
	}
	group := map[string]Series{OutputPrefix + e.Product: output}
	for _, use := range []string{IndicatorElectricity, IndicatorCoal} {
		if len(own[use]) == 0 {
			continue
		}
		group[use] = own[use]
		fs = append(fs, UnitUse(UnitUseInput{Output: output, Use: own[use], Subject: use, Peers: e.Peers[use],
			From: wide.From, To: wide.To}, uu)...)
	}
	for _, code := range heat {
		group[code] = own[code]
	}
	return append(fs, LoneChange(ChangeInput{Series: group, From: wide.From, To: wide.To}, p.Change)...)
}

// heatSupplied returns the indicators of heat the enterprise supplies out
// or makes as a product: in the heating season they rise while power
// output stays, and coal follows them.
func heatSupplied(cat *Catalogue, own map[string]Series) []string {
	var out []string
	for _, code := range slices.Sorted(maps.Keys(own)) {
		ind, ok := cat.Lookup(code)
		if ok && (ind.Kind == KindSupplied && ind.Carrier == Heat || ind.Kind == KindOutput && ind.Unit == "GJ") {
			out = append(out, code)
		}
	}
	return out
}

func checkIntensity(e *Enterprise, own map[string]Series, computed map[lianggao.Date]EnergyUse, wide Period, p Params) []Finding {
	var fs []Finding
	for _, b := range e.Benchmarks {
		var use Series
		switch b.Numerator {
		case NumeratorEnergy:
			use = energySeries(computed, EnergyUse.Total)
		case NumeratorEnergyInputs:
			use = energySeries(computed, func(u EnergyUse) float64 { return u.Inputs })
		default:
			use = own[b.Numerator]
		}
		fs = append(fs, Intensity(IntensityInput{Output: own[OutputPrefix+b.Product], Use: use, Benchmark: b,
			From: wide.From, To: wide.To}, p.Intensity)...)
	}
	return fs
}

func energySeries(computed map[lianggao.Date]EnergyUse, f func(EnergyUse) float64) Series {
	out := make(Series, len(computed))
	for d, u := range computed {
		out[d] = f(u)
	}
	return out
}

// checkData runs the rules on the data themselves: reporting, meters, and
// agreement with monthly figures, other sources and the energy computed.
func checkData(e *Enterprise, c Context, own map[string]Series, computed map[lianggao.Date]EnergyUse, wide Period, p Params) []Finding {
	var fs []Finding
	if !e.Since.IsZero() {
		fs = append(fs, Reports(ReportsInput{Received: e.Received, Since: e.Since, Excused: e.Excused,
			From: wide.From, To: wide.To, Now: c.Now, Loc: c.Loc}, p.Reports)...)
	}
	fs = append(fs, Meters(e.Meters, c.Now, c.Loc, p.Meters)...)
	for ind, monthly := range e.Monthly {
		fs = append(fs, DailyMonthly(DailyMonthlyInput{Indicator: ind, Daily: own[ind], Monthly: monthly,
			From: wide.From, To: wide.To}, p.DailyMonthly)...)
	}
	for ind, bySource := range e.Figures {
		for src, other := range bySource {
			if src != DefaultSource && len(own[ind]) > 0 {
				fs = append(fs, Sources(SourcesInput{Indicator: ind, Own: own[ind], Other: other, OtherSource: src,
					From: wide.From, To: wide.To}, p.Sources)...)
			}
		}
	}
	if len(own[IndicatorEnergy]) > 0 && len(computed) > 0 {
		fs = append(fs, EnergyCheck(EnergyInput{Reported: own[IndicatorEnergy], Computed: computed,
			From: wide.From, To: wide.To}, p.Energy)...)
	}
	return fs
}
