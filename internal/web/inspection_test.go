package web_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/server"
	"lianggao/internal/store/storetest"
	"lianggao/internal/web"
)

// field is the web layer over a drawn campaign: an inspector on the first
// task's team, a member of another group, an officer of another city and
// the province administrator.
type field struct {
	*app
	task   *lianggao.InspectionTask
	cities []string // of the inspector's group
}

func newField(t *testing.T) *field {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	storetest.SeedProvince(t, s, 2)
	c := storetest.SeedCampaign(t, s, true)
	tasks, _, err := s.FindTasks(storetest.Admin(), c.Code, lianggao.TaskFilter{Limit: 1})
	plan, perr := s.FindPlan(storetest.Admin(), c.Code)
	if err != nil || perr != nil || len(tasks) == 0 {
		t.Fatalf("tasks: %v, plan: %v", err, perr)
	}
	f := &field{app: &app{t: t, store: s}, task: tasks[0]}
	var stranger int64
	for _, g := range plan.Groups {
		if g.Department == f.task.Department {
			f.cities = g.Cities
		} else if stranger == 0 {
			stranger = g.Members[0].PersonID
		}
	}
	other := "370100"
	if f.task.City == other {
		other = "370200"
	}
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	for _, u := range []*lianggao.User{
		{Username: "admin", Name: "管理员", Roles: []lianggao.Role{lianggao.RoleProvinceAdmin}, Region: "370000"},
		{Username: "insp", Name: "现场检查员", Roles: []lianggao.Role{lianggao.RoleInspector}, Region: "370000", PersonID: tasks[0].Team[0]},
		{Username: "stranger", Name: "他组成员", Roles: []lianggao.Role{lianggao.RoleInspector}, Region: other, PersonID: stranger},
		{Username: "city", Name: "外市专班", Roles: []lianggao.Role{lianggao.RoleTaskForce}, Region: other},
	} {
		u.MFAExempt = true
		if err := s.CreateUser(sys, u, password); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f.srv = &server.Server{Sessions: s, Log: log, Ping: s.Ping}
	h, err := web.New(&web.Handler{Store: s, Profile: s.Profile(), Server: f.srv, Log: log, Now: func() time.Time { return storetest.Now }})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.RenderError, f.srv.Routes = h.RenderError, h.Routes()
	f.srv.Ready.Store(true)
	ts := httptest.NewServer(f.srv.Handler())
	t.Cleanup(ts.Close)
	f.url = ts.URL
	return f
}

func (f *field) post(c *http.Client, path string, v url.Values) (int, string) {
	f.t.Helper()
	res, err := c.PostForm(f.url+path, v)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.StatusCode, readBody(res)
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Ensure the inspector finds the task, is asked for a reason off site,
// checks in, uploads a photo (a text file is refused), has a refused
// submission shown with the input kept, submits, sees the locked record
// with its signature, amends it; and that others outside the group or the
// city do not see it.
func TestInspectionPages(t *testing.T) {
	f := newField(t)
	insp := f.client("insp")
	base := "/tasks/" + itoa(f.task.ID)
	code, body := f.get(insp, "/tasks")
	if code != 200 || !strings.Contains(body, f.task.EnterpriseName) || !strings.Contains(body, `href="`+base+`"`) ||
		!strings.Contains(body, "即将进行") {
		t.Fatalf("my tasks: %d", code)
	}
	code, body = f.get(insp, base)
	if code != 200 || !strings.Contains(body, `id="checkin-button"`) || !strings.Contains(body, `data-lat="36.6"`) {
		t.Fatalf("task page: %d", code)
	}
	code, body = f.post(insp, base+"/checkin", url.Values{"lat": {"36.7"}, "lon": {"117"}, "registration_id": {"DJ-2026-001"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "超出1000米签到范围") || !strings.Contains(body, `id="reason"`) ||
		!strings.Contains(body, `value="DJ-2026-001"`) {
		t.Fatalf("check-in off site without a reason: %d", code)
	}
	if code, _ = f.post(insp, base+"/checkin", url.Values{"lat": {"36.6003"}, "lon": {"117.0001"}, "registration_id": {"DJ-2026-001"}}); code != http.StatusSeeOther {
		t.Fatalf("check-in: %d", code)
	}
	if code, body = f.upload(insp, base+"/photos", "a.txt", []byte("plain text, not a photo")); code != http.StatusBadRequest ||
		!strings.Contains(body, "JPEG或PNG") {
		t.Fatalf("a text file as photo: %d", code)
	}
	if code, _ = f.upload(insp, base+"/photos", "site.png", pngBytes(t)); code != http.StatusSeeOther {
		t.Fatalf("photo: %d", code)
	}
	code, body = f.get(insp, base)
	if code != 200 || !strings.Contains(body, `id="inspection-form"`) || !strings.Contains(body, `data-draft="lianggao.inspection.`+itoa(f.task.ID)+`"`) ||
		!strings.Contains(body, "综合能耗（吨标准煤）") || !strings.Contains(body, `id="body" name="body" required maxlength="200" value="山东省`) {
		t.Fatalf("form: %d", code)
	}
	src := firstMatch(`<img src="(/tasks/\d+/photos/\d+)"`, body)
	res, err := insp.Get(f.url + src)
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("photo back: %v %v", res, err)
	}
	res.Body.Close()
	form := url.Values{"body": {"山东省发展改革委"}, "fig_indicator": {"energy_tce", "coal_t"}, "fig_verified": {"123", ""},
		"fig_document": {"能源购进台账", ""}, "f_category": {"metering"}, "f_description": {"计量器具超期未检"}, "f_evidence": {"检定证书"},
		"f_severity": {"minor"}}
	code, body = f.post(insp, base+"/submit", form)
	if code != http.StatusBadRequest || !strings.Contains(body, "请至少选择一项检查事项") || !strings.Contains(body, `value="123"`) ||
		!strings.Contains(body, "计量器具超期未检") {
		t.Fatalf("without an item: %d", code)
	}
	form.Set("item", f.store.Profile().Campaign.Items[0].Code)
	form["f_category"] = []string{"metering", "energy_use"}
	form["f_description"] = []string{"计量器具超期未检", ""}
	form["f_evidence"] = []string{"检定证书", "购煤发票"}
	form["f_severity"] = []string{"minor", "major"}
	if code, body = f.post(insp, base+"/submit", form); code != http.StatusBadRequest || !strings.Contains(body, "第2个问题：问题描述：必填") {
		t.Fatalf("a finding without a description: %d", code)
	}
	form["f_description"] = []string{"计量器具超期未检", "能耗台账少计"}
	if code, body = f.post(insp, base+"/submit", form); code != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", code, body)
	}
	code, body = f.get(insp, base)
	sig := firstMatch(`id="signature">([^<]+)<`, body)
	if code != 200 || !strings.Contains(body, "已锁定") || sig == "" || !strings.Contains(body, "能耗台账少计") ||
		!strings.Contains(body, `data-submitted="`+itoa(f.task.ID)+`"`) || strings.Contains(body, `id="inspection-form"`) {
		t.Fatalf("locked record: %d", code)
	}
	if code, _ = f.post(insp, base+"/submit", form); code != http.StatusConflict {
		t.Errorf("second submit: %d", code)
	}
	if code, body = f.post(insp, base+"/amend", url.Values{"change": {"核实能耗应为125"}}); code != http.StatusBadRequest || !strings.Contains(body, "理由") {
		t.Errorf("amend without a reason: %d", code)
	}
	if code, _ = f.post(insp, base+"/amend", url.Values{"reason": {"录入笔误"}, "change": {"核实能耗应为125"}}); code != http.StatusSeeOther {
		t.Fatalf("amend: %d", code)
	}
	if code, body = f.get(insp, base); !strings.Contains(body, "核实能耗应为125") || firstMatch(`id="signature">([^<]+)<`, body) != sig {
		t.Errorf("after the amendment: %d", code)
	}
	if code, _ = f.get(f.client("stranger"), base); code != http.StatusNotFound {
		t.Errorf("member of another group: %d", code)
	}
	if code, _ = f.get(f.client("city"), base); code != http.StatusNotFound {
		t.Errorf("officer of another city: %d", code)
	}
	if code, _ = f.get(f.client("city"), src); code != http.StatusNotFound {
		t.Errorf("photo to an officer of another city: %d", code)
	}
}

// Ensure a group member records a city's curbing work from the task list,
// is refused another group's city, and a manager sees the tasks with filters.
func TestCityWorkPage(t *testing.T) {
	f := newField(t)
	insp := f.client("insp")
	if code, _ := f.post(insp, "/campaigns/"+storetest.CampaignCode+"/city-work", url.Values{"city": {f.cities[0]}, "summary": {" "}}); code != http.StatusBadRequest {
		t.Errorf("empty summary: %d", code)
	}
	if code, _ := f.post(insp, "/campaigns/"+storetest.CampaignCode+"/city-work",
		url.Values{"city": {f.cities[0]}, "summary": {"停建两高项目2个"}}); code != http.StatusSeeOther {
		t.Fatalf("record: %d", code)
	}
	var foreign string
	for _, c := range f.store.Profile().Cities() {
		if !slices.Contains(f.cities, c.Code) {
			foreign = c.Code
			break
		}
	}
	if code, _ := f.post(insp, "/campaigns/"+storetest.CampaignCode+"/city-work", url.Values{"city": {foreign}, "summary": {"x"}}); code != http.StatusForbidden {
		t.Errorf("another group's city: %d", code)
	}
	if code, body := f.get(insp, "/tasks"); code != 200 || !strings.Contains(body, "停建两高项目2个") {
		t.Errorf("task list after recording: %d", code)
	}
	code, body := f.get(f.client("admin"), "/tasks?department="+f.task.Department)
	if code != 200 || !strings.Contains(body, `name="department"`) || !strings.Contains(body, f.task.EnterpriseName) {
		t.Errorf("manager's task list: %d", code)
	}
}

// firstMatch returns the first group of pattern in s, or "".
func firstMatch(pattern, s string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
