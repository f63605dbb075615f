package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"lianggao"
)

// Kinds of planted problems.
const (
	KindOverproduction      = "overproduction"       // real output above the capacity-based plan
	KindOutputJump          = "output_jump"          // reported output up, electricity and coal flat
	KindOutputConcealed     = "output_concealed"     // reported output down, electricity and coal as usual
	KindMissingFigures      = "missing_figures"      // no daily report for a run of days
	KindEnergyUnderreported = "energy_underreported" // energy_tce well below coal and electricity's worth
	KindMeterOverdue        = "meter_overdue"        // the incoming electricity meter's calibration lapsed long ago
)

// Problem is a planted irregularity: what the monitoring rules and the
// inspectors should find, and where.
type Problem struct {
	CreditCode    string        `json:"credit_code"`
	Enterprise    string        `json:"enterprise"`
	Kind          string        `json:"kind"`
	Indicator     string        `json:"indicator,omitempty"`
	From          lianggao.Date `json:"from"`
	To            lianggao.Date `json:"to"`
	Factor        float64       `json:"factor,omitempty"` // planted ÷ true value; for overproduction, output ÷ capacity
	Description   string        `json:"description"`      // Chinese
	DescriptionEN string        `json:"description_en"`
}

// TruthFile is the name of the file in DataDir listing the planted problems.
const TruthFile = "truth.json"

// Truth is the content of TruthFile.
type Truth struct {
	Seed     int64     `json:"seed"`
	Now      time.Time `json:"now"`
	Problems []Problem `json:"problems"`
}

// plantings says how many problems of each kind to plant and in which plants.
var plantings = []struct {
	kind   string
	count  int
	suits  func(*plant) bool
	indic  func(*plant) string
	window func(g *generator, r rng, n int) (from, to lianggao.Date)
}{
	{KindOverproduction, 3, func(p *plant) bool { return reports(p) && p.OutputControlled }, outputIndicator, monthsWindow},
	{KindOutputJump, 3, reports, outputIndicator, daysWindow(30, 50)},
	{KindOutputConcealed, 2, reports, outputIndicator, daysWindow(30, 60)},
	{KindMissingFigures, 3, reports, noIndicator, missingWindow},
	// Energy reported below what its coal and electricity are worth: a plant
	// that burns them, not a coking plant, whose figure is the small net of
	// the coal in and the coke out.
	{KindEnergyUnderreported, 2, func(p *plant) bool { return reports(p) && p.v.net == 0 },
		func(*plant) string { return IndicatorEnergy }, daysWindow(60, 90)},
	{KindMeterOverdue, 2, metered, noIndicator, overdueWindow},
}

func noIndicator(*plant) string       { return "" }
func outputIndicator(p *plant) string { return "output:" + p.v.main }

// plantProblems chooses the plants and periods of the planted problems, one
// problem per plant. The demo enterprise account's steel plant overproduces,
// so the county and enterprise accounts have something to see.
func (g *generator) plantProblems(context.Context) error {
	r := newRNG(g.o.Seed, streamProblems)
	g.problem = map[*plant]Problem{}
	pool := slices.Clone(g.plants)
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	taken := map[*plant]bool{}
	for _, pl := range plantings {
		for n := range pl.count {
			p := choose(pool, taken, pl.suits)
			if pl.kind == KindOverproduction && n == 0 {
				p = g.demoPlant()
			}
			if p == nil {
				break // a small province may not have enough plants of the kind
			}
			taken[p] = true
			from, to := pl.window(g, r, n)
			pr := Problem{CreditCode: p.CreditCode, Enterprise: p.Name, Kind: pl.kind, Indicator: pl.indic(p),
				From: from, To: to, Factor: factor(r, pl.kind)}
			g.describe(p, &pr)
			g.problem[p] = pr
			g.sum.Problems = append(g.sum.Problems, pr)
		}
	}
	return nil
}

// covers reports whether day d lies in the problem's period.
func (pr Problem) covers(d lianggao.Date) bool { return !d.Before(pr.From) && !pr.To.Before(d) }

// choose returns the first plant of the pool not yet taken that suits.
func choose(pool []*plant, taken map[*plant]bool, suits func(*plant) bool) *plant {
	for _, p := range pool {
		if !taken[p] && suits(p) {
			return p
		}
	}
	return nil
}

// demoPlant is the steel plant of the enterprise account: the first steel
// plant, always in DemoCounty.
func (g *generator) demoPlant() *plant {
	for _, p := range g.plants {
		if p.Industry == "steel" {
			return p
		}
	}
	return nil
}

// factor draws how far planted values depart from the truth.
func factor(r rng, kind string) float64 {
	switch kind {
	case KindOverproduction:
		return round(r.between(1.12, 1.22), 2)
	case KindOutputJump:
		return round(r.between(1.35, 1.5), 2)
	case KindOutputConcealed:
		return round(r.between(0.55, 0.65), 2)
	case KindEnergyUnderreported:
		return round(r.between(0.68, 0.76), 2)
	}
	return 0
}

// figureWindow is the year of figures: 365 days ending the day before now.
func (g *generator) figureWindow() (first, last lianggao.Date) {
	return g.today.AddDays(-365), g.today.AddDays(-1)
}

// monthsWindow is two to four whole calendar months within the year of figures.
func monthsWindow(g *generator, r rng, _ int) (lianggao.Date, lianggao.Date) {
	first, last := g.figureWindow()
	var starts []lianggao.Date
	for m := (lianggao.Date{Year: first.Year, Month: first.Month, Day: 1}); !last.Before(monthEnd(m)); m = monthEnd(m).AddDays(1) {
		if !m.Before(first) {
			starts = append(starts, m)
		}
	}
	k := r.intBetween(2, 4)
	i := r.IntN(len(starts) - k + 1)
	return starts[i], monthEnd(starts[i+k-1])
}

