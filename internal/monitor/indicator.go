package monitor

import (
	"slices"
	"strings"

	"lianggao"
)

// Kind says what an indicator measures, and so how the energy computation
// and the rules treat it.
type Kind string

// Indicator kinds.
const (
	KindCarrier   Kind = "carrier"   // energy brought in and used: counted in comprehensive energy use
	KindSupplied  Kind = "supplied"  // energy products supplied out: subtracted
	KindFeedstock Kind = "feedstock" // energy used as raw material: left out
	KindWater     Kind = "water"
	KindEnergy    Kind = "energy" // comprehensive energy use as the enterprise reports it
	KindEmission  Kind = "emission"
	KindMoney     Kind = "money"
	KindOutput    Kind = "output"
	KindSales     Kind = "sales"
	KindQuality   Kind = "quality" // a property of a carrier, such as the measured heating value of coal
)

// Indicator is something an enterprise reports daily, in a fixed unit.
type Indicator struct {
	Code string `json:"code"`
	Unit string `json:"unit"`
	Kind Kind   `json:"kind"`
	// Carrier names the energy carrier in the coefficient table, for the
	// carrier, supplied and feedstock kinds.
	Carrier       Carrier `json:"carrier,omitempty"`
	MayBeNegative bool    `json:"may_be_negative,omitempty"` // money: a loss, a refund
	// Max bounds the value when positive: a heating value in kcal/kg sent as
	// MJ/kg is off by a factor of 239 and must not pass.
	Max float64 `json:"max,omitempty"`
}

// Indicator codes the rules and the energy computation read by name.
const (
	IndicatorElectricity = "elec_kwh"
	IndicatorCoal        = "coal_t"
	IndicatorCoalNCV     = "coal_ncv_mj_kg"
	IndicatorEnergy      = "energy_tce"
	OutputPrefix         = "output:"
	SalesPrefix          = "sales:"
)

// fixedIndicators are the indicators every profile has; products add
// output:<product> and sales:<product>.
var fixedIndicators = []Indicator{
	{Code: IndicatorElectricity, Unit: "kWh", Kind: KindCarrier, Carrier: Electricity},
	{Code: IndicatorCoal, Unit: "t", Kind: KindCarrier, Carrier: RawCoal},
	{Code: "coke_t", Unit: "t", Kind: KindCarrier, Carrier: Coke},
	{Code: "gas_m3", Unit: "m3", Kind: KindCarrier, Carrier: NaturalGas},
	{Code: "oil_t", Unit: "t", Kind: KindCarrier, Carrier: CrudeOil},
	{Code: "heat_gj", Unit: "GJ", Kind: KindCarrier, Carrier: Heat},
	{Code: "out:elec_kwh", Unit: "kWh", Kind: KindSupplied, Carrier: Electricity},
	{Code: "out:heat_gj", Unit: "GJ", Kind: KindSupplied, Carrier: Heat},
	{Code: "out:coke_t", Unit: "t", Kind: KindSupplied, Carrier: Coke},
	// The gas two-high plants supply out is coke-oven gas.
	{Code: "out:gas_m3", Unit: "m3", Kind: KindSupplied, Carrier: CokeOvenGas},
	{Code: "feed:coal_t", Unit: "t", Kind: KindFeedstock, Carrier: RawCoal},
	{Code: "feed:gas_m3", Unit: "m3", Kind: KindFeedstock, Carrier: NaturalGas},
	{Code: "feed:oil_t", Unit: "t", Kind: KindFeedstock, Carrier: CrudeOil},
	{Code: IndicatorCoalNCV, Unit: "MJ/kg", Kind: KindQuality, Max: 50},
	{Code: "water_m3", Unit: "m3", Kind: KindWater},
	{Code: IndicatorEnergy, Unit: "tce", Kind: KindEnergy},
	{Code: "co2_t", Unit: "t", Kind: KindEmission},
	{Code: "so2_kg", Unit: "kg", Kind: KindEmission},
	{Code: "nox_kg", Unit: "kg", Kind: KindEmission},
	{Code: "pm_kg", Unit: "kg", Kind: KindEmission},
	{Code: "revenue_10k_cny", Unit: "10k CNY", Kind: KindMoney, MayBeNegative: true},
	{Code: "tax_10k_cny", Unit: "10k CNY", Kind: KindMoney, MayBeNegative: true},
	{Code: "profit_10k_cny", Unit: "10k CNY", Kind: KindMoney, MayBeNegative: true},
}

// Catalogue is the set of indicators a profile accepts.
type Catalogue struct {
	byCode map[string]*Indicator
}

// NewCatalogue returns the fixed indicators plus output and sales of each
// product, in the product's unit.
func NewCatalogue(products []*lianggao.Product) *Catalogue {
	c := &Catalogue{byCode: map[string]*Indicator{}}
	for _, ind := range fixedIndicators {
		c.add(ind)
	}
	for _, p := range products {
		c.add(Indicator{Code: OutputPrefix + p.Code, Unit: p.Unit, Kind: KindOutput})
		c.add(Indicator{Code: SalesPrefix + p.Code, Unit: p.Unit, Kind: KindSales})
	}
	return c
}

func (c *Catalogue) add(ind Indicator) { c.byCode[ind.Code] = &ind }

// Lookup returns an indicator by code.
func (c *Catalogue) Lookup(code string) (*Indicator, bool) {
	ind, ok := c.byCode[code]
	return ind, ok
}

// lookupBytes is Lookup without allocating a string for the key.
func (c *Catalogue) lookupBytes(code []byte) (*Indicator, bool) {
	ind, ok := c.byCode[string(code)]
	return ind, ok
}

// Indicators returns every indicator in code order.
func (c *Catalogue) Indicators() []Indicator {
	out := make([]Indicator, 0, len(c.byCode))
	for _, ind := range c.byCode {
		out = append(out, *ind)
	}
	slices.SortFunc(out, func(a, b Indicator) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// unitAliases are the other ways people write the catalogue's units, in
// lower case: what a spreadsheet made by hand holds.
var unitAliases = map[string]string{
	"kwh": "kWh", "千瓦时": "kWh", "度": "kWh",
	"t": "t", "吨": "t",
	"m3": "m3", "m³": "m3", "立方米": "m3", "方": "m3",
	"gj": "GJ", "吉焦": "GJ",
	"tce": "tce", "吨标准煤": "tce", "吨标煤": "tce",
	"kg": "kg", "千克": "kg", "公斤": "kg",
	"10k cny": "10k CNY", "万元": "10k CNY",
	"mj/kg": "MJ/kg",
	"mwh":   "MWh", "兆瓦时": "MWh",
	"m2": "m2", "m²": "m2", "平方米": "m2",
}

// sameUnit reports whether a unit as written names the indicator's unit.
func sameUnit(written, unit string) bool {
	if written == unit {
		return true
	}
	w := strings.ToLower(strings.TrimSpace(written))
	return w == strings.ToLower(unit) || unitAliases[w] == unit
}
