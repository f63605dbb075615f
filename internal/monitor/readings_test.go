package monitor

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"lianggao"
)

// collectReadings parses with fn collecting the rows.
func collectReadings(t *testing.T, parse func(*Parser, []byte, func(ReadingRow) error) (*lianggao.Problems, error), in string) ([]ReadingRow, *lianggao.Problems) {
	t.Helper()
	var rows []ReadingRow
	probs, err := parse(testParser(), []byte(in), func(r ReadingRow) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return rows, probs
}

func readingsNDJSON(p *Parser, b []byte, fn func(ReadingRow) error) (*lianggao.Problems, error) {
	return p.ParseReadingsNDJSON(bytes.NewReader(b), fn)
}

func readingsCSV(p *Parser, b []byte, fn func(ReadingRow) error) (*lianggao.Problems, error) {
	return p.ParseReadingsCSV(bytes.NewReader(b), fn)
}

func TestParseReadingsNDJSONGood(t *testing.T) {
	cc := creditCode(t, 1)
	in := "\ufeff" + `{"credit_code":"` + strings.ToLower(cc) + `","serial":" E-01 ","time":"2026-03-01T08:15:00+08:00","value":12345.5}` + "\r\n" +
		"\n" +
		`{"value":"0","time":"2026-03-31T23:45:00.000+08:00","serial":"E-01","credit_code":"` + cc + `"}` + "\n" +
		`{"credit_code":"` + cc + `","serial":"电表2","time":"2026-03-01T00:30:00Z","value":1e3}`
	rows, probs := collectReadings(t, readingsNDJSON, in)
	if probs.Count != 0 {
		t.Fatalf("problems: %v", problemSet(probs))
	}
	want := []ReadingRow{
		{Line: 1, CreditCode: cc, Serial: "E-01", Time: time.Date(2026, 3, 1, 0, 15, 0, 0, time.UTC), Value: 12345.5},
		{Line: 3, CreditCode: cc, Serial: "E-01", Time: time.Date(2026, 3, 31, 15, 45, 0, 0, time.UTC), Value: 0},
		{Line: 4, CreditCode: cc, Serial: "电表2", Time: time.Date(2026, 3, 1, 0, 30, 0, 0, time.UTC), Value: 1000},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("rows\n got %v\nwant %v", rows, want)
	}
	for _, r := range rows {
		if r.Time.Location() != time.UTC {
			t.Fatalf("line %d: time kept in %v, want UTC", r.Line, r.Time.Location())
		}
	}
}

// Ensure every kind of bad reading is named by its line, field and key,
// and that one bad line does not stop the rest from being checked.
func TestParseReadingsNDJSONProblems(t *testing.T) {
	cc := creditCode(t, 2)
	line := func(fields string) string { return "{" + fields + "}\n" }
	base := `"credit_code":"` + cc + `","serial":"E-01"`
	at := func(ts string) string { return base + `,"time":"` + ts + `","value":1` }
	in := line(at("2026-03-01T08:15:00+08:00")) + // 1 good
		line(at("2026-03-01T08:15:00")) + // 2 no offset
		line(at("2026-03-01 08:15:00+08:00")) + // 3
		line(at("2026-04-01T00:00:00+08:00")) + // 4 future
		line(at("2026-03-01T08:10:00+08:00")) + // 5
		line(at("2026-03-01T08:15:30+08:00")) + // 6
		line(at("2026-03-01T08:15:00.5+08:00")) + // 7
		line(base+`,"time":"2026-03-01T08:15:00+08:00","value":"x"`) + // 8
		line(base+`,"time":"2026-03-01T08:15:00+08:00","value":-0.5`) + // 9
		line(`"credit_code":"`+cc+`","serial":" ","time":"2026-03-01T08:15:00+08:00","value":1`) + // 10
		line(`"credit_code":"91370100MA0000000X","serial":"E","time":"2026-03-01T08:15:00+08:00","value":1`) + // 11
		line(at("2026-03-01T08:15:00+08:00")+`,"date":"2026-03-01"`) + // 12
		line(at("2026-03-01T08:15:00+08:00")+`,"serial":"E-02"`) + // 13
		`{"serial":` + "\n" + // 14
		line(`"serial":"E"`) + // 15
		line(base+`,"time":"2026-03-01T08:15:00+08:00","value":1e999`) // 16
	rows, probs := collectReadings(t, readingsNDJSON, in)
	if len(rows) != 1 || rows[0].Line != 1 {
		t.Fatalf("rows: %v", rows)
	}
	want := []string{
		"2:time:" + KeyReadingTimeInvalid, "3:time:" + KeyReadingTimeInvalid, "4:time:" + KeyReadingTimeFuture,
		"5:time:" + KeyReadingTimeResolution, "6:time:" + KeyReadingTimeResolution, "7:time:" + KeyReadingTimeResolution,
		"8:value:" + KeyReadingValueInvalid, "9:value:" + KeyReadingValueNegative, "10:serial:" + KeyReadingSerialRequired,
		"11:credit_code:" + KeyCreditCode, "12:date:" + KeyFieldUnknown, "13:serial:" + KeyFieldDuplicate,
		"14::" + KeyJSONInvalid, "15:credit_code:" + KeyRequired, "15:time:" + KeyRequired, "15:value:" + KeyRequired,
		"16:value:" + KeyReadingValueInvalid,
	}
	if got := problemSet(probs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("problems\n got %v\nwant %v", got, want)
	}
}

// Ensure a callback's EINVALID error becomes a problem of its line and
// any other error stops the parse.
func TestParseReadingsCallbackErrors(t *testing.T) {
	cc := creditCode(t, 3)
	in := `{"credit_code":"` + cc + `","serial":"E","time":"2026-03-01T08:15:00+08:00","value":1}` + "\n"
	probs, err := testParser().ParseReadingsNDJSON(strings.NewReader(in+in), func(r ReadingRow) error {
		return lianggao.FieldError("serial", "x.unknown", r.Serial)
	})
	if err != nil || fmt.Sprint(problemSet(probs)) != "[1:serial:x.unknown 2:serial:x.unknown]" {
		t.Fatalf("EINVALID callback: %v %v", problemSet(probs), err)
	}
	boom := errors.New("boom")
	if _, err := testParser().ParseReadingsNDJSON(strings.NewReader(in), func(ReadingRow) error { return boom }); err != boom {
		t.Fatalf("other callback error: %v", err)
	}
}

// Ensure the line limit and an over-long line are reported as for figures.
func TestParseReadingsLimits(t *testing.T) {
	cc := creditCode(t, 4)
	in := `{"credit_code":"` + cc + `","serial":"E","time":"2026-03-01T08:15:00+08:00","value":1}` + "\n"
	p := testParser()
	p.MaxLines = 2
	_, err := p.ParseReadingsNDJSON(strings.NewReader(in+in+in), func(ReadingRow) error { return nil })
	var e *lianggao.Error
	if !errors.As(err, &e) || e.Code != lianggao.ETOOLARGE || e.Key != KeyTooManyLines || e.Line != 3 {
		t.Fatalf("too many lines: %v", err)
	}
	long := `{"serial":"` + strings.Repeat("x", MaxLineBytes) + `"}` + "\n"
	_, probs := collectReadings(t, readingsNDJSON, long+in)
	if fmt.Sprint(problemSet(probs)) != "[1::"+KeyLineTooLong+"]" {
		t.Fatalf("long line: %v", problemSet(probs))
	}
	for name, parse := range map[string]func(*Parser, []byte, func(ReadingRow) error) (*lianggao.Problems, error){
		"ndjson": readingsNDJSON, "csv": readingsCSV} {
		if _, probs := collectReadings(t, parse, "\n"); fmt.Sprint(problemSet(probs)) != "[0::"+KeyFileEmpty+"]" {
			t.Errorf("%s empty: %v", name, problemSet(probs))
		}
	}
}

// Ensure CSV takes the columns in any order by their English or Chinese
// names, in UTF-8 with a byte-order mark or GB18030, and numbers file lines.
func TestParseReadingsCSVGood(t *testing.T) {
	cc := creditCode(t, 5)
	utf := "\ufeffvalue,time,serial,credit_code\n12.5,2026-03-01T08:15:00+08:00,E-01," + cc + "\n,,,\n" +
		"\"1\n\",2026-03-01T08:30:00+08:00,E-01," + cc + "\n"
	rows, probs := collectReadings(t, readingsCSV, utf)
	if probs.Count != 0 || len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 4 || rows[0].Value != 12.5 {
		t.Fatalf("UTF-8: %v %v", rows, problemSet(probs))
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("统一社会信用代码,出厂编号,抄表时间,读数\n" +
		cc + ",电表一,2026-03-01T08:45:00+08:00,7\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows, probs = collectReadings(t, readingsCSV, string(gb))
	if probs.Count != 0 || len(rows) != 1 || rows[0].Serial != "电表一" || rows[0].Time != time.Date(2026, 3, 1, 0, 45, 0, 0, time.UTC) {
		t.Fatalf("GB18030: %v %v", rows, problemSet(probs))
	}
}

// Ensure CSV header and cell problems use the shared keys and bad values
// the reading keys.
func TestParseReadingsCSVProblems(t *testing.T) {
	cc := creditCode(t, 6)
	header := map[string]string{
		"credit_code,serial,time,wert\n":        "[1::" + KeyHeaderUnknown + " 1::" + KeyHeaderMissing + "]",
		"credit_code,serial,time,value,time\n":  "[1::" + KeyHeaderDuplicate + "]",
		"credit_code,serial,\"time\"x,value\n":  "[1::" + KeyCSVMalformed + "]",
		"":                                      "[0::" + KeyFileEmpty + "]",
		"credit_code,serial,time,value,,note\n": "[1::" + KeyHeaderUnknown + "]",
	}
	for in, want := range header {
		if _, probs := collectReadings(t, readingsCSV, in); fmt.Sprint(problemSet(probs)) != want {
			t.Errorf("header %q: %v, want %s", in, problemSet(probs), want)
		}
	}
	in := "credit_code,serial,time,value,\n" +
		cc + ",E,2026-03-01T08:15:00+08:00,1,\n" + // 2 good
		cc + ",E,2026-03-01T08:15:00+08:00,1,x\n" + // 3
		cc + ",E,2026-03-01T08:15:00+08:00,1,,y\n" + // 4
		cc + ",,2026-03-01T08:15:00+08:00,1\n" + // 5
		cc + ",E,2026-03-01T08:16:00+08:00,-1\n" + // 6
		cc + ",E,\"a\"b,1\n" // 7
	rows, probs := collectReadings(t, readingsCSV, in)
	want := "[3::" + KeyHeaderBlank + " 4::" + KeyCSVFields + " 5:serial:" + KeyReadingSerialRequired +
		" 6:time:" + KeyReadingTimeResolution + " 6:value:" + KeyReadingValueNegative + " 7::" + KeyCSVMalformed + "]"
	if len(rows) != 1 || fmt.Sprint(problemSet(probs)) != want {
		t.Fatalf("rows %v\nproblems %v\nwant %s", rows, problemSet(probs), want)
	}
}

// Ensure every key the reading parsers use is listed for the catalogue.
func TestReadingMessageKeys(t *testing.T) {
	keys := ReadingMessageKeys()
	for _, k := range []string{KeyReadingSerialRequired, KeyReadingTimeInvalid, KeyReadingTimeFuture,
		KeyReadingTimeResolution, KeyReadingValueInvalid, KeyReadingValueNegative, KeyRequired, KeyCSVMalformed} {
		if !strings.Contains(strings.Join(keys, " "), k) {
			t.Errorf("%s not listed", k)
		}
	}
}

func FuzzParseReadingsNDJSON(f *testing.F) {
	cc := creditCode(f, 8)
	f.Add([]byte(`{"credit_code":"` + cc + `","serial":"E-01","time":"2026-03-01T08:15:00+08:00","value":12.5}`))
	f.Add([]byte(`{"credit_code":"` + cc + `","serial":"\u7535","time":"2026-03-01T00:00:00Z","value":"1e3"}` + "\n{}\n"))
	f.Add([]byte("{\"time\":\"2026-03-01T08:15:00+25:00\"}\n{\"value\":1.}\n{\"serial\":\"\\ud800\"}"))
	f.Add([]byte("\ufeff\n\r\n{\"credit_code\":null,\"x\":[{\"a\":\"\\\"\"}]}"))
	p := testParser()
	f.Fuzz(func(t *testing.T, in []byte) {
		_, err := p.ParseReadingsNDJSON(bytes.NewReader(in), func(r ReadingRow) error { checkReading(t, p, r); return nil })
		if err != nil {
			t.Fatalf("error on a small input: %v", err)
		}
	})
}

func FuzzParseReadingsCSV(f *testing.F) {
	cc := creditCode(f, 9)
	f.Add([]byte("credit_code,serial,time,value\n" + cc + ",E,2026-03-01T08:15:00+08:00,1\n"))
	f.Add([]byte("\ufeff读数,出厂编号,统一社会信用代码,时间\n\"7\",表1," + cc + ",2026-03-01T08:15:00+08:00\n,,,\n"))
	f.Add([]byte("credit_code,serial,time,value\n\"" + cc + "\n\",E,2026-03-01T08:15:00Z,1,x\n\"a\"b,c\n"))
	f.Add(append([]byte("credit_code,serial,time,value\n"+cc+",E,2026-03-01T08:15:00+08:00,1,"), 0xB6, 0xD6))
	p := testParser()
	f.Fuzz(func(t *testing.T, in []byte) {
		_, err := p.ParseReadingsCSV(bytes.NewReader(in), func(r ReadingRow) error { checkReading(t, p, r); return nil })
		if err != nil {
			t.Fatalf("error on a small input: %v", err)
		}
	})
}

// checkReading asserts what validation promises of an accepted reading.
func checkReading(t *testing.T, p *Parser, r ReadingRow) {
	t.Helper()
	switch {
	case r.Line < 1:
		t.Fatalf("row without a line: %+v", r)
	case !lianggao.ValidCreditCode(r.CreditCode):
		t.Fatalf("row with bad credit code %q", r.CreditCode)
	case r.Serial == "" || strings.TrimSpace(r.Serial) != r.Serial:
		t.Fatalf("row with bad serial %q", r.Serial)
	case r.Time.Location() != time.UTC || r.Time.Unix()%900 != 0 || r.Time.Nanosecond() != 0:
		t.Fatalf("row with bad time %v", r.Time)
	case dayNumber(lianggao.DateOf(r.Time)) > dayNumber(p.Today)+1: // UTC is at most a day behind a local date
		t.Fatalf("row in the future %v", r.Time)
	case r.Value < 0 || r.Value != r.Value:
		t.Fatalf("row with bad value %v", r.Value)
	}
}
