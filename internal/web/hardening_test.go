package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Ensure every answer carries the security headers: a policy without inline
// scripts, no framing, no sniffing.
func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	res, err := http.Get(a.url + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" {
		t.Errorf("headers %v", res.Header)
	}
}

// Ensure a cross-site POST is refused before it reaches the handler, while
// the same POST from the site itself goes through.
func TestCrossSitePostRefused(t *testing.T) {
	a := newApp(t)
	c := a.client("admin")
	post := func(site string) int {
		req, _ := http.NewRequest("POST", a.url+"/account/signout-all", strings.NewReader(url.Values{}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post("cross-site"); code != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", code)
	}
	if code, _ := a.get(c, "/enterprises"); code != 200 {
		t.Fatalf("the refused POST still signed the user out: %d", code)
	}
	if code := post("same-origin"); code != http.StatusSeeOther {
		t.Fatalf("same-origin POST: %d", code)
	}
}
