package monitor

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
// NumeratorEnergyInputs the energy carriers' inputs at the coefficients
// given (the profile's). false: no output, or no numerator among the totals.
func (b Benchmark) UnitUseOfTotals(totals map[string]float64, coef *Coefficients) (float64, bool) {
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
		e, err := coef.Compute(NewCatalogue(nil), totals)
		use, ok = e.Inputs, err == nil && e.Inputs > 0
	default:
		use, ok = totals[b.Numerator]
	}
	if !ok {
		return 0, false
	}
	return use * b.Scale / out, true
}
