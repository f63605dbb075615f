package web

import (
	"net/url"
	"testing"
)

// FuzzListQuery feeds arbitrary query strings to the list pages' filter and
// page parsing: no panic, and the page and offset stay sane.
func FuzzListQuery(f *testing.F) {
	f.Add("q=水泥&city=370300&key=1&oc=0&sort=name&desc=1&page=3")
	f.Add("page=-7&key=maybe&sort=%27%3B+DROP+TABLE")
	f.Add("page=99999999999999999999&q=%ZZ")
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		enterpriseFilter(q)
		projectFilter(q)
		meterFilter(q)
		personFilter(q)
		page, offset := pageOf(q)
		if page < 1 || offset < 0 || offset != (page-1)*pageSize {
			t.Fatalf("page %d offset %d from %q", page, offset, raw)
		}
		if got := withQuery(q, "page", "2"); len(got) == 0 || got[0] != '?' {
			t.Fatalf("withQuery gave %q", got)
		}
	})
}
