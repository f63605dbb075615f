package monitor

import (
	"fmt"
	"maps"

	"lianggao"
)

// Carrier is a form of energy in the coefficient table.
type Carrier string

// Carriers the catalogue's indicators name.
const (
	Electricity Carrier = "electricity"
	RawCoal     Carrier = "raw_coal"
	Coke        Carrier = "coke"
	NaturalGas  Carrier = "natural_gas"
	CokeOvenGas Carrier = "coke_oven_gas"
	CrudeOil    Carrier = "crude_oil"
	Heat        Carrier = "heat"
)

// KJPerKgce is the heat of one kilogram of standard coal: 29,307 kJ, lower
// heating value (GB/T 2589). A measured heating value in MJ/kg divided by
// 29.307 gives kgce/kg.
const KJPerKgce = 29307

// Coefficient is a carrier's standard-coal equivalent per physical unit.
type Coefficient struct {
	KgcePerUnit float64 `toml:"kgce_per_unit"`
	Unit        string  `toml:"unit"`   // kg, kWh, m3 or MJ
	Source      string  `toml:"source"` // where the figure comes from, and how sure it is
}

// Coefficients is a versioned table of standard-coal coefficients.
type Coefficients struct {
	Version string `toml:"version"`
	// Basis says how electricity is counted: "equivalent" (its heat, 0.1229
	// kgce/kWh) or "equivalent_input" (the coal burnt to generate it, a
	// yearly statistical figure). Dual-control statistics and enterprise
	// audits may use different bases, so it travels with the table.
	Basis    string                  `toml:"basis"`
	Carriers map[Carrier]Coefficient `toml:"carrier"`
}

// GBT2589 returns the default table: GB/T 2589-2020 Annex A as quoted in
// the project's domain facts (FACTS.md §5.1; [V] verified in the source,
// [P] seen on a secondary page matching the common Annex A table).
func GBT2589() *Coefficients {
	return &Coefficients{Version: "GB/T 2589-2020", Basis: "equivalent", Carriers: map[Carrier]Coefficient{
		Electricity: {0.1229, "kWh", "GB/T 2589-2020 Annex A, equivalent value, 3,600 kJ/kWh [V] nimonik.com.cn"},
		RawCoal:     {0.7143, "kg", "5,000 kcal/kg (20,908 kJ/kg) [P] huatuo6.cn/wenku/rdvvd/4gNGBm3BKO"},
		Coke:        {0.9714, "kg", "6,800 kcal/kg (28,435 kJ/kg) [P] huatuo6.cn"},
		CrudeOil:    {1.4286, "kg", "10,000 kcal/kg (41,816 kJ/kg) [P] huatuo6.cn"},
		NaturalGas:  {1.2143, "m3", "12.143 tce per 10^4 m3 [P] huatuo6.cn; the 2020 edition gives a range of 1.1000–1.3300"},
		CokeOvenGas: {0.6143, "m3", "6.143 tce per 10^4 m3 [P] huatuo6.cn; range 0.5714–0.6143"},
		Heat:        {0.03412, "MJ", "1 MJ ÷ 29.307 MJ/kgce, the definition of kgce [V] nimonik.com.cn"},
	}}
}

// WithEquivalentInput returns a copy of the table counting electricity at
// its equivalent-input value, kgce per kWh (the generation coal rate of the
// year the statistics use).
func (c *Coefficients) WithEquivalentInput(kgcePerKWh float64, source string) *Coefficients {
	out := &Coefficients{Version: c.Version + " (electricity equivalent input)", Basis: "equivalent_input",
		Carriers: maps.Clone(c.Carriers)}
	out.Carriers[Electricity] = Coefficient{kgcePerKWh, "kWh", source}
	return out
}

// EnergyUse is comprehensive energy use over a period, in tce.
type EnergyUse struct {
	Inputs   float64 // energy carriers brought in and used
	Supplied float64 // energy products supplied out
}

