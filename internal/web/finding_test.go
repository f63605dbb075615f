package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store/storetest"
)

// escalateAlert raises an alert for the enterprise and escalates it to the
// problem list; it returns the alert's id and the finding it became.
func escalateAlert(t *testing.T, a *app, e *lianggao.Enterprise, rule string) (int64, *lianggao.Finding) {
	t.Helper()
	ctx := storetest.Admin()
	d := lianggao.Date{Year: 2026, Month: 10, Day: 1}
	if _, err := a.store.SaveFindings(ctx, []monitor.Finding{{CreditCode: e.CreditCode, Rule: rule, From: d, To: d.AddDays(9),
		Severity: monitor.Critical, Message: "alert.reports.missing", Evidence: map[string]float64{"days": 10}}}); err != nil {
		t.Fatal(err)
	}
	als, _, err := a.store.FindAlerts(ctx, lianggao.AlertFilter{EnterpriseID: e.ID, Rule: rule})
	if err != nil || len(als) != 1 {
		t.Fatalf("alert: %v", err)
	}
	if _, err := a.store.MoveAlert(ctx, als[0].ID, lianggao.AlertEscalated, "finding", "连续10天未报送"); err != nil {
		t.Fatal(err)
	}
	f, err := a.store.FindFindingBySource(ctx, "alert", als[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return als[0].ID, f
}

// sheetRows downloads a spreadsheet and returns its first sheet's rows.
func (a *app) sheetRows(c *http.Client, path string) [][]string {
	a.t.Helper()
	res, err := c.Get(a.url + path)
	if err != nil || res.StatusCode != http.StatusOK {
		a.t.Fatalf("download %s: %v %v", path, err, res)
	}
	defer res.Body.Close()
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		a.t.Fatalf("%s is not a spreadsheet: %v", path, err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		a.t.Fatal(err)
	}
	return rows
}

func (a *app) submitForm(c *http.Client, path string, form url.Values) (int, string) {
	a.t.Helper()
	res, err := c.PostForm(a.url+path, form)
	if err != nil {
		a.t.Fatal(err)
	}
	return res.StatusCode, readBody(res)
}

// Ensure the problem list is scoped and filtered, a finding links to its
// alert and back, a refused disposition names its field and writes
// nothing, and a finding is closed by a verified rectification, with the
// decision of a referral recorded once.
func TestFindingPages(t *testing.T) {
	a := newApp(t)
	alertID, f := escalateAlert(t, a, a.ents[0], monitor.RuleReportsMissing)
	escalateAlert(t, a, a.ents[1], monitor.RuleMeterSilent)
	admin, county := a.client("admin"), a.client("county")

	if code, body := a.get(admin, "/findings"); code != 200 || !strings.Contains(body, a.ents[0].Name) || !strings.Contains(body, a.ents[1].Name) ||
		!strings.Contains(body, "虚报瞒报") || !strings.Contains(body, `id="nav-findings"`) {
		t.Fatalf("admin's problem list: %d", code)
	}
	if _, body := a.get(admin, "/findings?category=metering"); strings.Contains(body, a.ents[0].Name) || !strings.Contains(body, a.ents[1].Name) {
		t.Error("category filter not applied")
	}
	if code, body := a.get(county, "/findings"); code != 200 || !strings.Contains(body, a.ents[0].Name) || strings.Contains(body, a.ents[1].Name) {
		t.Fatalf("county officer's problem list: %d", code)
	}
	fid := itoa(f.ID)
	code, body := a.get(admin, "/findings/"+fid)
	if code != 200 || !strings.Contains(body, `href="/alerts/`+itoa(alertID)+`"`) || !strings.Contains(body, `id="form-rectification"`) {
		t.Fatalf("finding page: %d", code)
	}
	if res, err := admin.Get(a.url + "/alerts/" + itoa(alertID) + "/finding"); err != nil || res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/findings/"+fid {
		t.Fatalf("from the alert to its finding: %v %v", err, res)
	}
	if _, body := a.get(county, "/findings/"+fid); strings.Contains(body, `id="form-rectification"`) {
		t.Error("the county officer, who may not dispose, sees the forms")
	}
	if code, _ := a.submitForm(county, "/findings/"+fid+"/dispositions", url.Values{"kind": {"referral"}, "owner": {"市场监管局"}}); code != http.StatusForbidden {
		t.Errorf("county officer disposing: %d", code)
	}

	if code, body := a.submitForm(admin, "/findings/"+fid+"/dispositions", url.Values{"kind": {"rectification"}, "deadline": {"2027-01-31"},
		"description": {"补报缺失数据"}}); code != http.StatusBadRequest || !strings.Contains(body, "责任单位：必填") || !strings.Contains(body, "补报缺失数据") {
		t.Errorf("rectification without an owner: %d", code)
	}
	if code, body := a.submitForm(admin, "/findings/"+fid+"/dispositions", url.Values{"kind": {"quota_cut"}, "quota": {"energy_tce"},
		"amount": {"很多"}}); code != http.StatusBadRequest || !strings.Contains(body, "扣减数量") {
		t.Errorf("quota cut with a bad amount: %d", code)
	}
	if got, _ := a.store.FindFinding(storetest.Admin(), f.ID); len(got.Dispositions) != 0 {
		t.Fatalf("refused forms wrote %d dispositions", len(got.Dispositions))
	}
	for _, form := range []url.Values{
		{"kind": {"rectification"}, "owner": {a.ents[0].Name}, "deadline": {"2027-01-31"}, "description": {"补报缺失数据，完善报送制度"}},
		{"kind": {"referral"}, "owner": {"济南市统计局"}},
		{"kind": {"quota_cut"}, "quota": {"energy_tce"}, "amount": {"1200"}, "description": {"拟扣减"}},
	} {
		if code, body := a.submitForm(admin, "/findings/"+fid+"/dispositions", form); code != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", form.Get("kind"), code, body)
		}
	}
	_, body = a.get(admin, "/findings/"+fid)
	if !strings.Contains(body, "整改中") || !strings.Contains(body, "待反馈处理决定") || !strings.Contains(body, "用能指标") ||
		!strings.Contains(body, `data-confirm="核验通过后`) || !strings.Contains(body, "处置中") {
		t.Fatal("finding page after three dispositions")
	}
	got, _ := a.store.FindFinding(storetest.Admin(), f.ID)
	rect, ref := itoa(got.Dispositions[0].ID), itoa(got.Dispositions[1].ID)
	if code, body := a.submitForm(admin, "/dispositions/"+rect+"/verify", url.Values{"finding": {fid}}); code != http.StatusBadRequest ||
		!strings.Contains(body, "证据材料：必填") {
		t.Errorf("verification without evidence: %d", code)
	}
	if code, _ := a.submitForm(admin, "/dispositions/"+ref+"/decision", url.Values{"finding": {fid}, "decision": {"济统罚〔2026〕7号"}}); code != http.StatusSeeOther {
		t.Errorf("decision: %d", code)
	}
	if code, body := a.submitForm(admin, "/dispositions/"+ref+"/decision", url.Values{"finding": {fid}, "decision": {"济统罚〔2026〕8号"}}); code != http.StatusConflict ||
		!strings.Contains(body, "不能重复登记") {
		t.Errorf("second decision: %d", code)
	}
	if code, _ := a.submitForm(admin, "/dispositions/"+rect+"/verify", url.Values{"finding": {fid}, "evidence": {"已补报，见报送记录"}}); code != http.StatusSeeOther {
		t.Errorf("verify: %d", code)
	}
	_, body = a.get(admin, "/findings/"+fid)
	if !strings.Contains(body, "济统罚〔2026〕7号") || strings.Contains(body, "济统罚〔2026〕8号") || !strings.Contains(body, `id="finding-state">已办结`) ||
		!strings.Contains(body, "admin · 核验整改") || !strings.Contains(body, " · 列入问题清单<") {
		t.Error("finding page after the decision and the verification")
	}
	if _, body := a.get(admin, "/findings?open=1"); strings.Contains(body, a.ents[0].Name) || !strings.Contains(body, a.ents[1].Name) {
		t.Error("open filter: the closed finding is listed, or the open one is not")
	}

	rows := a.sheetRows(county, "/findings/export?format=xlsx")
	if len(rows) != 2 || rows[0][5] != "问题类别" || rows[1][1] != a.ents[0].CreditCode || rows[1][11] != "已办结" ||
		!strings.Contains(rows[1][12], "济统罚〔2026〕7号") {
		t.Errorf("county's export: %v", rows)
	}
}

