package monitor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"lianggao"
)

func date(s string) lianggao.Date {
	d, err := lianggao.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fill returns a series of n days from from with f(i) on day i; NaN leaves
// the day out.
func fill(from string, n int, f func(i int) float64) Series {
	s := Series{}
	d := date(from)
	for i := range n {
		if v := f(i); !math.IsNaN(v) {
			s[d.AddDays(i)] = v
		}
	}
	return s
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func noise(r *rand.Rand, sd float64) float64 { return 1 + r.NormFloat64()*sd }

// describe renders findings compactly for failure messages and checks.
func describe(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "[%s %s %v %v %s %s]", f.Rule, f.Subject, f.From, f.To, f.Severity, f.Message)
	}
	return b.String()
}

func expect(t *testing.T, fs []Finding, want string) {
	t.Helper()
	if got := describe(fs); got != want {
		t.Errorf("findings\n got %s\nwant %s", got, want)
	}
}

// --- overproduction ---

// plan100 is 36,500 t a year spread by days: 100 t a day.
func plan100() OutputPlan { return CapacityPlan("coke", 36500, 2026) }

func runOverproduction(output Series, plan OutputPlan, exempt []Period, to string) []Finding {
	return Overproduction(OverproductionInput{Output: output, Plan: plan, Exempt: exempt, From: date("2026-01-01"), To: date(to)},
		DefaultParams().Overproduction)
}

// Ensure a month 10% over its plan is a warning for that month alone, and
// 4% over is within tolerance.
func TestOverproductionMonth(t *testing.T) {
	level := func(april float64) Series {
		return fill("2026-01-01", 181, func(i int) float64 {
			if d := date("2026-01-01").AddDays(i); d.Month == 4 {
				return april
			}
			return 95
		})
	}
	expect(t, runOverproduction(level(110), plan100(), nil, "2026-06-30"),
		"[overproduction coke 2026-04-01 2026-04-30 warning alert.overproduction.month]")
	expect(t, runOverproduction(level(104), plan100(), nil, "2026-06-30"), "")
}

// Ensure output a little over plan every month, each month within its
// tolerance, is critical once the year to date passes the plan to date.
func TestOverproductionYearToDate(t *testing.T) {
	fs := runOverproduction(fill("2026-01-01", 181, func(int) float64 { return 103 }), plan100(), nil, "2026-06-30")
	expect(t, fs, "[overproduction coke 2026-01-01 2026-06-30 critical alert.overproduction.year]")
	if fs[0].Evidence["excess_pct"] != 3 {
		t.Errorf("evidence %v", fs[0].Evidence)
	}
}

// Ensure output to date past 45% of the annual target is critical as soon
// as it passes, before the end of May, and not before.
func TestOverproductionMilestone(t *testing.T) {
	target := OutputPlan{Product: "coke", Annual: map[int]float64{2026: 36500}}
	output := fill("2026-01-01", 151, func(int) float64 { return 110 }) // 16,610 t by 31 May, limit 16,425
	expect(t, runOverproduction(output, target, nil, "2026-05-20"), "")
	fs := runOverproduction(output, target, nil, "2026-05-31")
	expect(t, fs, "[overproduction coke 2026-01-01 2026-05-31 critical alert.overproduction.milestone]")
	if fs[0].Evidence["limit"] != 16425 || fs[0].Evidence["output"] != 16610 {
		t.Errorf("evidence %v", fs[0].Evidence)
	}
}

// Ensure exempt days (heating-supply duty to 15 March) count neither output
// nor plan: 130 t a day while exempt and 100 after raise nothing, where the
// same figures without the exemption do.
func TestOverproductionExempt(t *testing.T) {
	output := fill("2026-01-01", 151, func(i int) float64 {
		if i < 74 {
			return 130
		}
		return 100
	})
	heating := []Period{{date("2026-01-01"), date("2026-03-15")}}
	expect(t, runOverproduction(output, plan100(), heating, "2026-05-31"), "")
	if len(runOverproduction(output, plan100(), nil, "2026-05-31")) == 0 {
		t.Error("no finding without the exemption")
	}
}

// Ensure a planned stop and the catch-up after it stay within plan.
func TestOverproductionPlannedStop(t *testing.T) {
	output := fill("2026-01-01", 181, func(i int) float64 {
		switch {
		case i >= 40 && i < 50:
			return 0.5
		case i >= 50 && i < 60:
			return 104
		}
		return 97
	})
	expect(t, runOverproduction(output, plan100(), nil, "2026-06-30"), "")
}

