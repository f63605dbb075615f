package monitor

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"lianggao"
)

// Message keys of meter-reading problems. The shared keys of a batch
// (required, credit code, JSON, CSV, header and size problems) are those
// of the figure parser, so a client sees one vocabulary. ReadingMessageKeys
// lists them until the catalogue has their texts and MessageKeys takes them.
const (
	KeyReadingSerialRequired string = "reading.serial_required" // the meter's serial is empty
	KeyReadingTimeInvalid    string = "reading.time_invalid"    // not RFC 3339 with an offset; args: the text
	KeyReadingTimeFuture     string = "reading.time_future"     // args: the time, today or the time now
	KeyReadingTimeResolution string = "reading.time_resolution" // not on a quarter hour; args: the time
	KeyReadingValueInvalid   string = "reading.value_invalid"   // args: the text
	KeyReadingValueNegative  string = "reading.value_negative"  // args: the value
)

// ReadingMessageKeys returns every message key a batch of readings can
// produce, so that the i18n catalogue can be checked to cover them.
func ReadingMessageKeys() []string {
	return []string{
		KeyReadingSerialRequired, KeyReadingTimeInvalid, KeyReadingTimeFuture, KeyReadingTimeResolution,
		KeyReadingValueInvalid, KeyReadingValueNegative,
		// Found by the store, which alone knows the meters in the actor's scope.
		"reading.meter_unknown",
		KeyRequired, KeyCreditCode, KeyFieldUnknown, KeyFieldDuplicate, KeyJSONInvalid, KeyLineTooLong,
		KeyTooManyLines, KeyCSVFields, KeyCSVMalformed, KeyHeaderMissing, KeyHeaderUnknown, KeyHeaderDuplicate,
		KeyHeaderBlank, KeyFileEmpty,
	}
}

// ReadingInterval is the resolution of meter readings: a reading stands at
// a quarter hour (minute 0, 15, 30 or 45, second 0).
const ReadingInterval = 15 * time.Minute

// ReadingRow is one valid line of a batch of meter readings. A serial is
// unique only within its enterprise, so the row names both.
type ReadingRow struct {
	Line       int
	CreditCode string
	Serial     string
	Time       time.Time // UTC
	Value      float64
}

// fields of a reading line, in the order of the CSV template.
const (
	rCreditCode = iota
	rSerial
	rTime
	rValue
	nReadingFields
)

var readingFieldNames = [nReadingFields]string{"credit_code", "serial", "time", "value"}

// readingHeaderAliases are the Chinese column names of a hand-filled template.
var readingHeaderAliases = map[string]int{
	"统一社会信用代码": rCreditCode, "信用代码": rCreditCode,
	"出厂编号": rSerial, "器具编号": rSerial, "表号": rSerial,
	"时间": rTime, "抄表时间": rTime, "读数时间": rTime,
	"读数": rValue, "数值": rValue, "值": rValue,
}

// readingRaw is a line's fields as text, before validation.
type readingRaw struct {
	f   [nReadingFields][]byte
	has [nReadingFields]bool
}

// readingState is one parse of readings in progress. It shares the figure
// parser's state for what both count alike: lines, problems, credit codes.
type readingState struct {
	*state
	fn      func(ReadingRow) error
	serials map[string]string // serials already seen, interned: a batch names few meters many times
}

func (p *Parser) newReadingState(fn func(ReadingRow) error) *readingState {
	return &readingState{state: p.newState(nil), fn: fn, serials: map[string]string{}}
}

// ParseReadingsNDJSON reads application/x-ndjson — one JSON object a line
// with the fields credit_code, serial, time (RFC 3339 with an offset, on a
// quarter hour) and value — as a stream, calling fn with each valid row in
// order. Blank lines are skipped. Results and errors are as for
// ParseNDJSON; a time whose date, in its own offset, is after Today is in
// the future (the caller, which knows the clock, may check more closely).
func (p *Parser) ParseReadingsNDJSON(r io.Reader, fn func(ReadingRow) error) (*lianggao.Problems, error) {
	rs := p.newReadingState(fn)
	return rs.eachNDJSONLine(r, rs.ndjsonReading)
}

