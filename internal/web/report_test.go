package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/store/storetest"
)

// reportApp is the web app with a drawn campaign under way and accounts
// linked to its people: each group's leader (leader_<dept>), a provincial
// official of each department (officer_<dept>) and a city officer.
func reportApp(t *testing.T) (*app, *lianggao.Campaign, map[string]*lianggao.InspectionTask) {
	t.Helper()
	a := newApp(t)
	storetest.SeedProvince(t, a.store, 1)
	c := storetest.SeedCampaign(t, a.store, true)
	admin := storetest.Admin()
	if _, err := a.store.MoveCampaign(admin, c.Code, lianggao.CampaignInProgress, ""); err != nil {
		t.Fatal(err)
	}
	ms, err := a.store.Members(admin, c.Code)
	if err != nil {
		t.Fatal(err)
	}
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	users := map[string]*lianggao.User{
		"city": {Username: "city", Name: "济南市专班", Roles: []lianggao.Role{lianggao.RoleTaskForce}, Region: "370100", MFAExempt: true},
	}
	for _, m := range ms {
		switch {
		case m.Role == lianggao.MemberLeader:
			users["leader_"+m.Department] = &lianggao.User{Username: "leader_" + m.Department, Name: m.Name,
				Roles: []lianggao.Role{lianggao.RoleGroupLeader}, Region: "370000", PersonID: m.PersonID, MFAExempt: true}
		case m.Role == lianggao.MemberProvincial && users["officer_"+m.Department] == nil:
			users["officer_"+m.Department] = &lianggao.User{Username: "officer_" + m.Department, Name: m.Name,
				Roles: []lianggao.Role{lianggao.RoleDeptOfficer}, Region: "370000", PersonID: m.PersonID, MFAExempt: true}
		}
	}
	for _, u := range users {
		if err := a.store.CreateUser(sys, u, password); err != nil {
			t.Fatal(err)
		}
	}
	tasks, _, err := a.store.FindTasks(admin, c.Code, lianggao.TaskFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]*lianggao.InspectionTask{}
	for _, task := range tasks {
		if first[task.Department] == nil {
			first[task.Department] = task
		}
	}
	return a, c, first
}

