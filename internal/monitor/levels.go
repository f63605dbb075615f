package monitor

// NationalBenchmarks are the energy-efficiency levels of the main products
// of the key industries (FACTS.md §4): unit use above the baseline (基准水平)
// is to be retrofitted or phased out, at or below the benchmark (标杆水平) is
// the good list. Only cement clinker is verified; the coke and power rows
// are recollections to confirm. Crude steel has no national level of its
// own (the 2021 list judges the blast furnace, converter and electric
// furnace processes apart), so its row holds GB 21256-2007's limits for the
// blast-furnace–converter route: the advanced value as the benchmark, the
// limit for existing plants as the baseline. Crude oil processing is judged
// per energy factor, which the figures do not carry, so it has no row.
var NationalBenchmarks = []Benchmark{
	{Product: "crude_steel", Numerator: NumeratorEnergy, Scale: 1000, Unit: "kgce/t", Benchmark: 407, Baseline: 502, Version: "GB 21256-2007"},
	{Product: "coke", Numerator: NumeratorEnergy, Scale: 1000, Unit: "kgce/t", Benchmark: 110, Baseline: 135, Version: "2021"},
	{Product: "power_supplied_mwh", Numerator: NumeratorEnergyInputs, Scale: 1000, Unit: "gce/kWh", Benchmark: 270, Baseline: 300, Version: "2021"},
	{Product: "clinker", Numerator: NumeratorEnergy, Scale: 1000, Unit: "kgce/t", Benchmark: 100, Baseline: 117, Version: "2021"},
}

// BenchmarkFor returns the national levels of a product.
func BenchmarkFor(product string) (Benchmark, bool) {
	for _, b := range NationalBenchmarks {
		if b.Product == product {
			return b, true
		}
	}
	return Benchmark{}, false
}

// Level is where a unit use stands against a benchmark's levels.
type Level string

// Levels, worst first.
const (
	AboveBaseline Level = "above_baseline" // unit use > baseline
	Between       Level = "between"        // benchmark < unit use ≤ baseline
	AtBenchmark   Level = "benchmark"      // unit use ≤ benchmark
)

// Level returns where unit use stands, lower being better: the same cuts
// the intensity rule makes.
func (b Benchmark) Level(unit float64) Level {
	switch {
	case unit > b.Baseline:
		return AboveBaseline
	case unit <= b.Benchmark:
		return AtBenchmark
	}
	return Between
}

// UnitUseOfTotals returns unit use in the benchmark's unit from one period's
// totals by indicator (output:<product>, energy_tce, elec_kwh, coal_t …):
// numerator × Scale ÷ output. NumeratorEnergy takes the reported energy_tce;
// NumeratorEnergyInputs the energy carriers' inputs at the GB/T 2589
// coefficients. false: no output, or no numerator among the totals.
func (b Benchmark) UnitUseOfTotals(totals map[string]float64) (float64, bool) {
	out := totals[OutputPrefix+b.Product]
	if out <= 0 {
		return 0, false
	}
	var use float64
	var ok bool
	switch b.Numerator {
	case NumeratorEnergy:
		use, ok = totals[IndicatorEnergy]
	case NumeratorEnergyInputs:
		e, err := GBT2589().Compute(NewCatalogue(nil), totals)
		use, ok = e.Inputs, err == nil && e.Inputs > 0
	default:
		use, ok = totals[b.Numerator]
	}
	if !ok {
		return 0, false
	}
	return use * b.Scale / out, true
}