func (rs *readingState) ndjsonReading(line int, b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := rs.countLine(line); err != nil {
		return err
	}
	var raw readingRaw
	sc := scanner{b: b, st: rs.state, line: line}
	if col, ok := sc.members(func(key []byte) bool { return rs.member(&sc, &raw, key) }); !ok {
		rs.probs.Add(line, "", KeyJSONInvalid, col)
		return nil
	}
	if sc.fieldProblems > 0 {
		return nil
	}
	return rs.reading(line, &raw)
}

// member scans the value of key into raw, recording a problem for a field
// that is unknown or given twice.
func (rs *readingState) member(s *scanner, raw *readingRaw, key []byte) bool {
	v, null, ok := s.value()
	if !ok {
		return false
	}
	f := readingFieldIndex(key)
	switch {
	case f < 0:
		s.problem(string(key), KeyFieldUnknown, clip(key))
	case raw.has[f]:
		s.problem(readingFieldNames[f], KeyFieldDuplicate, readingFieldNames[f])
	case !null:
		raw.f[f], raw.has[f] = v, true
	}
	return true
}

func readingFieldIndex(key []byte) int {
	for i, name := range readingFieldNames {
		if string(key) == name {
			return i
		}
	}
	return -1
}

// reading validates a line's fields and hands a valid row to the callback.
// A callback's EINVALID error becomes a problem of the line; any other
// error stops the parse.
func (rs *readingState) reading(line int, raw *readingRaw) error {
	r, ok := rs.validateReading(line, raw)
	if !ok {
		return nil
	}
	err := rs.fn(r)
	var e *lianggao.Error
	if errors.As(err, &e) && e.Code == lianggao.EINVALID {
		rs.probs.AddError(line, e)
		return nil
	}
	return err
}

func (rs *readingState) validateReading(line int, raw *readingRaw) (ReadingRow, bool) {
	before := rs.probs.Count
	for _, f := range []int{rCreditCode, rTime, rValue} {
		if len(bytes.TrimSpace(raw.f[f])) == 0 {
			rs.probs.Add(line, readingFieldNames[f], KeyRequired)
		}
	}
	serial := bytes.TrimSpace(raw.f[rSerial])
	if len(serial) == 0 {
		rs.probs.Add(line, readingFieldNames[rSerial], KeyReadingSerialRequired)
	}
	if rs.probs.Count > before {
		return ReadingRow{}, false
	}
	r := ReadingRow{Line: line, CreditCode: rs.creditCode(line, raw.f[rCreditCode]), Serial: rs.serial(serial)}
	r.Time = rs.readingTime(line, raw.f[rTime])
	r.Value = rs.readingValue(line, raw.f[rValue])
	return r, rs.probs.Count == before
}

