// Package config holds the province profile: the regions, departments,
// industries, calendar and every number the plan fixes. It is passed
// explicitly; there is no global configuration.
package config

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the profile's zone must resolve on machines without tzdata

	"github.com/BurntSushi/toml"

	"lianggao"
	"lianggao/internal/monitor"
)

//go:embed default.toml
var defaultProfile []byte

// Profile is a province's configuration.
type Profile struct {
	Name        string      `toml:"name"`
	Province    string      `toml:"province"`
	TimeZone    string      `toml:"time_zone"`
	CryptoSuite string      `toml:"crypto_suite"`
	Campaign    Campaign    `toml:"campaign"`
	Reporting   Reporting   `toml:"reporting"`
	Supervision Supervision `toml:"supervision"`
	Audit       Audit       `toml:"audit"`
	// Rules are the monitoring rules' thresholds. The reports rule's
	// deadline and completeness come from Reporting.
	Rules monitor.Params `toml:"rules"`
	// Benchmarks are the national energy-efficiency levels of the key
	// industries' main products (R6.2): the intensity rule and the monthly
	// analysis judge unit energy use by them.
	Benchmarks []monitor.Benchmark `toml:"benchmark"`
	// Coefficients is the versioned standard-coal table the platform
	// computes comprehensive energy use with; without a [coefficients]
	// section it is GB/T 2589-2020's (monitor.GBT2589).
	Coefficients *monitor.Coefficients `toml:"coefficients"`
	Departments  []Department          `toml:"department"`
	Industries   []Industry            `toml:"industry"`
	Years        []CalendarYear        `toml:"calendar"`
	Regions      []Region              `toml:"region"`

	loc       *time.Location
	calendar  Calendar
	regions   map[string]*Region
	products  map[string]*Product
	catalogue *monitor.Catalogue
}

// Campaign holds the defaults of the semi-annual comprehensive inspection.
type Campaign struct {
	Starts                      []string    `toml:"starts"` // MM-DD
	LengthMonths                int         `toml:"length_months"`
	ReportDueDays               int         `toml:"report_due_days"`
	StaffingDeadlineWorkingDays int         `toml:"staffing_deadline_working_days"`
	AnnualInspectionCap         int         `toml:"annual_inspection_cap"`
	MinTeamSize                 int         `toml:"min_team_size"`
	CheckinRadiusM              float64     `toml:"checkin_radius_m"`
	Composition                 Composition `toml:"composition"`
	// Items is the published list of inspection items (R7.1): only these
	// may be inspected, each by the body empowered for it.
	Items []InspectionItem `toml:"item"`
}

// InspectionItem is an item of the published inspection list.
type InspectionItem struct {
	Code       string `toml:"code"`
	Name       string `toml:"name"`
	Department string `toml:"department"` // the line whose body is empowered to inspect it
}

// Composition is the target make-up of one joint inspection group.
type Composition struct {
	Leader     int `toml:"leader"`
	Provincial int `toml:"provincial"`
	Local      int `toml:"local"`
	FourInto   int `toml:"four_into"`
	Experts    int `toml:"experts"`
}

// Reporting holds the defaults of daily reporting and uploads.
type Reporting struct {
	DailyDeadline   string  `toml:"daily_deadline"` // HH:MM local time, the next day
	CompletenessMin float64 `toml:"completeness_min"`
	MaxBatchLines   int     `toml:"max_batch_lines"`
	UploadLimitMB   int     `toml:"upload_limit_mb"`
}

// Supervision holds the size of the Four-Into supervision system.
type Supervision struct {
	Groups  int `toml:"groups"`
	Members int `toml:"members"`
}

// Audit holds the audit trail's retention: entries stay in the database at
// least this long before they may be sealed into signed archives.
type Audit struct {
	RetentionMonths int `toml:"retention_months"`
}

// Department is one of the department lines and how many cities its group takes.
type Department struct {
	Code              string `toml:"code"`
	Name              string `toml:"name"`
	CitiesPerCampaign int    `toml:"cities_per_campaign"`
}

// Industry is a two-high industry with its products.
type Industry struct {
	Code     string    `toml:"code"`
	Name     string    `toml:"name"`
	Key      bool      `toml:"key"`
	Products []Product `toml:"product"`
}

// Product is a product of an industry and its unit.
type Product struct {
	Code     string `toml:"code"`
	Name     string `toml:"name"`
	Unit     string `toml:"unit"`
	Industry string `toml:"-"`
}

