package sheet_test

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/sheet"
)

// exported writes rows under header in a format.
func exported(t *testing.T, format string, header []string, rows ...[]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := sheet.NewWriter(&buf, format, header)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// registered are enterprises as the store returns them.
func registered() []*lianggao.Enterprise {
	return []*lianggao.Enterprise{
		{ID: 1, CreditCode: creditCode("370100", 1), Name: "济南第1水泥有限公司", County: "370102", City: "370100",
			Industry: "cement", Address: "经十路 1 号，\"东院\"\n北门", Location: lianggao.Point{Lat: 36.651234, Lon: 117.120456},
			Datum: lianggao.DatumWGS84, Key: true, Status: lianggao.EnterpriseOperating},
		{ID: 2, CreditCode: creditCode("370400", 2), Name: "=HYPERLINK(\"http://example.com\",\"点击\")", County: "370402",
			City: "370400", Industry: "coking", Location: lianggao.GCJ02ToWGS84(lianggao.Point{Lat: 34.86, Lon: 117.55}),
			Datum: lianggao.DatumGCJ02, OutputControlled: true, Status: lianggao.EnterpriseStopped},
		{ID: 3, CreditCode: creditCode("370200", 3), Name: "-青岛@炼化有限公司", County: "370211", City: "370200",
			Industry: "refining", Datum: lianggao.DatumWGS84, Status: lianggao.EnterpriseClosed},
	}
}

func TestEnterpriseRoundTrip(t *testing.T) {
	for _, format := range []string{sheet.FormatXLSX, sheet.FormatCSV} {
		t.Run(format, func(t *testing.T) {
			want := registered()
			var rows [][]any
			for _, e := range want {
				rows = append(rows, sheet.EnterpriseCells(e))
			}
			b := exported(t, format, sheet.EnterpriseHeader(), rows...)
			got, _, err := sheet.ParseEnterprises(read(t, b, "export."+format), profile)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d enterprises, want %d", len(got), len(want))
			}
			for i, e := range got {
				assertEnterprise(t, e, want[i])
			}
		})
	}
}

func TestProjectAndMeterRoundTrip(t *testing.T) {
	code := creditCode("370100", 1)
	p := &lianggao.Project{Code: "2021-370102-30-03-000001", Name: "水泥熟料项目", ListStage: lianggao.StageExisting,
		Listed: true, Status: lianggao.ProjectTrialRun, DesignedEnergyTce: 1234.5, DesignedCoalT: 0.25}
	m := &lianggao.Meter{Kind: "heat", Serial: "0012", CalibrationDue: lianggao.Date{Year: 2026, Month: 3, Day: 9},
		AccuracyClass: "2", Online: true}
	for _, format := range []string{sheet.FormatXLSX, sheet.FormatCSV} {
		projects, err := sheet.ParseProjects(read(t, exported(t, format, sheet.ProjectHeader(), sheet.ProjectCells(p, code)), "p."+format))
		if err != nil {
			t.Fatal(err)
		}
		if got := projects[0]; !reflect.DeepEqual(got.Project, p) || got.CreditCode != code {
			t.Errorf("%s: project %+v of %s, want %+v", format, *got.Project, got.CreditCode, *p)
		}
		meters, err := sheet.ParseMeters(read(t, exported(t, format, sheet.MeterHeader(), sheet.MeterCells(m, code)), "m."+format))
		if err != nil {
			t.Fatal(err)
		}
		if got := meters[0]; *got.Meter != *m || got.CreditCode != code {
			t.Errorf("%s: meter %+v of %s, want %+v", format, *got.Meter, got.CreditCode, *m)
		}
	}
}

func TestCodesStayText(t *testing.T) {
	var rows [][]any
	for _, e := range registered() {
		rows = append(rows, sheet.EnterpriseCells(e))
	}
	f, err := excelize.OpenReader(bytes.NewReader(exported(t, sheet.FormatXLSX, sheet.EnterpriseHeader(), rows...)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetName(0)
	for _, cell := range []string{"A2", "C2", "A3", "C4"} { // credit codes and county codes
		typ, err := f.GetCellType(sh, cell)
		if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
			t.Errorf("%s: cell type %v, %v; want a string", cell, typ, err)
		}
		if fmtID := numFmt(t, f, sh, cell); fmtID != 49 {
			t.Errorf("%s: number format %d, want 49 (text)", cell, fmtID)
		}
	}
	if typ, _ := f.GetCellType(sh, "F2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("latitude written as text")
	}
	id, _ := f.GetCellStyle(sh, "A1")
	if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold")
	}
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) int {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st.NumFmt
}

func TestCSVExport(t *testing.T) {
	p := &lianggao.Person{Name: "张三", Kind: lianggao.PersonOfficial, Department: "drc", Region: "370102",
		HomeRegion: "370102", Phone: "13812341234"}
	b := exported(t, sheet.FormatCSV, sheet.PersonHeader(), sheet.PersonCells(p),
		[]any{"=1+1", "+86", "-", "@x", -3.5, 2, true, lianggao.Date{Year: 2026, Month: 6, Day: 1}, nil})
	text := string(b)
	if !strings.HasPrefix(text, "\ufeff姓名,人员类别,") || !strings.Contains(text, "\r\n") {
		t.Errorf("no BOM or CRLF: %q", text)
	}
	want := "张三,公职人员,发展改革,370102,370102,138****1234,,\r\n" +
		"'=1+1,'+86,'-,'@x,-3.5,2,是,2026-06-01,\r\n"
	if !strings.HasSuffix(text, want) {
		t.Errorf("csv %q, want it to end %q", text, want)
	}
}

func TestWriterFormat(t *testing.T) {
	_, err := sheet.NewWriter(&bytes.Buffer{}, "xls", sheet.EnterpriseHeader())
	if e := appError(t, err); e.Key != "format.invalid" {
		t.Errorf("error %v, want format.invalid", e)
	}
}

func TestHeadersMatchColumns(t *testing.T) {
	headers := map[string][]string{
		sheet.KindEnterprises: sheet.EnterpriseHeader(), sheet.KindProjects: sheet.ProjectHeader(),
		sheet.KindPeople: sheet.PersonHeader(), sheet.KindMeters: sheet.MeterHeader(),
	}
	for kind, h := range headers {
		var want []string
		for _, c := range sheet.Columns(kind) {
			want = append(want, c.Header)
		}
		if !slices.Equal(h, want) {
			t.Errorf("%s: header %v, want %v", kind, h, want)
		}
	}
}
