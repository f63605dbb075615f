package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/config"
	"lianggao/internal/demo"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// testScale keeps the engine-matrix tests quick: about 300 enterprises.
const testScale = 0.1

// generate runs Generate for the test's "now" and returns the summary and the
// data directory holding truth.json.
func generate(t testing.TB, s *store.Store, seed int64, scale float64) (*demo.Summary, string) {
	t.Helper()
	dir := t.TempDir()
	var steps []string
	start := time.Now()
	sum, err := demo.Generate(context.Background(), s, demo.Options{Seed: seed, Now: storetest.Now, DataDir: dir, Scale: scale,
		Progress: func(step string) { steps = append(steps, step) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s, scale %g: %v for %d enterprises, %d projects, %d people, %d groups, %d meters, %d figures, %d users, %d problems (%d steps)",
		s.Engine(), scale, time.Since(start), sum.Enterprises, sum.Projects, sum.People, sum.Groups, sum.Meters, sum.Figures,
		sum.Users, len(sum.Problems), len(steps))
	return sum, dir
}

// Ensure a small province is complete and consistent on both engines: every
// code valid and unique, every city with plants, staff and groups at full
// size, the planted problems visible in the figures, every account usable.
func TestGenerate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		sum, dir := generate(t, s, 1, testScale)
		ctx := storetest.Admin()
		checkCounts(t, sum, testScale)
		ents := checkEnterprises(t, ctx, s, sum.Enterprises)
		checkProjects(t, ctx, s)
		checkPeople(t, ctx, s)
		checkGroups(t, ctx, s)
		checkTruth(t, ctx, s, dir, ents)
		checkAccounts(t, s)
		if v, err := s.Setting(ctx, demo.SettingGenerated); err != nil || v != storetest.Now.Format(time.RFC3339) {
			t.Errorf("setting %s = %q, %v", demo.SettingGenerated, v, err)
		}
		if _, err := s.VerifyAudit(ctx, ""); err != nil {
			t.Errorf("audit chain: %v", err)
		}
		if _, err := demo.Generate(context.Background(), s, demo.Options{Seed: 1, Now: storetest.Now, Scale: testScale}); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("second Generate on the same store: %v, want a conflict", err)
		}
	})
}

// Ensure the full-size province has the sizes the demo promises.
func TestGenerateFull(t *testing.T) {
	if testing.Short() {
		t.Skip("the full province takes a while")
	}
	s := storetest.Open(t, "sqlite")
	sum, dir := generate(t, s, 2026, 1)
	checkCounts(t, sum, 1)
	ctx := storetest.Admin()
	ents := checkEnterprises(t, ctx, s, sum.Enterprises)
	checkTruth(t, ctx, s, dir, ents)
	checkCampaignDraws(t, s, 2000)
}

// Ensure the same seed and "now" give the same province, and another seed another.
func TestDeterministic(t *testing.T) {
	fingerprint := func(seed int64) (string, string) {
		s := storetest.Open(t, "sqlite")
		generate(t, s, seed, testScale)
		ctx := storetest.Admin()
		list, figs := sha256.New(), sha256.New()
		for _, e := range allEnterprises(t, ctx, s) {
			fmt.Fprintf(list, "%s|%s|%s|%s|%v|%v|%v|%s|%s\n", e.CreditCode, e.Name, e.County, e.Industry, e.Location,
				e.Key, e.OutputControlled, e.Status, e.Address)
			fs, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				fmt.Fprintf(figs, "%s|%s|%s|%g\n", e.CreditCode, f.Date, f.Indicator, f.Value)
			}
		}
		return hex.EncodeToString(list.Sum(nil)), hex.EncodeToString(figs.Sum(nil))
	}
	l1, f1 := fingerprint(7)
	l2, f2 := fingerprint(7)
	l3, f3 := fingerprint(8)
	if l1 != l2 || f1 != f2 {
		t.Errorf("same seed, different province: enterprises %s vs %s, figures %s vs %s", l1, l2, f1, f2)
	}
	if l1 == l3 || f1 == f3 {
		t.Error("another seed gave the same province")
	}
}