// Ensure the alert escalated by a triager through the page lands on the
// problem list once.
func TestEscalationThroughThePage(t *testing.T) {
	a := newApp(t)
	ctx := storetest.Admin()
	d := lianggao.Date{Year: 2026, Month: 10, Day: 1}
	if _, err := a.store.SaveFindings(ctx, []monitor.Finding{{CreditCode: a.ents[0].CreditCode, Rule: monitor.RuleOverproduction,
		From: d, To: d, Severity: monitor.Warning, Message: "alert.reports.missing", Evidence: map[string]float64{"ratio": 1.2}}}); err != nil {
		t.Fatal(err)
	}
	als, _, _ := a.store.FindAlerts(ctx, lianggao.AlertFilter{})
	county := a.client("county")
	if code, _ := a.submitForm(county, "/alerts/"+itoa(als[0].ID)+"/move", url.Values{"to": {"escalated"}, "verdict": {"finding"},
		"reason": {"超产"}}); code != http.StatusSeeOther {
		t.Fatalf("escalate: %d", code)
	}
	fs, total, err := a.store.FindFindings(lianggao.NewContext(context.Background(), lianggao.SystemActor), lianggao.FindingFilter{})
	if err != nil || total != 1 || fs[0].Category != "overproduction" || fs[0].Severity != "major" {
		t.Fatalf("after escalating: %d findings (%v)", total, err)
	}
	if _, body := a.get(county, "/findings"); !strings.Contains(body, "超产") || !strings.Contains(body, "2026-10-01") {
		t.Error("the escalated alert is not on the county's problem list")
	}
}
