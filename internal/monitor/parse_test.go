package monitor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"lianggao"
)

// creditCode returns a valid credit code ending in the given digits.
func creditCode(tb testing.TB, n int) string {
	tb.Helper()
	body := fmt.Sprintf("91370100MA%07d", n)
	c, ok := lianggao.CreditCodeCheck(body)
	if !ok {
		tb.Fatalf("bad body %s", body)
	}
	return body + string(c)
}

func testCatalogue() *Catalogue {
	return NewCatalogue([]*lianggao.Product{
		{Code: "coke", Unit: "t"}, {Code: "crude_steel", Unit: "t"}, {Code: "power_supplied_mwh", Unit: "MWh"},
		{Code: "clinker", Unit: "t"}, {Code: "flat_glass", Unit: "重量箱"},
	})
}

func testParser() *Parser {
	return &Parser{Catalogue: testCatalogue(), Today: lianggao.Date{Year: 2026, Month: 3, Day: 31}}
}

// collect parses with fn collecting the rows.
func collect(t *testing.T, parse func(*Parser, []byte, func(Row) error) (*lianggao.Problems, error), p *Parser, in string) ([]Row, *lianggao.Problems) {
	t.Helper()
	var rows []Row
	probs, err := parse(p, []byte(in), func(r Row) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return rows, probs
}

func ndjson(p *Parser, b []byte, fn func(Row) error) (*lianggao.Problems, error) {
	return p.ParseNDJSON(bytes.NewReader(b), fn)
}

func csvParse(p *Parser, b []byte, fn func(Row) error) (*lianggao.Problems, error) {
	return p.ParseCSV(bytes.NewReader(b), fn)
}

// problemSet renders problems as "line:field:key" for comparison.
func problemSet(p *lianggao.Problems) []string {
	var out []string
	for _, e := range p.List {
		out = append(out, fmt.Sprintf("%d:%s:%s", e.Line, e.Field, e.Key))
	}
	return out
}

func TestParseNDJSONGood(t *testing.T) {
	cc := creditCode(t, 1)
	in := "\ufeff" + `{"credit_code":"` + strings.ToLower(cc) + `","date":"2026-03-01","indicator":"elec_kwh","value":12345.5}` + "\r\n" +
		"\n   \n" +
		`{"indicator":"output:coke","value":"1.5e3","date":"2026-03-31","credit_code":"` + cc + `","unit":"吨","source":"stationed"}` + "\n" +
		`{"credit_code":"` + cc + `","date":"2026-03-02","indicator":"profit_10k_cny","value":-12,"unit":null}` + "\n" +
		`{"credit_code":"` + cc + `","date":"2026-03-02","indicator":"out:gas_\u006d3","value":0}` // no final newline
	rows, probs := collect(t, ndjson, testParser(), in)
	if probs.Count != 0 {
		t.Fatalf("problems: %v", problemSet(probs))
	}
	want := []Row{
		{Line: 1, CreditCode: cc, Date: lianggao.Date{Year: 2026, Month: 3, Day: 1}, Indicator: "elec_kwh", Value: 12345.5, Unit: "kWh", Source: "enterprise"},
		{Line: 4, CreditCode: cc, Date: lianggao.Date{Year: 2026, Month: 3, Day: 31}, Indicator: "output:coke", Value: 1500, Unit: "t", Source: "stationed"},
		{Line: 5, CreditCode: cc, Date: lianggao.Date{Year: 2026, Month: 3, Day: 2}, Indicator: "profit_10k_cny", Value: -12, Unit: "10k CNY", Source: "enterprise"},
		{Line: 6, CreditCode: cc, Date: lianggao.Date{Year: 2026, Month: 3, Day: 2}, Indicator: "out:gas_m3", Value: 0, Unit: "m3", Source: "enterprise"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("rows\n got %v\nwant %v", rows, want)
	}
}

// Ensure every kind of bad line is named by its line, field and key, and
// that one bad line does not stop the rest from being checked.
func TestParseNDJSONProblems(t *testing.T) {
	cc := creditCode(t, 2)
	line := func(fields string) string { return "{" + fields + "}\n" }
	base := `"credit_code":"` + cc + `","date":"2026-03-01","indicator":"elec_kwh"`
	in := line(base+`,"value":1`) + // 1 good
		line(`"credit_code":"91370100MA0000000X","date":"2026-03-01","indicator":"elec_kwh","value":1`) + // 2
		line(`"credit_code":"`+cc+`","date":"2026-02-30","indicator":"elec_kwh","value":1`) + // 3
		line(`"credit_code":"`+cc+`","date":"2026-04-01","indicator":"elec_kwh","value":1`) + // 4
		line(`"credit_code":"`+cc+`","date":"2026-03-01","indicator":"steam_t","value":1`) + // 5
		line(base+`,"value":"12a"`) + // 6
		line(base+`,"value":-1`) + // 7
		line(base+`,"value":1,"unit":"MWh"`) + // 8
		line(base+`,"value":1,"source":"rumour"`) + // 9
		line(base+`,"value":1,"valeu":2`) + // 10
		line(base+`,"value":1,"value":2`) + // 11
		`{"credit_code": "` + cc + `", "date": ` + "\n" + // 12
		line(`"date":"2026-03-01","indicator":"elec_kwh"`) + // 13
		line(base+`,"value":"NaN"`) + // 14
		line(base+`,"value":[1]`) + // 15
		line(base+`,"value":1e999`) + // 16
		line(`"credit_code":"`+cc+`","date":"2026-03-01","indicator":"coal_ncv_mj_kg","value":5000`) + // 17
		"[1,2]\n" // 18
	rows, probs := collect(t, ndjson, testParser(), in)
	if len(rows) != 1 || rows[0].Line != 1 {
		t.Fatalf("rows: %v", rows)
	}
	want := []string{
		"2:credit_code:" + KeyCreditCode, "3:date:" + KeyDateInvalid, "4:date:" + KeyDateFuture,
		"5:indicator:" + KeyIndicatorUnknown, "6:value:" + KeyValueInvalid, "7:value:" + KeyValueNegative,
		"8:unit:" + KeyUnitWrong, "9:source:" + KeySourceUnknown, "10:valeu:" + KeyFieldUnknown,
		"11:value:" + KeyFieldDuplicate, "12::" + KeyJSONInvalid, "13:credit_code:" + KeyRequired,
		"13:value:" + KeyRequired, "14:value:" + KeyValueInvalid, "15:value:" + KeyValueInvalid,
		"16:value:" + KeyValueInvalid, "17:value:" + KeyValueTooLarge, "18::" + KeyJSONInvalid,
	}
	if got := problemSet(probs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("problems\n got %v\nwant %v", got, want)
	}
}

// Ensure the line limit stops the parse with ETOOLARGE naming the first
// line beyond it, and that blank lines do not count.
func TestParseLineLimit(t *testing.T) {
	cc := creditCode(t, 3)
	l := `{"credit_code":"` + cc + `","date":"2026-03-01","indicator":"elec_kwh","value":1}` + "\n"
	p := testParser()
	p.MaxLines = 3
	n := 0
	_, err := p.ParseNDJSON(strings.NewReader(l+"\n"+l+l+l+l), func(Row) error { n++; return nil })
	var e *lianggao.Error
	if !errors.As(err, &e) || e.Code != lianggao.ETOOLARGE || e.Key != KeyTooManyLines || e.Line != 5 || n != 3 {
		t.Fatalf("err %v, rows %d", err, n)
	}
	_, err = p.ParseCSV(strings.NewReader("credit_code,date,indicator,value\n"+strings.Repeat(cc+",2026-03-01,elec_kwh,1\n", 4)), func(Row) error { return nil })
	if !errors.As(err, &e) || e.Code != lianggao.ETOOLARGE || e.Line != 5 {
		t.Fatalf("csv err %v", err)
	}
}

// Ensure an over-long line is a problem of its own and the next line is read.
func TestParseLongLine(t *testing.T) {
	cc := creditCode(t, 4)
	good := `{"credit_code":"` + cc + `","date":"2026-03-01","indicator":"elec_kwh","value":1}`
	long := `{"credit_code":"` + strings.Repeat("x", 3*MaxLineBytes) + `"}`
	rows, probs := collect(t, ndjson, testParser(), long+"\n"+good+"\n"+long)
	if len(rows) != 1 || rows[0].Line != 2 || fmt.Sprint(problemSet(probs)) != fmt.Sprint([]string{"1::" + KeyLineTooLong, "3::" + KeyLineTooLong}) {
		t.Fatalf("rows %v problems %v", rows, problemSet(probs))
	}
}

// Ensure the callback can reject a row (an unknown enterprise) as a problem
// of its line, and that any other error stops the parse.
func TestParseCallback(t *testing.T) {
	cc := creditCode(t, 5)
	l := `{"credit_code":"` + cc + `","date":"2026-03-01","indicator":"elec_kwh","value":1}` + "\n"
	probs, err := testParser().ParseNDJSON(strings.NewReader(l+l), func(r Row) error {
		return lianggao.FieldError("credit_code", "enterprise.unknown", r.CreditCode)
	})
	if err != nil || fmt.Sprint(problemSet(probs)) != "[1:credit_code:enterprise.unknown 2:credit_code:enterprise.unknown]" {
		t.Fatalf("err %v problems %v", err, problemSet(probs))
	}
	boom := errors.New("disk full")
	n := 0
	if _, err := testParser().ParseNDJSON(strings.NewReader(l+l), func(Row) error { n++; return boom }); !errors.Is(err, boom) || n != 1 {
		t.Fatalf("err %v after %d rows", err, n)
	}
}

func TestParseEmpty(t *testing.T) {
	for name, parse := range map[string]func(*Parser, []byte, func(Row) error) (*lianggao.Problems, error){"ndjson": ndjson, "csv": csvParse} {
		_, probs := collect(t, parse, testParser(), "\n\n")
		if fmt.Sprint(problemSet(probs)) != "[0::file.empty]" {
			t.Errorf("%s: %v", name, problemSet(probs))
		}
	}
}

func TestParseCSV(t *testing.T) {
	cc := creditCode(t, 6)
	in := "\ufeffIndicator, Value ,credit_code,date,unit,source,\r\n" +
		"elec_kwh,100," + cc + ",2026-03-01,kWh,grid,\r\n" +
		",,,,,,\r\n" +
		`"output:coke","1,5",` + cc + ",2026-03-01,,,\r\n" + // a decimal comma is not a number
		"output:coke,7," + cc + ",2026-03-01,t,,extra\r\n" +
		"\"output:\ncoke\",7," + cc + ",2026-03-01,t,,\r\n" + // a quoted line break: the record starts on line 6
		"output:coke,2\"0," + cc + ",2026-03-01,t,,\r\n" + // a stray quote
		"output:coke,8," + cc + ",2026-03-01,,,\r\n"
	rows, probs := collect(t, csvParse, testParser(), in)
	want := []string{"4:value:" + KeyValueInvalid, "5::" + KeyHeaderBlank, "6:indicator:" + KeyIndicatorUnknown, "8::" + KeyCSVMalformed}
	if got := problemSet(probs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("problems\n got %v\nwant %v", got, want)
	}
	if len(rows) != 2 || rows[0].Source != "grid" || rows[0].Value != 100 || rows[1].Line != 9 || rows[1].Value != 8 {
		t.Fatalf("rows %+v", rows)
	}
}

func TestParseCSVHeader(t *testing.T) {
	for in, want := range map[string]string{
		"credit_code,date,value,colour\n":               "[1::header.unknown 1::header.missing]",
		"credit_code,date,indicator,value,date\n":       "[1::header.duplicate]",
		"credit_code,date,indicator,value\n1,2,3,4,5\n": "[2::csv.fields]",
		"\"credit_code,date,indicator,value\n1,2\n":     "[1::csv.malformed]",
	} {
		_, probs := collect(t, csvParse, testParser(), in)
		if got := fmt.Sprint(problemSet(probs)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Ensure GB18030 text is recognised, with a Chinese header at the top or
// with its first Chinese far down an ASCII file, and that UTF-8 whose
// first non-ASCII character comes late is still read as UTF-8.
func TestParseCSVEncodings(t *testing.T) {
	cc := creditCode(t, 7)
	ascii := strings.Repeat(cc+",2026-03-01,elec_kwh,1,kWh\n", 2000) // about 80 KiB
	for name, in := range map[string][]byte{
		"gb18030 header": gb18030(t, "统一社会信用代码,日期,指标,数值,单位\n"+cc+",2026-03-01,output:flat_glass,3,重量箱\n"),
		"gb18030 late":   gb18030(t, "credit_code,date,indicator,value,unit\n"+ascii+cc+",2026-03-01,output:flat_glass,3,重量箱\n"),
		"utf-8 late":     []byte("credit_code,date,indicator,value,unit\n" + ascii + cc + ",2026-03-01,output:flat_glass,3,重量箱\n"),
	} {
		var last Row
		probs, err := testParser().ParseCSV(bytes.NewReader(in), func(r Row) error { last = r; return nil })
		if err != nil || probs.Count != 0 || last.Indicator != "output:flat_glass" || last.Unit != "重量箱" {
			t.Errorf("%s: err %v problems %v last %+v", name, err, problemSet(probs), last)
		}
	}
}

// Ensure parsing never panics and that every row it accepts is valid and
// agrees with encoding/json's reading of the line.
func FuzzParseNDJSON(f *testing.F) {
	cc := creditCode(f, 8)
	f.Add([]byte(`{"credit_code":"` + cc + `","date":"2026-03-01","indicator":"elec_kwh","value":12.5}`))
	f.Add([]byte(`{"credit_code":"` + cc + `","date":"2026-03-01","indicator":"out:heat_gj","value":"1e3","unit":"GJ","source":"cems"}` + "\n{}\n"))
	f.Add([]byte(`{"credit_code":"\u0039` + cc[1:] + `","date":"2026-03-01","indicator":"elec_kwh","value":-0.0e+1,"x":[{"a":"\""}]}`))
	f.Add([]byte("{\"value\":01}\n{\"value\":1.}\n{\"value\":-}\n{\"date\":\"\\ud800\"}"))
	f.Add([]byte("\ufeff\n\r\n{\"credit_code\":null}"))
	p := testParser()
	f.Fuzz(func(t *testing.T, in []byte) {
		var rows []Row
		probs, err := p.ParseNDJSON(bytes.NewReader(in), func(r Row) error { rows = append(rows, r); return nil })
		if err != nil {
			t.Fatalf("error on a small input: %v", err)
		}
		lines := bytes.Split(in, []byte("\n"))
		for _, r := range rows {
			checkRow(t, p, r)
			if probs.Count == 0 {
				agreesWithJSON(t, r, lines[r.Line-1])
			}
		}
	})
}

// checkRow asserts what validation promises of an accepted row.
func checkRow(t *testing.T, p *Parser, r Row) {
	t.Helper()
	ind, ok := p.Catalogue.Lookup(r.Indicator)
	switch {
	case !ok:
		t.Fatalf("row with unknown indicator %q", r.Indicator)
	case !lianggao.ValidCreditCode(r.CreditCode):
		t.Fatalf("row with bad credit code %q", r.CreditCode)
	case math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || (r.Value < 0 && !ind.MayBeNegative):
		t.Fatalf("row with bad value %v", r.Value)
	case p.Today.Before(r.Date) || r.Date.IsZero():
		t.Fatalf("row with bad date %v", r.Date)
	}
}

// agreesWithJSON asserts that encoding/json reads the line the same way.
func agreesWithJSON(t *testing.T, r Row, line []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(bytes.TrimPrefix(line, utf8BOM), &m); err != nil {
		t.Fatalf("accepted %q, which encoding/json rejects: %v", line, err)
	}
	if fmt.Sprint(m["date"]) != r.Date.String() {
		t.Fatalf("date %v, encoding/json reads %v", r.Date, m["date"])
	}
	switch v := m["value"].(type) {
	case float64:
		if v != r.Value {
			t.Fatalf("value %v, encoding/json reads %v", r.Value, v)
		}
	case string:
	default:
		t.Fatalf("value %v accepted from %T", r.Value, v)
	}
}

// Ensure CSV parsing never panics and accepts only valid rows, whatever the
// bytes and their encoding.
func FuzzParseCSV(f *testing.F) {
	cc := creditCode(f, 9)
	f.Add([]byte("credit_code,date,indicator,value\n" + cc + ",2026-03-01,elec_kwh,1\n"))
	f.Add([]byte("\ufeff指标,数值,统一社会信用代码,日期,单位,来源\noutput:coke,\"7\"," + cc + ",2026-03-01,吨,grid\n,,,\n"))
	f.Add([]byte("credit_code,date,indicator,value\n\"" + cc + "\n\",2026-03-01,elec_kwh,1,x\n\"a\"b,c\n"))
	f.Add(append([]byte("credit_code,date,indicator,value,unit\n"+cc+",2026-03-01,coal_t,1,"), 0xB6, 0xD6))
	p := testParser()
	f.Fuzz(func(t *testing.T, in []byte) {
		_, err := p.ParseCSV(bytes.NewReader(in), func(r Row) error { checkRow(t, p, r); return nil })
		if err != nil {
			t.Fatalf("error on a small input: %v", err)
		}
	})
}
