package sheet

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/config"
)

// Template returns an .xlsx to fill in for a kind (KindEnterprises, …): the
// header row, required columns marked * in red, code columns formatted as
// text and drop-downs for columns with fixed values; a sheet 说明 with each
// column's rules and an example; and, where regions are entered, a sheet
// 区划代码 of the profile's regions. The example stays on 说明 so that a
// forgotten example row can never be imported as a real enterprise.
func Template(kind string, p *config.Profile) ([]byte, error) {
	s, ok := schemas[kind]
	if !ok {
		return nil, fmt.Errorf("sheet: template: unknown kind %q", kind)
	}
	b := &book{f: excelize.NewFile()}
	defer b.f.Close()
	b.data(s)
	b.help(s, p, example(kind, p))
	switch kind {
	case KindEnterprises:
		b.regions(p, true)
	case KindPeople:
		b.regions(p, false)
	}
	if b.err != nil {
		return nil, fmt.Errorf("sheet: template %s: %w", kind, b.err)
	}
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("sheet: template %s: %w", kind, err)
	}
	return buf.Bytes(), nil
}

// book builds a workbook, keeping the first error of its many steps.
type book struct {
	f   *excelize.File
	err error
}

func (b *book) do(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *book) style(s *excelize.Style) int {
	id, err := b.f.NewStyle(s)
	b.do(err)
	return id
}

// row writes values across a row from column A.
func (b *book) row(sheet string, line int, values ...any) {
	b.do(b.f.SetSheetRow(sheet, fmt.Sprintf("A%d", line), &values))
}

var boldFont = &excelize.Font{Bold: true}

// data lays out the sheet to fill in.
func (b *book) data(s *schema) {
	b.do(b.f.SetSheetName(b.f.GetSheetName(0), s.title))
	bold := b.style(&excelize.Style{Font: boldFont})
	required := b.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	text := b.style(&excelize.Style{NumFmt: textFormat})
	for i, c := range s.cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		b.do(b.f.SetColWidth(s.title, col, col, c.Width))
		if c.Text {
			b.do(b.f.SetColStyle(s.title, col, text))
		}
		header, st := c.Header, bold
		if c.Required {
			header, st = header+"*", required
		}
		b.do(b.f.SetCellValue(s.title, col+"1", header))
		b.do(b.f.SetCellStyle(s.title, col+"1", col+"1", st))
		if c.Choices != nil {
			b.dropDown(s.title, col, c.Choices)
		}
	}
	b.do(b.f.SetPanes(s.title, frozenHeader))
}

// dropDown offers the choices in a column. Other input stays allowed, as
// imports also take codes.
func (b *book) dropDown(sheet, col string, choices []string) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows)
	b.do(dv.SetDropList(choices))
	b.do(b.f.AddDataValidation(sheet, dv))
}

// help writes the sheet 说明: one line per column, then the rules of an import.
func (b *book) help(s *schema, p *config.Profile, ex map[string]string) {
	const sheet = "说明"
	_, err := b.f.NewSheet(sheet)
	b.do(err)
	for col, w := range map[string]float64{"A": 24, "B": 10, "C": 80, "D": 30} {
		b.do(b.f.SetColWidth(sheet, col, col, w))
	}
	b.row(sheet, 1, "列名", "是否必填", "填写说明", "示例")
	b.do(b.f.SetRowStyle(sheet, 1, 1, b.style(&excelize.Style{Font: boldFont})))
	for i, c := range s.cols {
		b.row(sheet, i+2, c.Header, yesNo.label(yesNoCode(c.Required)), hint(c, p), ex[c.Key])
	}
	wrap := b.style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.do(b.f.SetColStyle(sheet, "C", wrap))
	line := len(s.cols) + 3
	for _, note := range notes {
		b.row(sheet, line, note)
		line++
	}
}