// --- intensity ---

// cokeDays returns output (2,000 t a day) and energy (tce) for a unit
// energy use of kgce(i) per tonne on day i.
func cokeDays(from string, n int, kgce func(i int) float64) (output, energy Series) {
	output = fill(from, n, func(int) float64 { return 2000 })
	energy = fill(from, n, func(i int) float64 { return 2000 * kgce(i) / 1000 })
	return output, energy
}

var cokeBenchmark = Benchmark{Product: "coke", Numerator: NumeratorEnergy, Scale: 1000, Benchmark: 110, Baseline: 135}

func runIntensity(output, energy Series, from, to string, rolling bool) []Finding {
	p := DefaultParams().Intensity
	p.Rolling = rolling
	return Intensity(IntensityInput{Output: output, Use: energy, Benchmark: cokeBenchmark, From: date(from), To: date(to)}, p)
}

// Ensure a month above the baseline is a warning, a month at or below the
// benchmark an info finding, and a month in between nothing.
func TestIntensityMonths(t *testing.T) {
	output, energy := cokeDays("2026-01-01", 90, func(i int) float64 {
		switch date("2026-01-01").AddDays(i).Month {
		case 1:
			return 140
		case 2:
			return 130
		}
		return 105
	})
	fs := runIntensity(output, energy, "2026-01-01", "2026-03-31", false)
	expect(t, fs, "[intensity_baseline coke 2026-01-01 2026-01-31 warning alert.intensity.above_baseline]"+
		"[intensity_benchmark coke 2026-03-01 2026-03-31 info alert.intensity.benchmark_met]")
	if fs[0].Evidence["intensity"] != 140 {
		t.Errorf("evidence %v", fs[0].Evidence)
	}
}

// Ensure one bad day does not make a month above the baseline, and a month
// mostly stopped is not judged at all.
func TestIntensityNeverOneDay(t *testing.T) {
	output, energy := cokeDays("2025-11-01", 92, func(i int) float64 {
		if i == 70 {
			return 200
		}
		return 130
	})
	expect(t, runIntensity(output, energy, "2026-01-01", "2026-01-31", false), "")
	for i := 5; i < 30; i++ { // stopped: 1% output, standby energy
		d := date("2026-01-01").AddDays(i)
		output[d], energy[d] = 20, 40
	}
	expect(t, runIntensity(output, energy, "2026-01-01", "2026-01-31", false), "")
}

// Ensure rolling windows catch a 30-day spell across two months that
// neither calendar month shows.
func TestIntensityRolling(t *testing.T) {
	output, energy := cokeDays("2025-12-01", 120, func(i int) float64 {
		if d := date("2025-12-01").AddDays(i); !d.Before(date("2026-01-17")) && d.Before(date("2026-02-16")) {
			return 142 // January averages 133.2 kgce/t, February 134.1
		}
		return 125
	})
	expect(t, runIntensity(output, energy, "2026-01-01", "2026-03-31", false), "")
	fs := runIntensity(output, energy, "2026-01-01", "2026-03-31", true)
	if len(fs) != 1 || fs[0].Rule != RuleIntensityBaseline || fs[0].To.Before(date("2026-02-15")) {
		t.Fatalf("rolling: %s", describe(fs))
	}
}

// --- unit use ---

// steelDays returns 200 days of output with a ±12% seasonal swing and
// electricity at rate(i) kWh/t with 2% noise.
func steelDays(seed uint64, from string, n int, rate func(i int) float64) (output, elec Series) {
	r := newRand(seed)
	output, elec = Series{}, Series{}
	d := date(from)
	for i := range n {
		o := 8000 * (1 + 0.12*math.Cos(2*math.Pi*float64(i)/365)) * noise(r, 0.04)
		output[d.AddDays(i)] = o
		elec[d.AddDays(i)] = o * rate(i) * noise(r, 0.02)
	}
	return output, elec
}

func runUnitUse(output, elec Series, peers map[lianggao.Date][]float64, from, to string, seasons []Season) []Finding {
	p := DefaultParams().UnitUse
	p.Seasons = seasons
	return UnitUse(UnitUseInput{Output: output, Use: elec, Subject: "elec_kwh", Peers: peers, From: date(from), To: date(to)}, p)
}

