// Package docx writes official documents as .docx (WordprocessingML in a
// zip) in the layout of GB/T 9704-2012 《党政机关公文格式》, with nothing but
// the standard library, so that a report opens the same in Word and WPS.
//
// The layout figures, in the units Word stores (twips: 1/20 pt; 1 mm ≈ 56.7
// twips; half-points for font sizes):
//
//   - paper A4, 210 × 297 mm (11906 × 16838 twips);
//   - margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, leaving the
//     type area (版心) of 156 × 225 mm;
//   - 22 lines a page, 28 characters a line: the line pitch is 225 mm ÷ 22 ≈
//     28.95 pt, set as exact line spacing and as the document grid's pitch;
//     the grid's character pitch is 156 mm ÷ 28, which Word stores as the
//     difference from the body size in 1/4096 pt (w:charSpace);
//   - body 3号 (16 pt) 仿宋_GB2312, paragraphs indented two characters,
//     justified; the title 2号 (22 pt) 方正小标宋简体, centred;
//   - headings numbered by level 一、 (黑体), （一） (楷体_GB2312), 1. and
//     （1） (仿宋_GB2312);
//   - the issuing number (发文字号) centred above a red separator line as
//     wide as the type area;
//   - the signature (发文机关署名 and 成文日期, as 2026年12月8日) on the right:
//     the issuer two characters from the right edge and the date's first
//     character two characters right of the issuer's, or the date two
//     characters from the edge when it is the longer;
//   - page numbers "— 1 —" in 4号 (14 pt) 宋体 half-width digits, 7 mm below
//     the type area, on the right of odd pages and the left of even pages,
//     one character in from the edge (w:evenAndOddHeaders).
//
// Fonts a reader's machine lacks fall back through the font table:
// 仿宋_GB2312 to 仿宋 (FangSong), 方正小标宋简体 to 宋体 (SimSun), 楷体_GB2312 to
// 楷体 (KaiTi), 黑体 to SimHei.
//
// The same input always gives the same bytes: parts are written in a fixed
// order with a fixed time.
package docx

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Meta is what a document says about itself, besides its body.
type Meta struct {
	// Masthead is the issuing body's mark (发文机关标志), printed red and
	// centred at the top, e.g. 山东省发展和改革委员会文件; optional.
	Masthead string
	// Number is the issuing number (发文字号), e.g. 鲁发改〔2026〕12号;
	// optional. When set it is printed above the red separator line.
	Number string
	Title  string
	// Recipient is the main recipient (主送机关), flush left under the
	// title; a full-width colon is added when missing. Optional.
	Recipient string
	// Issuer and Date make the signature block; either may be empty.
	Issuer string
	Date   time.Time
	// Author is the file's author in its properties.
	Author string
}

// Document is an official document being written: body blocks, then the
// signature, then the annexes, each on a new page.
type Document struct {
	meta    Meta
	body    []block
	annexes []*annex
	// numbers counts the headings of each level in the current part, for
	// their ordinals; a heading resets the levels below it.
	numbers [4]int
}

type annex struct {
	title  string
	blocks []block
}

// block is a paragraph or a table, already in WordprocessingML.
type block string

// New starts a document.
func New(m Meta) *Document {
	return &Document{meta: m}
}

// add appends a block to the current part: the body, or the last annex.
func (d *Document) add(b block) {
	if n := len(d.annexes); n > 0 {
		d.annexes[n-1].blocks = append(d.annexes[n-1].blocks, b)
		return
	}
	d.body = append(d.body, b)
}

// Heading adds a heading of level 1 to 4, numbered 一、, （一）, 1. and （1）
// in turn; text comes without its ordinal. Other levels are taken as the
// nearest one.
func (d *Document) Heading(level int, text string) {
	level = min(max(level, 1), 4)
	d.numbers[level-1]++
	for i := level; i < len(d.numbers); i++ {
		d.numbers[i] = 0
	}
	n := d.numbers[level-1]
	var ordinal string
	switch level {
	case 1:
		ordinal = chineseNumber(n) + "、"
	case 2:
		ordinal = "（" + chineseNumber(n) + "）"
	case 3:
		ordinal = fmt.Sprintf("%d.", n)
	default:
		ordinal = fmt.Sprintf("（%d）", n)
	}
	d.add(paragraph(fmt.Sprintf("Heading%d", level), "", ordinal+text))
}

