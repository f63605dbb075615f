package web_test

import (
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/store/storetest"
)

// Ensure the daily statistics table shows a key enterprise's figures of the
// day, and marks it not reported on a day without them.
func TestDailyStatistics(t *testing.T) {
	a := newApp(t)
	key := a.ents[1] // the test enterprises alternate key flags
	d := lianggao.Date{Year: 2026, Month: 11, Day: 27}
	if _, err := a.store.PutFigures(storetest.Admin(), "enterprise", []*lianggao.Figure{
		{EnterpriseID: key.ID, Date: d, Indicator: "elec_kwh", Value: 1234567},
		{EnterpriseID: key.ID, Date: d, Indicator: "output:clinker", Value: 5400},
	}); err != nil {
		t.Fatal(err)
	}
	admin := a.client("admin")
	code, body := a.get(admin, "/daily?date=2026-11-27")
	if code != 200 || !strings.Contains(body, "1,234,567") || !strings.Contains(body, "未报送 0 家") {
		t.Fatalf("a reported day: %d", code)
	}
	if code, body = a.get(admin, "/daily?date=2026-11-26"); code != 200 || !strings.Contains(body, `<span class="tag red">未报送</span>`) {
		t.Fatalf("a silent day: %d", code)
	}
	if code, body = a.get(admin, "/daily/export?format=csv&date=2026-11-26"); code != 200 || !strings.Contains(body, "未报送") {
		t.Fatalf("export: %d", code)
	}
}