// Ensure a month whose kWh/t breaks away from the trailing history is a
// warning, that the return to normal is not another, and that seasonal
// output swings and a planned stop raise nothing.
func TestUnitUseHistory(t *testing.T) {
	output, elec := steelDays(1, "2026-01-01", 212, func(int) float64 { return 450 })
	for i := 60; i < 70; i++ { // a planned stop in March: output nil, standby power
		d := date("2026-01-01").AddDays(i)
		output[d], elec[d] = 40, 300000
	}
	expect(t, runUnitUse(output, elec, nil, "2026-01-01", "2026-07-31", nil), "")
	for d := range elec {
		if d.Month == 5 {
			elec[d] *= 0.8
		}
	}
	fs := runUnitUse(output, elec, nil, "2026-01-01", "2026-07-31", nil)
	expect(t, fs, "[unit_use_history elec_kwh 2026-05-01 2026-05-31 warning alert.unit_use.history]")
	if z := fs[0].Evidence["z"]; z > -3.5 {
		t.Errorf("z %v", z)
	}
}

// peerMonths returns ten peers' rates for each month of 2026 H1, spread
// ±10% around 450 kWh/t.
func peerMonths() map[lianggao.Date][]float64 {
	out := map[lianggao.Date][]float64{}
	for m := time.January; m <= time.June; m++ {
		for k := range 10 {
			first := lianggao.Date{Year: 2026, Month: m, Day: 1}
			out[first] = append(out[first], 405+10*float64(k))
		}
	}
	return out
}

// Ensure a plant far from its peers is a warning every month (merged into
// one), one within their spread is not, and too few peers judge nothing.
func TestUnitUsePeers(t *testing.T) {
	peers := peerMonths()
	output, elec := steelDays(2, "2026-01-01", 181, func(int) float64 { return 470 })
	expect(t, runUnitUse(output, elec, peers, "2026-01-01", "2026-06-30", nil), "")
	output, elec = steelDays(2, "2026-01-01", 181, func(int) float64 { return 630 })
	expect(t, runUnitUse(output, elec, peers, "2026-01-01", "2026-06-30", nil),
		"[unit_use_peers elec_kwh 2026-01-01 2026-06-30 warning alert.unit_use.peers]")
	few := map[lianggao.Date][]float64{}
	for m, rates := range peers {
		few[m] = rates[:5]
	}
	expect(t, runUnitUse(output, elec, few, "2026-01-01", "2026-06-30", nil), "")
}

// Ensure a heat-supplying power plant's coal per MWh, 25% higher in the
// heating season, raises nothing when history is split by season, while
// comparing across the season's start would.
func TestUnitUseHeatingSeason(t *testing.T) {
	heating := []Season{DefaultParams().HeatingSeason}
	output, coal := steelDays(3, "2025-06-01", 304, func(i int) float64 {
		if heating[0].contains(date("2025-06-01").AddDays(i)) {
			return 0.375
		}
		return 0.30
	})
	expect(t, runUnitUse(output, coal, nil, "2025-06-01", "2026-03-31", heating), "")
	if len(runUnitUse(output, coal, nil, "2025-06-01", "2026-03-31", nil)) == 0 {
		t.Error("no finding without the seasons: the test shows nothing")
	}
}

// Ensure the same calendar month a year earlier is the history when there
// is one: a plant whose every January runs at 500 kWh/t against 450 the
// rest of the year is not flagged in January.
func TestUnitUseSameMonthLastYear(t *testing.T) {
	output, elec := steelDays(4, "2025-01-01", 396, func(i int) float64 {
		if date("2025-01-01").AddDays(i).Month == 1 {
			return 500
		}
		return 450
	})
	expect(t, runUnitUse(output, elec, nil, "2026-01-01", "2026-01-31", nil), "")
}

// --- lone change ---

// group returns 240 days of a coking plant's output, electricity and coal
// following it, with seasonal swing and the demo's noise; bend can alter
// each day's values.
func group(seed uint64, bend func(i int, out, elec, coal *float64)) map[string]Series {
	r := newRand(seed)
	g := map[string]Series{"output:coke": {}, "elec_kwh": {}, "coal_t": {}}
	for i := range 240 {
		d := date("2025-06-01").AddDays(i)
		out := 4000 * (1 + 0.1*math.Cos(2*math.Pi*float64(i)/365)) * noise(r, 0.04)
		elec, coal := out*32*noise(r, 0.02), out*1.33*noise(r, 0.03)
		bend(i, &out, &elec, &coal)
		g["output:coke"][d], g["elec_kwh"][d], g["coal_t"][d] = out, elec, coal
	}
	return g
}

