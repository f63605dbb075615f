package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// The page of GB/T 9704-2012 in twips (1/20 pt).
const (
	twipsPerMM = 1440 / 25.4

	pageWidth      = 11906 // 210 mm
	pageHeight     = 16838 // 297 mm
	marginTop      = 2098  // 37 mm
	marginBottom   = 1984  // 35 mm
	marginLeft     = 1587  // 28 mm
	marginRight    = 1474  // 26 mm
	textWidthTwips = pageWidth - marginLeft - marginRight

	// linePitch is 22 lines in the 225 mm type area: 28.95 pt, kept exact
	// so that every page holds 22 lines whatever the fonts' own leading.
	linePitch = 579
	// charsPerLine is the grid's characters to a line.
	charsPerLine = 28

	bodyHalfPoints   = 32 // 3号, 16 pt
	titleHalfPoints  = 44 // 2号, 22 pt
	footerHalfPoints = 28 // 4号, 14 pt
	tableHalfPoints  = 24 // 小四, 12 pt: tables hold more than a body line

	headerDistance = 851 // 15 mm, Word's default; the document has no header
)

// charSpace is the document grid's character pitch, stored as its
// difference from the body size in 1/4096 pt: 28 characters fill the type
// area's width exactly.
var charSpace = int(math.Round((float64(textWidthTwips)/20/charsPerLine - bodyHalfPoints/2) * 4096))

// footerDistance puts the page number's dash line 7 mm below the type area:
// Word measures from the page's bottom edge to the footer's last line.
var footerDistance = marginBottom - int(math.Round(7*twipsPerMM)) - footerHalfPoints*10

// The fonts and the fallback each names, for machines without it.
const (
	fontBody    = "仿宋_GB2312"
	fontTitle   = "方正小标宋简体"
	fontHeading = "黑体"
	fontKai     = "楷体_GB2312"
	fontSong    = "宋体"
)

var fonts = []struct{ name, alt, family, pitch string }{
	{fontBody, "仿宋", "modern", "fixed"},
	{"仿宋", "FangSong", "modern", "fixed"},
	{fontTitle, fontSong, "script", "default"},
	{fontSong, "SimSun", "auto", "variable"},
	{fontHeading, "SimHei", "modern", "fixed"},
	{fontKai, "楷体", "modern", "fixed"},
	{"楷体", "KaiTi", "modern", "fixed"},
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRels    = "http://schemas.openxmlformats.org/package/2006/relationships"
	relBase   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	ctBase    = "application/vnd.openxmlformats-officedocument.wordprocessingml."
)

// zipTime is every part's time: the same input gives the same bytes.
var zipTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type part struct{ name, body string }

// parts returns the package's parts in the order they are written, the
// content types first as readers expect.
func (d *Document) parts() []part {
	return []part{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", appProps},
		{"word/document.xml", d.document()},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles()},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable()},
		{"word/footer1.xml", footer("right", "right")},
		{"word/footer2.xml", footer("left", "left")},
	}
}

