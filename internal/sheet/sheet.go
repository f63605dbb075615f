// Package sheet reads and writes the registry's spreadsheets: uploads of
// enterprises, projects, people and meters in .xlsx or .csv with Chinese
// column headers, their templates, and exports that import again unchanged.
package sheet

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"lianggao"
)

// Table is a spreadsheet read into text: the header (line 1) and the rows
// below it that are not wholly blank, each with its spreadsheet line number.
type Table struct {
	Header []string
	Rows   []Row
}

// Row is one data row; Line is its 1-based line in the spreadsheet.
type Row struct {
	Line  int
	Cells []string
}

// zipMagic opens every zip archive, and so every .xlsx.
var zipMagic = []byte("PK\x03\x04")

// Read reads the first sheet of an .xlsx or a .csv of at most limit bytes.
// The content decides the format; the name only has to agree that a text
// file is a CSV. Cells are kept as displayed and trimmed.
func Read(r io.Reader, name string, limit int64) (*Table, error) {
	// One byte past the limit tells a file of exactly limit bytes from a
	// larger one without ever holding more than that.
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("sheet: read %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, lianggao.Errorf(lianggao.ETOOLARGE, "file.too_large", megabytes(limit))
	}
	if len(b) == 0 {
		return nil, lianggao.Errorf(lianggao.EINVALID, "file.empty")
	}
	var rows [][]string
	switch {
	case bytes.HasPrefix(b, zipMagic):
		rows, err = readXLSX(b, limit)
	case textual(b) && csvName(name):
		rows, err = readCSV(b)
	default:
		return nil, notSpreadsheet()
	}
	if err != nil {
		return nil, err
	}
	return newTable(rows)
}

// megabytes rounds a byte count up to whole megabytes, as limits are told.
func megabytes(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

func notSpreadsheet() error {
	return lianggao.Errorf(lianggao.EINVALID, "file.not_spreadsheet")
}

// textual reports whether b can be text in UTF-8 or GB18030: control bytes
// other than tab and line ends appear in images, PDFs, OLE (.xls) files and
// random data, but never in those encodings' text, whose multibyte
// sequences use no byte below 0x30 nor 0x7F.
func textual(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

// csvName reports whether a text upload's name lets it be read as a CSV: a
// text file named .xls is most likely an HTML page some system saved under
// that name, and reading it as a CSV would only give confusing errors.
func csvName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", "":
		return true
	}
	return false
}

// newTable trims every cell and drops wholly blank rows below the header.
func newTable(rows [][]string) (*Table, error) {
	t := &Table{}
	for i, cells := range rows {
		cells = trimCells(cells)
		if i == 0 {
			t.Header = cells
		} else if len(cells) > 0 {
			t.Rows = append(t.Rows, Row{Line: i + 1, Cells: cells})
		}
	}
	if len(t.Rows) == 0 {
		return nil, lianggao.Errorf(lianggao.EINVALID, "file.empty")
	}
	return t, nil
}

// trimCells trims each cell and drops the blank ones at the end, so a row
// of blanks becomes empty.
func trimCells(cells []string) []string {
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return cells[:n]
}
