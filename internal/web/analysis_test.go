package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store/storetest"
)

// month puts a value of an indicator on each of n days of a month from the
// 1st, growing by step a day, and returns their sum.
func month(figs *[]*lianggao.Figure, e *lianggao.Enterprise, y, m, n int, ind string, v, step float64) float64 {
	sum := 0.0
	for i := range n {
		x := v + step*float64(i)
		*figs = append(*figs, &lianggao.Figure{EnterpriseID: e.ID, Date: lianggao.Date{Year: y, Month: time.Month(m), Day: i + 1},
			Indicator: ind, Value: x})
		sum += x
	}
	return sum
}

// thousands writes a number as the pages do: separators, fixed decimals.
func thousands(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// Ensure the monthly analysis shows the industry's totals and changes, each
// enterprise's unit energy use at its level and the open alerts, computed
// from the figures; keeps a city officer to the city; refuses a bad month
// or a non-key industry naming the field; and exports a workbook and a
// document that hold the same numbers.
func TestMonthlyAnalysis(t *testing.T) {
	a := newApp(t)
	admin := storetest.Admin()
	between, above := a.ents[1], a.ents[0] // Jinan: key, and not key but reporting
	qingdao := storetest.Enterprise("370202", 7)
	qingdao.Key = true
	if err := a.store.CreateEnterprise(admin, qingdao); err != nil {
		t.Fatal(err)
	}
	var figs []*lianggao.Figure
	outB := month(&figs, between, 2026, 10, 31, "output:clinker", 5000, 10)
	energyB := month(&figs, between, 2026, 10, 31, "energy_tce", 550, 1.1) // 110 kgce/t: between 100 and 117
	prevB := month(&figs, between, 2026, 9, 30, "output:clinker", 4000, 0)
	prevEnergyB := month(&figs, between, 2026, 9, 30, "energy_tce", 440, 0)
	yearB := month(&figs, between, 2025, 10, 31, "output:clinker", 5500, 0)
	outA := month(&figs, above, 2026, 10, 10, "output:clinker", 2000, 0)
	energyA := month(&figs, above, 2026, 10, 10, "energy_tce", 260, 0) // 130 kgce/t: above the baseline
	prevA := month(&figs, above, 2026, 9, 10, "output:clinker", 1000, 0)
	outQ := month(&figs, qingdao, 2026, 10, 1, "output:clinker", 999, 0)
	month(&figs, qingdao, 2026, 10, 1, "energy_tce", 95, 0)    // 95.1 kgce/t: at the benchmark
	month(&figs, qingdao, 2026, 9, 1, "output:clinker", 10, 0) // too small a base to compare with
	if _, err := a.store.PutFigures(admin, "enterprise", figs); err != nil {
		t.Fatal(err)
	}
	d := lianggao.Date{Year: 2026, Month: 10, Day: 3}
	if _, err := a.store.SaveFindings(admin, []monitor.Finding{{CreditCode: above.CreditCode, Rule: monitor.RuleLoneChange,
		Subject: "output:clinker", From: d, To: d.AddDays(2), Severity: monitor.Warning, Message: "alert.change.jump"}}); err != nil {
		t.Fatal(err)
	}
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	if err := a.store.CreateUser(sys, &lianggao.User{Username: "city", Name: "济南市专班", Roles: []lianggao.Role{lianggao.RoleTaskForce},
		Region: "370100"}, password); err != nil {
		t.Fatal(err)
	}

	c := a.client("admin")
	code, body := a.get(c, "/analysis?month=2026-10&industry=cement")
	if code != 200 {
		t.Fatalf("analysis: %d\n%s", code, body)
	}
	body = html.UnescapeString(body)
	unitB, unitA := energyB*1000/outB, energyA*1000/outA
	momB, yoyB, momA := (outB-prevB)/prevB*100, (outB-yearB)/yearB*100, (outA-prevA)/prevA*100
	for _, want := range []string{
		thousands(outB+outA+outQ, 0), // the industry's output
		"+" + thousands((outB+outA+outQ-prevB-prevA)/(prevB+prevA)*100, 1) + "%", // month on month
		thousands(unitB, 1), thousands(unitA, 1),
		`<span class="tag amber">介于标杆与基准之间</span>`, `<span class="tag red">高于基准水平</span>`, `<span class="tag green">达到标杆水平</span>`,
		"+" + thousands(momB, 1) + "%", thousands(yoyB, 1) + "%", "+" + thousands(momA, 1) + "%",
		"+" + thousands((energyB-prevEnergyB)/prevEnergyB*100, 1) + "%", // energy use beside output
		`href="/alerts/`, "未处置（新预警、已研判）预警 1 条",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the analysis lacks %q", want)
		}
	}
	// The industry's unit use is over every judged enterprise together.
	if industry := (energyB + energyA + 95) * 1000 / (outB + outA + outQ); !strings.Contains(body, `<span class="tile-value">`+thousands(industry, 1)) {
		t.Errorf("industry unit use %.1f not shown", industry)
	}
	mom := body[strings.Index(body, `id="analysis-mom"`):]
	mom = mom[:strings.Index(mom, "</table>")]
	if strings.Index(mom, above.Name) > strings.Index(mom, between.Name) || strings.Contains(mom, qingdao.Name) {
		t.Error("changes not ordered by size, or a tiny base compared")
	}

	code, body = a.get(a.client("city"), "/analysis?month=2026-10&industry=cement")
	if code != 200 || !strings.Contains(body, above.Name) || strings.Contains(body, qingdao.Name) {
		t.Fatalf("Jinan's officer: %d", code)
	}
	if !strings.Contains(body, thousands(outB+outA, 0)) {
		t.Error("the city's total counts another city")
	}

	for path, want := range map[string]string{
		"/analysis?month=2026-13&industry=cement": "月份：“2026-13”不是有效月份",
		"/analysis?month=October&industry=cement": "月份：",
		"/analysis?month=2026-10&industry=lime":   "行业：“lime”不是重点行业",
		"/analysis?month=2026-10&industry=nope":   "行业：“nope”",
		"/analysis/export.xlsx?month=2026-1x":     "月份：",
	} {
		if code, body := a.get(c, path); code != 400 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want 400 with %q", path, code, want)
		}
	}

	code, body = a.get(c, "/analysis/export.xlsx?month=2026-10&industry=cement")
	if code != 200 {
		t.Fatalf("xlsx: %d", code)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "汇总,企业,变化" {
		t.Errorf("sheets %s", got)
	}
	rows, _ := f.GetRows("企业")
	found := false
	for _, r := range rows {
		if len(r) > 6 && r[0] == between.Name {
			found = true
			out, _ := strconv.ParseFloat(r[2], 64)
			if unit, _ := strconv.ParseFloat(r[6], 64); out != outB || unit != math.Round(unitB*10)/10 {
				t.Errorf("enterprise row %v", r)
			}
		}
	}
	if !found || len(rows) != 4 {
		t.Errorf("enterprise sheet: %d rows", len(rows))
	}
	if rows, _ := f.GetRows("变化"); len(rows) < 4 || !strings.Contains(fmt.Sprint(rows), above.Name) {
		t.Errorf("changes sheet %v", rows)
	}
	summary, _ := f.GetRows("汇总")
	if !strings.Contains(fmt.Sprint(summary), "水泥行业2026年10月核查分析") {
		t.Errorf("summary %v", summary)
	}

	code, body = a.get(c, "/analysis/export.docx?month=2026-10&industry=cement")
	if code != 200 {
		t.Fatalf("docx: %d", code)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(b)
		}
	}
	for _, want := range []string{"水泥行业2026年10月核查分析", between.Name, thousands(unitA, 1), "一、", "附件"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	if code, _ := a.get(a.client("county"), "/analysis/export.docx?month=2026-10&industry=cement"); code != 200 {
		t.Errorf("county officer's export: %d", code)
	}
}