func writeZip(w io.Writer, parts []part) error {
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="` + ctBase + `document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="` + ctBase + `styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="` + ctBase + `settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="` + ctBase + `fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="` + ctBase + `footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="` + ctBase + `footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRels = xmlHeader + `<Relationships xmlns="` + nsRels + `">` +
	`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relBase + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRels = xmlHeader + `<Relationships xmlns="` + nsRels + `">` +
	`<Relationship Id="rIdStyles" Type="` + relBase + `styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="` + relBase + `settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFonts" Type="` + relBase + `fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdFooterOdd" Type="` + relBase + `footer" Target="footer1.xml"/>` +
	`<Relationship Id="rIdFooterEven" Type="` + relBase + `footer" Target="footer2.xml"/>` +
	`</Relationships>`

const appProps = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>lianggao</Application></Properties>`

// settings turn on separate odd and even footers, for outer page numbers,
// and compress punctuation as Chinese typesetting does.
const settings = xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

func (d *Document) core() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>`)
	escape(&b, d.meta.Title)
	b.WriteString(`</dc:title><dc:creator>`)
	escape(&b, d.meta.Author)
	b.WriteString(`</dc:creator>`)
	if !d.meta.Date.IsZero() {
		fmt.Fprintf(&b, `<dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created>`,
			time.Date(d.meta.Date.Year(), d.meta.Date.Month(), d.meta.Date.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339))
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

func sectionProperties() string {
	return fmt.Sprintf(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>`+
		`<w:footerReference w:type="even" r:id="rIdFooterEven"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/>`+
		`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`+
		`<w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="%d" w:charSpace="%d"/></w:sectPr>`,
		pageWidth, pageHeight, marginTop, marginRight, marginBottom, marginLeft, headerDistance, footerDistance,
		linePitch, charSpace)
}

// footer returns a footer with the page number "— n —" aligned to side,
// one character in from it.
func footer(jc, side string) string {
	run := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	return xmlHeader + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/>` +
		fmt.Sprintf(`<w:ind w:%s="%d" w:%sChars="100"/><w:jc w:val="%s"/></w:pPr>`, side, footerHalfPoints*10, side, jc) +
		run("— ") +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` + run("1") + `<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		run(" —") + `</w:p></w:ftr>`
}

func fontTable() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:fonts xmlns:w="` + nsW + `">`)
	for _, f := range fonts {
		fmt.Fprintf(&b, `<w:font w:name="%s"><w:altName w:val="%s"/><w:charset w:val="86"/><w:family w:val="%s"/><w:pitch w:val="%s"/></w:font>`,
			f.name, f.alt, f.family, f.pitch)
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}

// rFonts names one font for every script.
func rFonts(name string) string {
	return fmt.Sprintf(`<w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/>`, name)
}

func size(halfPoints int) string {
	return fmt.Sprintf(`<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/>`, halfPoints)
}

// indentChars indents the first line by n characters of the body size.
func indentChars(n int) string {
	return fmt.Sprintf(`<w:ind w:firstLine="%d" w:firstLineChars="%d"/>`, n*bodyHalfPoints*10, n*100)
}

// single is single line spacing off the grid, for tables and footers.
const single = `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`

func styles() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:styles xmlns:w="` + nsW + `"><w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(fontBody) +
		size(bodyHalfPoints) + `<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
		fmt.Sprintf(`<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/></w:pPr></w:pPrDefault>`, linePitch) +
		`</w:docDefaults>`)
	style := func(id, name, based, pPr, rPr string) {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="%s"`, id)
		if id == "Normal" {
			b.WriteString(` w:default="1"`)
		}
		fmt.Fprintf(&b, `><w:name w:val="%s"/>`, name)
		if based != "" {
			fmt.Fprintf(&b, `<w:basedOn w:val="%s"/>`, based)
		}
		b.WriteString(`<w:qFormat/><w:pPr>` + pPr + `</w:pPr><w:rPr>` + rPr + `</w:rPr></w:style>`)
	}
	style("Normal", "Normal", "", `<w:jc w:val="both"/>`, "")
	style("Masthead", "发文机关标志", "Normal", `<w:jc w:val="center"/>`, rFonts(fontTitle)+`<w:color w:val="FF0000"/>`+size(52))
	// The issuing number sits 4 mm above the red separator line (about 11 pt).
	style("IssueNumber", "发文字号", "Normal",
		`<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/></w:pBdr><w:jc w:val="center"/>`, "")
	style("DocTitle", "公文标题", "Normal", `<w:jc w:val="center"/>`, rFonts(fontTitle)+size(titleHalfPoints))
	style("Recipient", "主送机关", "Normal", `<w:jc w:val="left"/>`, "")
	style("Body", "正文", "Normal", indentChars(2), "")
	style("Heading1", "heading 1", "Body", `<w:keepNext/><w:outlineLvl w:val="0"/>`, rFonts(fontHeading))
	style("Heading2", "heading 2", "Body", `<w:keepNext/><w:outlineLvl w:val="1"/>`, rFonts(fontKai))
	style("Heading3", "heading 3", "Body", `<w:keepNext/><w:outlineLvl w:val="2"/>`, "")
	style("Heading4", "heading 4", "Body", `<w:keepNext/><w:outlineLvl w:val="3"/>`, "")
	style("Signature", "署名", "Normal", `<w:jc w:val="right"/>`, "")
	style("AnnexNote", "附件说明", "Body", "", "")
	style("AnnexNoteNext", "附件说明续", "Normal",
		fmt.Sprintf(`<w:ind w:left="%d" w:leftChars="500"/>`, 5*bodyHalfPoints*10), "")
	style("AnnexLabel", "附件标识", "Normal", `<w:pageBreakBefore/><w:jc w:val="left"/>`, rFonts(fontHeading))
	style("TableText", "表格文字", "Normal", single+`<w:jc w:val="left"/>`, size(tableHalfPoints))
	style("TableHeader", "表头", "TableText", `<w:jc w:val="center"/>`, `<w:b/><w:bCs/>`)
	style("TableGap", "表后空行", "Normal", single, size(tableHalfPoints))
	style("Footer", "footer", "Normal", single, rFonts(fontSong)+size(footerHalfPoints))
	b.WriteString(`<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.String()
}

// escape writes s as XML character data. Control characters other than
// tab, line feed and carriage return are dropped (C1 ones too: XML allows
// them, but some readers refuse them), as are U+FFFE and U+FFFF, which XML
// 1.0 cannot carry; invalid UTF-8 arrives here as U+FFFD and stays so.
func escape(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case xmlChar(r) && (r < 0x7F || r > 0x9F):
			b.WriteRune(r)
		}
	}
}

// xmlChar reports whether XML 1.0 allows r (its production Char).
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
