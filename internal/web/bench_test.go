package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"lianggao"
	"lianggao/internal/server"
	"lianggao/internal/store/storetest"
)

// BenchmarkEnterpriseList measures one request of the enterprise list page
// (50 rows of 3,000) through the whole middleware, without the network.
func BenchmarkEnterpriseList(b *testing.B) {
	a := newApp(b)
	var es []*lianggao.Enterprise
	var lines []int
	for i := range 3000 {
		es = append(es, storetest.Enterprise([]string{"370102", "370103", "370303", "370702"}[i%4], 1000+i))
		lines = append(lines, i+2)
	}
	if err := a.store.ImportEnterprises(storetest.Admin(), es, lines, "bench"); err != nil {
		b.Fatal(err)
	}
	c := a.client("admin")
	var cookie *http.Cookie
	for _, ck := range c.Jar.Cookies(mustURL(a.url)) {
		if ck.Name == server.SessionCookie {
			cookie = ck
		}
	}
	h := a.srv.Handler()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest("GET", "/enterprises?page="+itoa(int64(i%60+1)), nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