// Total is comprehensive energy use: inputs less energy supplied out.
func (e EnergyUse) Total() float64 { return e.Inputs - e.Supplied }

// perUnit converts an indicator's unit into the coefficient's: tonnes to kg,
// GJ to MJ.
var perUnit = map[[2]string]float64{
	{"t", "kg"}: 1000, {"GJ", "MJ"}: 1000, {"kWh", "kWh"}: 1, {"m3", "m3"}: 1,
}

// Compute returns the comprehensive energy use of the amounts (indicator →
// quantity over one period) as GB/T 2589-2020 counts it: every carrier
// brought in and used times its coefficient, less every energy product
// supplied out times its coefficient. Feedstock — energy used as raw
// material — is left out, as are indicators that are not energy. A measured
// heating value of the coal (coal_ncv_mj_kg, MJ/kg) replaces the raw-coal
// coefficient: kgce/kg = MJ/kg ÷ 29.307.
func (c *Coefficients) Compute(cat *Catalogue, amounts map[string]float64) (EnergyUse, error) {
	var e EnergyUse
	for code, q := range amounts {
		ind, ok := cat.Lookup(code)
		if !ok || (ind.Kind != KindCarrier && ind.Kind != KindSupplied) {
			continue
		}
		k, err := c.tcePerUnit(ind, amounts[IndicatorCoalNCV])
		if err != nil {
			return EnergyUse{}, err
		}
		if ind.Kind == KindCarrier {
			e.Inputs += q * k
		} else {
			e.Supplied += q * k
		}
	}
	return e, nil
}

// tcePerUnit returns tonnes of standard coal per unit of the indicator.
func (c *Coefficients) tcePerUnit(ind *Indicator, ncv float64) (float64, error) {
	co, ok := c.Carriers[ind.Carrier]
	if !ok {
		return 0, fmt.Errorf("monitor: coefficients %s: no coefficient for %s", c.Version, ind.Carrier)
	}
	scale, ok := perUnit[[2]string{ind.Unit, co.Unit}]
	if !ok {
		return 0, fmt.Errorf("monitor: coefficients %s: %s is in %s, %s in %s", c.Version, ind.Code, ind.Unit, ind.Carrier, co.Unit)
	}
	kgce := co.KgcePerUnit
	if ind.Carrier == RawCoal && ncv > 0 {
		kgce = ncv * 1000 / KJPerKgce
	}
	return kgce * scale / 1000, nil
}

// Daily computes each day's energy use from an enterprise's series
// (indicator → series, one source). A day counts only when every energy
// indicator the enterprise reports at all has a figure that day: a day
// without its electricity would look like a day of under-reported energy.
func (c *Coefficients) Daily(cat *Catalogue, series map[string]Series) (map[lianggao.Date]EnergyUse, error) {
	var energy []string
	for code := range series {
		if ind, ok := cat.Lookup(code); ok && (ind.Kind == KindCarrier || ind.Kind == KindSupplied) {
			energy = append(energy, code)
		}
	}
	out := map[lianggao.Date]EnergyUse{}
	if len(energy) == 0 {
		return out, nil
	}
	amounts := map[string]float64{}
	for d := range series[energy[0]] {
		clear(amounts)
		if !allPresent(series, energy, d, amounts) {
			continue
		}
		if ncv, ok := series[IndicatorCoalNCV][d]; ok {
			amounts[IndicatorCoalNCV] = ncv
		}
		e, err := c.Compute(cat, amounts)
		if err != nil {
			return nil, err
		}
		out[d] = e
	}
	return out, nil
}

// allPresent fills amounts with day d of each code and reports whether all
// were there.
func allPresent(series map[string]Series, codes []string, d lianggao.Date, amounts map[string]float64) bool {
	for _, code := range codes {
		v, ok := series[code][d]
		if !ok {
			return false
		}
		amounts[code] = v
	}
	return true
}
