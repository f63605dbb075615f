package monitor

import (
	"math"
	"testing"
)

// Ensure a unit use is placed as the intensity rule judges it: above the
// baseline, at or below the benchmark, or between.
func TestBenchmarkLevel(t *testing.T) {
	b := clinkerLevels
	for unit, want := range map[float64]Level{117.01: AboveBaseline, 117: Between, 100.01: Between, 100: AtBenchmark, 90: AtBenchmark} {
		if got := b.Level(unit); got != want {
			t.Errorf("%v: %s, want %s", unit, got, want)
		}
	}
}

// The levels of clinker and of power supplied, as the profile holds them.
var (
	clinkerLevels = Benchmark{Product: "clinker", Numerator: NumeratorEnergy, Scale: 1000, Unit: "kgce/t", Benchmark: 100, Baseline: 117}
	powerLevels   = Benchmark{Product: "power_supplied_mwh", Numerator: NumeratorEnergyInputs, Scale: 1000, Unit: "gce/kWh",
		Benchmark: 270, Baseline: 300}
)

// Ensure unit use from a period's totals takes the reported energy for
// energy, the coal and electricity inputs for power supplied, and nothing
// without output.
func TestUnitUseOfTotals(t *testing.T) {
	clinker := clinkerLevels
	if u, ok := clinker.UnitUseOfTotals(map[string]float64{"output:clinker": 200000, IndicatorEnergy: 22000}, GBT2589()); !ok || u != 110 {
		t.Errorf("clinker: %v %v, want 110 kgce/t", u, ok)
	}
	if _, ok := clinker.UnitUseOfTotals(map[string]float64{IndicatorEnergy: 22000}, GBT2589()); ok {
		t.Error("no output, yet a unit use")
	}
	if _, ok := clinker.UnitUseOfTotals(map[string]float64{"output:clinker": 1}, GBT2589()); ok {
		t.Error("no energy, yet a unit use")
	}
	power := powerLevels
	// 430 t of raw coal and 55,000 kWh per 1,000 MWh: 307.1 + 6.8 gce/kWh.
	u, ok := power.UnitUseOfTotals(map[string]float64{"output:power_supplied_mwh": 1000, IndicatorCoal: 430, IndicatorElectricity: 55000, IndicatorEnergy: 1}, GBT2589())
	if want := (430*0.7143 + 55*0.1229) * 1000 / 1000; !ok || math.Abs(u-want) > 1e-9 {
		t.Errorf("power: %v %v, want %v gce/kWh", u, ok, want)
	}
}
