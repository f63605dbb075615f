package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"lianggao"
)

// readCSV decodes a CSV and returns its records at their spreadsheet lines
// (index = line-1), blank lines included as empty rows, so line numbers
// match what Excel shows when it opens the file.
func readCSV(b []byte) ([][]string, error) {
	text, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	var rows [][]string
	extra := 0 // line breaks inside quoted cells so far: Excel shows such a record on one row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, malformed(len(rows) + 1)
		}
		start, _ := cr.FieldPos(0)
		for len(rows) < start-extra-1 {
			rows = append(rows, nil)
		}
		for i, c := range rec {
			extra += strings.Count(c, "\n")
			rec[i] = unescapeFormula(c)
		}
		rows = append(rows, rec)
	}
}

// decodeText returns the text of a UTF-8 file (its BOM dropped) or else of a
// GB18030 one, which is what Excel on Chinese Windows saves as "CSV".
func decodeText(b []byte) (string, error) {
	if utf8.Valid(b) {
		return strings.TrimPrefix(string(b), "\ufeff"), nil
	}
	d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(d, utf8.RuneError) {
		return "", lianggao.Errorf(lianggao.EINVALID, "csv.encoding")
	}
	return string(d), nil
}

// malformed reports a CSV syntax error, such as a stray quote, at the
// spreadsheet line after the last good one.
func malformed(line int) error {
	e := lianggao.Errorf(lianggao.EINVALID, "csv.malformed")
	e.Line = line
	return e
}

// unescapeFormula undoes escapeFormula, so that an exported CSV imports to
// the same values.
func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// formulaStarts are the first characters that make a spreadsheet take a
// CSV cell for a formula.
const formulaStarts = "=+-@"

// escapeFormula puts an apostrophe before text that Excel would otherwise
// run as a formula: an enterprise name such as =HYPERLINK(…) must stay a
// name in whoever opens the export. Read removes the apostrophe again.
func escapeFormula(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}