// Ensure every account named in Accounts is unique and has a known role.
func TestAccounts(t *testing.T) {
	seen := map[string]bool{}
	roles := map[lianggao.Role]bool{}
	for _, a := range demo.Accounts() {
		if seen[a.Username] || a.Password == "" || a.Description == "" || lianggao.RegionLevel(a.Region) == "" {
			t.Errorf("account %+v", a)
		}
		seen[a.Username] = true
		for _, r := range a.Roles {
			roles[r] = true
		}
	}
	for r := range lianggao.RolePermissions {
		if !roles[r] {
			t.Errorf("no demo account has role %s", r)
		}
	}
}

// checkCounts compares the summary with the promised sizes, scaled.
func checkCounts(t *testing.T, sum *demo.Summary, scale float64) {
	t.Helper()
	within := func(name string, got int, lo, hi float64) {
		if float64(got) < lo || float64(got) > hi {
			t.Errorf("%s = %d, want %g…%g", name, got, lo, hi)
		}
	}
	within("enterprises", sum.Enterprises, 2800*scale, 3200*scale+50)
	within("projects", sum.Projects, 650*scale, 800*scale+20)
	within("people", sum.People, 1100, 1350)
	within("groups", sum.Groups, 152, 152)
	within("group members", sum.GroupMembers, 324, 324)
	within("users", sum.Users, float64(len(demo.Accounts())), float64(len(demo.Accounts())))
	within("problems", len(sum.Problems), 10, 20)
	within("meters", sum.Meters, float64(sum.Enterprises), 4*float64(sum.Enterprises))
	within("figures", sum.Figures, 250*365*4*scale, 1400*365*4*scale+60000)
}

// checkEnterprises reads every enterprise back and checks codes, names and
// the spread over the cities; it returns them by credit code.
func checkEnterprises(t *testing.T, ctx context.Context, s *store.Store, want int) map[string]*lianggao.Enterprise {
	t.Helper()
	out := map[string]*lianggao.Enterprise{}
	names := map[string]bool{}
	cities := map[string]int{}
	for _, e := range allEnterprises(t, ctx, s) {
		if !lianggao.ValidCreditCode(e.CreditCode) || out[e.CreditCode] != nil || names[e.Name] {
			t.Errorf("enterprise %s %s: invalid or repeated", e.CreditCode, e.Name)
		}
		if !strings.HasPrefix(e.CreditCode, "91"+e.County) || !strings.HasSuffix(e.Name, "公司") {
			t.Errorf("enterprise %s %s in %s", e.CreditCode, e.Name, e.County)
		}
		out[e.CreditCode], names[e.Name] = e, true
		cities[e.City]++
	}
	if len(out) != want {
		t.Errorf("read %d enterprises, generated %d", len(out), want)
	}
	for _, c := range config.Default().Cities() {
		if cities[c.Code] == 0 {
			t.Errorf("no enterprise in %s %s", c.Code, c.Name)
		}
	}
	return out
}

// checkProjects checks that every list stage and off-list projects occur,
// that planned projects have few permits and operating ones several.
func checkProjects(t *testing.T, ctx context.Context, s *store.Store) {
	t.Helper()
	off := false
	for _, f := range []lianggao.ProjectFilter{{ListStage: lianggao.StagePlanned}, {ListStage: lianggao.StageUnderConstruction},
		{ListStage: lianggao.StageExisting}, {Listed: &off}} {
		list, total, err := s.FindProjects(ctx, f)
		if err != nil || total == 0 {
			t.Errorf("projects %+v: %d, %v", f, total, err)
			continue
		}
		for _, p := range list {
			full, err := s.FindProjectByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Status == lianggao.ProjectPlanned && len(full.Permits) > 1 || p.Status == lianggao.ProjectOperating && len(full.Permits) < 2 {
				t.Errorf("project %s %s (%s) has %d permits", p.Code, p.Name, p.Status, len(full.Permits))
			}
		}
	}
}