func monthEnd(m lianggao.Date) lianggao.Date {
	return lianggao.DateOf(time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

// daysWindow returns a window of lo to hi days, clear of the year's ends so
// that there is normal reporting before and after to compare with.
func daysWindow(lo, hi int) func(*generator, rng, int) (lianggao.Date, lianggao.Date) {
	return func(g *generator, r rng, _ int) (lianggao.Date, lianggao.Date) {
		first, _ := g.figureWindow()
		n := r.intBetween(lo, hi)
		from := first.AddDays(r.intBetween(45, 365-n-20))
		return from, from.AddDays(n - 1)
	}
}

// missingWindow is 5 to 12 days without reports; the first such plant has
// stopped reporting altogether.
func missingWindow(g *generator, r rng, n int) (lianggao.Date, lianggao.Date) {
	first, last := g.figureWindow()
	days := r.intBetween(5, 12)
	if n == 0 {
		return last.AddDays(1 - days), last
	}
	from := first.AddDays(r.intBetween(20, 365-days-20))
	return from, from.AddDays(days - 1)
}

// overdueWindow runs from a calibration due date long past to the last day.
func overdueWindow(g *generator, r rng, _ int) (lianggao.Date, lianggao.Date) {
	_, last := g.figureWindow()
	return g.today.AddDays(-r.intBetween(200, 400)), last
}

// describe writes the problem's description in Chinese and English.
func (g *generator) describe(p *plant, pr *Problem) {
	prod, _ := g.profile.Product(p.v.main)
	pct := func(f float64) float64 { return (f - 1) * 100 }
	span := func() string { return zhDate(pr.From) + "至" + zhDate(pr.To) }
	switch pr.Kind {
	case KindOverproduction:
		pr.Description = fmt.Sprintf("%d年%d月至%d年%d月，%s月产量持续超过按年产能折算的月度计划（产能的1/12）约%.0f%%，用电量、用煤量同步增加，属实际超产。",
			pr.From.Year, pr.From.Month, pr.To.Year, pr.To.Month, prod.Name, pct(pr.Factor))
		pr.DescriptionEN = fmt.Sprintf("From %s %d to %s %d, monthly %s output exceeded the capacity-based monthly plan (1/12 of annual capacity) by about %.0f%%; electricity and coal use rose with it: real overproduction.",
			pr.From.Month, pr.From.Year, pr.To.Month, pr.To.Year, p.v.en, pct(pr.Factor))
	case KindOutputJump:
		pr.Description = fmt.Sprintf("%s，报送的%s日产量较此前跳升约%.0f%%，而用电量、用煤量基本持平，产量数据疑似虚报。", span(), prod.Name, pct(pr.Factor))
		pr.DescriptionEN = fmt.Sprintf("From %s to %s the reported daily %s output jumped by about %.0f%% while electricity and coal use stayed flat: the output figures look false.",
			pr.From, pr.To, p.v.en, pct(pr.Factor))
	case KindOutputConcealed:
		pr.Description = fmt.Sprintf("%s，报送的%s日产量骤降约%.0f%%，而用电量、用煤量保持正常水平，疑似瞒报产量。", span(), prod.Name, -pct(pr.Factor))
		pr.DescriptionEN = fmt.Sprintf("From %s to %s the reported daily %s output dropped by about %.0f%% while electricity and coal use stayed at their usual level: output appears concealed.",
			pr.From, pr.To, p.v.en, -pct(pr.Factor))
	case KindMissingFigures:
		days := daysBetween(pr.From, pr.To) + 1
		pr.Description = fmt.Sprintf("%s，连续%d天未报送日数据。", span(), days)
		pr.DescriptionEN = fmt.Sprintf("No daily figures were reported for %d days, from %s to %s.", days, pr.From, pr.To)
		if _, last := g.figureWindow(); pr.To == last {
			pr.Description = fmt.Sprintf("自%s起连续%d天未报送日数据，至今仍未报送。", zhDate(pr.From), days)
			pr.DescriptionEN = fmt.Sprintf("No daily figures have been reported since %s (%d days).", pr.From, days)
		}
	case KindEnergyUnderreported:
		pr.Description = fmt.Sprintf("%s，报送的综合能耗比按用煤量、用电量折算的数值低约%.0f%%，疑似少报能耗。", span(), -pct(pr.Factor))
		pr.DescriptionEN = fmt.Sprintf("From %s to %s the reported energy use is about %.0f%% below what the coal and electricity used are worth: energy use appears under-reported.",
			pr.From, pr.To, -pct(pr.Factor))
	case KindMeterOverdue:
		days := daysBetween(pr.From, g.today)
		pr.Description = fmt.Sprintf("进线电能表检定有效期已于%s届满，至今逾期%d天未检定，计量数据不可作为核查依据。", zhDate(pr.From), days)
		pr.DescriptionEN = fmt.Sprintf("The incoming electricity meter was due for calibration on %s and is %d days overdue; its readings cannot be relied on.", pr.From, days)
	}
}

func zhDate(d lianggao.Date) string { return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day) }

func daysBetween(a, b lianggao.Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}

// writeTruth writes the planted problems to DataDir/truth.json.
func (g *generator) writeTruth(context.Context) error {
	if g.o.DataDir == "" {
		return nil
	}
	b, err := json.MarshalIndent(Truth{Seed: g.o.Seed, Now: g.o.Now.UTC(), Problems: g.sum.Problems}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(g.o.DataDir, 0o750); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(g.o.DataDir, TruthFile), append(b, '\n'), 0o640)
}
