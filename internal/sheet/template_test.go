package sheet_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianggao/internal/sheet"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		kind   string
		sheets []string
	}{
		{sheet.KindEnterprises, []string{"企业", "说明", "区划代码"}},
		{sheet.KindProjects, []string{"项目", "说明"}},
		{sheet.KindPeople, []string{"人员", "说明", "区划代码"}},
		{sheet.KindMeters, []string{"计量器具", "说明"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			b, err := sheet.Template(tt.kind, profile)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, tt.sheets) {
				t.Errorf("sheets %v, want %v", got, tt.sheets)
			}
			header := checkTemplateHeader(t, f, tt.kind)
			checkExample(t, f, tt.kind, header)
		})
	}
}

// checkTemplateHeader checks the header row, bold, required columns marked
// and code columns formatted as text, and returns it.
func checkTemplateHeader(t *testing.T, f *excelize.File, kind string) []string {
	t.Helper()
	sh := f.GetSheetName(0)
	rows, _ := f.GetRows(sh)
	if len(rows) != 1 {
		t.Fatalf("%d rows on the data sheet, want the header alone", len(rows))
	}
	for i, c := range sheet.Columns(kind) {
		col, _ := excelize.ColumnNumberToName(i + 1)
		want := c.Header
		if c.Required {
			want += "*"
		}
		if rows[0][i] != want {
			t.Errorf("%s1 = %q, want %q", col, rows[0][i], want)
		}
		id, _ := f.GetCellStyle(sh, col+"1")
		if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold {
			t.Errorf("%s1 not bold", col)
		}
		id, _ = f.GetColStyle(sh, col)
		if st, _ := f.GetStyle(id); c.Text != (st.NumFmt == 49) {
			t.Errorf("column %s %s: number format %d", col, c.Header, st.NumFmt)
		}
	}
	return rows[0]
}

// checkExample checks that the example on 说明 imports under the
// template's header.
func checkExample(t *testing.T, f *excelize.File, kind string, header []string) {
	t.Helper()
	help, _ := f.GetRows("说明")
	example := map[string]string{}
	for _, r := range help[1:] {
		if len(r) == 4 {
			example[r[0]] = r[3]
		}
	}
	row := make([]string, len(header))
	for i, h := range header {
		row[i] = example[strings.TrimSuffix(h, "*")]
	}
	tb := read(t, xlsxFile(t, toAny([][]string{header, row})), "example.xlsx")
	var err error
	switch kind {
	case sheet.KindEnterprises:
		_, _, err = sheet.ParseEnterprises(tb, profile)
	case sheet.KindProjects:
		_, err = sheet.ParseProjects(tb)
	case sheet.KindPeople:
		_, _, err = sheet.ParsePeople(tb, profile)
	case sheet.KindMeters:
		_, err = sheet.ParseMeters(tb)
	}
	if err != nil {
		t.Errorf("example %q: %v", row, err)
	}
}

func TestTemplateReadsEmpty(t *testing.T) {
	b, err := sheet.Template(sheet.KindEnterprises, profile)
	if err != nil {
		t.Fatal(err)
	}
	// The first sheet is the one read: the rules and codes never import.
	_, err = sheet.Read(bytes.NewReader(b), "企业-导入模板.xlsx", limit)
	if e := appError(t, err); e.Key != "file.empty" {
		t.Errorf("error %v, want file.empty", e)
	}
}

func TestTemplateUnknownKind(t *testing.T) {
	if _, err := sheet.Template("figures", profile); err == nil {
		t.Error("no error for an unknown kind")
	}
}
