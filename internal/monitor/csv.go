package monitor

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"lianggao"
)

// ParseCSV reads text/csv with a header naming the same columns as the
// NDJSON fields (credit_code, date, indicator, value, and optionally unit
// and source), in any order, as a stream. The text may be UTF-8, with or
// without a byte-order mark, or GB18030 (what Excel on Chinese Windows saves
// as CSV); see textReader. Line numbers are the file's lines. Results and
// errors are as for ParseNDJSON.
func (p *Parser) ParseCSV(r io.Reader, fn func(Row) error) (*lianggao.Problems, error) {
	return p.newFigureState(fn).parseCSV(r)
}

// parseCSV reads a CSV batch of the parse's layout, handing each record to
// csvRecord.
func (st *state) parseCSV(r io.Reader) (*lianggao.Problems, error) {
	cr := csv.NewReader(textReader(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cols, err := st.csvHeader(cr)
	if err != nil || cols == nil {
		return st.probs, err
	}
	for {
		rec, err := cr.Read()
		if err != nil {
			// Declared here, pe would escape to the heap on every line.
			var pe *csv.ParseError
			switch {
			case errors.Is(err, io.EOF):
				return st.finish()
			case errors.As(err, &pe):
				st.probs.Add(pe.StartLine, "", KeyCSVMalformed)
				continue
			default:
				return st.probs, err
			}
		}
		line, _ := cr.FieldPos(0)
		if err := st.csvRecord(line, rec, cols); err != nil {
			return st.probs, err
		}
	}
}

// csvHeader reads the header and returns the field of each column (-1 for
// none); nil when the header has problems, which are recorded.
func (st *state) csvHeader(cr *csv.Reader) ([]int, error) {
	rec, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		_, err = st.finish()
		return nil, err
	case errors.As(err, &pe):
		st.probs.Add(pe.StartLine, "", KeyCSVMalformed)
		return nil, nil
	case err != nil:
		return nil, err
	}
	line, _ := cr.FieldPos(0)
	cols := make([]int, len(rec))
	names := st.lay.names
	seen := [nFields]bool{}
	before := st.probs.Count
	for i, name := range rec {
		f := st.lay.column(name)
		cols[i] = f
		switch {
		case f < 0 && strings.TrimSpace(name) != "":
			st.probs.Add(line, "", KeyHeaderUnknown, clip([]byte(name)))
		case f >= 0 && seen[f]:
			st.probs.Add(line, "", KeyHeaderDuplicate, names[f])
		case f >= 0:
			seen[f] = true
		}
	}
	for _, f := range st.lay.required {
		if !seen[f] {
			st.probs.Add(line, "", KeyHeaderMissing, names[f])
		}
	}
	if st.probs.Count > before {
		return nil, nil
	}
	return cols, nil
}

// csvRecord validates one record. A row of empty cells is a blank line, as
// spreadsheets save them; cells under no header must be empty.
func (st *state) csvRecord(line int, rec []string, cols []int) error {
	if blankRecord(rec) {
		return nil
	}
	if err := st.countLine(line); err != nil {
		return err
	}
	raw := &st.raw
	*raw = rawRow{}
	st.buf = st.buf[:0]
	for i, cell := range rec {
		switch {
		case i < len(cols) && cols[i] >= 0:
			// One buffer for the line's cells rather than an allocation each.
			start := len(st.buf)
			st.buf = append(st.buf, cell...)
			raw.f[cols[i]] = st.buf[start:len(st.buf):len(st.buf)]
		case strings.TrimSpace(cell) == "":
		case i < len(cols):
			st.probs.Add(line, "", KeyHeaderBlank, i+1)
			return nil
		default:
			st.probs.Add(line, "", KeyCSVFields, len(rec), len(cols))
			return nil
		}
	}
	return st.emit(line, raw)
}

func blankRecord(rec []string) bool {
	for _, cell := range rec {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// sniffBytes is how much text is looked at to tell UTF-8 from GB18030.
const sniffBytes = 64 << 10

// textReader returns r's text as UTF-8. A byte-order mark means UTF-8 and
// is dropped. Otherwise ASCII passes through untouched — it reads the same
// in both encodings — until the first other byte: if the 64 KiB from there
// are valid UTF-8 the text is UTF-8, else it is decoded as GB18030. Deciding
// at the first non-ASCII byte rather than at the start tells the two apart
// even when the first lines are all ASCII.
func textReader(r io.Reader) io.Reader {
	return &sniffer{br: bufio.NewReaderSize(r, sniffBytes)}
}

type sniffer struct {
	br      *bufio.Reader
	started bool
	text    io.Reader // set once the encoding is known
}

func (s *sniffer) Read(p []byte) (int, error) {
	if s.text != nil {
		return s.text.Read(p)
	}
	if !s.started {
		s.started = true
		if head, _ := s.br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
			_, _ = s.br.Discard(len(utf8BOM)) // peeked, cannot fail
			s.text = s.br
			return s.text.Read(p)
		}
	}
	head, err := s.br.Peek(min(len(p), sniffBytes))
	n := asciiPrefix(head)
	if n > 0 {
		copy(p, head[:n])
		_, _ = s.br.Discard(n)
		return n, nil
	}
	if len(head) == 0 {
		return 0, err
	}
	s.decide()
	return s.text.Read(p)
}

// decide looks at the text from the first non-ASCII byte on.
func (s *sniffer) decide() {
	head, _ := s.br.Peek(sniffBytes)
	if utf8.Valid(completeRunes(head)) {
		s.text = s.br
		return
	}
	s.text = transform.NewReader(s.br, simplifiedchinese.GB18030.NewDecoder())
}

func asciiPrefix(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return i
		}
	}
	return len(b)
}

// completeRunes drops a rune cut off at the end of b.
func completeRunes(b []byte) []byte {
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return b[:len(b)-k]
			}
			break
		}
	}
	return b
}
