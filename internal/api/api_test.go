package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/api"
	"lianggao/internal/server"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// apiServer serves the API over a SQLite store with two enterprises, and
// returns a session cookie per user name.
func apiServer(t *testing.T) (*httptest.Server, *store.Store, map[string]string, []*lianggao.Enterprise) {
	s := storetest.Open(t, "sqlite")
	var ents []*lianggao.Enterprise
	for i, county := range []string{"370102", "370103"} {
		e := storetest.Enterprise(county, i+1)
		if err := s.CreateEnterprise(storetest.Admin(), e); err != nil {
			t.Fatal(err)
		}
		ents = append(ents, e)
	}
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	cookies := map[string]string{}
	for _, u := range []*lianggao.User{
		{Username: "admin", Name: "a", Roles: []lianggao.Role{lianggao.RoleProvinceAdmin}, Region: "370000"},
		{Username: "county", Name: "c", Roles: []lianggao.Role{lianggao.RoleCountySupervisor}, Region: "370102"},
	} {
		if err := s.CreateUser(sys, u, "long-password"); err != nil {
			t.Fatal(err)
		}
		token, err := s.CreateSession(context.Background(), u.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		cookies[u.Username] = server.SessionCookie + "=" + token
	}
	srv := &server.Server{Sessions: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Routes: (&api.Handler{Store: s, Now: func() time.Time { return storetest.Now }}).Routes()}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, s, cookies, ents
}

func call(t *testing.T, method, url, cookie, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// do sends a request and decodes its JSON answer.
func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// Ensure lists and details answer within the actor's scope only.
func TestEnterprisesScoped(t *testing.T) {
	ts, _, cookies, ents := apiServer(t)
	code, body := call(t, "GET", ts.URL+"/api/v1/enterprises", cookies["admin"], "")
	if code != 200 || body["total"].(float64) != 2 {
		t.Fatalf("admin list: %d %v", code, body)
	}
	code, body = call(t, "GET", ts.URL+"/api/v1/enterprises", cookies["county"], "")
	if code != 200 || body["total"].(float64) != 1 {
		t.Fatalf("county list: %d %v", code, body)
	}
	other := ts.URL + "/api/v1/enterprises/" + strconv.FormatInt(ents[1].ID, 10)
	if code, body = call(t, "GET", other, cookies["county"], ""); code != 404 || body["code"] != lianggao.ENOTFOUND {
		t.Fatalf("other county's enterprise: %d %v", code, body)
	}
	if code, _ = call(t, "GET", ts.URL+"/api/v1/enterprises", "", ""); code != 401 {
		t.Fatalf("signed out: %d", code)
	}
}

// Ensure bad input answers problem+json naming the field, and nothing is written.
func TestCreateEnterpriseProblems(t *testing.T) {
	ts, s, cookies, _ := apiServer(t)
	good := storetest.Enterprise("370102", 50)
	cases := map[string]string{
		"credit_code": `{"credit_code":"91370100000000050X","name":"甲","county":"370102","industry":"cement"}`,
		"county":      `{"credit_code":"` + good.CreditCode + `","name":"甲","county":"379999","industry":"cement"}`,
		"":            `{"credit_code": 5}`,
	}
	for field, body := range cases {
		code, p := call(t, "POST", ts.URL+"/api/v1/enterprises", cookies["admin"], body)
		if code != 400 || p["code"] != lianggao.EINVALID || p["detail"] == "" {
			t.Errorf("%s: %d %v", field, code, p)
			continue
		}
		if field != "" {
			errs, _ := p["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["field"] != field {
				t.Errorf("%s: errors %v", field, p["errors"])
			}
		}
	}
	if code, _ := call(t, "GET", ts.URL+"/api/v1/enterprises?limit=9999", cookies["admin"], ""); code != 400 {
		t.Errorf("limit out of range: %d", code)
	}
	if _, n, _ := s.FindEnterprises(storetest.Admin(), lianggao.EnterpriseFilter{}); n != 2 {
		t.Fatalf("bad requests wrote enterprises: %d", n)
	}
	body := `{"credit_code":"` + good.CreditCode + `","name":"济南丙水泥有限公司","county":"370102","industry":"cement",
		"location":{"lat":36.66,"lon":117.01},"datum":"gcj02"}`
	code, p := call(t, "POST", ts.URL+"/api/v1/enterprises", cookies["admin"], body)
	if code != 201 {
		t.Fatalf("create: %d %v", code, p)
	}
	loc := p["location"].(map[string]any)
	if lat := loc["lat"].(float64); lat == 36.66 || lat < 36.65 || lat > 36.67 {
		t.Fatalf("GCJ-02 position not converted: %v", loc)
	}
	if code, _ := call(t, "POST", ts.URL+"/api/v1/enterprises", cookies["county"], body); code != 403 {
		t.Fatalf("county officer creating: %d", code)
	}
}

// Ensure a machine client reads with a bearer token, within the token's
// scope, and a bad token is refused, not treated as nobody.
func TestBearerToken(t *testing.T) {
	ts, s, _, ents := apiServer(t)
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	u, err := s.FindUserByName(sys, "county")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Permissions: []lianggao.Permission{lianggao.PermRegistryRead}})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, token string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return do(t, req)
	}
	if code, body := get("/api/v1/enterprises", secret); code != 200 || body["total"].(float64) != 1 {
		t.Fatalf("token list: %d %v", code, body)
	}
	if code, _ := get("/api/v1/enterprises/"+strconv.FormatInt(ents[1].ID, 10), secret); code != 404 {
		t.Fatalf("out of the token's scope: %d", code)
	}
	if code, body := get("/api/v1/enterprises", "not-a-token"); code != 401 || body["code"] != lianggao.EUNAUTHORIZED {
		t.Fatalf("bad token: %d %v", code, body)
	}
}
