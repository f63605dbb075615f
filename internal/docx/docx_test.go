package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requiredParts are what Word and WPS need to open the file as laid out.
var requiredParts = []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
	"word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml", "docProps/core.xml"}

func sample() *Document {
	d := New(Meta{Number: "鲁发改〔2026〕12号", Title: "钢铁行业2026年10月核查分析", Recipient: "各市发展改革委",
		Issuer: "山东省发展和改革委员会", Date: time.Date(2026, 12, 8, 15, 4, 5, 0, time.UTC), Author: "省发展改革委"})
	d.Heading(1, "总体情况")
	d.Para("全省重点钢铁企业10月粗钢产量合计1,234,567吨。")
	d.Heading(2, "能效水平")
	d.Table([]string{"企业", "产量（吨）"}, [][]string{{"甲钢铁有限公司", "1,234"}, {"乙钢铁"}}, []float64{100, 56})
	d.Annex("企业明细")
	d.Para("附件正文。")
	return d
}

// node is any element, for reading the parts back.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns every element named local below n, in document order.
func (n *node) all(local string) []*node {
	var out []*node
	for i := range n.Nodes {
		c := &n.Nodes[i]
		if c.XMLName.Local == local {
			out = append(out, c)
		}
		out = append(out, c.all(local)...)
	}
	return out
}

func (n *node) first(t *testing.T, local string) *node {
	t.Helper()
	all := n.all(local)
	if len(all) == 0 {
		t.Fatalf("no <%s> in <%s>", local, n.XMLName.Local)
	}
	return all[0]
}

// text is the document's text: every w:t, paragraphs ending in a line feed.
func (n *node) text() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		for i := range n.Nodes {
			c := &n.Nodes[i]
			switch c.XMLName.Local {
			case "t":
				b.WriteString(c.Text)
			case "br":
				b.WriteString("\n")
			case "tab":
				b.WriteString("\t")
			default:
				walk(c)
			}
			if c.XMLName.Local == "p" {
				b.WriteString("\n")
			}
		}
	}
	walk(n)
	return b.String()
}

// open writes d and reads every part back, failing on any that is not
// well-formed XML.
func open(t testing.TB, d *Document) map[string]*node {
	t.Helper()
	var buf bytes.Buffer
	n, err := d.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("write: %d of %d bytes, %v", n, buf.Len(), err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]*node{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := wellFormed(b); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		root := &node{}
		if err := xml.Unmarshal(b, root); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = root
	}
	return parts
}

