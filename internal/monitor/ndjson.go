package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"lianggao"
)

// MaxLineBytes is the longest NDJSON line accepted: a figure takes about a
// hundred bytes, so a longer line is a mistake, and the limit is what keeps
// the stream's buffer small.
const MaxLineBytes = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseNDJSON reads application/x-ndjson — one JSON object a line with the
// fields credit_code, date (YYYY-MM-DD), indicator, value, and optionally
// unit and source — as a stream, calling fn with each valid row in order.
// Blank lines are skipped. It returns the problems found (none when the
// batch is good); its error is a read error, a callback's error, or
// ETOOLARGE past the line limit.
func (p *Parser) ParseNDJSON(r io.Reader, fn func(Row) error) (*lianggao.Problems, error) {
	return p.newFigureState(fn).parseNDJSON(r)
}

// parseNDJSON reads r a line at a time and hands each line to ndjsonLine,
// numbering lines from 1 and dropping a leading BOM; an over-long line is a
// problem and is skipped. It ends with the batch's problems.
func (st *state) parseNDJSON(r io.Reader) (*lianggao.Problems, error) {
	br := bufio.NewReaderSize(r, MaxLineBytes)
	line := 0
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			line++
			if err := st.countLine(line); err != nil {
				return st.probs, err
			}
			st.probs.Add(line, "", KeyLineTooLong, MaxLineBytes)
			if err = skipLine(br); err != nil {
				return st.probs, err
			}
			continue
		}
		if len(b) > 0 {
			line++
			if line == 1 {
				b = bytes.TrimPrefix(b, utf8BOM)
			}
			if lerr := st.ndjsonLine(line, b); lerr != nil {
				return st.probs, lerr
			}
		}
		if errors.Is(err, io.EOF) {
			return st.finish()
		}
		if err != nil {
			return st.probs, err
		}
	}
}

// skipLine discards the rest of an over-long line; io.EOF is not an error.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return nil
		}
		return err
	}
}

func (st *state) ndjsonLine(line int, b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := st.countLine(line); err != nil {
		return err
	}
	st.raw = rawRow{}
	sc := scanner{b: b, st: st, line: line}
	if col, ok := sc.object(&st.raw); !ok {
		st.probs.Add(line, "", KeyJSONInvalid, col)
		return nil
	}
	if sc.fieldProblems > 0 {
		return nil
	}
	return st.emit(line, &st.raw)
}

// scanner reads one line holding a flat JSON object. It is hand-written
// because encoding/json costs several times more than the rest of a line's
// work, and a batch is a million lines. Strings with escapes are decoded by
// encoding/json, so escapes follow the standard exactly.
type scanner struct {
	b             []byte
	i             int
	st            *state
	line          int
	fieldProblems int
}

// object scans a flat JSON object into raw, the fields of the parse's
// layout. On a syntax error it returns the 1-based column where the line
// stops being JSON.
func (s *scanner) object(raw *rawRow) (col int, ok bool) {
	s.ws()
	if !s.eat('{') {
		return s.i + 1, false
	}
	if s.ws(); s.eat('}') {
		return s.end()
	}
	for {
		s.ws()
		key, ok := s.str()
		if !ok {
			return s.i + 1, false
		}
		if s.ws(); !s.eat(':') {
			return s.i + 1, false
		}
		s.ws()
		if !s.member(raw, key) {
			return s.i + 1, false
		}
		s.ws()
		if s.eat('}') {
			return s.end()
		}
		if !s.eat(',') {
			return s.i + 1, false
		}
	}
}

// end accepts only white space after the object.
func (s *scanner) end() (int, bool) {
	s.ws()
	return s.i + 1, s.i == len(s.b)
}

// member scans the value of key into raw, recording a problem for a field
// that is unknown or given twice.
func (s *scanner) member(raw *rawRow, key []byte) bool {
	v, null, ok := s.value()
	if !ok {
		return false
	}
	names := s.st.lay.names
	f := s.st.lay.index(key)
	switch {
	case f < 0:
		s.problem(string(key), KeyFieldUnknown, clip(key))
	case raw.has[f]:
		s.problem(names[f], KeyFieldDuplicate, names[f])
	case !null:
		raw.f[f], raw.has[f] = v, true
	}
	return true
}

func (s *scanner) problem(field, key string, args ...any) {
	s.fieldProblems++
	s.st.probs.Add(s.line, clip([]byte(field)), key, args...)
}

// value scans any JSON value and returns its text: a string's contents, a
// number's or literal's text, or the whole text of an array or object
// (which no field accepts, so validation names it). null reports true.
func (s *scanner) value() (v []byte, null, ok bool) {
	if s.i >= len(s.b) {
		return nil, false, false
	}
	start := s.i
	switch c := s.b[s.i]; {
	case c == '"':
		v, ok = s.str()
		return v, false, ok
	case c == '-' || isDigit(c):
		ok = s.number()
	case c == '{' || c == '[':
		ok = s.composite()
	case c == 'n':
		return nil, true, s.literal("null")
	case c == 't':
		ok = s.literal("true")
	case c == 'f':
		ok = s.literal("false")
	}
	return s.b[start:s.i], false, ok
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) literal(word string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		return false
	}
	s.i += len(word)
	return true
}

// str scans a string and returns its decoded contents.
func (s *scanner) str() ([]byte, bool) {
	start := s.i
	if !s.eat('"') {
		return nil, false
	}
	escaped := false
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			if !escaped {
				return s.b[start+1 : s.i-1], true
			}
			return unescape(s.b[start:s.i])
		case c == '\\':
			escaped = true
			s.i += 2
		case c < 0x20:
			return nil, false
		default:
			s.i++
		}
	}
	return nil, false
}

// unescape decodes a quoted string with escapes the standard way.
func unescape(quoted []byte) ([]byte, bool) {
	var out string
	if err := json.Unmarshal(quoted, &out); err != nil {
		return nil, false
	}
	return []byte(out), true
}

// number scans a JSON number: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	s.eat('-')
	switch {
	case s.eat('0'):
	case s.i < len(s.b) && '1' <= s.b[s.i] && s.b[s.i] <= '9':
		s.digits()
	default:
		return false
	}
	if s.eat('.') && !s.digits() {
		return false
	}
	if s.eat('e') || s.eat('E') {
		if !s.eat('+') {
			s.eat('-')
		}
		return s.digits()
	}
	return true
}

// digits scans one or more digits.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && isDigit(s.b[s.i]) {
		s.i++
	}
	return s.i > start
}

// maxDepth bounds nesting inside a value that no field accepts anyway.
const maxDepth = 32

// composite skips an array or object, strings included; its inside is not
// checked further, as the field it fills is rejected either way.
func (s *scanner) composite() bool {
	depth := 0
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			if _, ok := s.str(); !ok {
				return false
			}
			continue
		case '{', '[':
			if depth++; depth > maxDepth {
				return false
			}
		case '}', ']':
			if depth--; depth == 0 {
				s.i++
				return true
			}
		}
		s.i++
	}
	return false
}
