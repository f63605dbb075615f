package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lianggao"
	"lianggao/internal/server"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
	"lianggao/internal/web"
)

const password = "correct-horse-1"

// app is the web layer over a real SQLite store, with two enterprises in two
// counties of Jinan and users of several roles.
type app struct {
	t     testing.TB
	store *store.Store
	url   string
	ents  []*lianggao.Enterprise
	srv   *server.Server
}

func newApp(t testing.TB) *app {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	a := &app{t: t, store: s}
	admin := storetest.Admin()
	for i, county := range []string{"370102", "370103"} {
		e := storetest.Enterprise(county, i+1)
		if err := s.CreateEnterprise(admin, e); err != nil {
			t.Fatal(err)
		}
		a.ents = append(a.ents, e)
	}
	leader := &lianggao.Person{Name: "周组长", Department: "drc", Region: "370102", Kind: lianggao.PersonOfficial}
	if err := s.ImportPeople(admin, []*lianggao.Person{leader}, []int{2}, "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSupervisionGroup(admin, &lianggao.SupervisionGroup{Code: "SG-370102", Name: "历下区督导组", Region: "370102",
		Members: []*lianggao.GroupMember{{PersonID: leader.ID, Role: "leader"}}}); err != nil {
		t.Fatal(err)
	}
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	users := []*lianggao.User{
		{Username: "admin", Name: "管理员", Roles: []lianggao.Role{lianggao.RoleProvinceAdmin}, Region: "370000"},
		{Username: "county", Name: "历下区驻企", Roles: []lianggao.Role{lianggao.RoleCountySupervisor}, Region: "370102"},
		{Username: "sysadmin", Name: "系统管理员", Roles: []lianggao.Role{lianggao.RoleSystemAdmin}, Region: "370000", MFAExempt: true},
	}
	for _, u := range users {
		if err := s.CreateUser(sys, u, password); err != nil {
			t.Fatal(err)
		}
	}
	// Errors the server logs show in the test's output.
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a.srv = &server.Server{Sessions: s, Log: log, Ping: s.Ping}
	h, err := web.New(&web.Handler{Store: s, Profile: s.Profile(), Server: a.srv, Log: log,
		Now: func() time.Time { return storetest.Now }, UploadLimit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	a.srv.RenderError = h.RenderError
	a.srv.Routes = h.Routes()
	a.srv.Ready.Store(true)
	ts := httptest.NewServer(a.srv.Handler())
	t.Cleanup(ts.Close)
	a.url = ts.URL
	return a
}

// client returns an HTTP client signed in as the user ("" for signed out).
func (a *app) client(username string) *http.Client {
	a.t.Helper()
	return a.clientWith(username, password)
}

// clientWith signs in with the given password.
func (a *app) clientWith(username, password string) *http.Client {
	a.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if username == "" {
		return c
	}
	res, err := c.PostForm(a.url+"/signin", url.Values{"username": {username}, "password": {password}, "next": {"/"}})
	if err != nil {
		a.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: status %d", username, res.StatusCode)
	}
	return c
}

func (a *app) get(c *http.Client, path string) (int, string) {
	a.t.Helper()
	res, err := c.Get(a.url + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Ensure signing in with a wrong password fails with a message and no session.
func TestSignin(t *testing.T) {
	a := newApp(t)
	c := a.client("")
	res, err := c.PostForm(a.url+"/signin", url.Values{"username": {"admin"}, "password": {"wrong-password"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "用户名或密码错误") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	if code, _ := a.get(c, "/enterprises"); code != http.StatusSeeOther {
		t.Fatalf("signed-out list: %d, want a redirect to sign in", code)
	}
	admin := a.client("admin")
	if code, body := a.get(admin, "/"); code != http.StatusOK || !strings.Contains(body, "管理员") {
		t.Fatalf("home: %d", code)
	}
	res, _ = admin.PostForm(a.url+"/signout", nil)
	res.Body.Close()
	if code, _ := a.get(admin, "/enterprises"); code != http.StatusSeeOther {
		t.Fatalf("after sign-out: %d", code)
	}
}

// Ensure the list filters, and a county officer sees and opens only the
// county's enterprises.
func TestEnterprisePagesAndScope(t *testing.T) {
	a := newApp(t)
	admin := a.client("admin")
	_, body := a.get(admin, "/enterprises")
	if !strings.Contains(body, a.ents[0].CreditCode) || !strings.Contains(body, a.ents[1].CreditCode) {
		t.Fatal("admin list lacks an enterprise")
	}
	_, body = a.get(admin, "/enterprises?county=370103")
	if strings.Contains(body, a.ents[0].CreditCode) || !strings.Contains(body, a.ents[1].CreditCode) {
		t.Fatal("county filter not applied")
	}
	if code, body := a.get(admin, "/enterprises/"+itoa(a.ents[0].ID)); code != 200 || !strings.Contains(body, a.ents[0].Name) ||
		!strings.Contains(body, "历下区督导组") || !strings.Contains(body, "周组长") {
		t.Fatalf("detail: %d, or it lacks the responsible group", code)
	}
	county := a.client("county")
	_, body = a.get(county, "/enterprises")
	if !strings.Contains(body, a.ents[0].CreditCode) || strings.Contains(body, a.ents[1].CreditCode) {
		t.Fatal("county officer sees another county's enterprise")
	}
	if code, body := a.get(county, "/enterprises/"+itoa(a.ents[1].ID)); code != http.StatusNotFound || strings.Contains(body, a.ents[1].Name) {
		t.Fatalf("other county's enterprise: %d", code)
	}
	sys := a.client("sysadmin")
	if code, _ := a.get(sys, "/enterprises"); code != http.StatusForbidden {
		t.Fatalf("system administrator reads business data: %d", code)
	}
}

// Ensure an export keeps the filters and writes credit codes as text.
func TestEnterpriseExport(t *testing.T) {
	a := newApp(t)
	admin := a.client("admin")
	res, err := admin.Get(a.url + "/enterprises/export?format=xlsx&county=370102")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	f, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	if len(rows) != 2 || rows[1][0] != a.ents[0].CreditCode {
		t.Fatalf("export rows: %v", rows)
	}
	typ, _ := f.GetCellType(sheet, "A2")
	if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Fatalf("credit code cell type %v, want text", typ)
	}
	res2, _ := admin.Get(a.url + "/enterprises/export?format=csv")
	b, _ := io.ReadAll(res2.Body)
	res2.Body.Close()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !strings.Contains(string(b), a.ents[1].CreditCode) {
		t.Fatal("CSV export lacks the BOM or a row")
	}
	if code, _ := a.get(admin, "/enterprises/export?format=pdf"); code != http.StatusBadRequest {
		t.Fatalf("unknown format: %d", code)
	}
}

// Ensure an upload with a bad row is rejected with its line and column, and
// nothing is written; a good one is imported.
func TestEnterpriseImport(t *testing.T) {
	a := newApp(t)
	admin := a.client("admin")
	good := storetest.CreditCode("370100", 901)
	bad := good[:17] + string(rune('0'+(good[17]-'0'+1)%10))
	if bad == good {
		bad = good[:17] + "Y"
	}
	csv := "统一社会信用代码,企业名称,所在县（区）代码,行业代码\n" +
		good + ",济南甲水泥有限公司,370102,cement\n" +
		bad + ",济南乙水泥有限公司,370102,cement\n"
	code, body := a.upload(admin, "/import/enterprises", "list.csv", []byte(csv))
	if code != http.StatusBadRequest || !strings.Contains(body, "import-problems") || !strings.Contains(body, ">3<") {
		t.Fatalf("bad file: %d\n%s", code, body)
	}
	if _, total, _ := a.store.FindEnterprises(storetest.Admin(), lianggao.EnterpriseFilter{}); total != 2 {
		t.Fatalf("a rejected file wrote rows: %d enterprises", total)
	}
	csv = "统一社会信用代码,企业名称,所在县（区）代码,行业代码\n" + good + ",济南甲水泥有限公司,370102,cement\n"
	if code, body := a.upload(admin, "/import/enterprises", "list.csv", []byte(csv)); code != 200 || !strings.Contains(body, "已导入 1 条记录") {
		t.Fatalf("good file: %d\n%s", code, body)
	}
	code, body = a.upload(admin, "/import/enterprises", "big.csv", bytes.Repeat([]byte("x"), 3<<20))
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "上传上限") {
		t.Fatalf("oversized file: %d", code)
	}
}

func (a *app) upload(c *http.Client, path, name string, content []byte) (int, string) {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	res, err := c.Post(a.url+path, mw.FormDataContentType(), &buf)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Ensure every page renders for the administrator without a raw message key
// or a template error.
func TestPagesRender(t *testing.T) {
	a := newApp(t)
	admin := a.client("admin")
	for _, p := range []string{"/", "/regions", "/enterprises", "/enterprises/" + itoa(a.ents[0].ID), "/projects",
		"/meters", "/people", "/groups", "/import/enterprises", "/import/projects", "/import/people", "/import/meters",
		"/account", "/account/password", "/alerts", "/daily"} {
		code, body := a.get(admin, p)
		if code != 200 {
			t.Errorf("%s: %d", p, code)
		}
		for _, raw := range []string{"nav.", "common.", "enterprise.", "field."} {
			if strings.Contains(body, ">"+raw) {
				t.Errorf("%s shows a raw message key %s…", p, raw)
			}
		}
	}
	if code, _ := a.get(admin, "/no-such-page"); code != http.StatusNotFound {
		t.Errorf("unknown page: %d", code)
	}
}

// Ensure every route has a policy, and signed out only public routes answer.
func TestRoutePolicies(t *testing.T) {
	a := newApp(t)
	anon := a.client("")
	for _, rt := range a.srv.Routes {
		if rt.Policy.Public {
			continue
		}
		path := strings.NewReplacer("{id}", "1", "{kind}", "enterprises", "{$}", "").Replace(rt.Pattern)
		req, _ := http.NewRequest(rt.Method, a.url+path, nil)
		res, err := anon.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s signed out: %d", rt.Method, rt.Pattern, res.StatusCode)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// testLog writes log lines to the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func readBody(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