func runLoneChange(g map[string]Series) []Finding {
	return LoneChange(ChangeInput{Series: g, From: date("2025-06-01"), To: date("2026-01-26")}, DefaultParams().Change)
}

func between(i, lo, hi int) bool { return i >= lo && i <= hi }

// Ensure output reported 40% up for 40 days while electricity and coal
// stay flat is one finding over those days, with no second one when output
// returns to normal.
func TestLoneChangeJump(t *testing.T) {
	fs := runLoneChange(group(1, func(i int, out, _, _ *float64) {
		if between(i, 100, 139) {
			*out *= 1.4
		}
	}))
	expect(t, fs, "[lone_change output:coke 2025-09-09 2025-10-18 warning alert.change.jump]")
	if q := fs[0].Evidence["relative"]; q < 1.3 {
		t.Errorf("evidence %v", fs[0].Evidence)
	}
}

// Ensure output reported 40% down with electricity and coal as usual is a
// drop; so is electricity alone falling by half (a meter at fault).
func TestLoneChangeDrop(t *testing.T) {
	expect(t, runLoneChange(group(2, func(i int, out, _, _ *float64) {
		if between(i, 100, 139) {
			*out *= 0.6
		}
	})), "[lone_change output:coke 2025-09-09 2025-10-18 warning alert.change.drop]")
	expect(t, runLoneChange(group(3, func(i int, _, elec, _ *float64) {
		if between(i, 150, 170) {
			*elec *= 0.5
		}
	})), "[lone_change elec_kwh 2025-10-29 2025-11-18 warning alert.change.drop]")
}

// Ensure what moves everything together raises nothing: a plant stop (all
// falling, electricity to standby), a real rise of production, the heating
// season's cut, missing days, and the noise of a plain year.
func TestLoneChangeShared(t *testing.T) {
	for name, bend := range map[string]func(i int, out, elec, coal *float64){
		"plain": func(int, *float64, *float64, *float64) {},
		"stop": func(i int, out, elec, coal *float64) {
			if between(i, 100, 109) || between(i, 180, 220) {
				*out, *elec, *coal = 4000*0.01, 4000*32*0.12, 4000*0.01*1.33
			}
		},
		"rise": func(i int, out, elec, coal *float64) {
			if i >= 100 {
				*out, *elec, *coal = *out*1.4, *elec*1.4, *coal*1.4
			}
		},
		"heating season": func(i int, out, elec, coal *float64) {
			if i >= 167 {
				*out, *elec, *coal = *out*0.92, *elec*0.92, *coal*0.92
			}
		},
	} {
		if fs := runLoneChange(group(4, bend)); len(fs) > 0 {
			t.Errorf("%s: %s", name, describe(fs))
		}
	}
	g := group(5, func(int, *float64, *float64, *float64) {})
	for i := 100; i < 130; i += 3 {
		delete(g["output:coke"], date("2025-06-01").AddDays(i))
	}
	expect(t, runLoneChange(g), "")
}

// Ensure a heat-supplying plant entering the heating season — coal up 30%
// with the heat supplied, power output and electricity flat — raises
// nothing when the heat is in the group.
func TestLoneChangeHeatingSeasonCHP(t *testing.T) {
	g := group(6, func(i int, _, _, coal *float64) {
		if i >= 167 {
			*coal *= 1.3
		}
	})
	g["out:heat_gj"] = fill("2025-06-01", 240, func(i int) float64 {
		if i >= 167 {
			return 20000
		}
		return 500
	})
	expect(t, runLoneChange(g), "")
}

// --- reports ---

var reportNow = date("2026-04-01").Time(shanghai).Add(8 * time.Hour) // before the 10:00 deadline

// received returns the days from 1 January to 31 March 2026 with figures
// received at 09:00 the next day, except the days listed.
func received(missing ...string) map[lianggao.Date]time.Time {
	out := map[lianggao.Date]time.Time{}
	for d := date("2026-01-01"); !date("2026-03-31").Before(d); d = d.AddDays(1) {
		out[d] = d.AddDays(1).Time(shanghai).Add(9 * time.Hour)
	}
	for _, m := range missing {
		delete(out, date(m))
	}
	return out
}

func days(from, to string) []string {
	var out []string
	for d := date(from); !date(to).Before(d); d = d.AddDays(1) {
		out = append(out, d.String())
	}
	return out
}

