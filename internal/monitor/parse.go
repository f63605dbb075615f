package monitor

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lianggao"
)

// DefaultMaxLines is how many data lines a batch may hold unless the
// profile says otherwise (reporting.max_batch_lines).
const DefaultMaxLines = 1_000_000

// MaxProblems is how many problems a rejected batch lists; the count goes on.
const MaxProblems = 1000

// Message keys of ingestion problems. Keys shared with the spreadsheet
// imports (header.*, csv.*, file.empty) keep their texts there.
const (
	KeyRequired         = "figure.required"            // a required field is empty
	KeyCreditCode       = "figure.credit_code_invalid" // args: the code
	KeyDateInvalid      = "figure.date_invalid"        // args: the text
	KeyDateFuture       = "figure.date_future"         // args: the date, today
	KeyIndicatorUnknown = "figure.indicator_unknown"   // args: the code
	KeyValueInvalid     = "figure.value_invalid"       // args: the text
	KeyValueNegative    = "figure.value_negative"      // args: the value, the indicator
	KeyValueTooLarge    = "figure.value_too_large"     // args: the value, the bound, the indicator
	KeyUnitWrong        = "figure.unit_wrong"          // args: the unit given, the indicator's unit
	KeySourceUnknown    = "figure.source_unknown"      // args: the source
	KeyFieldUnknown     = "figure.field_unknown"       // NDJSON: args: the field name
	KeyFieldDuplicate   = "figure.field_duplicate"     // NDJSON: args: the field name
	KeyJSONInvalid      = "figure.json_invalid"        // NDJSON: the line is not a JSON object; args: the column
	KeyLineTooLong      = "figure.line_too_long"       // args: the limit in bytes
	KeyTooManyLines     = "batch.too_many_lines"       // ETOOLARGE; args: the limit
	KeyCSVFields        = "csv.fields"                 // args: cells in the line, columns in the header
	KeyCSVMalformed     = "csv.malformed"
	KeyHeaderMissing    = "header.missing"   // args: the column
	KeyHeaderUnknown    = "header.unknown"   // args: the column
	KeyHeaderDuplicate  = "header.duplicate" // args: the column
	KeyHeaderBlank      = "header.blank"     // a cell under no column name; args: the column number
	KeyFileEmpty        = "file.empty"
)

// DefaultSource is the source of a line that names none.
const DefaultSource = "enterprise"

// Row is one valid line of a batch: a figure of an enterprise, named by its
// credit code, with the unit and source filled in.
type Row struct {
	Line       int
	CreditCode string
	Date       lianggao.Date
	Indicator  string
	Value      float64
	Unit       string
	Source     string
}

// Parser reads batches of figures as a stream and validates every line
// against the catalogue. A batch is all or nothing: the caller keeps the
// rows it is given and writes them only if no problem was found. A Parser
// holds no state between batches and may be used by several at once.
type Parser struct {
	Catalogue *Catalogue
	Today     lianggao.Date // required: figures dated after it are rejected
	MaxLines  int           // data lines a batch may hold; 0 means DefaultMaxLines
}

// fields of a line, in the order of the CSV template.
const (
	fCreditCode = iota
	fDate
	fIndicator
	fValue
	fUnit
	fSource
	nFields
)

var fieldNames = [nFields]string{"credit_code", "date", "indicator", "value", "unit", "source"}

// figureLayout is the columns of a batch of figures.
var figureLayout = layout{
	names: fieldNames[:],
	// The Chinese column names a template filled in by hand may carry.
	aliases: map[string]int{
		"统一社会信用代码": fCreditCode, "信用代码": fCreditCode,
		"日期": fDate, "数据日期": fDate,
		"指标": fIndicator, "指标代码": fIndicator,
		"数值": fValue, "值": fValue,
		"单位": fUnit, "计量单位": fUnit,
		"来源": fSource, "数据来源": fSource,
	},
	required: []int{fCreditCode, fDate, fIndicator, fValue},
}

