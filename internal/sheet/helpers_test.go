package sheet_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"lianggao"
	"lianggao/internal/config"
	"lianggao/internal/sheet"
)

var profile = config.Default()

const limit = 1 << 20

// creditCode returns a valid credit code of enterprise n in a city.
func creditCode(city string, n int) string {
	body := fmt.Sprintf("91%s%09d", city, n)
	c, _ := lianggao.CreditCodeCheck(body)
	return body + string(c)
}

// xlsxFile builds an .xlsx whose first sheet holds rows from A1; a nil row
// is left blank.
func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// csvText joins rows as a CSV without quoting: test values hold no commas.
func csvText(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\r\n")
	}
	return b.String()
}

func gb18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func read(t testing.TB, b []byte, name string) *sheet.Table {
	t.Helper()
	tb, err := sheet.Read(bytes.NewReader(b), name, limit)
	if err != nil {
		t.Fatalf("Read %s: %v", name, err)
	}
	return tb
}

// appError returns err as an application error, failing the test otherwise.
func appError(t testing.TB, err error) *lianggao.Error {
	t.Helper()
	var e *lianggao.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a *lianggao.Error", err)
	}
	return e
}

// problem is the part of a reported problem a test checks.
type problem struct {
	Line  int
	Field string
	Key   string
}

// problems returns the problems of an import.rejected error.
func problems(t testing.TB, err error) []problem {
	t.Helper()
	e := appError(t, err)
	if e.Key != "import.rejected" {
		t.Fatalf("error %v, want import.rejected", e)
	}
	var out []problem
	for _, p := range e.Problems {
		out = append(out, problem{p.Line, p.Field, p.Key})
	}
	return out
}

// enterpriseHeader is the enterprise header as a template writes it.
var enterpriseHeader = []string{"统一社会信用代码*", "企业名称*", "所在县（区）代码*", "行业代码*", "地址", "纬度", "经度",
	"坐标系", "重点企业", "产量控制", "状态"}

// enterpriseRow is a good enterprise row in Jinan's 历下区.
func enterpriseRow(n int) []string {
	return []string{creditCode("370100", n), fmt.Sprintf("济南第%d水泥有限公司", n), "370102", "cement",
		"济南市历下区经十路 1 号", "36.651234", "117.120456", "WGS-84", "是", "否", "运行"}
}

func toAny(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		if r == nil {
			continue
		}
		out[i] = make([]any, len(r))
		for j, c := range r {
			out[i][j] = c
		}
	}
	return out
}
