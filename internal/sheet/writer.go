package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"lianggao"
)

// Export formats.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// Writer streams a list to a spreadsheet, one row at a time. Cells may be
// strings, numbers, booleans (written 是/否), fmt.Stringers such as
// lianggao.Date, or nil for blank.
type Writer interface {
	Row(cells ...any) error
	// Close finishes the file; an .xlsx is only written to w then, and
	// the temporary files of a long one are only removed then.
	Close() error
}

// NewWriter starts a spreadsheet in format FormatXLSX or FormatCSV and
// writes its header. Prefer .xlsx: its text cells keep credit codes and
// region codes from ever becoming numbers, which no CSV can promise once
// Excel opens it.
func NewWriter(w io.Writer, format string, header []string) (Writer, error) {
	switch format {
	case FormatXLSX:
		return newXLSXWriter(w, header)
	case FormatCSV:
		return newCSVWriter(w, header)
	}
	return nil, lianggao.FieldError("format", "format.invalid")
}

// xlsxWriter writes through excelize's stream writer, so a long list is
// never held as a whole worksheet in memory.
type xlsxWriter struct {
	w    io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	text int // style of string cells: number format @ keeps codes text even when Excel edits them
	line int
}

func newXLSXWriter(w io.Writer, header []string) (Writer, error) {
	f := excelize.NewFile()
	x := &xlsxWriter{w: w, f: f, line: 1}
	if err := x.start(header); err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet: start xlsx: %w", err)
	}
	return x, nil
}

// start sets the styles, column widths and frozen header row, which the
// stream writer takes only before the first row.
func (x *xlsxWriter) start(header []string) error {
	var err error
	if x.sw, err = x.f.NewStreamWriter(x.f.GetSheetName(0)); err != nil {
		return err
	}
	if x.text, err = x.f.NewStyle(&excelize.Style{NumFmt: textFormat}); err != nil {
		return err
	}
	bold, err := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		if err := x.sw.SetColWidth(i+1, i+1, widthOf(h)); err != nil {
			return err
		}
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := x.sw.SetPanes(frozenHeader); err != nil {
		return err
	}
	return x.sw.SetRow("A1", cells)
}

// textFormat is Excel's built-in number format "@" (text).
const textFormat = 49

var frozenHeader = &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}

// Row writes one row below the previous one.
func (x *xlsxWriter) Row(cells ...any) error {
	x.line++
	row := make([]any, len(cells))
	for i, c := range cells {
		row[i] = x.cell(c)
	}
	return x.sw.SetRow("A"+strconv.Itoa(x.line), row)
}

// cell turns a value into what the stream writer takes: strings become
// text cells, numbers stay numbers.
func (x *xlsxWriter) cell(v any) any {
	switch v := v.(type) {
	case nil, int, int64, float64:
		return v
	case string:
		if v == "" {
			return nil
		}
		return excelize.Cell{StyleID: x.text, Value: v}
	}
	return x.cell(text(v))
}

// Close writes the workbook to w.
func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("sheet: flush xlsx: %w", err)
	}
	if _, err := x.f.WriteTo(x.w); err != nil {
		return fmt.Errorf("sheet: write xlsx: %w", err)
	}
	return nil
}

// csvWriter writes UTF-8 with a byte order mark, which is what makes Excel
// read the Chinese text correctly.
type csvWriter struct {
	cw *csv.Writer
}

func newCSVWriter(w io.Writer, header []string) (Writer, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, fmt.Errorf("sheet: write csv: %w", err)
	}
	c := &csvWriter{cw: csv.NewWriter(w)}
	c.cw.UseCRLF = true // as Excel writes it
	if err := c.cw.Write(header); err != nil {
		return nil, fmt.Errorf("sheet: write csv: %w", err)
	}
	return c, nil
}

// Row writes one record.
func (c *csvWriter) Row(cells ...any) error {
	rec := make([]string, len(cells))
	for i, v := range cells {
		rec[i] = text(v)
		if _, isString := v.(string); isString {
			rec[i] = escapeFormula(rec[i])
		}
	}
	return c.cw.Write(rec)
}

// Close flushes the records.
func (c *csvWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("sheet: write csv: %w", err)
	}
	return nil
}

// text returns how a cell value is written as text.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return yesNo.label(yesNoCode(v))
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

// widthOf returns the width of a column: the schema's, or one fitting the
// header, counting a Chinese character as two.
func widthOf(header string) float64 {
	for _, s := range schemas {
		if i := s.headerIndex(header); i >= 0 {
			return s.cols[i].Width
		}
	}
	n := 0
	for _, r := range header {
		n += min(utf8.RuneLen(r), 2)
	}
	return float64(max(n+2, 10))
}