func runReports(rec map[lianggao.Date]time.Time, from string, excused []Period, now time.Time) []Finding {
	return Reports(ReportsInput{Received: rec, Since: date("2026-01-01"), Excused: excused, From: date(from), To: date("2026-03-31"),
		Now: now, Loc: shanghai}, DefaultParams().Reports)
}

func TestReportsGap(t *testing.T) {
	expect(t, runReports(received(), "2026-01-01", nil, reportNow), "")
	expect(t, runReports(received(days("2026-03-10", "2026-03-14")...), "2026-03-01", nil, reportNow),
		"[reports_incomplete  2026-03-01 2026-03-30 warning alert.reports.incomplete]"+
			"[reports_missing  2026-03-10 2026-03-14 warning alert.reports.missing]")
	fs := runReports(received(days("2026-03-10", "2026-03-17")...), "2026-03-01", nil, reportNow)
	if describe(fs[1:]) != "[reports_missing  2026-03-10 2026-03-17 critical alert.reports.missing]" {
		t.Errorf("eight days: %s", describe(fs))
	}
}

// Ensure a gap across a month end is found though each month alone is
// complete enough, and that scattered missing days make only the month
// incomplete.
func TestReportsAcrossMonths(t *testing.T) {
	expect(t, runReports(received(days("2026-02-27", "2026-03-02")...), "2026-02-01", nil, reportNow),
		"[reports_missing  2026-02-27 2026-03-02 warning alert.reports.missing]")
	expect(t, runReports(received("2026-03-03", "2026-03-09", "2026-03-15", "2026-03-21"), "2026-03-01", nil, reportNow),
		"[reports_incomplete  2026-03-01 2026-03-30 warning alert.reports.incomplete]")
}

// Ensure a backfill closes the gap but keeps the late note, that days not
// yet due are not missing, and that excused days are owed nothing.
func TestReportsBackfillDueExcused(t *testing.T) {
	rec := received()
	for _, d := range days("2026-03-10", "2026-03-14") {
		rec[date(d)] = date("2026-03-20").Time(shanghai)
	}
	fs := runReports(rec, "2026-03-01", nil, reportNow)
	expect(t, fs, "[reports_late  2026-03-10 2026-03-14 info alert.reports.late]")
	if fs[0].Evidence["max_hours_late"] != 206 { // 11 March 10:00 to 20 March 00:00 for the 10th
		t.Errorf("evidence %v", fs[0].Evidence)
	}
	tail := received(days("2026-03-29", "2026-03-31")...)
	expect(t, runReports(tail, "2026-03-01", nil, reportNow), "")
	expect(t, runReports(tail, "2026-03-01", nil, reportNow.Add(3*time.Hour)),
		"[reports_missing  2026-03-29 2026-03-31 warning alert.reports.missing]")
	closure := []Period{{date("2026-03-05"), date("2026-03-25")}}
	expect(t, runReports(received(days("2026-03-05", "2026-03-25")...), "2026-03-01", closure, reportNow), "")
}

// --- meters ---

func TestMeters(t *testing.T) {
	now := reportNow
	hours := func(h float64) time.Time { return now.Add(-time.Duration(h * float64(time.Hour))) }
	fs := Meters([]MeterStatus{
		{Serial: "A", Online: true, LastReading: hours(2), CalibrationDue: date("2026-12-31")},
		{Serial: "B", Online: true, LastReading: hours(30)},
		{Serial: "C", Online: true, LastReading: hours(80)},
		{Serial: "D", Online: false, LastReading: hours(500)},
		{Serial: "E", Online: true, Since: hours(48)},
		{Serial: "F", Online: true},
		{Serial: "G", CalibrationDue: date("2026-03-22")},
		{Serial: "H", CalibrationDue: date("2025-12-01")},
		{Serial: "I", CalibrationDue: date("2025-05-01")},
	}, now, shanghai, DefaultParams().Meters)
	expect(t, fs, "[meter_overdue G 2026-03-23 2026-04-01 info alert.meter.overdue]"+
		"[meter_overdue H 2025-12-02 2026-04-01 warning alert.meter.overdue]"+
		"[meter_overdue I 2025-05-02 2026-04-01 critical alert.meter.overdue]"+
		"[meter_silent B 2026-03-31 2026-04-01 warning alert.meter.silent]"+
		"[meter_silent C 2026-03-29 2026-04-01 critical alert.meter.silent]"+
		"[meter_silent E 2026-03-30 2026-04-01 warning alert.meter.silent]")
}

