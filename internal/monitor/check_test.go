package monitor

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"lianggao"
)

// plantings are the demo's planted problems: how many of each kind, and
// which industries may have them.
var plantings = []struct {
	kind  string
	count int
	suits func(industryShape) bool
}{
	{"overproduction", 3, func(i industryShape) bool { return i.controlled }},
	{"output_jump", 3, func(industryShape) bool { return true }},
	{"output_concealed", 2, func(industryShape) bool { return true }},
	{"missing_figures", 3, func(industryShape) bool { return true }},
	{"energy_underreported", 2, func(industryShape) bool { return true }},
	{"meter_overdue", 2, func(industryShape) bool { return true }},
}

// demoProvince generates a province like the demo's: 12 plants per
// industry and the demo's planted problems spread over the industries.
func demoProvince(seed uint64, perIndustry int) (*demoWorld, []TruthItem) {
	w := newDemoWorld(seed, time.Date(2026, 4, 1, 8, 0, 0, 0, shanghai))
	var truth []TruthItem
	k := int(seed)
	for _, pl := range plantings {
		for range pl.count {
			ind := demoIndustries[k%len(demoIndustries)]
			for !pl.suits(ind) {
				k++
				ind = demoIndustries[k%len(demoIndustries)]
			}
			k++
			truth = append(truth, *w.add(ind, pl.kind).problem)
		}
	}
	for _, ind := range demoIndustries {
		for range perIndustry {
			w.add(ind, "")
		}
	}
	return w, truth
}

// checkAll runs Check over every plant of the world for its year.
func checkAll(t *testing.T, w *demoWorld, p Params) []Finding {
	t.Helper()
	peers := w.peerRates(p.UnitUse)
	c := Context{From: w.first, To: w.last, Now: w.now, Loc: shanghai, Catalogue: demoCatalogue(), Coefficients: GBT2589()}
	var all []Finding
	for _, pl := range w.plants {
		fs, err := Check(w.enterprise(pl, peers), c, p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, fs...)
	}
	return all
}

// Ensure the rules with their default thresholds find every kind of problem
// the demo plants, and raise no alarm over the normal plants' seasons,
// weekends, stoppages and noise: recall at least 95% and precision at least
// 80% on several provinces, as the issue asks of the real demo.
func TestDemoLikePrecisionRecall(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		w, truth := demoProvince(seed, 12)
		findings := checkAll(t, w, DefaultParams())
		precision, recall := Evaluate(findings, truth)
		t.Logf("seed %d: %d plants, %d planted, %d findings; precision %.3f, recall %.3f",
			seed, len(w.plants), len(truth), len(findings), precision, recall)
		if recall < 0.95 || precision < 0.8 {
			explain(t, findings, truth)
			t.Errorf("seed %d: precision %.3f, recall %.3f", seed, precision, recall)
		}
	}
}

// explain logs the planted problems missed and the findings that match none.
func explain(t *testing.T, findings []Finding, truth []TruthItem) {
	for _, tr := range truth {
		hit := false
		for _, f := range findings {
			hit = hit || matches(f, tr)
		}
		if !hit {
			t.Logf("missed %+v", tr)
		}
	}
	for _, f := range findings {
		hit := false
		for _, tr := range truth {
			hit = hit || matches(f, tr)
		}
		if !hit && planted(f.Rule) && f.Severity != Info {
			t.Logf("false alarm %s %s %s %v–%v %s %v", f.CreditCode, f.Rule, f.Subject, f.From, f.To, f.Severity, f.Evidence)
		}
	}
}

// Ensure a run over one day — the incremental run after a day's reports —
// sees the problems a run over the whole year sees on that day, thanks to
// the warm-up before From.
func TestCheckIncremental(t *testing.T) {
	w, truth := demoProvince(2, 4)
	p := DefaultParams()
	peers := w.peerRates(p.UnitUse)
	c := Context{Now: w.now, Loc: shanghai, Catalogue: demoCatalogue(), Coefficients: GBT2589()}
	key := func(fs []Finding, day lianggao.Date) []string {
		var out []string
		for _, f := range fs {
			if f.span().contains(dayNumber(day)) && f.Severity != Info {
				out = append(out, fmt.Sprintf("%s %s %s %v %s", f.CreditCode, f.Rule, f.Subject, f.To, f.Severity))
			}
		}
		return out
	}
	checked := 0
	for _, tr := range truth {
		for _, day := range []lianggao.Date{tr.From.AddDays(20), tr.To, w.last} {
			if w.last.Before(day) {
				continue
			}
			pl := w.plants[slices.IndexFunc(w.plants, func(p *demoPlant) bool { return p.code == tr.CreditCode })]
			e := w.enterprise(pl, peers)
			c.From, c.To = w.first, day
			full, err := Check(e, c, p)
			if err != nil {
				t.Fatal(err)
			}
			c.From = day
			one, err := Check(e, c, p)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := key(full, day), key(one, day); fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s on %v:\n year %v\n day  %v", tr.Kind, day, a, b)
			}
			checked++
		}
	}
	if checked < 30 {
		t.Fatalf("only %d days checked", checked)
	}
}