// wellFormed reads every token strictly.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Ensure the package holds every part a word processor needs, each
// well-formed, and the relationships point at parts that exist.
func TestParts(t *testing.T) {
	parts := open(t, sample())
	for _, name := range requiredParts {
		if parts[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	for _, rels := range []struct{ file, dir string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word/"}} {
		for _, r := range parts[rels.file].all("Relationship") {
			if parts[rels.dir+r.attr("Target")] == nil {
				t.Errorf("%s: %s points at a missing part", rels.file, r.attr("Target"))
			}
		}
	}
	types := map[string]bool{}
	for _, o := range parts["[Content_Types].xml"].all("Override") {
		types[strings.TrimPrefix(o.attr("PartName"), "/")] = true
	}
	for name := range parts {
		if !types[name] && !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" {
			t.Errorf("%s has no content type", name)
		}
	}
}

func mm(t *testing.T, twips string) float64 {
	t.Helper()
	v, err := strconv.Atoi(twips)
	if err != nil {
		t.Fatalf("twips %q", twips)
	}
	return float64(v) / twipsPerMM
}

func near(a, b, tolerance float64) bool { return math.Abs(a-b) <= tolerance }

// Ensure the page, margins, grid, fonts and sizes are those of GB/T
// 9704-2012: A4, margins 37/35/28/26 mm, 22 lines of 28 characters, body
// 3号 仿宋_GB2312, title 2号 方正小标宋简体, page numbers 4号 宋体 on the outer side.
func TestLayout(t *testing.T) {
	parts := open(t, sample())
	doc := parts["word/document.xml"]
	pg := doc.first(t, "pgSz")
	if w, h := mm(t, pg.attr("w")), mm(t, pg.attr("h")); !near(w, 210, 0.1) || !near(h, 297, 0.1) {
		t.Errorf("page %.1f × %.1f mm, want A4", w, h)
	}
	mar := doc.first(t, "pgMar")
	for side, want := range map[string]float64{"top": 37, "bottom": 35, "left": 28, "right": 26} {
		if got := mm(t, mar.attr(side)); !near(got, want, 0.05) {
			t.Errorf("margin %s %.2f mm, want %v", side, got, want)
		}
	}
	// The type area holds 22 lines at the exact line pitch.
	grid := doc.first(t, "docGrid")
	pitch, _ := strconv.Atoi(grid.attr("linePitch"))
	if area := 297.0 - 37 - 35; pitch != linePitch || int(area*twipsPerMM)/pitch != 22 {
		t.Errorf("line pitch %d twips gives %d lines", pitch, int(area*twipsPerMM)/pitch)
	}
	if pitchPt := float64(pitch) / 20; !near(pitchPt, 28.95, 0.05) {
		t.Errorf("line pitch %.2f pt", pitchPt)
	}
	// 28 characters of 16 pt with the grid's spacing fill the 156 mm width.
	cs, _ := strconv.Atoi(grid.attr("charSpace"))
	if width := 28 * (16 + float64(cs)/4096) / 72 * 25.4; grid.attr("type") != "linesAndChars" || !near(width, 156, 0.5) {
		t.Errorf("grid %s, 28 characters are %.1f mm", grid.attr("type"), width)
	}

	st := parts["word/styles.xml"]
	defaults := st.first(t, "docDefaults")
	if f := defaults.first(t, "rFonts"); f.attr("eastAsia") != "仿宋_GB2312" || f.attr("ascii") != "仿宋_GB2312" {
		t.Errorf("body font %v", f.Attrs)
	}
	if sz := defaults.first(t, "sz").attr("val"); sz != "32" {
		t.Errorf("body size %s half-points, want 32 (3号)", sz)
	}
	if sp := defaults.first(t, "spacing"); sp.attr("line") != "579" || sp.attr("lineRule") != "exact" {
		t.Errorf("line spacing %v", sp.Attrs)
	}
	styles := map[string]*node{}
	for _, s := range st.all("style") {
		styles[s.attr("styleId")] = s
	}
	checkStyle := func(id, font, size, jc string) {
		t.Helper()
		s := styles[id]
		if s == nil {
			t.Fatalf("no style %s", id)
		}
		if fs := s.all("rFonts"); font != "" && (len(fs) == 0 || fs[0].attr("eastAsia") != font) {
			t.Errorf("%s: font, want %s", id, font)
		}
		if ss := s.all("sz"); size != "" && (len(ss) == 0 || ss[0].attr("val") != size) {
			t.Errorf("%s: size, want %s", id, size)
		}
		if js := s.all("jc"); jc != "" && (len(js) == 0 || js[0].attr("val") != jc) {
			t.Errorf("%s: alignment, want %s", id, jc)
		}
	}
	checkStyle("DocTitle", "方正小标宋简体", "44", "center")
	checkStyle("Heading1", "黑体", "", "")
	checkStyle("Heading2", "楷体_GB2312", "", "")
	checkStyle("Recipient", "", "", "left")
	checkStyle("Signature", "", "", "right")
	checkStyle("Footer", "宋体", "28", "")
	if ind := styles["Body"].first(t, "ind"); ind.attr("firstLineChars") != "200" || ind.attr("firstLine") != "640" {
		t.Errorf("body indent %v, want two characters", ind.Attrs)
	}
	if b := styles["IssueNumber"].first(t, "bottom"); b.attr("color") != "FF0000" || b.attr("val") != "single" {
		t.Errorf("separator line %v, want red", b.Attrs)
	}
	alt := map[string]string{}
	for _, f := range parts["word/fontTable.xml"].all("font") {
		alt[f.attr("name")] = f.first(t, "altName").attr("val")
	}
	if alt["仿宋_GB2312"] != "仿宋" || alt["仿宋"] != "FangSong" || alt["方正小标宋简体"] != "宋体" || alt["宋体"] != "SimSun" {
		t.Errorf("font fallbacks %v", alt)
	}

	if len(parts["word/settings.xml"].all("evenAndOddHeaders")) != 1 {
		t.Error("odd and even footers not enabled")
	}
	refs := map[string]string{}
	for _, r := range doc.all("footerReference") {
		refs[r.attr("type")] = r.attr("id")
	}
	if refs["default"] != "rIdFooterOdd" || refs["even"] != "rIdFooterEven" {
		t.Errorf("footer references %v", refs)
	}
	for name, jc := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
		f := parts[name]
		if got := f.first(t, "jc").attr("val"); got != jc {
			t.Errorf("%s aligned %s, want %s", name, got, jc)
		}
		if !strings.Contains(f.first(t, "instrText").Text, "PAGE") || f.text() != "— 1 —\n" {
			t.Errorf("%s: %q", name, f.text())
		}
	}
	// 7 mm from the type area's bottom to the number's line, whose height
	// is one 14 pt line.
	if gap := 35 - mm(t, mar.attr("footer")) - 14.0/72*25.4; !near(gap, 7, 0.1) {
		t.Errorf("page number %.1f mm below the type area", gap)
	}
}

