package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
)

// Ensure the embedded profile holds the plan's province.
func TestDefaultProfile(t *testing.T) {
	p := Default()
	cities := p.Cities()
	counties := 0
	for _, c := range cities {
		counties += len(p.Counties(c.Code))
	}
	if len(cities) != 16 || counties != 136 {
		t.Fatalf("%d cities, %d counties; want 16 and 136", len(cities), counties)
	}
	key := 0
	for _, ind := range p.Industries {
		if ind.Key {
			key++
		}
	}
	if len(p.Industries) != 16 || key != 5 || len(p.Departments) != 5 {
		t.Fatalf("%d industries (%d key), %d departments", len(p.Industries), key, len(p.Departments))
	}
	if p.Location().String() != "Asia/Shanghai" {
		t.Fatalf("zone %s", p.Location())
	}
	if pr, ok := p.Product("crude_steel"); !ok || pr.Industry != "steel" || pr.Unit != "t" {
		t.Fatalf("crude_steel: %+v", pr)
	}
}

// Ensure the default profile's rule thresholds are the ones RULES.md
// documents, the reports rule taking its deadline and completeness from
// [reporting].
func TestDefaultRules(t *testing.T) {
	want := monitor.Params{
		Overproduction: monitor.OverproductionParams{MonthTolerance: 0.05, YearTolerance: 0.02, MinMonthDays: 10,
			Milestones: []monitor.Milestone{{By: monitor.MonthDay{Month: time.May, Day: 31}, Share: 0.45}}},
		Intensity: monitor.IntensityParams{MinRunningDays: 20, RunningShare: 0.2},
		UnitUse: monitor.UnitUseParams{Z: 3.5, MinRelMAD: 0.02, PeerMinRelMAD: 0.05, MinPeers: 8, HistoryDays: 90,
			MinHistoryDays: 20, MinRunningDays: 10, RunningShare: 0.2},
		Change: monitor.ChangeParams{WeekDays: 7, BaselineDays: 28, LookbackDays: 56, MinWeekDays: 5, MinBaselineDays: 14,
			Change: 0.30, Flat: 0.10, StoppedShare: 0.2},
		Reports: monitor.ReportsParams{Deadline: monitor.Clock{Hour: 10}, CompletenessMin: 0.9, MinMonthDays: 10,
			GapDays: 3, CriticalGapDays: 7},
		Meters:        monitor.MeterParams{SilentHours: 24, CriticalSilentHours: 72, OverdueGraceDays: 60, CriticalOverdueDays: 180},
		DailyMonthly:  monitor.DailyMonthlyParams{Tolerance: 0.05, MinCompleteness: 0.9},
		Sources:       monitor.SourcesParams{Threshold: 0.10, Critical: 0.30, MinDays: 10},
		Energy:        monitor.EnergyParams{Threshold: 0.10, Critical: 0.25, MinDays: 10},
		HeatingSeason: monitor.Season{From: monitor.MonthDay{Month: time.November, Day: 15}, To: monitor.MonthDay{Month: time.March, Day: 15}},
		WarmupDays:    90,
	}
	if got := Default().Rules; !reflect.DeepEqual(got, want) {
		t.Fatalf("rules\n got %+v\nwant %+v", got, want)
	}
}

