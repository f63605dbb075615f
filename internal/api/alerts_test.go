package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/store"
)

// Ensure a batch with a hole in its daily reports raises an alert by itself,
// the alerts page through with a cursor, and a rules run answers when done.
func TestAlertsAfterBatch(t *testing.T) {
	ts, s, cookies, ents := apiServer(t)
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	u, _ := s.FindUserByName(sys, "admin")
	// A gateway token narrowed to reporting: the rules after its batch still run.
	token, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Permissions: []lianggao.Permission{lianggao.PermFigureWrite}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	day := lianggao.Date{Year: 2026, Month: 10, Day: 1}
	for i := range 50 {
		if i >= 20 && i < 26 { // six days never reported
			continue
		}
		fmt.Fprintf(&b, `{"credit_code":"%s","date":"%s","indicator":"elec_kwh","value":%d}`+"\n", ents[0].CreditCode, day.AddDays(i), 1000+i%7)
	}
	if status, body := postBatch(t, ts.URL, token, "application/x-ndjson", b.String()); status != 200 {
		t.Fatalf("batch: %d %v", status, body)
	}
	code, body := call(t, "GET", ts.URL+"/api/v1/alerts", cookies["admin"], "")
	alerts, _ := body["alerts"].([]any)
	rules := map[any]bool{}
	for _, a := range alerts {
		rules[a.(map[string]any)["rule"]] = true
	}
	if code != 200 || !rules["reports_missing"] || body["next"] != nil {
		t.Fatalf("alerts after the batch: %d %v", code, body)
	}
	// Page through them one at a time with the cursor.
	seen, cursor := 0, ""
	for range 10 {
		_, page := call(t, "GET", ts.URL+"/api/v1/alerts?limit=1&cursor="+cursor, cookies["admin"], "")
		items, _ := page["alerts"].([]any)
		seen += len(items)
		next, ok := page["next"].(string)
		if !ok {
			break
		}
		cursor = next
	}
	if seen != len(alerts) {
		t.Fatalf("paged through %d alerts, want %d", seen, len(alerts))
	}
	if code, _ = call(t, "GET", ts.URL+"/api/v1/alerts?limit=20000", cookies["admin"], ""); code != 400 {
		t.Fatalf("limit over 10,000: %d", code)
	}
	code, body = call(t, "POST", ts.URL+"/api/v1/rules/run", cookies["admin"], `{"from":"2026-10-01","to":"2026-11-19"}`)
	if code != 200 || body["findings"] == nil {
		t.Fatalf("rules run: %d %v", code, body)
	}
	if code, body = call(t, "POST", ts.URL+"/api/v1/rules/run", cookies["admin"], `{"from":"2026-11-19","to":"2026-10-01"}`); code != 400 {
		t.Fatalf("reversed period: %d %v", code, body)
	}
	if code, _ = call(t, "POST", ts.URL+"/api/v1/rules/run", cookies["county"], `{"from":"2026-10-01","to":"2026-10-02"}`); code != 200 {
		t.Fatalf("a county officer's run: %d", code)
	}
}