// Ensure the document reads in order: number, title, recipient with its
// colon, numbered headings, table, annex note, signature, then the annex.
func TestContent(t *testing.T) {
	doc := open(t, sample())["word/document.xml"]
	want := "鲁发改〔2026〕12号\n\n钢铁行业2026年10月核查分析\n\n各市发展改革委：\n一、总体情况\n全省重点钢铁企业10月粗钢产量合计1,234,567吨。\n" +
		"（一）能效水平\n企业\n产量（吨）\n甲钢铁有限公司\n1,234\n乙钢铁\n\n\n\n附件：企业明细\n\n山东省发展和改革委员会\n2026年12月8日\n" +
		"附件\n\n企业明细\n\n附件正文。\n"
	if got := doc.text(); got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	var widths []string
	for _, c := range doc.all("gridCol") {
		widths = append(widths, c.attr("w"))
	}
	if strings.Join(widths, ",") != "5669,3174" {
		t.Errorf("column widths %v twips, want 100 and 56 mm", widths)
	}
	if doc.first(t, "tblHeader") == nil || len(doc.all("tr")) != 3 {
		t.Error("header row")
	}
	if doc.first(t, "tblLayout").attr("type") != "fixed" {
		t.Error("table layout")
	}
}

// Ensure markup characters, quotes and emoji come back as they were, and
// control characters are dropped.
func TestTextSurvives(t *testing.T) {
	text := "a < b && c > \"d\" 'e' 😀 钢铁\x00\x01\x1b\u0085\uFFFE end"
	d := New(Meta{Title: text, Author: text})
	d.Para(text)
	d.Heading(3, text)
	d.Table([]string{text}, [][]string{{text}}, nil)
	parts := open(t, d)
	clean := "a < b && c > \"d\" 'e' 😀 钢铁 end"
	got := parts["word/document.xml"].text()
	if strings.Count(got, clean) != 5 || !strings.Contains(got, "1."+clean) {
		t.Errorf("document text %q", got)
	}
	core := parts["docProps/core.xml"]
	if core.first(t, "title").Text != clean || core.first(t, "creator").Text != clean {
		t.Errorf("core properties %q", core.first(t, "title").Text)
	}
	d = New(Meta{})
	d.Para("第一行\n第二行\t列\r\n第三行")
	if got := open(t, d)["word/document.xml"].text(); got != "第一行\n第二行\t列\n第三行\n" {
		t.Errorf("line breaks and tabs: %q", got)
	}
}