func (a *app) post(c *http.Client, path string, form url.Values) (int, string) {
	a.t.Helper()
	res, err := c.PostForm(a.url+path, form)
	if err != nil {
		a.t.Fatal(err)
	}
	return res.StatusCode, readBody(res)
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// Ensure the leader edits and submits the group's report (a stale save is
// refused with the typed text kept), others cannot see it, the DRC sends it
// back only with a reason and accepts it, and the exports carry the report.
func TestReportPages(t *testing.T) {
	a, c, tasks := reportApp(t)
	drcTask := tasks["drc"]
	storetest.Exec(t, a.store, `INSERT INTO findings (source, source_id, campaign_id, enterprise_id, city_code, county_code, category,
		description, evidence, severity, created_at) VALUES ('inspection', 0, ?, ?, ?, ?, 'metering', '电能表超期未检定', '检定证书已过期', 'major', ?)`,
		c.ID, drcTask.EnterpriseID, drcTask.City, drcTask.County, storetest.Now)
	base := "/campaigns/" + c.Code + "/reports"
	leader := a.client("leader_drc")
	if res, err := leader.Get(a.url + "/reports"); err != nil || res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base {
		t.Fatalf("the menu's entry does not lead to the campaign's reports: %v", err)
	}
	code, body := a.get(leader, base)
	if code != 200 || !strings.Contains(body, base+"/drc") || strings.Contains(body, base+"/iit") {
		t.Fatalf("leader's list: %d", code)
	}
	code, body = a.get(leader, base+"/drc")
	if code != 200 || !strings.Contains(body, "电能表超期未检定") || !strings.Contains(body, `id="report-submit"`) {
		t.Fatalf("editor: %d", code)
	}
	v := versionField.FindStringSubmatch(body)
	if v == nil {
		t.Fatal("no version in the form")
	}
	for _, who := range []string{"city", "leader_iit"} {
		if code, body := a.get(a.client(who), base+"/drc"); code != http.StatusNotFound || strings.Contains(body, "电能表超期未检定") {
			t.Errorf("%s opens the DRC's report: %d", who, code)
		}
	}
	form := url.Values{"version": {v[1]}, "causes": {"计量管理制度不健全。"}}
	if code, _ := a.post(leader, base+"/drc/save", form); code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	form.Set("causes", "旧稿里的原因")
	if code, body := a.post(leader, base+"/drc/save", form); code != http.StatusConflict || !strings.Contains(body, "已被他人修改") ||
		!strings.Contains(body, "旧稿里的原因") {
		t.Fatalf("stale save: %d", code)
	}
	if code, _ := a.post(leader, base+"/drc/submit", nil); code != http.StatusSeeOther {
		t.Fatalf("submit: %d", code)
	}
	if code, _ := a.post(leader, base+"/drc/accept", nil); code != http.StatusForbidden {
		t.Fatalf("the leader accepts: %d", code)
	}
	admin := a.client("admin")
	if code, body := a.post(admin, base+"/drc/return", url.Values{"reason": {" "}}); code != http.StatusBadRequest || !strings.Contains(body, "理由") {
		t.Fatalf("return without a reason: %d", code)
	}
	if code, _ := a.post(admin, base+"/drc/return", url.Values{"reason": {"请补充数据差异说明"}}); code != http.StatusSeeOther {
		t.Fatalf("return: %d", code)
	}
	if _, body := a.get(leader, base+"/drc"); !strings.Contains(body, "请补充数据差异说明") || !strings.Contains(body, "已退回") ||
		!strings.Contains(body, "计量管理制度不健全。") {
		t.Fatal("the leader does not see the return and its reason")
	}
	a.post(leader, base+"/drc/submit", nil)
	if code, _ := a.post(admin, base+"/drc/accept", nil); code != http.StatusSeeOther {
		t.Fatalf("accept: %d", code)
	}
	if _, body := a.get(admin, base); !strings.Contains(body, "已接收") || !strings.Contains(body, base+"/stats") {
		t.Fatal("the DRC's list lacks the accepted report or a group")
	}

	res, err := leader.Get(a.url + base + "/drc/export.docx")
	if err != nil {
		t.Fatal(err)
	}
	doc := documentXML(t, res)
	for _, want := range []string{"山东省发展改革委检查组关于2026年下半年两高企业全面检查情况的报告", "发展改革委检查组〔2026〕1号",
		"一、检查依据和范围", "五、整改要求", "电能表超期未检定", "计量管理制度不健全。"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	res, err = leader.Get(a.url + base + "/drc/export.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if names := book.GetSheetList(); strings.Join(names, ",") != "检查任务,发现问题,数据核对" {
		t.Fatalf("sheets %v", names)
	}
	rows, _ := book.GetRows("发现问题")
	if len(rows) != 2 || rows[1][0] != drcTask.CreditCode || rows[1][5] != "电能表超期未检定" || rows[1][6] != "检定证书已过期" {
		t.Fatalf("findings sheet: %v", rows)
	}
	if typ, _ := book.GetCellType("检查任务", "A2"); typ == excelize.CellTypeNumber {
		t.Error("a credit code became a number")
	}
}

func documentXML(t *testing.T, res *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a docx: %v", err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, _ := io.ReadAll(f)
	return string(x)
}

// Ensure the joint report compiles only from five accepted reports, each
// department's officer countersigns once from the panel, the request goes up
// only with all five signatures and text, and the page and documents show it.
func TestJointReportPages(t *testing.T) {
	a, c, _ := reportApp(t)
	admin := a.client("admin")
	base := "/campaigns/" + c.Code
	depts := []string{"drc", "iit", "eco", "amr", "stats"}
	for i, d := range depts {
		if code, _ := a.get(admin, base+"/reports/"+d); code != 200 {
			t.Fatalf("draft %s: %d", d, code)
		}
		a.post(admin, base+"/reports/"+d+"/submit", nil)
		if i == len(depts)-1 {
			if code, body := a.post(admin, base+"/joint/compile", nil); code != http.StatusConflict || !strings.Contains(body, "已接收 4 个检查组报告") {
				t.Fatalf("compile with four accepted: %d", code)
			}
		}
		if code, _ := a.post(admin, base+"/reports/"+d+"/accept", nil); code != http.StatusSeeOther {
			t.Fatalf("accept %s: %d", d, code)
		}
	}
	if code, _ := a.post(admin, base+"/joint/compile", nil); code != http.StatusSeeOther {
		t.Fatalf("compile: %d", code)
	}
	if code, body := a.get(admin, base+"/joint"); code != 200 || !strings.Contains(body, "一、各检查组检查情况") || strings.Contains(body, `id="countersign"`) {
		t.Fatalf("joint page: %d", code)
	}
	if code, _ := a.post(a.client("leader_drc"), base+"/joint/countersign", nil); code != http.StatusForbidden {
		t.Fatalf("a leader countersigns: %d", code)
	}
	if code, body := a.post(admin, base+"/joint/submit", url.Values{"request": {"请予审定。"}}); code != http.StatusConflict ||
		!strings.Contains(body, "已会签 0 个部门") {
		t.Fatalf("submit before the countersigns: %d", code)
	}
	for _, d := range depts {
		officer := a.client("officer_" + d)
		_, body := a.get(officer, base+"/joint")
		row := regexp.MustCompile(`(?s)<tr id="sign-` + d + `">.*?</tr>`).FindString(body)
		if !strings.Contains(row, `id="countersign"`) {
			t.Fatalf("%s's officer has no countersign button in the department's row", d)
		}
		if code, _ := a.post(officer, base+"/joint/countersign", nil); code != http.StatusSeeOther {
			t.Fatalf("%s countersigns: %d", d, code)
		}
		if code, body := a.post(officer, base+"/joint/countersign", nil); code != http.StatusConflict || !strings.Contains(body, "已会签") {
			t.Fatalf("%s countersigns twice: %d", d, code)
		}
	}
	if code, body := a.post(admin, base+"/joint/submit", url.Values{"request": {"  "}}); code != http.StatusBadRequest || !strings.Contains(body, "请示正文") {
		t.Fatalf("submit without a request: %d", code)
	}
	if code, _ := a.post(admin, base+"/joint/submit", url.Values{"request": {"省人民政府：\n\n现将检查情况报告如下。\n\n妥否，请批示。"}}); code != http.StatusSeeOther {
		t.Fatalf("submit: %d", code)
	}
	_, body := a.get(admin, base+"/joint")
	if n := strings.Count(body, "签名有效"); n != 5 || !strings.Contains(body, "妥否，请批示。") || !strings.Contains(body, "已报送") {
		t.Fatalf("joint page after submission: %d valid signatures", n)
	}
	res, err := admin.Get(a.url + base + "/joint/request.docx")
	if err != nil {
		t.Fatal(err)
	}
	doc := documentXML(t, res)
	for _, want := range []string{"关于2026年下半年两高企业全面检查情况的请示", "山东省人民政府", "妥否，请批示。", "各检查组检查情况"} {
		if !strings.Contains(doc, want) {
			t.Errorf("request lacks %q", want)
		}
	}
	res, _ = admin.Get(a.url + base + "/joint/export.docx")
	if doc := documentXML(t, res); !strings.Contains(doc, "会签部门") || !strings.Contains(doc, "统计局") {
		t.Error("the joint document does not name its countersigning departments")
	}
	if code, _ := a.get(a.client("city"), base+"/joint"); code != http.StatusForbidden {
		t.Errorf("a city officer reads the joint report: %d", code)
	}
}