// Ensure a bad rule threshold is refused with its key.
func TestInvalidRules(t *testing.T) {
	base, err := os.ReadFile("default.toml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ from, to, key string }{
		{"z = 3.5", "z = 0", "rules.unit_use.z"},
		{"z = 3.5", "z = -3.5", "rules.unit_use.z"},
		{"z = 3.5", "z = nan", "rules.unit_use.z"},
		{"z = 3.5", `z = "3.5"`, "rules.unit_use.z"},
		{"min_peers = 8", "min_peers = -1", "rules.unit_use.min_peers"},
		{"min_peers = 8", "", "rules.unit_use.min_peers"},
		{"warmup_days = 90", "warmup_days = 0", "rules.warmup_days"},
		{"gap_days = 3", "gap_days = 0", "rules.reports.gap_days"},
		{"critical_gap_days = 7", "critical_gap_days = 2", "rules.reports.critical_gap_days"},
		{"critical = 0.25", "critical = 0.05", "rules.energy_mismatch.critical"},
		{"stopped_share = 0.2", "stopped_share = 2", "rules.lone_change.stopped_share"},
		{"share = 0.45", "share = 0", "rules.overproduction.milestone[0].share"},
		{`by = "05-31"`, `by = "05-32"`, "rules.overproduction.milestone.by"},
		{`from = "11-15"`, `from = "1115"`, "rules.heating_season.from"},
		{`to = "03-15"`, "", "rules.heating_season.to"},
		{"silent_hours = 24.0", "silent_hours = 0.0", "rules.meters.silent_hours"},
		{"\ntolerance = 0.05", "\ntolerence = 0.05", "rules.daily_vs_monthly.tolerence"},
		{"gap_days = 3", "gap_days = 3\ndeadline = \"09:00\"", "rules.reports.deadline"},
	}
	for _, c := range cases {
		changed := strings.Replace(string(base), c.from, c.to, 1)
		if changed == string(base) {
			t.Fatalf("case %s: %q not found in the default profile", c.key, c.from)
		}
		_, err := Parse([]byte(changed))
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%s: got %v", c.key, err)
		}
	}
}

// Ensure an invalid profile is refused with the key at fault.
func TestInvalidProfile(t *testing.T) {
	base, err := os.ReadFile("default.toml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ from, to, key string }{
		{`time_zone = "Asia/Shanghai"`, `time_zone = "Asia/Atlantis"`, "time_zone"},
		{`length_months = 1`, `lenght_months = 1`, "campaign.lenght_months"},
		{`starts = ["06-01", "12-01"]`, `starts = ["06-31", "12-01"]`, "campaign.starts[0]"},
		{`min_team_size = 2`, `min_team_size = 1`, "campaign.min_team_size"},
		{`daily_deadline = "10:00"`, `daily_deadline = "25:00"`, "reporting.daily_deadline"},
		{`code = "iit"`, `code = "drc"`, "department[1].code"},
		{`parent = "370100"`, `parent = "370200"`, "region["},
		{`"2026-10-10"]`, `"2026-10-01"]`, "calendar[1].workdays"},
		{`crypto_suite = "gm"`, `crypto_suite = "rot13"`, "crypto_suite"},
	}
	for _, c := range cases {
		changed := strings.Replace(string(base), c.from, c.to, 1)
		if changed == string(base) {
			t.Fatalf("case %s: %q not found in the default profile", c.key, c.from)
		}
		_, err := Parse([]byte(changed))
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%s: got %v", c.key, err)
		}
	}
	path := filepath.Join(t.TempDir(), "p.toml")
	os.WriteFile(path, []byte("name = ["), 0o600)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("broken file: %v", err)
	}
}

