package sheet_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/sheet"
)

// goodEnterprises are rows in the ways people fill them in: codes, names,
// a county name shared by two cities qualified with its city, GCJ-02.
func goodEnterprises() [][]string {
	return [][]string{
		enterpriseHeader,
		enterpriseRow(1),
		{creditCode("370100", 2), "济南钢铁有限公司", "槐荫区", "钢铁", "", "36.680000", "116.900000", "GCJ-02", "否", "是", "停产"},
		nil,
		{creditCode("370400", 3), "枣庄焦化有限公司", "枣庄市 市中区", "coking", "", "", "", "", "", "", "closed"},
	}
}

func TestParseEnterprises(t *testing.T) {
	rows := goodEnterprises()
	files := []struct{ name, file string }{
		{"xlsx", string(xlsxFile(t, toAny(rows)))},
		{"csv", "\ufeff" + csvText(rows)},
		{"gb18030 csv", string(gb18030(t, csvText(rows)))},
	}
	gcj := lianggao.GCJ02ToWGS84(lianggao.Point{Lat: 36.68, Lon: 116.9})
	want := []*lianggao.Enterprise{
		{CreditCode: creditCode("370100", 1), Name: "济南第1水泥有限公司", County: "370102", City: "370100", Industry: "cement",
			Address: "济南市历下区经十路 1 号", Location: lianggao.Point{Lat: 36.651234, Lon: 117.120456}, Datum: lianggao.DatumWGS84,
			Key: true, Status: lianggao.EnterpriseOperating},
		{CreditCode: creditCode("370100", 2), Name: "济南钢铁有限公司", County: "370104", City: "370100", Industry: "steel",
			Location: gcj, Datum: lianggao.DatumGCJ02, OutputControlled: true, Status: lianggao.EnterpriseStopped},
		{CreditCode: creditCode("370400", 3), Name: "枣庄焦化有限公司", County: "370402", City: "370400", Industry: "coking",
			Datum: lianggao.DatumWGS84, Status: lianggao.EnterpriseClosed},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			es, lines, err := sheet.ParseEnterprises(read(t, []byte(f.file), "list."+f.name[len(f.name)-3:]), profile)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(lines, []int{2, 3, 5}) {
				t.Errorf("lines %v, want [2 3 5]", lines)
			}
			if len(es) != len(want) {
				t.Fatalf("%d enterprises, want %d", len(es), len(want))
			}
			for i, e := range es {
				assertEnterprise(t, e, want[i])
			}
		})
	}
}