// layout is the fields of one kind of batch: their names (the NDJSON keys
// and CSV columns, in the order of the CSV template), the other column
// names a hand-filled template may carry, and the fields a CSV header must
// name. A kind has at most nFields fields.
type layout struct {
	names    []string
	aliases  map[string]int
	required []int
}

// index returns the field an NDJSON key names, or -1.
func (l *layout) index(key []byte) int {
	for i, name := range l.names {
		if string(key) == name {
			return i
		}
	}
	return -1
}

// column returns the field a CSV header cell names, or -1.
func (l *layout) column(name string) int {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, f := range l.names {
		if name == f {
			return i
		}
	}
	if f, ok := l.aliases[name]; ok {
		return f
	}
	return -1
}

// rawRow is a line's fields as text, before validation.
type rawRow struct {
	f   [nFields][]byte
	has [nFields]bool
}

// state is one parse in progress. The parse scans each line into raw and
// hands it to emit, which validates it and calls the caller's callback.
type state struct {
	p        *Parser
	lay      *layout
	emit     func(line int, raw *rawRow) error
	fn       func(Row) error
	probs    *lianggao.Problems
	today    int
	maxLines int
	lines    int               // data lines seen
	codes    map[string]string // credit codes already seen valid, interned
	buf      []byte            // the current CSV line's cells
	raw      rawRow            // the current line's fields, reused: a pointer to a local would escape
}

// maxInterned bounds the interned credit codes: a province has a few
// thousand enterprises, a hostile batch could name a million.
const maxInterned = 1 << 16

// newState starts a parse of lines laid out as lay; set emit before use.
func (p *Parser) newState(lay *layout) *state {
	maxLines := p.MaxLines
	if maxLines <= 0 {
		maxLines = DefaultMaxLines
	}
	return &state{p: p, lay: lay, probs: &lianggao.Problems{Max: MaxProblems}, today: dayNumber(p.Today),
		maxLines: maxLines, codes: map[string]string{}}
}

// newFigureState starts a parse of figures handing valid rows to fn.
func (p *Parser) newFigureState(fn func(Row) error) *state {
	st := p.newState(&figureLayout)
	st.fn, st.emit = fn, st.row
	return st
}

// countLine counts a data line; beyond the batch's limit it returns the
// error that stops the parse.
func (st *state) countLine(line int) error {
	st.lines++
	if st.lines > st.maxLines {
		return &lianggao.Error{Code: lianggao.ETOOLARGE, Key: KeyTooManyLines, Args: []any{st.maxLines}, Line: line}
	}
	return nil
}

// finish adds the problem of an empty batch.
func (st *state) finish() (*lianggao.Problems, error) {
	if st.lines == 0 && st.probs.Count == 0 {
		st.probs.Add(0, "", KeyFileEmpty)
	}
	return st.probs, nil
}

// row validates a line's fields and hands a valid row to the callback. A
// callback's EINVALID error becomes a problem of the line (an enterprise
// unknown or out of scope); any other error stops the parse.
func (st *state) row(line int, raw *rawRow) error {
	r, ok := st.validate(line, raw)
	if !ok {
		return nil
	}
	return deliver(st, line, st.fn, r)
}

// deliver hands a valid row to the callback fn. A callback's EINVALID error
// becomes a problem of the line; any other error stops the parse.
func deliver[R any](st *state, line int, fn func(R) error, r R) error {
	err := fn(r)
	if err == nil {
		return nil // before e, which would escape to the heap on every line
	}
	var e *lianggao.Error
	if errors.As(err, &e) && e.Code == lianggao.EINVALID {
		st.probs.AddError(line, e)
		return nil
	}
	return err
}

func (st *state) validate(line int, raw *rawRow) (Row, bool) {
	before := st.probs.Count
	for _, f := range figureLayout.required {
		if len(bytes.TrimSpace(raw.f[f])) == 0 {
			st.probs.Add(line, fieldNames[f], KeyRequired)
		}
	}
	if st.probs.Count > before {
		return Row{}, false
	}
	r := Row{Line: line, CreditCode: st.creditCode(line, raw.f[fCreditCode]), Source: st.source(line, raw)}
	r.Date = st.date(line, raw.f[fDate])
	ind := st.indicator(line, raw.f[fIndicator])
	if ind != nil {
		r.Indicator, r.Unit = ind.Code, ind.Unit
		r.Value = st.value(line, raw.f[fValue], ind)
		st.unit(line, raw, ind)
	}
	return r, st.probs.Count == before
}

