package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store/storetest"
)

// Ensure the county officer sees the county's alert, triages it with a
// reason (and is told when the reason is missing), and the page shows it.
func TestAlertPages(t *testing.T) {
	a := newApp(t)
	d := lianggao.Date{Year: 2026, Month: 10, Day: 1}
	if _, err := a.store.SaveFindings(storetest.Admin(), []monitor.Finding{
		{CreditCode: a.ents[0].CreditCode, Rule: monitor.RuleLoneChange, Subject: "output:clinker", From: d, To: d.AddDays(6),
			Severity: monitor.Critical, Message: "alert.change.jump", Evidence: map[string]float64{"ratio": 1.45}},
		{CreditCode: a.ents[1].CreditCode, Rule: monitor.RuleReportsMissing, From: d, To: d.AddDays(4),
			Severity: monitor.Warning, Message: "alert.reports.missing", Evidence: map[string]float64{"days": 5}},
	}); err != nil {
		t.Fatal(err)
	}
	var figs []*lianggao.Figure
	for i := range 20 {
		figs = append(figs, &lianggao.Figure{EnterpriseID: a.ents[0].ID, Date: d.AddDays(i - 5), Indicator: "output:clinker", Value: float64(1000 + 40*i)})
	}
	if _, err := a.store.PutFigures(storetest.Admin(), "enterprise", figs); err != nil {
		t.Fatal(err)
	}
	county := a.client("county")
	code, body := a.get(county, "/alerts")
	if code != 200 || !strings.Contains(body, a.ents[0].Name) || strings.Contains(body, a.ents[1].Name) {
		t.Fatalf("county's alert list: %d", code)
	}
	id := regexp.MustCompile(`href="/alerts/(\d+)"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no alert link")
	}
	res, _ := county.PostForm(a.url+"/alerts/"+id[1]+"/move", url.Values{"to": {"triaged"}, "verdict": {"suspected_misreporting"}})
	if b := readBody(res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "理由") {
		t.Fatalf("triage without a reason: %d", res.StatusCode)
	}
	res, _ = county.PostForm(a.url+"/alerts/"+id[1]+"/move", url.Values{"to": {"triaged"}, "verdict": {"suspected_misreporting"},
		"reason": {"产量骤增而用电、耗煤持平"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d", res.StatusCode)
	}
	if code, body = a.get(county, "/alerts/"+id[1]); code != 200 || !strings.Contains(body, "疑似虚报瞒报") || !strings.Contains(body, "1.45") ||
		!strings.Contains(body, `id="figure-chart"`) || !strings.Contains(body, `"mark"`) || !strings.Contains(body, "骤升至1.45倍") {
		t.Fatalf("alert page after triage: %d", code)
	}
	if code, body = a.get(county, "/alerts/export?format=csv"); code != 200 || !strings.Contains(body, a.ents[0].CreditCode) ||
		strings.Contains(body, a.ents[1].CreditCode) || !strings.Contains(body, "已研判") {
		t.Fatalf("alert export: %d\n%s", code, body)
	}
}
