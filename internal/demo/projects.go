package demo

import (
	"context"
	"fmt"
	"math"
	"strings"

	"lianggao"
	"lianggao/internal/store"
)

// How many projects the province lists at each stage, and how many
// off-list projects inspections have turned up.
var projectCounts = []struct {
	stage  string
	listed bool
	count  int
}{
	{lianggao.StageExisting, true, 520},
	{lianggao.StageUnderConstruction, true, 110},
	{lianggao.StagePlanned, true, 70},
	{lianggao.StageExisting, false, 22},
	{lianggao.StageUnderConstruction, false, 14},
}

// Kinds of project in the national code: examined (审批) and approved
// (核准) by government, or merely filed (备案), as most are.
const (
	kindExamined = 1
	kindApproved = 2
	kindFiled    = 3
)

// divisions are the GB/T 4754 divisions in national project codes.
var divisions = map[string]int{
	"steel": 31, "coking": 25, "refining": 25, "coal_power": 44, "cement": 30, "coal_chemical": 25,
	"basic_chemicals": 26, "fertilizer": 26, "tyres": 29, "lime": 30, "flat_glass": 30, "ceramics": 30,
	"ferroalloy": 31, "nonferrous": 32, "asphalt": 30, "carbon": 30,
}

// replacementIndustries need a capacity-replacement plan for new capacity.
var replacementIndustries = map[string]bool{
	"steel": true, "coking": true, "cement": true, "flat_glass": true, "nonferrous": true, "ferroalloy": true,
}

// projectTemplate names a project; %s takes its capacity in units of per
// (万吨 = 1e4 t, MW = 5,000 MWh a year, t/d = a year's output over 310 days).
type projectTemplate struct {
	name string
	per  float64 // zero for a retrofit, which adds no capacity
}

var projectTemplates = map[string][]projectTemplate{
	"crude_steel":            {{"%s万吨钢铁产能置换升级改造项目", 1e4}, {"%s万吨/年优特钢项目", 1e4}, {"烧结烟气超低排放改造项目", 0}},
	"coke":                   {{"%s万吨/年焦化项目", 1e4}, {"%s万吨/年焦化产能置换项目", 1e4}, {"干熄焦余热发电项目", 0}},
	"crude_oil_processed":    {{"%s万吨/年常减压蒸馏装置项目", 1e4}, {"%s万吨/年炼化一体化转型升级项目", 1e4}, {"加热炉节能改造项目", 0}},
	"power_supplied_mwh":     {{"%sMW热电联产项目", 5000}, {"%sMW燃煤机组等容量替代项目", 5000}, {"燃煤机组节能降碳改造项目", 0}},
	"clinker":                {{"%st/d新型干法水泥熟料生产线项目", 310}, {"%st/d熟料生产线产能置换项目", 310}, {"水泥窑协同处置改造项目", 0}},
	"methanol":               {{"%s万吨/年煤制甲醇项目", 1e4}, {"气化炉节能改造项目", 0}},
	"caustic_soda":           {{"%s万吨/年离子膜烧碱项目", 1e4}, {"电解槽节能改造项目", 0}},
	"calcium_carbide":        {{"%s万吨/年密闭电石炉项目", 1e4}, {"电石炉尾气综合利用项目", 0}},
	"ammonia":                {{"%s万吨/年合成氨项目", 1e4}, {"尿素装置节能改造项目", 0}},
	"tyres":                  {{"年产%s万条子午线轮胎项目", 1e4}, {"硫化工序节能改造项目", 0}},
	"lime":                   {{"%s万吨/年活性石灰项目", 1e4}, {"石灰窑节能改造项目", 0}},
	"flat_glass":             {{"%st/d优质浮法玻璃生产线项目", 310 * 20}, {"玻璃熔窑余热发电项目", 0}},
	"ceramic_tiles":          {{"年产%s万平方米建筑陶瓷项目", 1e4}, {"窑炉节能改造项目", 0}},
	"ferroalloy":             {{"%s万吨/年铁合金项目", 1e4}, {"矿热炉节能改造项目", 0}},
	"electrolytic_aluminium": {{"%s万吨/年电解铝产能置换项目", 1e4}, {"电解槽节能改造项目", 0}},
	"copper":                 {{"%s万吨/年阴极铜项目", 1e4}, {"冶炼烟气余热利用项目", 0}},
	"asphalt_membrane":       {{"年产%s万平方米防水卷材项目", 1e4}, {"导热油炉节能改造项目", 0}},
	"carbon_products":        {{"%s万吨/年预焙阳极项目", 1e4}, {"焙烧炉节能改造项目", 0}},
}

