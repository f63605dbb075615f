package sheet

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"lianggao"
)

// Kinds of registry spreadsheet.
const (
	KindEnterprises = "enterprises"
	KindProjects    = "projects"
	KindPeople      = "people"
	KindMeters      = "meters"
)

// Column is one column of a registry spreadsheet.
type Column struct {
	Header   string   // the Chinese header, without the * that marks a required column
	Key      string   // the field key, as in the domain's field errors
	Required bool     // a row must fill it in
	Hint     string   // how to fill it in, for the template's 说明 sheet
	Text     bool     // holds codes: kept as text so Excel never turns them into numbers
	Choices  []string // the labels a template offers in a drop-down; nil for free input
	Width    float64  // column width in the template and exports, in Excel's units
}

// schema is the columns of one kind. fields maps domain field keys that
// name no column (such as "location") to the column their errors go to.
type schema struct {
	title  string // the name of the template's data sheet
	cols   []Column
	fields map[string]string
	index  map[string]int // column key → position in cols
}

func newSchema(title string, fields map[string]string, cols ...Column) *schema {
	s := &schema{title: title, cols: cols, fields: fields, index: map[string]int{}}
	for i, c := range cols {
		s.index[c.Key] = i
	}
	return s
}

var schemas = map[string]*schema{
	KindEnterprises: enterpriseSchema,
	KindProjects:    projectSchema,
	KindPeople:      personSchema,
	KindMeters:      meterSchema,
}

// Columns returns the columns of a kind, or nil for an unknown kind.
func Columns(kind string) []Column {
	if s, ok := schemas[kind]; ok {
		return s.cols
	}
	return nil
}

// headers returns the column headers, as exports write them.
func (s *schema) headers() []string {
	h := make([]string, len(s.cols))
	for i, c := range s.cols {
		h[i] = c.Header
	}
	return h
}

// cells puts values given by column key in column order; a column left out
// is blank.
func (s *schema) cells(values map[string]any) []any {
	out := make([]any, len(s.cols))
	for k, v := range values {
		i, ok := s.index[k]
		if !ok {
			panic("sheet: no column " + k) // a mistake in this package, caught by its tests
		}
		out[i] = v
	}
	return out
}

// header returns the header of the column a domain field key belongs to.
func (s *schema) header(key string) string {
	if k, ok := s.fields[key]; ok {
		key = k
	}
	if i, ok := s.index[key]; ok {
		return s.cols[i].Header
	}
	return key
}

// headerIndex returns the position of the column with header h, or -1.
func (s *schema) headerIndex(h string) int {
	for i, c := range s.cols {
		if c.Header == h {
			return i
		}
	}
	return -1
}

// normalHeader folds the ways people retype a header: the * of required
// columns, spaces and half-width brackets.
func normalHeader(h string) string {
	return headerFold.Replace(strings.Trim(h, "*＊ \u3000"))
}

var headerFold = strings.NewReplacer(" ", "", "\u3000", "", "(", "（", ")", "）")

// bind matches a table's header with the schema's columns and returns, for
// each column, its position in the table (-1 when absent). It records a
// required column missing, an unknown or repeated header, and a blank header
// above filled cells.
func (s *schema) bind(t *Table, probs *lianggao.Problems) []int {
	pos := make([]int, len(s.cols))
	for i := range pos {
		pos[i] = -1
	}
	byHeader := map[string]int{}
	for i, c := range s.cols {
		byHeader[normalHeader(c.Header)] = i
	}
	for j := range max(len(t.Header), t.width()) {
		h := ""
		if j < len(t.Header) {
			h = t.Header[j]
		}
		i, ok := byHeader[normalHeader(h)]
		switch {
		case h == "":
			if filledBelow(t, j) {
				letter, _ := excelize.ColumnNumberToName(j + 1)
				probs.Add(1, letter, "header.blank", letter)
			}
		case !ok:
			probs.Add(1, h, "header.unknown", h)
		case pos[i] >= 0:
			probs.Add(1, h, "header.duplicate", h)
		default:
			pos[i] = j
		}
	}
	for i, c := range s.cols {
		if c.Required && pos[i] < 0 {
			probs.Add(1, c.Header, "header.missing", c.Header)
		}
	}
	return pos
}

// width returns the number of cells of the longest row.
func (t *Table) width() int {
	n := 0
	for _, r := range t.Rows {
		n = max(n, len(r.Cells))
	}
	return n
}

// filledBelow reports whether any row has a value in column j.
func filledBelow(t *Table, j int) bool {
	for _, r := range t.Rows {
		if j < len(r.Cells) && r.Cells[j] != "" {
			return true
		}
	}
	return false
}