// notes are the rules of every import, told below the columns.
var notes = []string{
	"填写规则：",
	"1. 第一行为表头，请勿修改或删除；带 * 的列必须填写，不需要的非必填列可以删除。",
	"2. 每行一条记录，整行空白的行会被忽略。",
	"3. 代码列（统一社会信用代码、区划代码等）已设为文本格式，请勿改为数字格式，否则 Excel 会丢失数字。",
	"4. 可上传 .xlsx 文件，或 UTF-8、GBK 编码的 .csv 文件；只读取第一个工作表。",
	"5. 任一行有误则整个文件都不导入，请按提示的行号和列名修改后重新上传。",
}

// hint returns a column's rules, with the profile's industries listed.
func hint(c Column, p *config.Profile) string {
	if c.Key != "industry" {
		return c.Hint
	}
	list := make([]string, len(p.Industries))
	for i, ind := range p.Industries {
		list[i] = fmt.Sprintf("%s（%s）", ind.Name, ind.Code)
	}
	return c.Hint + "：" + strings.Join(list, "、")
}

// regions writes the sheet 区划代码: the county-level units or all regions.
func (b *book) regions(p *config.Profile, countiesOnly bool) {
	const sheet = "区划代码"
	_, err := b.f.NewSheet(sheet)
	b.do(err)
	b.do(b.f.SetColWidth(sheet, "A", "C", 14))
	b.do(b.f.SetColStyle(sheet, "A", b.style(&excelize.Style{NumFmt: textFormat})))
	b.row(sheet, 1, "区划代码", "名称", "所属市")
	b.do(b.f.SetRowStyle(sheet, 1, 1, b.style(&excelize.Style{Font: boldFont})))
	line := 2
	for i := range p.Regions {
		r := &p.Regions[i]
		if countiesOnly && !isCounty(r) {
			continue
		}
		city := ""
		if c, ok := p.Region(r.Parent); ok && isCounty(r) {
			city = c.Name
		}
		b.row(sheet, line, r.Code, r.Name, city)
		line++
	}
}

// example returns one example row of a kind, valid under the profile, by
// column key.
func example(kind string, p *config.Profile) map[string]string {
	county, city := firstCounty(p)
	credit := exampleCreditCode(county.Code)
	switch kind {
	case KindEnterprises:
		lat, lon := "", ""
		if city.Lat != 0 {
			lat, lon = fmt.Sprintf("%.6f", city.Lat), fmt.Sprintf("%.6f", city.Lon)
		}
		ind := p.Industries[0]
		return map[string]string{"credit_code": credit, "name": "示例" + ind.Name + "有限公司", "county": county.Code,
			"industry": ind.Code, "address": county.Name + "经济开发区工业路 1 号", "lat": lat, "lon": lon,
			"datum": "WGS-84", "key": "是", "output_controlled": "否", "status": "运行"}
	case KindProjects:
		return map[string]string{"code": fmt.Sprintf("2025-%s-30-03-000001", county.Code),
			"name": "示例年产 100 万吨水泥熟料生产线项目", "credit_code": credit, "list_stage": "在建", "listed": "是",
			"status": "在建", "designed_energy_tce": "120000", "designed_coal_t": "150000"}
	case KindPeople:
		return map[string]string{"name": "张三", "kind": "公职人员", "department": "发展改革", "region": county.Code,
			"home_region": city.Code, "phone": "13912345678", "cert_number": "37000000000001", "cert_valid_until": "2027-12-31"}
	case KindMeters:
		return map[string]string{"credit_code": credit, "kind": "电", "serial": "DB-2024-0001",
			"calibration_due": "2026-12-31", "accuracy_class": "0.5S", "online": "是"}
	}
	return nil
}

// firstCounty returns the profile's first county-level unit and its city.
func firstCounty(p *config.Profile) (county, city config.Region) {
	for _, r := range p.Regions {
		if isCounty(&r) {
			c, _ := p.Region(r.Parent)
			return r, *c
		}
	}
	return config.Region{}, config.Region{}
}

// exampleCreditCode makes a valid credit code of an enterprise (91) in a
// county, or "" without one.
func exampleCreditCode(county string) string {
	body := "91" + county + "MA0000001"
	c, ok := lianggao.CreditCodeCheck(body)
	if !ok {
		return ""
	}
	return body + string(c)
}
