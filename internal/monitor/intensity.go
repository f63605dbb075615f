package monitor

import "lianggao"

// Numerators of a benchmark besides an indicator code.
const (
	NumeratorEnergy       = "energy"        // comprehensive energy use computed by the platform, tce
	NumeratorEnergyInputs = "energy_inputs" // energy brought in, before what is supplied out, tce
)

// Benchmark is a product's energy-efficiency benchmark (标杆) and baseline
// (基准) levels (FACTS.md §4), lower being better — negative values
// included, as for the converter process.
type Benchmark struct {
	Product string `toml:"product"`
	// Numerator is what is divided by output: NumeratorEnergy for unit
	// comprehensive energy use, NumeratorEnergyInputs where the product is
	// itself energy supplied out (power supplied: coal burnt per MWh), or an
	// indicator code (elec_kwh for electrolytic aluminium's kWh/t).
	Numerator string `toml:"numerator"`
	// Scale turns numerator ÷ output into the benchmark's unit: 1000 from
	// tce/t to kgce/t, and from tce/MWh to gce/kWh.
	Scale     float64 `toml:"scale"`
	Unit      string  `toml:"unit"`
	Benchmark float64 `toml:"benchmark"`
	Baseline  float64 `toml:"baseline"`
	Version   string  `toml:"version"`
}

// IntensityParams are the thresholds of the intensity rule.
type IntensityParams struct {
	// Rolling judges every 30 days ending on each day instead of calendar
	// months.
	Rolling        bool    `toml:"rolling"`
	MinRunningDays int     `toml:"min_running_days"` // a window is judged with at least this many running days
	RunningShare   float64 `toml:"running_share"`    // a day runs when output ≥ this share of the typical day's
}

// IntensityInput is one product of one enterprise.
type IntensityInput struct {
	Output    Series // output:<product>
	Use       Series // the benchmark's numerator, day by day
	Benchmark Benchmark
	From, To  lianggao.Date
}

// Intensity compares unit use — Σ use × Scale ÷ Σ output over a calendar
// month or 30 days, never one day — with the benchmark's levels: above the
// baseline is a warning; at or below the benchmark is an info finding, the
// good list's evidence. A window with fewer than MinRunningDays running
// days is not judged: a plant standing still has no meaningful unit use.
func Intensity(in IntensityInput, p IntensityParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	ext, ok := extent(in.Output)
	if !ok {
		return nil
	}
	all := span{min(ext.lo, monthOf(period.lo).lo, period.lo-29), period.hi}
	out, use := dense(in.Output, all), dense(in.Use, all)
	run := running(out, p.RunningShare)
	var fs []Finding
	for _, w := range intensityWindows(period, p.Rolling) {
		if f, ok := intensityWindow(in.Benchmark, w, all, out, use, run, p); ok {
			fs = append(fs, f)
		}
	}
	return Merge(fs)
}

// intensityWindows are the calendar months meeting the period, cut at its
// end, or the 30-day windows ending on each of its days.
func intensityWindows(period span, rolling bool) []span {
	var ws []span
	if rolling {
		for n := period.lo; n <= period.hi; n++ {
			ws = append(ws, span{n - 29, n})
		}
		return ws
	}
	for _, m := range months(period) {
		ws = append(ws, span{m.lo, min(m.hi, period.hi)})
	}
	return ws
}

func intensityWindow(b Benchmark, w, all span, out, use []float64, run []bool, p IntensityParams) (Finding, bool) {
	var sumOut, sumUse float64
	runningDays := 0
	for n := w.lo; n <= w.hi; n++ {
		i := n - all.lo
		if !present(out[i]) || !present(use[i]) {
			continue
		}
		sumOut += out[i]
		sumUse += use[i]
		if run[i] {
			runningDays++
		}
	}
	if runningDays < p.MinRunningDays || sumOut <= 0 {
		return Finding{}, false
	}
	unit := sumUse * b.Scale / sumOut
	ev := map[string]float64{"intensity": round4(unit), "benchmark": b.Benchmark, "baseline": b.Baseline}
	switch {
	case unit > b.Baseline:
		ev["excess_pct"] = pct(unit, b.Baseline)
		return newFinding(RuleIntensityBaseline, b.Product, w, Warning, "alert.intensity.above_baseline", ev), true
	case unit <= b.Benchmark:
		return newFinding(RuleIntensityBenchmark, b.Product, w, Info, "alert.intensity.benchmark_met", ev), true
	}
	return Finding{}, false
}