// writeProjects generates the project list and imports it in one go.
func (g *generator) writeProjects(ctx context.Context) error {
	rows := g.projects()
	if err := g.s.ImportProjects(ctx, rows, checksum(rows)); err != nil {
		return err
	}
	g.sum.Projects = len(rows)
	return nil
}

// projects draws each project's enterprise, favouring key and large ones,
// and its code, status, design figures and permits.
func (g *generator) projects() []store.ProjectImport {
	r := newRNG(g.o.Seed, streamProjects)
	weights := make([]float64, len(g.plants))
	for i, p := range g.plants {
		weights[i] = 1
		if p.Key {
			weights[i] = 3
		}
	}
	codes := map[string]bool{}
	var rows []store.ProjectImport
	for _, c := range projectCounts {
		for range g.scaled(c.count) {
			p := g.plants[r.weighted(weights)]
			pr := g.project(r, p, c.stage, c.listed, codes)
			rows = append(rows, store.ProjectImport{Project: pr, CreditCode: p.CreditCode, Line: len(rows) + 1})
		}
	}
	return rows
}

// project draws one project of the plant at a list stage.
func (g *generator) project(r rng, p *plant, stage string, listed bool, codes map[string]bool) *lianggao.Project {
	year := g.projectYear(r, stage)
	kind := pick(r, []int{kindExamined, kindApproved, kindApproved, kindFiled, kindFiled, kindFiled, kindFiled})
	code := uniqueProjectCode(r, codes, fmt.Sprintf("%04d-%s-%02d-%02d-", year, p.County, divisions[p.Industry], kind))
	t := pick(r, projectTemplates[p.v.main])
	share := r.between(0.08, 0.18) // a retrofit's share of the plant's energy use
	name := t.name
	if t.per > 0 {
		share = r.between(0.3, 1)
		name = fmt.Sprintf(t.name, amount(p.capacity*share/t.per))
	}
	pr := &lianggao.Project{
		Code:              code,
		Name:              strings.TrimSuffix(strings.TrimSuffix(p.Name, "股份有限公司"), "有限公司") + name,
		ListStage:         stage,
		Listed:            listed,
		Status:            projectStatus(r, stage, listed, p.Status),
		DesignedEnergyTce: math.Round(p.designTce() * share),
		DesignedCoalT:     math.Round(p.capacity * share * p.v.coal),
	}
	pr.Permits = g.permits(r, p, pr, kind, year)
	return pr
}

// uniqueProjectCode appends a six-digit serial to the code's prefix (year,
// county, division and kind), drawing serials until the code is new.
func uniqueProjectCode(r rng, seen map[string]bool, prefix string) string {
	for {
		code := fmt.Sprintf("%s%06d", prefix, r.IntN(1e6))
		if !seen[code] {
			seen[code] = true
			return code
		}
	}
}

// amount prints a capacity the way project names do: two significant
// digits (4,500 t/d, 660 MW, 120万吨), one decimal below ten.
func amount(x float64) string {
	if x < 10 {
		return fmt.Sprintf("%.1f", math.Max(0.1, math.Round(x*10)/10))
	}
	return fmt.Sprintf("%.0f", nice(x))
}

// projectYear is the year a project was filed: existing ones long ago,
// projects under construction in the last few years, planned ones lately.
func (g *generator) projectYear(r rng, stage string) int {
	y := g.today.Year
	switch stage {
	case lianggao.StagePlanned:
		return y - r.IntN(2)
	case lianggao.StageUnderConstruction:
		return r.intBetween(y-3, y-1)
	}
	return r.intBetween(2006, y-3)
}

// projectStatus draws a status consistent with the list stage and with the
// enterprise: a stopped or closed plant's existing projects are too.
func projectStatus(r rng, stage string, listed bool, enterprise string) string {
	x := r.Float64()
	switch {
	case stage == lianggao.StagePlanned:
		if x < 0.75 {
			return lianggao.ProjectPlanned
		}
		return lianggao.ProjectApproved
	case stage == lianggao.StageUnderConstruction:
		switch {
		case !listed || x < 0.7:
			return lianggao.ProjectUnderConstruction
		case x < 0.8:
			return lianggao.ProjectApproved
		case x < 0.95:
			return lianggao.ProjectTrialRun
		}
		return lianggao.ProjectStopped
	case enterprise == lianggao.EnterpriseClosed:
		return lianggao.ProjectClosed
	case enterprise == lianggao.EnterpriseStopped || listed && x < 0.08:
		return lianggao.ProjectStopped
	case listed && x < 0.12:
		return lianggao.ProjectClosed
	}
	return lianggao.ProjectOperating
}

