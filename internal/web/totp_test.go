package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/store/storetest"
)

// Ensure an administrator must set up two-step verification at the first
// sign-in, then gives a code at every sign-in, and a code works only once.
func TestTwoStepSignin(t *testing.T) {
	a := newApp(t)
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	if err := a.store.CreateUser(sys, &lianggao.User{Username: "secadmin", Name: "安全管理员",
		Roles: []lianggao.Role{lianggao.RoleSecurityAdmin}, Region: "370000"}, password); err != nil {
		t.Fatal(err)
	}
	c := a.client("secadmin")
	if code, _ := a.get(c, "/admin/users"); code != http.StatusSeeOther {
		t.Fatalf("before the second factor: %d", code)
	}
	code, body := a.get(c, "/signin/totp")
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`).FindStringSubmatch(body)
	sealed := regexp.MustCompile(`name="sealed" value="([^"]+)"`).FindStringSubmatch(body)
	if code != 200 || secret == nil || sealed == nil {
		t.Fatalf("enrollment page: %d", code)
	}
	key := strings.ReplaceAll(secret[1], " ", "")
	sealed[1] = html.UnescapeString(sealed[1]) // as a browser reads the attribute
	res, _ := c.PostForm(a.url+"/signin/totp", url.Values{"code": {"000000"}, "sealed": {sealed[1]}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d\n%s", res.StatusCode, readBody(res))
	}
	otp, _ := auth.TOTPCode(key, storetest.Now)
	res, _ = c.PostForm(a.url+"/signin/totp", url.Values{"code": {otp}, "sealed": {sealed[1]}, "next": {"/admin/users"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrollment: %d", res.StatusCode)
	}
	if code, _ := a.get(c, "/admin/users"); code != 200 {
		t.Fatalf("after enrollment: %d", code)
	}
	// The next sign-in asks for a code; the one already used is refused.
	c2 := a.client("secadmin")
	code, body = a.get(c2, "/signin/totp")
	if code != 200 || strings.Contains(body, "totp-secret") {
		t.Fatalf("code page: %d", code)
	}
	res, _ = c2.PostForm(a.url+"/signin/totp", url.Values{"code": {otp}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", res.StatusCode)
	}
	u, _ := a.store.FindUserByName(sys, "secadmin")
	if !u.TOTP {
		t.Fatal("the account does not record two-step verification")
	}
}
