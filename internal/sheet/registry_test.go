package sheet_test

import (
	"fmt"
	"slices"
	"testing"

	"lianggao"
	"lianggao/internal/sheet"
)

var projectHeader = []string{"项目代码*", "项目名称*", "企业统一社会信用代码*", "清单阶段*", "是否列入清单", "项目状态",
	"设计能耗（吨标准煤）", "设计煤耗（吨）"}

func projectRow(n int) []string {
	return []string{"2021-370102-30-03-00000" + string(rune('0'+n)), "年产100万吨水泥熟料项目", creditCode("370100", n),
		"在建", "", "在建", "120,000", "150000.5"}
}

func TestParseProjects(t *testing.T) {
	rows := [][]string{projectHeader, projectRow(1), set(set(set(projectRow(2), 3, "存量"), 4, "否"), 5, "")}
	got, err := sheet.ParseProjects(read(t, xlsxFile(t, toAny(rows)), "p.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	p := got[0].Project
	if got[0].CreditCode != creditCode("370100", 1) || got[0].Line != 2 || p.Code != "2021-370102-30-03-000001" ||
		p.ListStage != lianggao.StageUnderConstruction || !p.Listed || p.Status != lianggao.ProjectUnderConstruction ||
		p.DesignedEnergyTce != 120000 || p.DesignedCoalT != 150000.5 {
		t.Errorf("project %+v of %s line %d", p, got[0].CreditCode, got[0].Line)
	}
	if p := got[1].Project; p.ListStage != lianggao.StageExisting || p.Listed || p.Status != lianggao.ProjectPlanned {
		t.Errorf("project %+v: want existing, not listed, planned by default", p)
	}
}

func TestParseProjectsProblems(t *testing.T) {
	rows := [][]string{projectHeader,
		set(projectRow(1), 0, "2021-370102-30-03"),
		set(projectRow(2), 2, "91370100"),
		set(projectRow(3), 3, "建设中"),
		set(projectRow(4), 6, "-5"),
		projectRow(5),
		set(projectRow(5), 1, "同一代码的另一个项目"),
	}
	_, err := sheet.ParseProjects(read(t, xlsxFile(t, toAny(rows)), "p.xlsx"))
	want := []problem{
		{2, "项目代码", "project_code.invalid"},
		{3, "企业统一社会信用代码", "credit_code.invalid"},
		{4, "清单阶段", "choice.invalid"},
		{5, "设计能耗（吨标准煤）", "number.negative"},
		{7, "项目代码", "project_code.duplicate_in_file"},
	}
	if got := problems(t, err); !slices.Equal(got, want) {
		t.Errorf("problems\n got %v\nwant %v", got, want)
	}
}

var personHeader = []string{"姓名*", "人员类别*", "部门条线", "工作单位区划代码*", "籍贯区划代码", "手机号", "执法证号", "执法证有效期至"}

func TestParsePeople(t *testing.T) {
	rows := [][]string{personHeader,
		{"张三", "公职人员", "发展改革", "370102", "370200", "138 1234 5678", "鲁A001", "2027-12-31"},
		{"李四", "专家", "", "济南市", "", "", "", ""},
		{"王五", "四进工作组成员", "生态环境厅", "枣庄市市中区", "", "13912345678", "鲁A002", "2027/6/1"},
		{"赵六", "official", "stats", "山东省", "", "", "鲁A003", "46174"},
	}
	people, lines, err := sheet.ParsePeople(read(t, xlsxFile(t, toAny(rows)), "p.xlsx"), profile)
	if err != nil {
		t.Fatal(err)
	}
	want := []lianggao.Person{
		{Name: "张三", Kind: "official", Department: "drc", Region: "370102", HomeRegion: "370200", Phone: "13812345678",
			CertNumber: "鲁A001", CertValidUntil: lianggao.Date{Year: 2027, Month: 12, Day: 31}},
		{Name: "李四", Kind: "expert", Region: "370100", HomeRegion: "370100"},
		{Name: "王五", Kind: "four_into", Department: "eco", Region: "370402", HomeRegion: "370402", Phone: "13912345678",
			CertNumber: "鲁A002", CertValidUntil: lianggao.Date{Year: 2027, Month: 6, Day: 1}},
		{Name: "赵六", Kind: "official", Department: "stats", Region: "370000", HomeRegion: "370000",
			CertNumber: "鲁A003", CertValidUntil: lianggao.Date{Year: 2026, Month: 6, Day: 1}},
	}
	for i, p := range people {
		if *p != want[i] {
			t.Errorf("person\n got %+v\nwant %+v", *p, want[i])
		}
	}
	if !slices.Equal(lines, []int{2, 3, 4, 5}) {
		t.Errorf("lines %v", lines)
	}
}

func TestParsePeopleProblems(t *testing.T) {
	good := []string{"张三", "公职人员", "发展改革", "370102", "", "", "", ""}
	rows := [][]string{personHeader,
		set(good, 6, "鲁A001"),
		set(good, 5, "1381234567"),
		set(good, 5, "138****5678"),
		set(good, 3, "市中区"),
		set(good, 2, "交通运输"),
		set(set(good, 6, "鲁A002"), 7, "2026-02-30"),
		set(set(good, 6, "鲁A003"), 7, "2027-12-31"),
		set(set(good, 6, "鲁A003"), 7, "2027-12-31"),
	}
	_, _, err := sheet.ParsePeople(read(t, xlsxFile(t, toAny(rows)), "p.xlsx"), profile)
	want := []problem{
		{2, "执法证有效期至", "required"},
		{3, "手机号", "phone.invalid"},
		{4, "手机号", "phone.masked"},
		{5, "工作单位区划代码", "region.ambiguous"},
		{6, "部门条线", "department.unknown"},
		{7, "执法证有效期至", "date.invalid"},
		{9, "执法证号", "cert_number.duplicate_in_file"},
	}
	if got := problems(t, err); !slices.Equal(got, want) {
		t.Errorf("problems\n got %v\nwant %v", got, want)
	}
}

var meterHeader = []string{"企业统一社会信用代码*", "器具类别*", "出厂编号*", "检定/校准有效期至", "准确度等级", "是否在线"}

func TestParseMeters(t *testing.T) {
	a, b := creditCode("370100", 1), creditCode("370100", 2)
	rows := [][]string{meterHeader,
		{a, "电", "E-001", "2026-12-31", "0.5S", "是"},
		{b, "天然气", "E-001", "", "", ""},
		{a, "steam", "S-001", "20261231", "1.0", "否"},
	}
	got, err := sheet.ParseMeters(read(t, []byte(csvText(rows)), "m.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := []sheet.MeterRow{
		{&lianggao.Meter{Kind: "electricity", Serial: "E-001", CalibrationDue: lianggao.Date{Year: 2026, Month: 12, Day: 31},
			AccuracyClass: "0.5S", Online: true}, a, 2},
		{&lianggao.Meter{Kind: "gas", Serial: "E-001"}, b, 3},
		{&lianggao.Meter{Kind: "steam", Serial: "S-001", CalibrationDue: lianggao.Date{Year: 2026, Month: 12, Day: 31},
			AccuracyClass: "1.0"}, a, 4},
	}
	for i, m := range got {
		if *m.Meter != *want[i].Meter || m.CreditCode != want[i].CreditCode || m.Line != want[i].Line {
			t.Errorf("meter %+v %s %d, want %+v", *m.Meter, m.CreditCode, m.Line, *want[i].Meter)
		}
	}
}

func TestParseMetersProblems(t *testing.T) {
	a := creditCode("370100", 1)
	rows := [][]string{meterHeader,
		{a, "电", "E-001", "", "", ""},
		{a, "电", "E-001", "", "", ""},
		{a, "光伏", "E-002", "", "", ""},
		{a, "电", "", "", "", ""},
	}
	_, err := sheet.ParseMeters(read(t, []byte(csvText(rows)), "m.csv"))
	want := []problem{
		{3, "出厂编号", "serial.duplicate_in_file"},
		{4, "器具类别", "choice.invalid"},
		{5, "出厂编号", "required"},
	}
	if got := problems(t, err); !slices.Equal(got, want) {
		t.Errorf("problems\n got %v\nwant %v", got, want)
	}
}

// TestChoicesCoverDomain checks that every kind the domain knows has a
// choice, so it can be imported (by its code, as well as its label).
func TestChoicesCoverDomain(t *testing.T) {
	meters := [][]string{meterHeader}
	for i, k := range lianggao.MeterKinds {
		meters = append(meters, []string{creditCode("370100", 1), k, fmt.Sprint("S-", i)})
	}
	if _, err := sheet.ParseMeters(read(t, []byte(csvText(meters)), "m.csv")); err != nil {
		t.Errorf("meter kinds: %v", err)
	}
	people := [][]string{personHeader}
	for _, k := range lianggao.PersonKinds {
		people = append(people, []string{"张三", k, "", "370102"})
	}
	if _, _, err := sheet.ParsePeople(read(t, []byte(csvText(people)), "p.csv"), profile); err != nil {
		t.Errorf("person kinds: %v", err)
	}
}