// Ensure two writes of the same document are the same bytes.
func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if _, err := sample().WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	d := sample()
	if _, err := d.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two writes differ")
	}
	var c bytes.Buffer
	if _, err := d.WriteTo(&c); err != nil || !bytes.Equal(b.Bytes(), c.Bytes()) {
		t.Fatal("writing the same document twice differs")
	}
}

// Ensure headings count by level, lower levels restart under a higher one,
// and an annex restarts the count.
func TestHeadingNumbers(t *testing.T) {
	d := New(Meta{})
	for _, l := range []int{1, 2, 2, 3, 4, 4, 3, 1, 2, 0, 9} {
		d.Heading(l, "")
	}
	for range 10 {
		d.Heading(1, "")
	}
	d.Annex("附表")
	d.Heading(1, "")
	got := open(t, d)["word/document.xml"].text()
	want := "一、\n（一）\n（二）\n1.\n（1）\n（2）\n2.\n二、\n（一）\n三、\n（1）\n" +
		"四、\n五、\n六、\n七、\n八、\n九、\n十、\n十一、\n十二、\n十三、\n\n附件：附表\n附件\n\n附表\n\n一、\n"
	if got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
	if chineseNumber(21) != "二十一" || chineseNumber(40) != "四十" || chineseNumber(100) != "100" {
		t.Error("chinese numbers")
	}
}

// Ensure the signature follows GB/T 9704 §7.3.5.3: the issuer two
// characters from the right and the date's first character two characters
// right of the issuer's; a longer date keeps two characters and pushes the
// issuer left.
func TestSignatureIndents(t *testing.T) {
	issuer, date := textWidth("山东省发展和改革委员会"), textWidth("2026年12月8日")
	if issuer != 11 || date != 6.5 {
		t.Fatalf("widths %v %v", issuer, date)
	}
	for _, c := range []struct{ issuer, date float64 }{{11, 6.5}, {3, 6.5}, {8.5, 6.5}} {
		ri, rd := signatureIndents(c.issuer, c.date)
		startIssuer, startDate := 28-ri-c.issuer, 28-rd-c.date
		if startDate-startIssuer != 2 || min(ri, rd) != 2 {
			t.Errorf("issuer %v, date %v: indents %v, %v", c.issuer, c.date, ri, rd)
		}
	}
}

// Ensure column widths fill or fit the type area.
func TestColumnWidths(t *testing.T) {
	for _, c := range []struct {
		cols int
		mm   []float64
	}{{3, nil}, {2, []float64{1, 2, 3}}, {2, []float64{200, 200}}, {2, []float64{-1, 20}}} {
		if total := sum(columnWidths(c.cols, c.mm)); total > textWidthTwips || total < textWidthTwips-c.cols {
			t.Errorf("%v: %d twips, want the type area's %d", c.mm, total, textWidthTwips)
		}
	}
	if w := columnWidths(2, []float64{20, 30}); sum(w) > textWidthTwips/2 {
		t.Errorf("narrow widths stretched: %v", w)
	}
}

// FuzzDocument checks that any text, anywhere, gives well-formed parts.
func FuzzDocument(f *testing.F) {
	f.Add("钢铁 < & \" 😀", "鲁发改〔2026〕12号", 1)
	f.Add("\x00\x1f\ufffe\xff\xfe", "]]>", 3)
	f.Add("", "\r\n\t", 0)
	f.Fuzz(func(t *testing.T, text, other string, level int) {
		d := New(Meta{Masthead: other, Number: other, Title: text, Recipient: text, Issuer: other, Author: text,
			Date: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)})
		d.Heading(level, text)
		d.Para(text)
		d.Table([]string{text, other}, [][]string{{other, text}, {text}}, []float64{float64(level), 10})
		d.Annex(other)
		d.Para(other)
		open(t, d)
	})
}