// permits draws the approvals a project holds: the further along it is, the
// more it has. A few listed projects and most off-list ones lack some, which
// is what inspections look for.
func (g *generator) permits(r rng, p *plant, pr *lianggao.Project, kind, year int) []*lianggao.Permit {
	filed := lianggao.Date{Year: year, Month: 1, Day: 1}.AddDays(r.IntN(330))
	wanted := map[string]bool{}
	switch pr.Status {
	case lianggao.ProjectPlanned:
		wanted["approval"] = r.chance(0.5)
	case lianggao.ProjectApproved:
		wanted["approval"], wanted["energy_review"], wanted["eia"] = true, r.chance(0.7), r.chance(0.5)
	default:
		wanted["approval"], wanted["energy_review"], wanted["eia"] = true, true, true
		wanted["offset_plan"] = year >= 2021
		wanted["capacity_replacement"] = year >= 2018 && replacementIndustries[p.Industry]
		wanted["pollutant_permit"] = pr.Status != lianggao.ProjectUnderConstruction
	}
	missing := 0.04
	if !pr.Listed {
		missing = 0.6
	}
	var out []*lianggao.Permit
	for _, k := range lianggao.PermitKinds {
		if !wanted[k] || (k == "energy_review" || k == "eia") && r.chance(missing) {
			continue
		}
		if pm := g.permit(r, p, pr, k, kind, filed); pm.IssuedOn.Before(g.today) {
			out = append(out, pm)
		}
	}
	return out
}

// permit draws one permit: its issuing authority, number and date relative
// to the filing of the project.
func (g *generator) permit(r rng, p *plant, pr *lianggao.Project, k string, kind int, filed lianggao.Date) *lianggao.Permit {
	city := g.regionName(p.City)
	abbr := cityAbbr[p.City]
	provincial := g.keyIndustry(p.Industry)
	n := r.intBetween(1, 180)
	pm := &lianggao.Permit{Kind: k}
	switch k {
	case "approval":
		pm.IssuedOn = filed
		switch {
		case kind == kindFiled:
			pm.Number, pm.Authority = pr.Code, g.regionName(p.County)+"行政审批服务局"
		case provincial:
			pm.Number, pm.Authority = docNumber("鲁发改项审", filed, n), "山东省发展和改革委员会"
		default:
			pm.Number, pm.Authority = docNumber(abbr+"审批投资", filed, n), city+"行政审批服务局"
		}
	case "capacity_replacement":
		pm.IssuedOn = filed.AddDays(-r.intBetween(30, 120))
		pm.Number, pm.Authority = docNumber("鲁工信原", pm.IssuedOn, n), "山东省工业和信息化厅"
	case "offset_plan":
		pm.IssuedOn = filed.AddDays(r.intBetween(15, 60))
		pm.Number, pm.Authority = docNumber(abbr+"发改环资", pm.IssuedOn, n), city+"发展和改革委员会"
	case "energy_review":
		pm.IssuedOn = filed.AddDays(r.intBetween(30, 100))
		pm.Number, pm.Authority = docNumber(abbr+"发改能评", pm.IssuedOn, n), city+"发展和改革委员会"
		if provincial || pm.IssuedOn.Year >= 2022 {
			pm.Number, pm.Authority = docNumber("鲁发改能评", pm.IssuedOn, n), "山东省发展和改革委员会"
		}
	case "eia":
		pm.IssuedOn = filed.AddDays(r.intBetween(60, 160))
		pm.Number, pm.Authority = docNumber(abbr+"环审", pm.IssuedOn, n), city+"生态环境局"
		if provincial {
			pm.Number, pm.Authority = docNumber("鲁环审", pm.IssuedOn, n), "山东省生态环境厅"
		}
	case "pollutant_permit":
		pm.IssuedOn = filed.AddDays(r.intBetween(400, 900))
		pm.Number, pm.Authority = fmt.Sprintf("%s%03dP", p.CreditCode, r.intBetween(1, 3)), city+"生态环境局"
	}
	return pm
}

// docNumber formats an official document number such as 鲁发改能评〔2022〕35号.
func docNumber(prefix string, d lianggao.Date, n int) string {
	return fmt.Sprintf("%s〔%d〕%d号", prefix, d.Year, n)
}