// checkPeople checks the kinds of staff and that some certificates have
// lapsed and some lapse within four months.
func checkPeople(t *testing.T, ctx context.Context, s *store.Store) {
	t.Helper()
	today := lianggao.DateOf(storetest.Now.In(s.Profile().Location()))
	kinds := map[string]int{}
	lapsed, lapsing := 0, 0
	for offset := 0; ; offset += 500 {
		list, total, err := s.FindPeople(ctx, lianggao.PersonFilter{Offset: offset, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			kinds[p.Kind]++
			switch {
			case p.CertNumber != "" && !p.CertValid(today):
				lapsed++
			case p.CertValid(today) && p.CertValidUntil.Before(today.AddDays(120)):
				lapsing++
			}
		}
		if offset+500 >= total {
			break
		}
	}
	if len(kinds) != len(lianggao.PersonKinds) || kinds[lianggao.PersonOfficial] < 1000 || lapsed == 0 || lapsing <= lapsed {
		t.Errorf("people by kind %v; %d certificates lapsed, %d lapsing", kinds, lapsed, lapsing)
	}
}

// checkGroups checks that every group has one leader and members of its own
// city.
func checkGroups(t *testing.T, ctx context.Context, s *store.Store) {
	t.Helper()
	groups, err := s.FindSupervisionGroups(ctx, "")
	if err != nil || len(groups) != 152 {
		t.Fatalf("%d groups, %v", len(groups), err)
	}
	for _, g := range groups {
		full, err := s.FindSupervisionGroupByID(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		leaders := 0
		for _, m := range full.Members {
			if m.Role == "leader" {
				leaders++
			}
		}
		if leaders != 1 || len(full.Members) < 2 || !strings.HasSuffix(g.Name, "两高项目专项督导组") {
			t.Errorf("group %s %s: %+v", g.Code, g.Name, full.Members)
		}
	}
}

// allEnterprises reads every enterprise, page by page.
func allEnterprises(t testing.TB, ctx context.Context, s *store.Store) []*lianggao.Enterprise {
	t.Helper()
	var out []*lianggao.Enterprise
	for {
		page, total, err := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Sort: "credit_code", Offset: len(out), Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out
		}
	}
}

// checkTruth reads truth.json and checks that each planted problem shows in
// the stored figures and meters.
func checkTruth(t *testing.T, ctx context.Context, s *store.Store, dir string, ents map[string]*lianggao.Enterprise) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, demo.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var truth demo.Truth
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, pr := range truth.Problems {
		e := ents[pr.CreditCode]
		if e == nil || e.Name != pr.Enterprise || pr.Description == "" || pr.DescriptionEN == "" || pr.To.Before(pr.From) {
			t.Errorf("problem %+v: unknown enterprise or incomplete", pr)
			continue
		}
		kinds[pr.Kind]++
		if err := checkProblem(ctx, s, e, pr); err != nil {
			t.Errorf("%s at %s (%s…%s): %v", pr.Kind, pr.Enterprise, pr.From, pr.To, err)
		}
	}
	if len(kinds) != 6 {
		t.Errorf("planted kinds %v, want all six", kinds)
	}
}

// days holds an enterprise's figures by day and indicator.
type days map[lianggao.Date]map[string]float64

// mean averages an indicator over [from, to], counting days with a value.
func (d days) mean(indicator string, from, to lianggao.Date) float64 {
	sum, n := 0.0, 0
	for day := from; !to.Before(day); day = day.AddDays(1) {
		if v, ok := d[day][indicator]; ok {
			sum, n = sum+v, n+1
		}
	}
	return sum / float64(n)
}

func (d days) total(indicator string, from, to lianggao.Date) float64 {
	sum := 0.0
	for day := from; !to.Before(day); day = day.AddDays(1) {
		sum += d[day][indicator]
	}
	return sum
}

