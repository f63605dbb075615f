package demo

// industry says how many enterprises of a two-high industry the demo province
// has, where they cluster and what their plants look like.
type industry struct {
	code  string
	count int
	// cities weighs the cities for this industry; nil means the general
	// industrial weights. Cities left out get a small residual weight.
	cities map[string]float64
	// hot are counties where the industry clusters (Guangrao tyres, Shouguang
	// membranes, Zouping aluminium…): they take most of their city's share.
	hot []string
	// continuous industries run round the clock; the others slow down on
	// weekends and holidays.
	continuous bool
	// season is how a plant's output swings over the year.
	season func(doy int) float64
	// daily is the share of the industry's plants, the largest, that are key
	// enterprises: those that report statistics every day (R2.6). All steel,
	// coking and refining plants are; of the others, the largest. Some 360
	// plants, about 465,000 figures a year.
	daily    float64
	variants []variant
}

// variant is one kind of plant within an industry.
type variant struct {
	weight float64
	main   string  // the main product, whose output the enterprise reports daily
	lo, hi float64 // the main product's capacity range per year
	// elec and coal are kWh and tonnes of raw coal per unit of the main product.
	elec, coal float64
	// net, for a main product that is itself an energy product supplied out
	// (coke), is the plant's comprehensive energy use per unit in tce: coal
	// then follows from it, so that inputs minus the product supplied out
	// (GB/T 2589) come to net. Zero: coal is as given.
	net    float64
	others []ratio  // further products as multiples of the main capacity
	share  float64  // share of plants that make the others too (CHP plants, integrated mills)
	words  []string // what the industry is called in enterprise names
	en     string   // the main product in English, for the truth file
}

// ratio is a product's capacity as a multiple of the main product's.
type ratio struct {
	product string
	factor  float64
}

// cityWeights is each city's general weight in two-high industry: Zibo,
// Weifang and Linyi carry the most plants, Weihai the fewest.
var cityWeights = map[string]float64{
	"370100": 7, "370200": 6, "370300": 11, "370400": 6, "370500": 7, "370600": 6, "370700": 11, "370800": 8,
	"370900": 5, "371000": 2, "371100": 4, "371300": 9, "371400": 6, "371500": 6, "371600": 7, "371700": 5,
}

// quietDistricts are city-centre districts with little heavy industry.
var quietDistricts = map[string]bool{
	"370102": true, "370103": true, "370202": true, "370203": true, "370212": true, "370602": true,
	"370613": true, "370705": true, "370902": true, "371002": true,
}

// outputControlled are the industries whose output the province caps
// (steel output caps, "以钢定焦" for coke).
var outputControlled = map[string]bool{"steel": true, "coking": true}

