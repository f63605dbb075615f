package monitor

import (
	"math"
	"testing"

	"lianggao"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Ensure a coking plant's day is counted as GB/T 2589-2020 counts it, with
// its coal at the measured heating value and the coke and coke-oven gas it
// supplies out subtracted. By hand:
//
//	coking coal  1,330 t at 26.34 MJ/kg: 26.34 ÷ 29.307 = 0.898761 kgce/kg
//	             → 1,330 × 0.898761            = 1,195.3526 tce
//	electricity  32,000 kWh × 0.1229 kgce/kWh  =     3.9328 tce
//	steam        500 GJ × 34.12 kgce/GJ        =    17.0600 tce
//	inputs                                     = 1,216.3454 tce
//	coke out     1,000 t × 0.9714 kgce/kg      =   971.4000 tce
//	COG out      180,000 m³ × 0.6143 kgce/m³   =   110.5740 tce
//	supplied                                   = 1,081.9740 tce
//	comprehensive energy use                   =   134.3714 tce,
//
// 134.4 kgce per tonne of coke, in line with the 135 kgce/t baseline.
func TestEnergyCokingPlant(t *testing.T) {
	e, err := GBT2589().Compute(testCatalogue(), map[string]float64{
		"coal_t": 1330, IndicatorCoalNCV: 26.34, "elec_kwh": 32000, "heat_gj": 500,
		"out:coke_t": 1000, "out:gas_m3": 180000, "output:coke": 1000, "water_m3": 2500,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !near(e.Inputs, 1216.3454, 1e-3) || !near(e.Supplied, 1081.974, 1e-3) || !near(e.Total(), 134.3714, 1e-3) {
		t.Fatalf("got %+v, total %v", e, e.Total())
	}
}

// Ensure a coal power plant's day subtracts the electricity and heat it
// supplies, at their equivalent values. By hand:
//
//	raw coal     4,300 t × 0.7143 kgce/kg      = 3,071.490 tce
//	grid power   50,000 kWh × 0.1229           =     6.145 tce
//	inputs                                     = 3,077.635 tce
//	power out    10,000 MWh × 0.1229 kgce/kWh  = 1,229.000 tce
//	heat out     20,000 GJ × 34.12 kgce/GJ     =   682.400 tce
//	supplied                                   = 1,911.400 tce
//	comprehensive energy use (conversion loss) = 1,166.235 tce.
func TestEnergyCoalPowerPlant(t *testing.T) {
	e, err := GBT2589().Compute(testCatalogue(), map[string]float64{
		"coal_t": 4300, "elec_kwh": 50000, "out:elec_kwh": 10_000_000, "out:heat_gj": 20000,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !near(e.Inputs, 3077.635, 1e-6) || !near(e.Supplied, 1911.4, 1e-6) || !near(e.Total(), 1166.235, 1e-6) {
		t.Fatalf("got %+v", e)
	}
	// On the equivalent-input basis (a generation coal rate of, say, 0.300
	// kgce/kWh) the same day counts the power at 0.300: 3,071.49 + 15 −
	// 3,000 − 682.4 = −595.91 tce.
	e, err = GBT2589().WithEquivalentInput(0.300, "test").Compute(testCatalogue(), map[string]float64{
		"coal_t": 4300, "elec_kwh": 50000, "out:elec_kwh": 10_000_000, "out:heat_gj": 20000,
	})
	if err != nil || !near(e.Total(), -595.91, 1e-6) {
		t.Fatalf("equivalent input: %+v %v", e, err)
	}
}

// Ensure feedstock is left out: natural gas burnt counts, natural gas that
// becomes ammonia does not. 100,000 m³ × 1.2143 kgce/m³ = 121.43 tce.
func TestEnergyFeedstockExcluded(t *testing.T) {
	e, err := GBT2589().Compute(testCatalogue(), map[string]float64{"gas_m3": 100000, "feed:gas_m3": 900000})
	if err != nil || !near(e.Total(), 121.43, 1e-9) {
		t.Fatalf("got %+v %v", e, err)
	}
}

func TestEnergyMissingCoefficient(t *testing.T) {
	c := GBT2589()
	delete(c.Carriers, Coke)
	if _, err := c.Compute(testCatalogue(), map[string]float64{"coke_t": 1}); err == nil {
		t.Fatal("no error without the coke coefficient")
	}
}

// Ensure a day is computed only when all the enterprise's energy figures
// are there, so a missing electricity figure does not read as low energy.
func TestEnergyDaily(t *testing.T) {
	d1, d2 := lianggao.Date{Year: 2026, Month: 3, Day: 1}, lianggao.Date{Year: 2026, Month: 3, Day: 2}
	days, err := GBT2589().Daily(testCatalogue(), map[string]Series{
		"coal_t":      {d1: 100, d2: 100},
		"elec_kwh":    {d1: 10000},
		"output:coke": {d1: 70, d2: 70},
	})
	if err != nil || len(days) != 1 || !near(days[d1].Total(), 71.43+1.229, 1e-9) {
		t.Fatalf("got %v %v", days, err)
	}
}