func (rs *readingState) serial(b []byte) string {
	if s, ok := rs.serials[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(rs.serials) < maxInterned {
		rs.serials[s] = s
	}
	return s
}

// readingTime reads an RFC 3339 time, which must carry its offset: a bare
// local time is ambiguous across a province's gateways.
func (rs *readingState) readingTime(line int, b []byte) time.Time {
	b = bytes.TrimSpace(b)
	t, err := time.Parse(time.RFC3339, string(b))
	switch {
	case err != nil:
		rs.probs.Add(line, readingFieldNames[rTime], KeyReadingTimeInvalid, clip(b))
	case t.Nanosecond() != 0 || t.Unix()%int64(ReadingInterval/time.Second) != 0:
		// Checked on the instant, so a zone offset of a quarter hour's
		// multiple (all in use) keeps local quarter hours valid.
		rs.probs.Add(line, readingFieldNames[rTime], KeyReadingTimeResolution, clip(b))
	case dayNumber(lianggao.DateOf(t)) > rs.today:
		rs.probs.Add(line, readingFieldNames[rTime], KeyReadingTimeFuture, clip(b), rs.p.Today.String())
	}
	return t.UTC()
}

func (rs *readingState) readingValue(line int, b []byte) float64 {
	b = bytes.TrimSpace(b)
	v, err := strconv.ParseFloat(string(b), 64)
	switch {
	case !decimal(b) || err != nil || math.IsInf(v, 0):
		rs.probs.Add(line, readingFieldNames[rValue], KeyReadingValueInvalid, clip(b))
	case v < 0:
		// Both register totals and interval amounts only ever grow or are nil.
		rs.probs.Add(line, readingFieldNames[rValue], KeyReadingValueNegative, v)
	}
	return v
}

// ParseReadingsCSV reads text/csv with a header naming the same columns as
// the NDJSON fields (or their Chinese names), in any order, as a stream; the
// text may be UTF-8, with or without a byte-order mark, or GB18030. Line
// numbers are the file's lines. Results and errors are as for
// ParseReadingsNDJSON.
func (p *Parser) ParseReadingsCSV(r io.Reader, fn func(ReadingRow) error) (*lianggao.Problems, error) {
	rs := p.newReadingState(fn)
	cr := csv.NewReader(textReader(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cols, err := rs.readingHeader(cr)
	if err != nil || cols == nil {
		return rs.probs, err
	}
	for {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return rs.finish()
		case errors.As(err, &pe):
			rs.probs.Add(pe.StartLine, "", KeyCSVMalformed)
			continue
		case err != nil:
			return rs.probs, err
		}
		line, _ := cr.FieldPos(0)
		if err := rs.readingRecord(line, rec, cols); err != nil {
			return rs.probs, err
		}
	}
}

// readingHeader reads the header and returns the field of each column (-1
// for none); nil when the header has problems, which are recorded.
func (rs *readingState) readingHeader(cr *csv.Reader) ([]int, error) {
	rec, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		_, err = rs.finish()
		return nil, err
	case errors.As(err, &pe):
		rs.probs.Add(pe.StartLine, "", KeyCSVMalformed)
		return nil, nil
	case err != nil:
		return nil, err
	}
	line, _ := cr.FieldPos(0)
	cols := make([]int, len(rec))
	seen := [nReadingFields]bool{}
	before := rs.probs.Count
	for i, name := range rec {
		f := readingHeaderField(name)
		cols[i] = f
		switch {
		case f < 0 && strings.TrimSpace(name) != "":
			rs.probs.Add(line, "", KeyHeaderUnknown, clip([]byte(name)))
		case f >= 0 && seen[f]:
			rs.probs.Add(line, "", KeyHeaderDuplicate, readingFieldNames[f])
		case f >= 0:
			seen[f] = true
		}
	}
	for f, ok := range seen {
		if !ok {
			rs.probs.Add(line, "", KeyHeaderMissing, readingFieldNames[f])
		}
	}
	if rs.probs.Count > before {
		return nil, nil
	}
	return cols, nil
}

func readingHeaderField(name string) int {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, f := range readingFieldNames {
		if name == f {
			return i
		}
	}
	if f, ok := readingHeaderAliases[name]; ok {
		return f
	}
	return -1
}

// readingRecord validates one record. A row of empty cells is a blank line,
// as spreadsheets save them; cells under no header must be empty.
func (rs *readingState) readingRecord(line int, rec []string, cols []int) error {
	if blankRecord(rec) {
		return nil
	}
	if err := rs.countLine(line); err != nil {
		return err
	}
	var raw readingRaw
	rs.buf = rs.buf[:0]
	for i, cell := range rec {
		switch {
		case i < len(cols) && cols[i] >= 0:
			// One buffer for the line's cells rather than an allocation each.
			start := len(rs.buf)
			rs.buf = append(rs.buf, cell...)
			raw.f[cols[i]] = rs.buf[start:len(rs.buf):len(rs.buf)]
		case strings.TrimSpace(cell) == "":
		case i < len(cols):
			rs.probs.Add(line, "", KeyHeaderBlank, i+1)
			return nil
		default:
			rs.probs.Add(line, "", KeyCSVFields, len(rec), len(cols))
			return nil
		}
	}
	return rs.reading(line, &raw)
}
