package sheet

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lianggao"
)

// maxProblems bounds the problems kept for one file; the count goes on.
const maxProblems = 1000

// parseRows checks a table's header against the schema, then turns every
// row into an item with parse. Any problem anywhere rejects the whole file,
// with every problem found (up to maxProblems), so nothing is imported in
// part.
func parseRows[T any](t *Table, s *schema, parse func(*row) T) ([]T, []int, error) {
	probs := &lianggao.Problems{Max: maxProblems}
	pos := s.bind(t, probs)
	if probs.Count > 0 {
		// Rows read under a wrong header would only add noise.
		return nil, nil, probs.Err("import.rejected")
	}
	items := make([]T, 0, len(t.Rows))
	lines := make([]int, 0, len(t.Rows))
	for _, tr := range t.Rows {
		items = append(items, parse(s.row(tr, pos, probs)))
		lines = append(lines, tr.Line)
	}
	if err := probs.Err("import.rejected"); err != nil {
		return nil, nil, err
	}
	return items, lines, nil
}

// row is one data row, its cells put in the schema's column order. Its
// readers record problems against the row's line and the column's header.
type row struct {
	s     *schema
	line  int
	cells []string
	probs *lianggao.Problems
	bad   bool // a problem has been recorded
}

// row picks a table row's cells by column and records blank required ones.
func (s *schema) row(tr Row, pos []int, probs *lianggao.Problems) *row {
	r := &row{s: s, line: tr.Line, cells: make([]string, len(s.cols)), probs: probs}
	for i, j := range pos {
		if j >= 0 && j < len(tr.Cells) {
			r.cells[i] = tr.Cells[j]
		}
		if s.cols[i].Required && r.cells[i] == "" {
			r.fail(s.cols[i].Key, "required")
		}
	}
	return r
}

// fail records a problem with the cell of column key.
func (r *row) fail(key, msg string, args ...any) {
	r.bad = true
	r.probs.Add(r.line, r.s.header(key), msg, args...)
}

// check records a domain validation error, unless the row has problems
// already: the domain would mostly repeat them in its own words.
func (r *row) check(err error) {
	var e *lianggao.Error
	if !r.bad && errors.As(err, &e) {
		r.fail(e.Field, e.Key, e.Args...)
	}
}

// text returns the cell of column key.
func (r *row) text(key string) string { return r.cells[r.s.index[key]] }

// choice returns the code of the choice the cell names, or def when blank.
// An unknown value is reported with the labels allowed.
func (r *row) choice(key string, cs choices, def string) string {
	return r.pick(key, cs, def, "choice.invalid", strings.Join(cs.labels(), "/"))
}

// pick is choice with the message key of an unknown value and any
// arguments after the value.
func (r *row) pick(key string, cs choices, def, msg string, args ...any) string {
	v := r.text(key)
	if v == "" {
		return def
	}
	code, ok := cs.find(v)
	if !ok {
		r.fail(key, msg, append([]any{v}, args...)...)
	}
	return code
}

// yes reads a 是/否 cell; blank gives def.
func (r *row) yes(key string, def bool) bool {
	return r.pick(key, yesNo, yesNoCode(def), "bool.invalid") == "yes"
}

// number reads a decimal number, allowing the thousands separators of
// Excel's number formats; blank is 0.
func (r *row) number(key string) float64 {
	v := strings.ReplaceAll(r.text(key), ",", "")
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		r.fail(key, "number.invalid", r.text(key))
		return 0
	}
	return f
}

// date reads a date cell; blank is the zero date.
func (r *row) date(key string) lianggao.Date {
	v := r.text(key)
	if v == "" {
		return lianggao.Date{}
	}
	d, ok := parseDate(v)
	if !ok {
		r.fail(key, "date.invalid", v)
	}
	return d
}

// creditCode reads a unified social credit code, in capitals.
func (r *row) creditCode(key string) string {
	v := strings.ToUpper(r.text(key))
	switch {
	case v == "" || lianggao.ValidCreditCode(v):
	case scientific.MatchString(v):
		// Excel showed an all-digit code as a number and lost its digits.
		r.fail(key, "credit_code.as_number", v)
	default:
		r.fail(key, "credit_code.invalid", v)
	}
	return v
}

// scientific matches a number as Excel shows it in scientific notation.
var scientific = regexp.MustCompile(`^\d(\.\d+)?E\+\d+$`)

// dateParts matches the ways people and Excel write a date, with any time
// of day after it: 2026-06-01, 2026/6/1, 2026.6.1 and 2026年6月1日.
var dateParts = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$`)

// excelEpoch is day 0 of Excel's date serials (1900 date system, whose
// phantom 29 February 1900 this offset already absorbs for later dates).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a date written as above, as YYYYMMDD, or as the serial
// number Excel shows when a date cell is formatted as a number. Serials
// have five digits from 1927 to 2173; shorter numbers, such as a year
// alone, are no date.
func parseDate(s string) (lianggao.Date, bool) {
	n, err := strconv.Atoi(s)
	switch {
	case err == nil && len(s) == 8:
		return makeDate(n/10000, n/100%100, n%100)
	case err == nil && n >= 10000 && n <= 99999:
		return lianggao.DateOf(excelEpoch.AddDate(0, 0, n)), true
	case err == nil:
		return lianggao.Date{}, false
	}
	p := dateParts.FindStringSubmatch(s)
	if p == nil {
		return lianggao.Date{}, false
	}
	y, _ := strconv.Atoi(p[1])
	m, _ := strconv.Atoi(p[2])
	d, _ := strconv.Atoi(p[3])
	return makeDate(y, m, d)
}

// makeDate rejects impossible dates such as 2026-02-30.
func makeDate(y, m, d int) (lianggao.Date, bool) {
	want := lianggao.Date{Year: y, Month: time.Month(m), Day: d}
	got := lianggao.DateOf(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC))
	return got, got == want
}

// firstSeen remembers the line each value was first seen on, to find
// duplicates within a file.
type firstSeen map[string]int

// check records msg against column key if id was seen on an earlier line;
// the arguments are the value shown and that line. A blank value is no
// duplicate: the column is either optional or already reported as required.
func (f firstSeen) check(r *row, key, msg, id, shown string) {
	if shown == "" {
		return
	}
	if first, dup := f[id]; dup {
		r.fail(key, msg, shown, first)
		return
	}
	f[id] = r.line
}