func checkProblem(ctx context.Context, s *store.Store, e *lianggao.Enterprise, pr demo.Problem) error {
	full, err := s.FindEnterpriseByID(ctx, e.ID)
	if err != nil {
		return err
	}
	figs, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID})
	if err != nil {
		return err
	}
	d := days{}
	var output string
	for _, f := range figs {
		if d[f.Date] == nil {
			d[f.Date] = map[string]float64{}
		}
		d[f.Date][f.Indicator] = f.Value
		if strings.HasPrefix(f.Indicator, "output:") {
			output = f.Indicator
		}
	}
	before := pr.From.AddDays(-30)
	ratio := func(from, to lianggao.Date) float64 {
		return d.mean(output, from, to) / d.mean(demo.IndicatorElectricity, from, to)
	}
	switch pr.Kind {
	case demo.KindOverproduction:
		plan := full.Capacities[0].Amount / 12
		for m := pr.From; !pr.To.Before(m); m = lianggao.DateOf(m.Time(time.UTC).AddDate(0, 1, 0)) {
			end := lianggao.DateOf(m.Time(time.UTC).AddDate(0, 1, -1))
			if got := d.total(output, m, end); got <= plan {
				return fmt.Errorf("%s output %.0f within the plan %.0f", m, got, plan)
			}
		}
	case demo.KindOutputJump, demo.KindOutputConcealed:
		change := ratio(pr.From, pr.To) / ratio(before, pr.From.AddDays(-1))
		elec := d.mean(demo.IndicatorElectricity, pr.From, pr.To) / d.mean(demo.IndicatorElectricity, before, pr.From.AddDays(-1))
		if up := pr.Kind == demo.KindOutputJump; up && change < 1.25 || !up && change > 0.8 || elec < 0.7 || elec > 1.3 {
			return fmt.Errorf("output per kWh changed ×%.2f, electricity ×%.2f", change, elec)
		}
	case demo.KindMissingFigures:
		for day := pr.From; !pr.To.Before(day); day = day.AddDays(1) {
			if len(d[day]) > 0 {
				return fmt.Errorf("figures on %s", day)
			}
		}
		if len(d[pr.From.AddDays(-1)]) != 4 {
			return fmt.Errorf("no figures the day before")
		}
	case demo.KindEnergyUnderreported:
		worth := d.mean(demo.IndicatorCoal, pr.From, pr.To)*0.7143 + d.mean(demo.IndicatorElectricity, pr.From, pr.To)*0.0001229
		if got := d.mean(demo.IndicatorEnergy, pr.From, pr.To) / worth; got > 0.8 {
			return fmt.Errorf("energy reported at %.2f of its worth", got)
		}
	case demo.KindMeterOverdue:
		ms, _, err := s.FindMeters(ctx, lianggao.MeterFilter{EnterpriseID: e.ID})
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Kind == "electricity" && m.CalibrationDue == pr.From {
				return nil
			}
		}
		return fmt.Errorf("no electricity meter due on %s", pr.From)
	}
	return nil
}

// checkAccounts signs in with every demo account.
func checkAccounts(t *testing.T, s *store.Store) {
	t.Helper()
	for _, a := range demo.Accounts() {
		u, err := s.Authenticate(context.Background(), a.Username, a.Password)
		if err != nil {
			t.Errorf("sign in as %s: %v", a.Username, err)
			continue
		}
		if u.Region != a.Region || (a.Username == "enterprise") != (u.EnterpriseID != 0) {
			t.Errorf("account %s: %+v", a.Username, u)
		}
	}
}

// BenchmarkGenerate measures the full province on SQLite with the real
// password-hashing cost, as `lianggao demo` runs it.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		s, err := store.Open(context.Background(), store.Config{DataDir: dir, Profile: config.Default(),
			Now: func() time.Time { return storetest.Now }, Password: auth.DefaultParams, Suite: storetest.Suite(b)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, prev, last := time.Now(), "", time.Now()
		_, err = demo.Generate(context.Background(), s, demo.Options{Seed: 2026, Now: storetest.Now, DataDir: dir,
			Progress: func(step string) {
				if prev != "" {
					b.Logf("%-20s %v", prev, time.Since(last).Round(time.Millisecond))
				}
				prev, last = step, time.Now()
			}})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%-20s %v; total %v", prev, time.Since(last).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