// industries is the demo province's two-high sector, about 3,000 enterprises.
var industries = []industry{
	{code: "steel", count: 60, daily: 1, continuous: true, season: heatingSeasonCut(0.08),
		cities: map[string]float64{"371100": 10, "370100": 10, "371300": 12, "370300": 5, "371600": 4, "371500": 4,
			"370700": 3, "370200": 2, "370800": 2, "370900": 2, "371700": 2, "371400": 2, "370400": 1, "370600": 1},
		hot: []string{"371103", "370116", "370117", "371311"},
		variants: []variant{{weight: 1, main: "crude_steel", lo: 1e6, hi: 1e7, elec: 450, coal: 0.56,
			others: []ratio{{"pig_iron", 0.92}, {"steel_products", 0.96}}, share: 1, words: []string{"钢铁", "特钢", "钢铁"}, en: "crude steel"}}},
	{code: "coking", count: 50, daily: 1, continuous: true, season: heatingSeasonCut(0.06),
		cities: map[string]float64{"370800": 8, "370400": 8, "371700": 6, "371300": 6, "371500": 5, "370300": 4,
			"371100": 4, "370900": 3, "370100": 3, "370700": 3, "371600": 2, "370500": 1},
		hot:      []string{"370481", "370883", "370812"},
		variants: []variant{{weight: 1, main: "coke", lo: 5e5, hi: 3e6, elec: 32, coal: 1.52, net: 0.115, words: []string{"焦化", "煤焦化", "焦化"}, en: "coke"}}},
	{code: "refining", count: 40, daily: 1, continuous: true, season: gentle(0.04, 120),
		cities: map[string]float64{"370500": 14, "371600": 5, "370300": 5, "370700": 4, "371700": 3, "370600": 3,
			"371100": 2, "370200": 2, "371400": 1, "370100": 1},
		hot: []string{"370523", "370522", "370503", "370305", "371728", "370783"},
		variants: []variant{{weight: 1, main: "crude_oil_processed", lo: 2e6, hi: 1.5e7, elec: 62, coal: 0.08,
			words: []string{"石化", "石油化工", "炼化"}, en: "crude oil throughput"}}},
	{code: "coal_power", count: 300, daily: 0.2, continuous: true, season: twoPeaks(0.12),
		cities: scaled(map[string]float64{"370800": 1.5, "370400": 1.5, "371600": 1.5, "371500": 1.3, "371700": 1.2, "371000": 0.6}),
		variants: []variant{{weight: 1, main: "power_supplied_mwh", lo: 1e6, hi: 8e6, elec: 55, coal: 0.37,
			others: []ratio{{"heat_supplied_gj", 1.8}}, share: 0.6, words: []string{"热电", "发电", "电力", "能源"}, en: "power supplied"}}},
	{code: "cement", count: 460, daily: 0.12, continuous: true, season: gentle(0.12, 260),
		cities: scaled(map[string]float64{"370400": 1.5, "371300": 1.5, "370900": 1.3, "370100": 1.2, "370300": 1.2,
			"370500": 0.4, "371600": 0.6, "371400": 0.6}),
		variants: []variant{{weight: 1, main: "clinker", lo: 1e6, hi: 5e6, elec: 62, coal: 0.14,
			others: []ratio{{"cement", 1.3}}, share: 0.8, words: []string{"水泥", "建材", "水泥"}, en: "clinker"}}},
	{code: "coal_chemical", count: 45, daily: 0.04, continuous: true, season: gentle(0.04, 60),
		cities: map[string]float64{"371700": 3, "370800": 3, "370400": 3, "370300": 2, "371500": 2, "371400": 1,
			"371300": 1, "370900": 1, "370500": 1, "370700": 1},
		variants: []variant{{weight: 1, main: "methanol", lo: 2e5, hi: 1.8e6, elec: 210, coal: 1.5, words: []string{"煤化工", "能源化工"}, en: "methanol"}}},
	{code: "basic_chemicals", count: 585, daily: 0.04, continuous: true, season: gentle(0.05, 100),
		cities: scaled(map[string]float64{"370300": 2, "370500": 1.5, "370700": 1.5, "371600": 1.3, "371500": 1.2,
			"371400": 1.2, "371000": 0.4, "371100": 0.6, "370200": 0.8}),
		variants: []variant{
			{weight: 0.7, main: "caustic_soda", lo: 1e5, hi: 1e6, elec: 2300, coal: 0.3, words: []string{"化工", "氯碱", "盐化"}, en: "caustic soda"},
			{weight: 0.3, main: "calcium_carbide", lo: 1e5, hi: 6e5, elec: 3200, coal: 0.1, words: []string{"化工", "电石"}, en: "calcium carbide"}}},
	{code: "fertilizer", count: 220, daily: 0.04, continuous: true, season: gentle(0.08, 60),
		cities: scaled(map[string]float64{"371500": 1.5, "371300": 1.5, "371400": 1.3, "371700": 1.2, "370800": 1.2}),
		hot:    []string{"371329"},
		variants: []variant{{weight: 1, main: "ammonia", lo: 1e5, hi: 6e5, elec: 1000, coal: 1.4,
			others: []ratio{{"urea", 1.5}}, share: 0.7, words: []string{"化肥", "化工", "肥业"}, en: "ammonia"}}},
	{code: "tyres", count: 260, daily: 0.04, season: gentle(0.06, 90),
		cities: map[string]float64{"370500": 4, "370700": 2.5, "370200": 2.5, "371000": 1.5, "371600": 1.5, "370600": 1.2,
			"371500": 1, "371400": 1, "370300": 1, "370800": 0.8, "371300": 0.8, "371100": 0.5, "370400": 0.5,
			"371700": 0.5, "370900": 0.5, "370100": 0.5},
		hot:      []string{"370523", "370685", "370783"},
		variants: []variant{{weight: 1, main: "tyres", lo: 1e6, hi: 3e7, elec: 18, coal: 0.012, words: []string{"轮胎", "橡胶"}, en: "tyre"}}},
	{code: "lime", count: 280, daily: 0.04, continuous: true, season: gentle(0.08, 250),
		cities:   scaled(map[string]float64{"370300": 1.5, "370100": 1.3, "370900": 1.3, "371300": 1.2, "370400": 1.2}),
		variants: []variant{{weight: 1, main: "lime", lo: 1e5, hi: 1e6, elec: 30, coal: 0.17, words: []string{"钙业", "石灰", "建材"}, en: "lime"}}},
	{code: "flat_glass", count: 30, daily: 0.04, continuous: true, season: gentle(0.03, 200),
		cities: map[string]float64{"370300": 4, "370700": 3, "371300": 2, "370400": 2, "370900": 2, "371400": 2,
			"370100": 1, "371600": 1, "371700": 1, "371500": 1, "370200": 1},
		variants: []variant{{weight: 1, main: "flat_glass", lo: 3e6, hi: 1.5e7, elec: 4.2, coal: 0.022, words: []string{"玻璃"}, en: "flat glass"}}},
	{code: "ceramics", count: 300, daily: 0.04, season: gentle(0.08, 270),
		cities:   map[string]float64{"370300": 8, "371300": 6, "370700": 1, "370400": 1, "370100": 1, "370900": 1},
		hot:      []string{"370302", "370304", "371311"},
		variants: []variant{{weight: 1, main: "ceramic_tiles", lo: 5e6, hi: 5e7, elec: 2.6, coal: 0.006, words: []string{"陶瓷", "建陶", "瓷业"}, en: "ceramic tile"}}},
	{code: "ferroalloy", count: 40, daily: 0.04, continuous: true, season: gentle(0.05, 150),
		cities: map[string]float64{"370100": 2, "370300": 2, "371100": 2, "371300": 2, "371600": 1, "371500": 1,
			"370800": 1, "370600": 1, "371400": 1},
		variants: []variant{{weight: 1, main: "ferroalloy", lo: 5e4, hi: 5e5, elec: 3600, coal: 0.1, words: []string{"铁合金", "冶金"}, en: "ferroalloy"}}},
	{code: "nonferrous", count: 80, daily: 0.04, continuous: true, season: gentle(0.03, 180),
		cities: map[string]float64{"371600": 8, "371500": 5, "370600": 4, "370500": 3, "370300": 2, "371300": 1,
			"370700": 1, "370800": 1, "370200": 1},
		hot: []string{"371681", "371503", "371603", "370685"},
		variants: []variant{
			{weight: 0.65, main: "electrolytic_aluminium", lo: 2e5, hi: 2e6, elec: 13500, coal: 0.05, words: []string{"铝业", "铝材"}, en: "aluminium"},
			{weight: 0.35, main: "copper", lo: 1e5, hi: 1e6, elec: 420, coal: 0.3, words: []string{"铜业", "冶炼"}, en: "copper"}}},
	{code: "asphalt", count: 150, daily: 0.04, season: gentle(0.15, 240),
		cities: map[string]float64{"370700": 12, "370300": 1, "370500": 1, "371600": 1, "371400": 1, "371700": 1, "370100": 1},
		hot:    []string{"370783"},
		variants: []variant{{weight: 1, main: "asphalt_membrane", lo: 5e6, hi: 5e7, elec: 0.3, coal: 0.0015,
			words: []string{"防水材料", "防水科技", "建材"}, en: "waterproof membrane"}}},
	{code: "carbon", count: 100, daily: 0.04, continuous: true, season: gentle(0.05, 100),
		cities: map[string]float64{"370100": 3, "370300": 3, "371600": 2, "371300": 2, "371500": 2, "370700": 2,
			"370200": 1, "370800": 1, "371700": 1, "371400": 1, "370400": 1, "370900": 1, "371100": 1, "370600": 1},
		variants: []variant{{weight: 1, main: "carbon_products", lo: 5e4, hi: 5e5, elec: 1200, coal: 0.8, words: []string{"炭素", "碳素", "新材料"}, en: "carbon products"}}},
}

// scaled multiplies the general city weights by the given factors.
func scaled(factors map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(cityWeights))
	for c, w := range cityWeights {
		out[c] = w
		if f, ok := factors[c]; ok {
			out[c] = w * f
		}
	}
	return out
}
