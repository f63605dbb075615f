package sheet_test

import (
	"archive/zip"
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/sheet"
)

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{" 名称 ", "代码", "日期", "数量"},
		{"甲", "370102", 46174, 1234.5},
		nil,
		{"", "  ", nil},
		{"乙", 913701020000000011, "2026/6/1", 2},
	}
	for i, r := range rows {
		if r != nil {
			f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &r)
		}
	}
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // Excel's default short date
	f.SetCellStyle("Sheet1", "C2", "C2", date)
	buf, _ := f.WriteToBuffer()

	tb := read(t, buf.Bytes(), "a.xlsx")
	want := &sheet.Table{
		Header: []string{"名称", "代码", "日期", "数量"},
		Rows: []sheet.Row{
			{Line: 2, Cells: []string{"甲", "370102", "2026-06-01", "1234.5"}},
			{Line: 5, Cells: []string{"乙", "9.1370102E+17", "2026/6/1", "2"}},
		},
	}
	assertTable(t, tb, want)
}

func TestReadCSV(t *testing.T) {
	text := "姓名,单位\r\n张三,济南市\r\n\r\n李四,\"青岛市\n市南区\"\r\n王五,淄博市\r\n"
	want := &sheet.Table{
		Header: []string{"姓名", "单位"},
		Rows: []sheet.Row{
			{Line: 2, Cells: []string{"张三", "济南市"}},
			// A blank line and a cell over two lines: Excel shows 李四 on
			// line 4 and 王五 on line 5.
			{Line: 4, Cells: []string{"李四", "青岛市\n市南区"}},
			{Line: 5, Cells: []string{"王五", "淄博市"}},
		},
	}
	tests := []struct {
		name string
		file []byte
	}{
		{"utf8", []byte(text)},
		{"utf8 bom", append([]byte("\ufeff"), text...)},
		{"gb18030", gb18030(t, text)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertTable(t, read(t, tt.file, "people.csv"), want)
		})
	}
}

func TestReadGB18030Names(t *testing.T) {
	// Names with characters beyond GBK's, which only GB18030 encodes.
	text := csvText([][]string{{"姓名", "籍贯"}, {"䶮", "山东省"}, {"𠮷野", "济南市"}})
	b := gb18030(t, text)
	if bytes.Equal(b, []byte(text)) {
		t.Fatal("the test file is not GB18030")
	}
	tb := read(t, b, "names.csv")
	if got := []string{tb.Rows[0].Cells[0], tb.Rows[1].Cells[0]}; !slices.Equal(got, []string{"䶮", "𠮷野"}) {
		t.Errorf("names %q", got)
	}
}

func TestReadRejects(t *testing.T) {
	header := csvText([][]string{{"企业名称", "代码"}})
	big := bytes.Repeat([]byte("a,b\r\n"), limit/5+1)
	rnd := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.UintN(256))
	}
	tests := []struct {
		name, file string
		data       []byte
		code, key  string
	}{
		{"empty", "a.csv", nil, lianggao.EINVALID, "file.empty"},
		{"header only csv", "a.csv", []byte(header), lianggao.EINVALID, "file.empty"},
		{"header only xlsx", "a.xlsx", xlsxFile(t, [][]any{{"企业名称", "代码"}, nil, {"  "}}), lianggao.EINVALID, "file.empty"},
		{"too large", "a.csv", big, lianggao.ETOOLARGE, "file.too_large"},
		{"png", "a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), lianggao.EINVALID, "file.not_spreadsheet"},
		{"png named csv", "a.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), lianggao.EINVALID, "file.not_spreadsheet"},
		{"pdf", "a.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\nstream\nx\x9c\x03\x00\x00\x00\x00\x01\nendstream"), lianggao.EINVALID, "file.not_spreadsheet"},
		{"xls", "a.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00"), lianggao.EINVALID, "file.not_spreadsheet"},
		{"random", "a.csv", rnd, lianggao.EINVALID, "file.not_spreadsheet"},
		{"zip without workbook", "a.xlsx", plainZip(t), lianggao.EINVALID, "file.not_spreadsheet"},
		{"truncated xlsx", "a.xlsx", xlsxFile(t, [][]any{{"a"}, {"b"}})[:200], lianggao.EINVALID, "file.not_spreadsheet"},
		{"html saved as xls", "a.xls", []byte("<table><tr><td>企业名称</td></tr></table>\n"), lianggao.EINVALID, "file.not_spreadsheet"},
		{"csv bad quote", "a.csv", []byte("a,b\r\n\"x,y\r\n"), lianggao.EINVALID, "csv.malformed"},
		{"not gb18030", "a.csv", []byte("a,b\r\n\x81\x20,c\r\n"), lianggao.EINVALID, "csv.encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sheet.Read(bytes.NewReader(tt.data), tt.file, limit)
			e := appError(t, err)
			if e.Code != tt.code || e.Key != tt.key {
				t.Errorf("error %v, want %s %s", e, tt.code, tt.key)
			}
		})
	}
}

func TestReadLimit(t *testing.T) {
	row := "a,b\r\n"
	exact := []byte(strings.Repeat(row, limit/len(row)) + strings.Repeat("x", limit%len(row)))
	if _, err := sheet.Read(bytes.NewReader(exact), "a.csv", limit); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
	_, err := sheet.Read(bytes.NewReader(append(exact, 'x')), "a.csv", limit)
	if e := appError(t, err); e.Code != lianggao.ETOOLARGE || !slices.Equal(e.Args, []any{int64(1)}) {
		t.Errorf("one byte over: %v, want too_large [1]", e)
	}
}

// TestReadZipBomb checks that an .xlsx unzipping far beyond the limit is
// refused before it is unpacked.
func TestReadZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for range 60 {
		w.Write(zeros)
	}
	zw.Close()
	_, err := sheet.Read(&buf, "bomb.xlsx", limit)
	if e := appError(t, err); e.Code != lianggao.ETOOLARGE || e.Key != "xlsx.too_large" {
		t.Errorf("error %v, want xlsx.too_large", e)
	}
}

func plainZip(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func assertTable(t *testing.T, got, want *sheet.Table) {
	t.Helper()
	if !slices.Equal(got.Header, want.Header) {
		t.Errorf("header %q, want %q", got.Header, want.Header)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%d rows %v, want %d", len(got.Rows), got.Rows, len(want.Rows))
	}
	for i, r := range got.Rows {
		if r.Line != want.Rows[i].Line || !slices.Equal(r.Cells, want.Rows[i].Cells) {
			t.Errorf("row %d: line %d %q, want line %d %q", i, r.Line, r.Cells, want.Rows[i].Line, want.Rows[i].Cells)
		}
	}
}