// Ensure the calendar knows weekends, holidays and make-up working days.
func TestCalendar(t *testing.T) {
	c := Default().Calendar()
	day := func(s string) lianggao.Date {
		d, err := lianggao.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for s, want := range map[string]bool{
		"2026-11-27": true,  // Friday
		"2026-11-28": false, // Saturday
		"2026-10-01": false, // National Day, a Thursday
		"2026-10-10": true,  // Saturday made up
		"2026-02-14": true,  // Saturday before the Spring Festival, made up
		"2026-02-16": false, // Spring Festival, a Monday
	} {
		if got := c.IsWorkingDay(day(s)); got != want {
			t.Errorf("%s: working day %v, want %v", s, got, want)
		}
	}
	if got := c.AddWorkingDays(day("2026-09-30"), 1); got.String() != "2026-10-08" {
		t.Errorf("one working day after 30 Sep is %s, want 2026-10-08", got)
	}
	if got := c.AddWorkingDays(day("2026-10-12"), -2); got.String() != "2026-10-09" {
		t.Errorf("two working days before 12 Oct is %s, want 2026-10-09", got)
	}
	if n := c.WorkingDaysBetween(day("2026-06-01"), day("2026-06-30")); n != 21 {
		t.Errorf("June 2026 has %d working days, want 21", n)
	}
}

// Ensure a campaign's window follows the profile: 2026H2 runs through
// December, staffing closes five working days before and the reports are due
// a week after.
func TestCampaignWindow(t *testing.T) {
	p := Default()
	w, err := p.Window("2026H2")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(w.Starts, w.Ends, w.StaffingDeadline, w.ReportDue)
	if got != "2026-12-01 2026-12-31 2026-11-24 2027-01-07" {
		t.Errorf("2026H2 window: %s", got)
	}
	if n := len(w.WorkingDays(p.Calendar())); n != 23 {
		t.Errorf("2026H2 working days: %d, want 23", n)
	}
	if w, _ := p.Window("2026H1"); w.Starts.String() != "2026-06-01" || w.Ends.String() != "2026-06-30" {
		t.Errorf("2026H1 window: %v–%v", w.Starts, w.Ends)
	}
	if _, err := p.Window("2026H3"); lianggao.ErrorCode(err) != lianggao.EINVALID {
		t.Errorf("2026H3: %v", err)
	}
}

// Ensure the national levels are in the profile: clinker's verified
// 100/117 kgce/t, none for refining (judged per energy factor), and a
// baseline below the benchmark refused naming the row.
func TestBenchmarks(t *testing.T) {
	p := Default()
	if b, ok := p.Benchmark("clinker"); !ok || b.Benchmark != 100 || b.Baseline != 117 || b.Unit != "kgce/t" {
		t.Errorf("clinker levels %+v", b)
	}
	if _, ok := p.Benchmark("crude_oil_processed"); ok {
		t.Error("refining has levels")
	}
	bad := strings.Replace(string(defaultProfile), "benchmark = 100\nbaseline = 117", "benchmark = 100\nbaseline = 90", 1)
	if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "benchmark[3]") {
		t.Errorf("baseline below benchmark: %v", err)
	}
}

// Ensure the standard-coal table is GB/T 2589-2020's unless the profile
// gives one, and a given one is checked whole: every carrier, positive,
// in its unit.
func TestCoefficients(t *testing.T) {
	if c := Default().Coefficients; c.Version != "GB/T 2589-2020" || c.Carriers["electricity"].KgcePerUnit != 0.1229 {
		t.Errorf("default table %s, electricity %v", c.Version, c.Carriers["electricity"])
	}
	table := "\n[coefficients]\nversion = \"test\"\nbasis = \"equivalent_input\"\n"
	for _, c := range []string{"raw_coal:kg", "coke:kg", "crude_oil:kg", "natural_gas:m3", "coke_oven_gas:m3", "heat:MJ"} {
		name, unit, _ := strings.Cut(c, ":")
		table += "[coefficients.carrier." + name + "]\nkgce_per_unit = 1\nunit = \"" + unit + "\"\n"
	}
	if _, err := Parse(append(slices.Clone(defaultProfile), table...)); err == nil || !strings.Contains(err.Error(), "coefficients.carrier.electricity") {
		t.Errorf("a table without electricity: %v", err)
	}
	table += "[coefficients.carrier.electricity]\nkgce_per_unit = 0.3\nunit = \"kWh\"\n"
	p, err := Parse(append(slices.Clone(defaultProfile), table...))
	if err != nil {
		t.Fatal(err)
	}
	if p.Coefficients.Basis != "equivalent_input" || p.Coefficients.Carriers["electricity"].KgcePerUnit != 0.3 {
		t.Errorf("given table: %+v", p.Coefficients)
	}
}
