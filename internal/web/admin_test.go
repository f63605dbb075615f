package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lianggao"
)

// Ensure the three administrators keep to their own jobs: the system
// administrator makes an account without roles, the security administrator
// grants roles, and the new user must change the first password before
// doing anything else.
func TestAdministratorsAndFirstPassword(t *testing.T) {
	a := newApp(t)
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	for _, u := range []*lianggao.User{
		{Username: "secadmin", Name: "安全管理员", Roles: []lianggao.Role{lianggao.RoleSecurityAdmin}, Region: "370000", MFAExempt: true},
		{Username: "auditadmin", Name: "审计管理员", Roles: []lianggao.Role{lianggao.RoleAuditAdmin}, Region: "370000", MFAExempt: true},
	} {
		if err := a.store.CreateUser(sys, u, password); err != nil {
			t.Fatal(err)
		}
	}
	sysadmin, secadmin, auditadmin := a.client("sysadmin"), a.client("secadmin"), a.client("auditadmin")
	res, _ := sysadmin.PostForm(a.url+"/admin/users", url.Values{"username": {"newcomer"}, "name": {"新同事"}})
	body := readBody(res)
	first := regexp.MustCompile(`id="first-password">([^<]+)<`).FindStringSubmatch(body)
	if res.StatusCode != 200 || first == nil {
		t.Fatalf("create: %d\n%s", res.StatusCode, body)
	}
	u, err := a.store.FindUserByName(lianggao.NewContext(context.Background(), lianggao.SystemActor), "newcomer")
	if err != nil || len(u.Roles) != 0 || !u.MustChangePassword {
		t.Fatalf("new account: %+v %v", u, err)
	}
	id := itoa(u.ID)
	if res, _ := sysadmin.PostForm(a.url+"/admin/users/"+id+"/roles", url.Values{"role": {"inspector"}, "region": {"370000"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("system administrator granting roles: %d", res.StatusCode)
	}
	if res, _ := secadmin.PostForm(a.url+"/admin/users/"+id+"/roles", url.Values{"role": {"system_admin"}, "region": {"370000"}}); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("granting an administrator role: %d", res.StatusCode)
	}
	if res, _ := secadmin.PostForm(a.url+"/admin/users/"+id+"/roles", url.Values{"role": {"county_supervisor"}, "region": {"370102"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("security administrator granting roles: %d", res.StatusCode)
	}
	if res, _ := secadmin.PostForm(a.url+"/admin/users", url.Values{"username": {"other"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("security administrator creating accounts: %d", res.StatusCode)
	}
	if code, _ := a.get(auditadmin, "/admin/users"); code != http.StatusForbidden {
		t.Fatalf("audit administrator reading accounts: %d", code)
	}
	if code, body := a.get(auditadmin, "/admin/audit?action=user.roles"); code != 200 || !strings.Contains(body, "user.roles") {
		t.Fatalf("audit page: %d", code)
	}
	if code, _ := a.get(secadmin, "/admin/audit"); code != http.StatusForbidden {
		t.Fatalf("security administrator reading the audit trail: %d", code)
	}

	// The newcomer signs in with the first password and is held at the password page.
	c := a.clientWith("newcomer", first[1])
	if res, _ := c.Get(a.url + "/enterprises"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/password" {
		t.Fatalf("before changing the password: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = c.PostForm(a.url+"/account/password", url.Values{"current": {first[1]}, "password": {"newcomer2026!A"}, "confirm": {"newcomer2026!A"}})
	if body := readBody(res); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "用户名") {
		t.Fatalf("a password holding the user name: %d", res.StatusCode)
	}
	res, _ = c.PostForm(a.url+"/account/password", url.Values{"current": {first[1]}, "password": {"Qingdao#Port2026"}, "confirm": {"Qingdao#Port2026"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", res.StatusCode)
	}
	if code, body := a.get(c, "/enterprises"); code != 200 || !strings.Contains(body, a.ents[0].CreditCode) || strings.Contains(body, a.ents[1].CreditCode) {
		t.Fatalf("after the change the county officer sees the county: %d", code)
	}
}

// Ensure repeated wrong passwords lock the account for a while, even with the
// right password.
func TestSigninLockout(t *testing.T) {
	a := newApp(t)
	c := a.client("")
	for i := 0; i < 5; i++ {
		res, _ := c.PostForm(a.url+"/signin", url.Values{"username": {"admin"}, "password": {"guess-" + itoa(int64(i))}})
		res.Body.Close()
	}
	res, _ := c.PostForm(a.url+"/signin", url.Values{"username": {"admin"}, "password": {password}})
	if body := readBody(res); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("after five failures: %d", res.StatusCode)
	}
}