// Para adds a body paragraph, indented two characters. A line feed in text
// breaks the line; a tab is kept.
func (d *Document) Para(text string) {
	d.add(paragraph("Body", "", text))
}

// Table adds a table with a bold header row repeated on every page and
// borders all round. widthsMM gives the columns' widths; when absent, of
// the wrong length or wider than the type area, the columns share the type
// area (in proportion to the widths given, when there are any). Rows
// shorter than the header are padded with empty cells.
func (d *Document) Table(header []string, rows [][]string, widthsMM []float64) {
	cols := len(header)
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	widths := columnWidths(cols, widthsMM)
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="`)
	fmt.Fprint(&b, sum(widths))
	b.WriteString(`" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	if len(header) > 0 {
		writeRow(&b, header, widths, true)
	}
	for _, r := range rows {
		writeRow(&b, r, widths, false)
	}
	b.WriteString(`</w:tbl>`)
	d.add(block(b.String()))
	// Word needs a paragraph between two tables, or they merge.
	d.add(paragraph("TableGap", "", ""))
}

func writeRow(b *strings.Builder, cells []string, widths []int, header bool) {
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
	if header {
		b.WriteString(`<w:tblHeader/>`)
	}
	b.WriteString(`</w:trPr>`)
	for i, w := range widths {
		var text string
		if i < len(cells) {
			text = cells[i]
		}
		fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, w)
		jc := ""
		switch {
		case header:
			jc = "center"
		case numeric(text):
			jc = "right"
		}
		style := "TableText"
		if header {
			style = "TableHeader"
		}
		b.WriteString(string(paragraph(style, jc, text)))
		b.WriteString(`</w:tc>`)
	}
	b.WriteString(`</w:tr>`)
}

// Annex starts an annex (附件): it is listed after the body as 附件：1. title,
// and printed after the signature on a new page under the label 附件1, with
// its title centred. Headings, paragraphs and tables added afterwards go
// into it, numbered afresh.
func (d *Document) Annex(title string) {
	d.annexes = append(d.annexes, &annex{title: title})
	d.numbers = [4]int{}
}

// WriteTo writes the document as a .docx file.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	parts := d.parts()
	cw := &countingWriter{w: w}
	if err := writeZip(cw, parts); err != nil {
		return cw.n, fmt.Errorf("docx: %w", err)
	}
	return cw.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// document returns word/document.xml.
func (d *Document) document() string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	m := d.meta
	if m.Masthead != "" {
		b.WriteString(string(paragraph("Masthead", "", m.Masthead)))
	}
	if m.Number != "" {
		b.WriteString(string(paragraph("IssueNumber", "", m.Number)))
		b.WriteString(string(paragraph("Normal", "", "")))
	}
	if m.Title != "" {
		b.WriteString(string(paragraph("DocTitle", "", m.Title)))
		b.WriteString(string(paragraph("Normal", "", "")))
	}
	if m.Recipient != "" {
		r := m.Recipient
		if !strings.HasSuffix(r, "：") && !strings.HasSuffix(r, ":") {
			r += "："
		}
		b.WriteString(string(paragraph("Recipient", "", r)))
	}
	for _, bl := range d.body {
		b.WriteString(string(bl))
	}
	d.writeAnnexList(&b)
	d.writeSignature(&b)
	for i, a := range d.annexes {
		label := "附件"
		if len(d.annexes) > 1 {
			label = fmt.Sprintf("附件%d", i+1)
		}
		b.WriteString(string(paragraph("AnnexLabel", "", label)))
		b.WriteString(string(paragraph("Normal", "", "")))
		b.WriteString(string(paragraph("DocTitle", "", a.title)))
		b.WriteString(string(paragraph("Normal", "", "")))
		for _, bl := range a.blocks {
			b.WriteString(string(bl))
		}
	}
	b.WriteString(sectionProperties())
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// writeAnnexList writes the annex note (附件说明) under the body: one blank
// line, then 附件：1. … with the later titles aligned under the first.
func (d *Document) writeAnnexList(b *strings.Builder) {
	if len(d.annexes) == 0 {
		return
	}
	b.WriteString(string(paragraph("Normal", "", "")))
	for i, a := range d.annexes {
		text := a.title
		if len(d.annexes) > 1 {
			text = fmt.Sprintf("%d.%s", i+1, a.title)
		}
		if i == 0 {
			text = "附件：" + text
		}
		style := "AnnexNoteNext"
		if i == 0 {
			style = "AnnexNote"
		}
		b.WriteString(string(paragraph(style, "", text)))
	}
}

// writeSignature writes the issuer and the date under a blank line, placed
// as GB/T 9704 §7.3.5.3 asks of a document without a seal.
func (d *Document) writeSignature(b *strings.Builder) {
	m := d.meta
	date := ""
	if !m.Date.IsZero() {
		date = fmt.Sprintf("%d年%d月%d日", m.Date.Year(), int(m.Date.Month()), m.Date.Day())
	}
	if m.Issuer == "" && date == "" {
		return
	}
	issuerRight, dateRight := signatureIndents(textWidth(m.Issuer), textWidth(date))
	b.WriteString(string(paragraph("Normal", "", "")))
	if m.Issuer != "" {
		b.WriteString(string(indentedRight(m.Issuer, issuerRight)))
	}
	if date != "" {
		b.WriteString(string(indentedRight(date, dateRight)))
	}
}

// signatureIndents returns the right indents, in characters, of the issuer
// and of the date: the issuer two characters from the edge and the date
// starting two characters right of it; when the date is the longer, the
// date two characters from the edge and the issuer moved left to keep the
// offset.
func signatureIndents(issuer, date float64) (float64, float64) {
	if date+2 <= issuer {
		return 2, issuer - date
	}
	return date + 4 - issuer, 2
}

// textWidth is the width of s in characters: a half-width one counts half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2000 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

func indentedRight(text string, chars float64) block {
	var b strings.Builder
	fmt.Fprintf(&b, `<w:p><w:pPr><w:pStyle w:val="Signature"/><w:ind w:right="%d" w:rightChars="%d"/></w:pPr>`,
		int(chars*bodyHalfPoints*10+0.5), int(chars*100+0.5))
	writeRuns(&b, text, "")
	b.WriteString(`</w:p>`)
	return block(b.String())
}

// paragraph returns a paragraph of a style, aligned by jc when not empty.
func paragraph(style, jc, text string) block {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	if jc != "" {
		b.WriteString(`<w:jc w:val="` + jc + `"/>`)
	}
	b.WriteString(`</w:pPr>`)
	writeRuns(&b, text, "")
	b.WriteString(`</w:p>`)
	return block(b.String())
}

// writeRuns writes text as runs: a line feed becomes a line break and a tab
// a tab; characters XML cannot carry are dropped.
func writeRuns(b *strings.Builder, text, rPr string) {
	if text == "" {
		return
	}
	b.WriteString(`<w:r>` + rPr)
	start := 0
	flush := func(end int) {
		if end > start {
			b.WriteString(`<w:t xml:space="preserve">`)
			escape(b, text[start:end])
			b.WriteString(`</w:t>`)
		}
	}
	for i, r := range text {
		switch r {
		case '\n':
			flush(i)
			b.WriteString(`<w:br/>`)
			start = i + 1
		case '\t':
			flush(i)
			b.WriteString(`<w:tab/>`)
			start = i + 1
		case '\r':
			flush(i)
			start = i + 1
		}
	}
	flush(len(text))
	b.WriteString(`</w:r>`)
}

// chineseNumber writes 1 to 99 in Chinese numerals (一, 十, 十一, 二十一);
// larger numbers in digits, which no real document reaches.
func chineseNumber(n int) string {
	digits := []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	}
	s := "十"
	if n >= 20 {
		s = digits[n/10] + s
	}
	if n%10 != 0 {
		s += digits[n%10]
	}
	return s
}

// numeric reports whether a cell reads as a number (digits with separators,
// a sign, a decimal point or a percent sign), to align it right.
func numeric(s string) bool {
	s = strings.TrimSpace(s)
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(",.-+%", r):
		default:
			return false
		}
	}
	return digits > 0
}

// columnWidths returns the columns' widths in twips, filling the type area.
func columnWidths(cols int, mm []float64) []int {
	out := make([]int, cols)
	total := 0.0
	ok := len(mm) == cols
	for _, w := range mm {
		if w <= 0 {
			ok = false
		}
		total += w
	}
	if !ok {
		mm, total = make([]float64, cols), float64(cols)
		for i := range mm {
			mm[i] = 1
		}
	}
	scale := 1.0
	if !ok || total*twipsPerMM > float64(textWidthTwips) {
		scale = float64(textWidthTwips) / (total * twipsPerMM)
	}
	for i, w := range mm {
		out[i] = int(w * twipsPerMM * scale)
	}
	return out
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