// CalendarYear lists one year's public holidays and make-up working days.
type CalendarYear struct {
	Year     int      `toml:"year"`
	Holidays []string `toml:"holidays"`
	Workdays []string `toml:"workdays"`
}

// Region is an administrative division of the province.
type Region struct {
	Code   string  `toml:"code"`
	Name   string  `toml:"name"`
	Kind   string  `toml:"kind"` // province, city, district, county_city, county
	Parent string  `toml:"parent"`
	Lat    float64 `toml:"lat"`
	Lon    float64 `toml:"lon"`
}

// Default returns the embedded profile, modelled on the plan.
func Default() *Profile {
	p, err := Parse(defaultProfile)
	if err != nil {
		panic("config: embedded profile: " + err.Error())
	}
	return p
}

// Load reads a profile file; an empty path gives the default.
func Load(path string) (*Profile, error) {
	if path == "" {
		return Default(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

// Parse decodes and validates a profile. Unknown keys are errors, so a
// misspelt setting never silently falls back to a default.
func Parse(b []byte) (*Profile, error) {
	var p Profile
	md, err := toml.Decode(string(b), &p)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown key", und[0].String())
	}
	for _, k := range []string{"deadline", "completeness_min"} {
		if md.IsDefined("rules", "reports", k) {
			return nil, fmt.Errorf("rules.reports.%s: set by [reporting], not here", k)
		}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func (p *Profile) validate() error {
	var err error
	if p.loc, err = time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" {
		return fmt.Errorf("time_zone: unknown time zone %q", p.TimeZone)
	}
	if lianggao.RegionLevel(p.Province) != lianggao.LevelProvince {
		return fmt.Errorf("province: %q is not a province code", p.Province)
	}
	if p.CryptoSuite != "gm" && p.CryptoSuite != "intl" {
		return fmt.Errorf("crypto_suite: %q, want gm or intl", p.CryptoSuite)
	}
	if _, err := time.Parse("15:04", p.Reporting.DailyDeadline); err != nil {
		return fmt.Errorf("reporting.daily_deadline: %q, want HH:MM", p.Reporting.DailyDeadline)
	}
	if p.Reporting.CompletenessMin <= 0 || p.Reporting.CompletenessMin > 1 {
		return fmt.Errorf("reporting.completeness_min: %v, want a share in (0, 1]", p.Reporting.CompletenessMin)
	}
	if p.Reporting.MaxBatchLines <= 0 || p.Reporting.UploadLimitMB <= 0 {
		return fmt.Errorf("reporting: max_batch_lines and upload_limit_mb must be positive")
	}
	if err := p.validateRules(); err != nil {
		return err
	}
	if p.Audit.RetentionMonths < 6 {
		return fmt.Errorf("audit.retention_months: %d, the law asks for at least 6", p.Audit.RetentionMonths)
	}
	if err := p.validateDepartments(); err != nil {
		return err
	}
	if err := p.validateCampaign(); err != nil {
		return err
	}
	if err := p.validateIndustries(); err != nil {
		return err
	}
	var products []*lianggao.Product
	for _, ind := range p.DomainIndustries() {
		products = append(products, ind.Products...)
	}
	p.catalogue = monitor.NewCatalogue(products)
	if err := p.validateBenchmarks(); err != nil {
		return err
	}
	if err := p.validateCoefficients(); err != nil {
		return err
	}
	if err := p.validateRegions(); err != nil {
		return err
	}
	p.calendar, err = newCalendar(p.Years)
	return err
}

// validateRules checks the rules' thresholds: every number must be
// positive, every day of the year given, shares at most 1 and critical
// levels beyond the warning ones. The reports rule takes its deadline and
// completeness from [reporting], checked before.
func (p *Profile) validateRules() error {
	r := &p.Rules
	deadline, _ := time.Parse("15:04", p.Reporting.DailyDeadline)
	r.Reports.Deadline = monitor.Clock{Hour: deadline.Hour(), Minute: deadline.Minute()}
	r.Reports.CompletenessMin = p.Reporting.CompletenessMin
	if err := positive("rules", reflect.ValueOf(*r)); err != nil {
		return err
	}
	type share struct {
		key string
		v   float64
	}
	shares := []share{{"intensity.running_share", r.Intensity.RunningShare}, {"unit_use.running_share", r.UnitUse.RunningShare},
		{"lone_change.flat", r.Change.Flat}, {"lone_change.change", r.Change.Change},
		{"lone_change.stopped_share", r.Change.StoppedShare}, {"daily_vs_monthly.min_completeness", r.DailyMonthly.MinCompleteness}}
	for i, m := range r.Overproduction.Milestones {
		shares = append(shares, share{fmt.Sprintf("overproduction.milestone[%d].share", i), m.Share})
	}
	for _, s := range shares {
		if s.v > 1 {
			return fmt.Errorf("rules.%s: %v, want a share in (0, 1]", s.key, s.v)
		}
	}
	type order struct {
		low, high string
		lv, hv    float64
	}
	for _, o := range []order{
		{"lone_change.min_week_days", "lone_change.week_days", float64(r.Change.MinWeekDays), float64(r.Change.WeekDays)},
		{"lone_change.min_baseline_days", "lone_change.baseline_days", float64(r.Change.MinBaselineDays), float64(r.Change.BaselineDays)},
		{"lone_change.baseline_days", "lone_change.lookback_days", float64(r.Change.BaselineDays), float64(r.Change.LookbackDays)},
		{"reports.gap_days", "reports.critical_gap_days", float64(r.Reports.GapDays), float64(r.Reports.CriticalGapDays)},
		{"meters.silent_hours", "meters.critical_silent_hours", r.Meters.SilentHours, r.Meters.CriticalSilentHours},
		{"meters.overdue_grace_days", "meters.critical_overdue_days", float64(r.Meters.OverdueGraceDays), float64(r.Meters.CriticalOverdueDays)},
		{"source_mismatch.threshold", "source_mismatch.critical", r.Sources.Threshold, r.Sources.Critical},
		{"energy_mismatch.threshold", "energy_mismatch.critical", r.Energy.Threshold, r.Energy.Critical},
	} {
		if o.hv < o.lv {
			return fmt.Errorf("rules.%s: %v, want at least rules.%s (%v)", o.high, o.hv, o.low, o.lv)
		}
	}
	return nil
}

// positive checks that every number under v, named by its TOML keys from
// key on, is positive and every day of the year is given; booleans may be
// false and fields without a key are not the profile's.
func positive(key string, v reflect.Value) error {
	switch x := v.Interface().(type) {
	case monitor.MonthDay:
		if x == (monitor.MonthDay{}) {
			return fmt.Errorf("%s: a day MM-DD is required", key)
		}
		return nil
	case monitor.Clock:
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			tag := v.Type().Field(i).Tag.Get("toml")
			if tag == "" || tag == "-" {
				continue
			}
			if err := positive(key+"."+tag, v.Field(i)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := positive(fmt.Sprintf("%s[%d]", key, i), v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Int:
		if v.Int() <= 0 {
			return fmt.Errorf("%s: %d, must be positive", key, v.Int())
		}
	case reflect.Float64:
		if !(v.Float() > 0) || math.IsInf(v.Float(), 1) {
			return fmt.Errorf("%s: %v, must be a positive number", key, v.Float())
		}
	}
	return nil
}

func (p *Profile) validateCampaign() error {
	c := p.Campaign
	if len(c.Starts) == 0 {
		return fmt.Errorf("campaign.starts: at least one start day is needed")
	}
	for i, s := range c.Starts {
		// A leap year admits 02-29 and nothing impossible, such as 06-31.
		if _, err := time.Parse(time.DateOnly, "2024-"+s); err != nil || len(s) != 5 {
			return fmt.Errorf("campaign.starts[%d]: %q, want MM-DD", i, s)
		}
	}
	switch {
	case c.LengthMonths < 1:
		return fmt.Errorf("campaign.length_months: must be at least 1")
	case c.ReportDueDays < 1:
		return fmt.Errorf("campaign.report_due_days: must be at least 1")
	case c.MinTeamSize < 2:
		return fmt.Errorf("campaign.min_team_size: at least two inspectors are required by law")
	case c.CheckinRadiusM <= 0:
		return fmt.Errorf("campaign.checkin_radius_m: must be positive")
	case c.Composition.Leader < 1:
		return fmt.Errorf("campaign.composition.leader: must be at least 1")
	case len(c.Items) == 0:
		return fmt.Errorf("campaign.item: the inspection item list is empty")
	}
	for i, it := range c.Items {
		if it.Code == "" || it.Name == "" || !p.HasDepartment(it.Department) {
			return fmt.Errorf("campaign.item[%d]: needs a code, a name and a known department, got %q %q %q", i, it.Code, it.Name, it.Department)
		}
	}
	return nil
}

// validateBenchmarks checks each level: a known product, a known numerator,
// a positive scale and a benchmark no worse than the baseline.
func (p *Profile) validateBenchmarks() error {
	seen := map[string]bool{}
	for i, b := range p.Benchmarks {
		key := fmt.Sprintf("benchmark[%d]", i)
		switch {
		case p.products[b.Product] == nil:
			return fmt.Errorf("%s.product: %q is not a product of the profile", key, b.Product)
		case seen[b.Product]:
			return fmt.Errorf("%s.product: %q has two rows", key, b.Product)
		case b.Numerator == "":
			return fmt.Errorf("%s.numerator: empty", key)
		case !(b.Scale > 0):
			return fmt.Errorf("%s.scale: %v, must be positive", key, b.Scale)
		case !(b.Benchmark > 0) || b.Baseline < b.Benchmark:
			return fmt.Errorf("%s: benchmark %v and baseline %v, want 0 < benchmark ≤ baseline", key, b.Benchmark, b.Baseline)
		}
		seen[b.Product] = true
	}
	return nil
}

// validateCoefficients fills in the standard table when the profile gives
// none, and checks a given one: a version, a known basis, and a positive
// coefficient for every carrier the catalogue's indicators name.
func (p *Profile) validateCoefficients() error {
	if p.Coefficients == nil {
		p.Coefficients = monitor.GBT2589()
		return nil
	}
	c := p.Coefficients
	if c.Version == "" {
		return fmt.Errorf("coefficients.version: empty")
	}
	if c.Basis != "equivalent" && c.Basis != "equivalent_input" {
		return fmt.Errorf("coefficients.basis: %q, want equivalent or equivalent_input", c.Basis)
	}
	for carrier, std := range monitor.GBT2589().Carriers {
		got, ok := c.Carriers[carrier]
		switch {
		case !ok:
			return fmt.Errorf("coefficients.carrier.%s: missing", carrier)
		case !(got.KgcePerUnit > 0):
			return fmt.Errorf("coefficients.carrier.%s.kgce_per_unit: %v, must be positive", carrier, got.KgcePerUnit)
		case got.Unit != std.Unit:
			return fmt.Errorf("coefficients.carrier.%s.unit: %q, want %q", carrier, got.Unit, std.Unit)
		}
	}
	return nil
}

// Benchmark returns the national levels of a product.
func (p *Profile) Benchmark(product string) (monitor.Benchmark, bool) {
	for _, b := range p.Benchmarks {
		if b.Product == product {
			return b, true
		}
	}
	return monitor.Benchmark{}, false
}

// RegionName returns the name of a region, or the code when unknown.
func (p *Profile) RegionName(code string) string {
	if r, ok := p.Region(code); ok {
		return r.Name
	}
	return code
}

// DepartmentName returns the name of a department, or the code when unknown.
func (p *Profile) DepartmentName(code string) string {
	for _, d := range p.Departments {
		if d.Code == code {
			return d.Name
		}
	}
	return code
}

// IndustryName returns the name of an industry, or the code when unknown.
func (p *Profile) IndustryName(code string) string {
	for _, ind := range p.Industries {
		if ind.Code == code {
			return ind.Name
		}
	}
	return code
}

// HasDepartment reports whether code is one of the profile's departments.
func (p *Profile) HasDepartment(code string) bool {
	return slices.ContainsFunc(p.Departments, func(d Department) bool { return d.Code == code })
}

func (p *Profile) validateDepartments() error {
	if len(p.Departments) == 0 {
		return fmt.Errorf("department: at least one department is needed")
	}
	seen := map[string]bool{}
	for i, d := range p.Departments {
		switch {
		case d.Code == "" || d.Name == "":
			return fmt.Errorf("department[%d]: code and name are required", i)
		case seen[d.Code]:
			return fmt.Errorf("department[%d].code: %q appears twice", i, d.Code)
		case d.CitiesPerCampaign < 1:
			return fmt.Errorf("department[%d].cities_per_campaign: must be at least 1", i)
		}
		seen[d.Code] = true
	}
	return nil
}

func (p *Profile) validateIndustries() error {
	if len(p.Industries) == 0 {
		return fmt.Errorf("industry: at least one industry is needed")
	}
	seen := map[string]bool{}
	p.products = map[string]*Product{}
	for i := range p.Industries {
		ind := &p.Industries[i]
		if ind.Code == "" || ind.Name == "" {
			return fmt.Errorf("industry[%d]: code and name are required", i)
		}
		if seen[ind.Code] {
			return fmt.Errorf("industry[%d].code: %q appears twice", i, ind.Code)
		}
		seen[ind.Code] = true
		for j := range ind.Products {
			pr := &ind.Products[j]
			if pr.Code == "" || pr.Unit == "" {
				return fmt.Errorf("industry[%d].product[%d]: code and unit are required", i, j)
			}
			if _, dup := p.products[pr.Code]; dup {
				return fmt.Errorf("industry[%d].product[%d].code: %q appears twice", i, j, pr.Code)
			}
			pr.Industry = ind.Code
			p.products[pr.Code] = pr
		}
	}
	return nil
}

func (p *Profile) validateRegions() error {
	p.regions = map[string]*Region{}
	for i := range p.Regions {
		r := &p.Regions[i]
		if lianggao.RegionLevel(r.Code) == "" || r.Name == "" {
			return fmt.Errorf("region[%d]: code %q must be six digits and name is required", i, r.Code)
		}
		if _, dup := p.regions[r.Code]; dup {
			return fmt.Errorf("region[%d].code: %q appears twice", i, r.Code)
		}
		p.regions[r.Code] = r
	}
	if _, ok := p.regions[p.Province]; !ok {
		return fmt.Errorf("region: the province %s is missing", p.Province)
	}
	for i, r := range p.Regions {
		if r.Code == p.Province {
			continue
		}
		parent, ok := p.regions[r.Parent]
		if !ok || !strings.HasPrefix(r.Code, strings.TrimRight(parent.Code, "0")) {
			return fmt.Errorf("region[%d].parent: %q is not a region containing %s", i, r.Parent, r.Code)
		}
	}
	return nil
}

// Location returns the profile's time zone.
func (p *Profile) Location() *time.Location { return p.loc }

// Calendar returns the working-day calendar.
func (p *Profile) Calendar() Calendar { return p.calendar }

// Region returns a region by code.
func (p *Profile) Region(code string) (*Region, bool) {
	r, ok := p.regions[code]
	return r, ok
}

// Product returns a product by code.
func (p *Profile) Product(code string) (*Product, bool) {
	pr, ok := p.products[code]
	return pr, ok
}

// Cities returns the cities in code order.
func (p *Profile) Cities() []Region {
	var out []Region
	for _, r := range p.Regions {
		if r.Kind == "city" {
			out = append(out, r)
		}
	}
	return out
}

// Counties returns the county-level units of a city; none for "".
func (p *Profile) Counties(city string) []Region {
	if city == "" {
		return nil
	}
	var out []Region
	for _, r := range p.Regions {
		if r.Parent == city && r.Code != city {
			out = append(out, r)
		}
	}
	return out
}

// DomainRegions returns the regions as domain values.
func (p *Profile) DomainRegions() []*lianggao.Region {
	out := make([]*lianggao.Region, 0, len(p.Regions))
	for _, r := range p.Regions {
		out = append(out, &lianggao.Region{Code: r.Code, Name: r.Name, Level: lianggao.RegionLevel(r.Code),
			Kind: r.Kind, Parent: r.Parent, Lat: r.Lat, Lon: r.Lon})
	}
	return out
}

// Catalogue returns the indicators figures may report: the fixed ones and
// the output and sales of every product of the profile's industries.
func (p *Profile) Catalogue() *monitor.Catalogue { return p.catalogue }

// DomainIndustries returns the industries as domain values.
func (p *Profile) DomainIndustries() []*lianggao.Industry {
	out := make([]*lianggao.Industry, 0, len(p.Industries))
	for _, ind := range p.Industries {
		di := &lianggao.Industry{Code: ind.Code, Name: ind.Name, Key: ind.Key}
		for _, pr := range ind.Products {
			di.Products = append(di.Products, &lianggao.Product{Code: pr.Code, Name: pr.Name, Unit: pr.Unit, Industry: ind.Code})
		}
		out = append(out, di)
	}
	return out
}