func TestParseEnterprisesProblems(t *testing.T) {
	code := creditCode("370100", 1)
	c, _ := lianggao.CreditCodeCheck("91370102MA3C0000A")
	lettered := "91370102MA3C0000A" + string(c)
	tests := []struct {
		name   string
		header []string
		rows   [][]string
		want   []problem
	}{
		{"missing required column", without(enterpriseHeader, 1), [][]string{without(enterpriseRow(1), 1)},
			[]problem{{1, "企业名称", "header.missing"}}},
		{"unknown column", append(slices.Clone(enterpriseHeader), "备注"), [][]string{append(enterpriseRow(1), "x")},
			[]problem{{1, "备注", "header.unknown"}}},
		{"repeated column", append(slices.Clone(enterpriseHeader), "地址"), [][]string{enterpriseRow(1)},
			[]problem{{1, "地址", "header.duplicate"}}},
		{"cells without header", enterpriseHeader, [][]string{append(enterpriseRow(1), "", "x")},
			[]problem{{1, "M", "header.blank"}}},
		{"headers retyped", []string{"统一社会信用代码", " 企业名称 * ", "所在县(区)代码", "行业代码"},
			[][]string{enterpriseRow(1)[:4]}, nil},
		{"bad credit code", enterpriseHeader, [][]string{enterpriseRow(1), set(enterpriseRow(2), 0, "91370100000000002X")},
			[]problem{{3, "统一社会信用代码", "credit_code.invalid"}}},
		{"credit code turned number", enterpriseHeader, [][]string{set(enterpriseRow(1), 0, "9.1370102E+17")},
			[]problem{{2, "统一社会信用代码", "credit_code.as_number"}}},
		{"lower-case credit code", enterpriseHeader, [][]string{set(enterpriseRow(1), 0, strings.ToLower(lettered))}, nil},
		{"duplicate credit code", enterpriseHeader, [][]string{enterpriseRow(1), enterpriseRow(2), set(enterpriseRow(3), 0, code)},
			[]problem{{4, "统一社会信用代码", "credit_code.duplicate_in_file"}}},
		{"unknown county code", enterpriseHeader, [][]string{set(enterpriseRow(1), 2, "379999")},
			[]problem{{2, "所在县（区）代码", "county.unknown"}}},
		{"city is no county", enterpriseHeader, [][]string{set(enterpriseRow(1), 2, "370100")},
			[]problem{{2, "所在县（区）代码", "county.unknown"}}},
		{"unknown county name", enterpriseHeader, [][]string{set(enterpriseRow(1), 2, "火星区")},
			[]problem{{2, "所在县（区）代码", "county.unknown"}}},
		{"ambiguous county name", enterpriseHeader, [][]string{set(enterpriseRow(1), 2, "市中区")},
			[]problem{{2, "所在县（区）代码", "county.ambiguous"}}},
		{"unknown industry", enterpriseHeader, [][]string{set(enterpriseRow(1), 3, "造纸")},
			[]problem{{2, "行业代码", "industry.unknown"}}},
		{"bad status", enterpriseHeader, [][]string{set(enterpriseRow(1), 10, "营业")},
			[]problem{{2, "状态", "choice.invalid"}}},
		{"bad yes or no", enterpriseHeader, [][]string{set(enterpriseRow(1), 8, "Y")},
			[]problem{{2, "重点企业", "bool.invalid"}}},
		{"latitude without longitude", enterpriseHeader, [][]string{set(enterpriseRow(1), 6, "")},
			[]problem{{2, "经度", "required"}}},
		{"latitude not a number", enterpriseHeader, [][]string{set(enterpriseRow(1), 5, "北纬36度")},
			[]problem{{2, "纬度", "number.invalid"}}},
		{"latitude out of range", enterpriseHeader, [][]string{set(enterpriseRow(1), 5, "96")},
			[]problem{{2, "纬度", "location.invalid"}}},
		{"blank name", enterpriseHeader, [][]string{set(enterpriseRow(1), 1, "")},
			[]problem{{2, "企业名称", "required"}}},
		{"every problem of every row", enterpriseHeader, [][]string{
			set(enterpriseRow(1), 0, "123"),
			enterpriseRow(2),
			set(set(enterpriseRow(3), 2, "市中区"), 10, "营业"),
		}, []problem{
			{2, "统一社会信用代码", "credit_code.invalid"},
			{4, "所在县（区）代码", "county.ambiguous"},
			{4, "状态", "choice.invalid"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := read(t, xlsxFile(t, toAny(append([][]string{tt.header}, tt.rows...))), "e.xlsx")
			_, _, err := sheet.ParseEnterprises(tb, profile)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := problems(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problems %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDuplicateNamesFirstLine(t *testing.T) {
	rows := [][]string{enterpriseHeader, enterpriseRow(1), enterpriseRow(2), enterpriseRow(1)}
	_, _, err := sheet.ParseEnterprises(read(t, xlsxFile(t, toAny(rows)), "e.xlsx"), profile)
	p := appError(t, err).Problems[0]
	if !slices.Equal(p.Args, []any{creditCode("370100", 1), 2}) {
		t.Errorf("args %v, want the code and line 2", p.Args)
	}
}

// TestProblemsBounded checks that a file wrong on every line keeps a
// bounded list but counts every problem.
func TestProblemsBounded(t *testing.T) {
	rows := [][]string{enterpriseHeader}
	for i := range 1500 {
		rows = append(rows, set(enterpriseRow(i), 2, "火星区"))
	}
	_, _, err := sheet.ParseEnterprises(read(t, []byte(csvText(rows)), "e.csv"), profile)
	e := appError(t, err)
	if len(e.Problems) != 1000 || !slices.Equal(e.Args, []any{1500}) {
		t.Errorf("%d problems kept, args %v; want 1000 and [1500]", len(e.Problems), e.Args)
	}
}

func assertEnterprise(t *testing.T, got, want *lianggao.Enterprise) {
	t.Helper()
	g, w := *got, *want
	if !near(g.Location, w.Location) {
		t.Errorf("%s: location %v, want %v", w.Name, g.Location, w.Location)
	}
	g.Location, w.Location = lianggao.Point{}, lianggao.Point{}
	if g.CreditCode != w.CreditCode || g.Name != w.Name || g.County != w.County || g.City != w.City ||
		g.Industry != w.Industry || g.Address != w.Address || g.Datum != w.Datum || g.Key != w.Key ||
		g.OutputControlled != w.OutputControlled || g.Status != w.Status {
		t.Errorf("enterprise\n got %+v\nwant %+v", g, w)
	}
}

// near reports whether two positions are within about a centimetre.
func near(p, q lianggao.Point) bool {
	return math.Abs(p.Lat-q.Lat) < 1e-7 && math.Abs(p.Lon-q.Lon) < 1e-7
}

// set returns row with cell i replaced.
func set(row []string, i int, v string) []string {
	row = slices.Clone(row)
	row[i] = v
	return row
}

// without returns row without cell i.
func without(row []string, i int) []string {
	return slices.Delete(slices.Clone(row), i, i+1)
}