// --- daily against monthly, sources, energy ---

func TestDailyMonthly(t *testing.T) {
	daily := fill("2026-01-01", 59, func(int) float64 { return 100 }) // January 3,100, February 2,800
	for i := 0; i < 5; i++ {
		delete(daily, date("2026-02-10").AddDays(i))
	}
	monthly := map[lianggao.Date]float64{date("2026-01-01"): 3300, date("2026-02-01"): 3500}
	fs := DailyMonthly(DailyMonthlyInput{Indicator: "coal_t", Daily: daily, Monthly: monthly, From: date("2026-01-01"), To: date("2026-02-28")},
		DefaultParams().DailyMonthly)
	// January is 6.1% off; February lacks 5 of 28 days and is left alone.
	expect(t, fs, "[daily_vs_monthly coal_t 2026-01-01 2026-01-31 warning alert.daily_monthly]")
	monthly[date("2026-01-01")] = 3200 // 3.1%
	fs = DailyMonthly(DailyMonthlyInput{Indicator: "coal_t", Daily: daily, Monthly: monthly, From: date("2026-01-01"), To: date("2026-02-28")},
		DefaultParams().DailyMonthly)
	expect(t, fs, "")
}

// Ensure the enterprise's electricity 13% below the grid's over a month is
// a warning and a third below critical, while the few percent by which
// meters read at different times differ day to day are not; day by day,
// each differing day is found.
func TestSources(t *testing.T) {
	r := newRand(7)
	own := fill("2026-01-01", 90, func(int) float64 { return 100000 * noise(r, 0.05) })
	grid := func(feb float64) Series {
		out := Series{}
		for d, v := range own {
			f := 1 + 0.01*r.NormFloat64()
			if d.Month == 2 {
				f = feb
			}
			out[d] = v * f
		}
		return out
	}
	in := SourcesInput{Indicator: "elec_kwh", Own: own, Other: grid(1.15), OtherSource: "grid", From: date("2026-01-01"), To: date("2026-03-31")}
	expect(t, Sources(in, DefaultParams().Sources), "[source_mismatch elec_kwh|grid 2026-02-01 2026-02-28 warning alert.source_mismatch]")
	in.Other = grid(1.5)
	expect(t, Sources(in, DefaultParams().Sources), "[source_mismatch elec_kwh|grid 2026-02-01 2026-02-28 critical alert.source_mismatch]")
	p := DefaultParams().Sources
	p.Daily = true
	in.From, in.To = date("2026-02-20"), date("2026-03-05")
	expect(t, Sources(in, p), "[source_mismatch elec_kwh|grid 2026-02-20 2026-02-28 critical alert.source_mismatch]")
}

// Ensure energy reported 28% below its computation for months is critical,
// while a coking plant whose small net differs by a few tce is not
// flagged: the difference is measured against the energy brought in.
func TestEnergyCheck(t *testing.T) {
	computed := map[lianggao.Date]EnergyUse{}
	reported := Series{}
	for i := range 90 {
		d := date("2026-01-01").AddDays(i)
		computed[d] = EnergyUse{Inputs: 1216.3, Supplied: 1082.0}
		reported[d] = 134.3 + 5 // 3.7% off the net, 0.4% of the inputs
		if d.Month == 2 {
			reported[d] = 134.3 - 0.28*1216.3
		}
	}
	fs := EnergyCheck(EnergyInput{Reported: reported, Computed: computed, From: date("2026-01-01"), To: date("2026-03-31")},
		DefaultParams().Energy)
	expect(t, fs, "[energy_mismatch energy_tce 2026-02-01 2026-02-28 critical alert.energy.mismatch]")
	if fs[0].Evidence["difference_pct"] > -27 {
		t.Errorf("evidence %v", fs[0].Evidence)
	}
}

// Ensure monthly rates are taken over running days, and a month with too
// few of them has none.
func TestMonthlyRates(t *testing.T) {
	output := fill("2026-01-01", 59, func(i int) float64 {
		if i >= 35 { // stopped from 5 February: 5 running days
			return 1
		}
		return 100
	})
	elec := fill("2026-01-01", 59, func(int) float64 { return 4500 }) // standby as high as running: only running days count
	rates := MonthlyRates(output, elec, DefaultParams().UnitUse)
	if len(rates) != 1 || rates[date("2026-01-01")] != 45 {
		t.Fatalf("rates %v", rates)
	}
}