func (st *state) creditCode(line int, b []byte) string {
	b = bytes.TrimSpace(b)
	if s, ok := st.codes[string(b)]; ok {
		return s
	}
	s := string(bytes.ToUpper(b))
	if !lianggao.ValidCreditCode(s) {
		st.probs.Add(line, fieldNames[fCreditCode], KeyCreditCode, clip(b))
		return ""
	}
	if len(st.codes) < maxInterned {
		st.codes[string(b)] = s
	}
	return s
}

func (st *state) date(line int, b []byte) lianggao.Date {
	b = bytes.TrimSpace(b)
	d, ok := parseDate(b)
	switch {
	case !ok:
		st.probs.Add(line, fieldNames[fDate], KeyDateInvalid, clip(b))
	case dayNumber(d) > st.today:
		st.probs.Add(line, fieldNames[fDate], KeyDateFuture, d.String(), st.p.Today.String())
	}
	return d
}

// parseDate reads YYYY-MM-DD without going through time.Parse, which would
// cost more than the rest of the line.
func parseDate(b []byte) (lianggao.Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return lianggao.Date{}, false
	}
	y, ok1 := digits(b[0:4])
	m, ok2 := digits(b[5:7])
	d, ok3 := digits(b[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return lianggao.Date{}, false
	}
	date := lianggao.Date{Year: y, Month: time.Month(m), Day: d}
	return date, dateOf(dayNumber(date)) == date // rejects 2026-02-30
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func (st *state) indicator(line int, b []byte) *Indicator {
	b = bytes.TrimSpace(b)
	ind, ok := st.p.Catalogue.lookupBytes(b)
	if !ok {
		st.probs.Add(line, fieldNames[fIndicator], KeyIndicatorUnknown, clip(b))
		return nil
	}
	return ind
}

func (st *state) value(line int, b []byte, ind *Indicator) float64 {
	b = bytes.TrimSpace(b)
	v, err := strconv.ParseFloat(string(b), 64)
	switch {
	case !decimal(b) || err != nil || math.IsInf(v, 0):
		st.probs.Add(line, fieldNames[fValue], KeyValueInvalid, clip(b))
	case v < 0 && !ind.MayBeNegative:
		st.probs.Add(line, fieldNames[fValue], KeyValueNegative, v, ind.Code)
	case ind.Max > 0 && v > ind.Max:
		st.probs.Add(line, fieldNames[fValue], KeyValueTooLarge, v, ind.Max, ind.Code)
	}
	return v
}

// decimal reports whether b is a plain decimal number: an optional sign,
// digits with an optional fraction, an optional exponent. ParseFloat would
// also take "Inf", "NaN", hexadecimal and underscores.
func decimal(b []byte) bool {
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	start := i
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	whole := i - start
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if whole == 0 && i-start <= 1 {
		return false // no digits at all
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		e := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == e {
			return false
		}
	}
	return i == len(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (st *state) unit(line int, raw *rawRow, ind *Indicator) {
	u := bytes.TrimSpace(raw.f[fUnit])
	if len(u) > 0 && !sameUnit(string(u), ind.Unit) {
		st.probs.Add(line, fieldNames[fUnit], KeyUnitWrong, clip(u), ind.Unit)
	}
}

func (st *state) source(line int, raw *rawRow) string {
	b := bytes.TrimSpace(raw.f[fSource])
	if len(b) == 0 {
		return DefaultSource
	}
	for _, s := range lianggao.FigureSources {
		if string(b) == s {
			return s
		}
	}
	st.probs.Add(line, fieldNames[fSource], KeySourceUnknown, clip(b))
	return ""
}

// clip shortens text quoted back in a problem: a hostile line must not make
// the answer a megabyte.
func clip(b []byte) string {
	const limit = 64
	if len(b) <= limit {
		return string(b)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}
