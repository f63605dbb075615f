package monitor

import (
	"bytes"
	"io"
	"math"
	"strconv"
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

// readings fit in a rawRow.
var _ [nFields - nReadingFields]struct{}

// readingLayout is the columns of a batch of readings; a CSV header names
// them all.
var readingLayout = layout{
	names: readingFieldNames[:],
	// The Chinese column names of a hand-filled template.
	aliases: map[string]int{
		"统一社会信用代码": rCreditCode, "信用代码": rCreditCode,
		"出厂编号": rSerial, "器具编号": rSerial, "表号": rSerial,
		"时间": rTime, "抄表时间": rTime, "读数时间": rTime,
		"读数": rValue, "数值": rValue, "值": rValue,
	},
	required: []int{rCreditCode, rSerial, rTime, rValue},
}

// readingState is one parse of readings in progress. It shares the figure
// parser's state for what both do alike: reading lines, counting them and
// their problems, credit codes.
type readingState struct {
	*state
	fn      func(ReadingRow) error
	serials map[string]string // serials already seen, interned: a batch names few meters many times
}

func (p *Parser) newReadingState(fn func(ReadingRow) error) *readingState {
	rs := &readingState{state: p.newState(&readingLayout), fn: fn, serials: map[string]string{}}
	rs.emit = rs.reading
	return rs
}

// ParseReadingsNDJSON reads application/x-ndjson — one JSON object a line
// with the fields credit_code, serial, time (RFC 3339 with an offset, on a
// quarter hour) and value — as a stream, calling fn with each valid row in
// order. Blank lines are skipped. Results and errors are as for
// ParseNDJSON; a time whose date, in its own offset, is after Today is in
// the future (the caller, which knows the clock, may check more closely).
func (p *Parser) ParseReadingsNDJSON(r io.Reader, fn func(ReadingRow) error) (*lianggao.Problems, error) {
	return p.newReadingState(fn).parseNDJSON(r)
}

// reading validates a line's fields and hands a valid row to the callback.
// A callback's EINVALID error becomes a problem of the line; any other
// error stops the parse.
func (rs *readingState) reading(line int, raw *rawRow) error {
	r, ok := rs.validateReading(line, raw)
	if !ok {
		return nil
	}
	return deliver(rs.state, line, rs.fn, r)
}

func (rs *readingState) validateReading(line int, raw *rawRow) (ReadingRow, bool) {
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
	return p.newReadingState(fn).parseCSV(r)
}
