package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func postBatch(t *testing.T, url, token, ctype, body string) (int, map[string]any) {
	t.Helper()
	return postTo(t, url+"/api/v1/reports", token, ctype, body)
}

// postTo posts a batch with a bearer token and decodes the answer.
func postTo(t *testing.T, url, token, ctype, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	return do(t, req)
}

// Ensure a machine client's batch of figures is stored once, a resend
// changes nothing, and a bad line rejects the whole batch naming its line
// and field.
func TestReports(t *testing.T) {
	ts, s, _, ents := apiServer(t)
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	u, _ := s.FindUserByName(sys, "admin")
	token, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Permissions: []lianggao.Permission{lianggao.PermFigureWrite}})
	if err != nil {
		t.Fatal(err)
	}
	code := ents[0].CreditCode
	good := `{"credit_code":"` + code + `","date":"2026-11-20","indicator":"elec_kwh","value":1200.5}
{"credit_code":"` + code + `","date":"2026-11-20","indicator":"output:clinker","value":3100,"unit":"t","source":"stationed"}
`
	status, body := postBatch(t, ts.URL, token, "application/x-ndjson", good)
	if status != 200 || body["changed"].(float64) != 2 {
		t.Fatalf("good batch: %d %v", status, body)
	}
	if status, body = postBatch(t, ts.URL, token, "application/x-ndjson", good); status != 200 || body["changed"].(float64) != 0 {
		t.Fatalf("resent batch: %d %v", status, body)
	}
	bad := good + `{"credit_code":"` + code + `","date":"2026-11-21","indicator":"elec_kwh","value":"lots"}` + "\n"
	status, body = postBatch(t, ts.URL, token, "application/x-ndjson", bad)
	errs, _ := body["errors"].([]any)
	if status != 400 || len(errs) != 1 || errs[0].(map[string]any)["line"].(float64) != 3 || errs[0].(map[string]any)["field"] != "value" {
		t.Fatalf("bad batch: %d %v", status, body)
	}
	csv := "credit_code,date,indicator,value\n" + code + ",2026-11-22,coal_t,88\n"
	if status, body = postBatch(t, ts.URL, token, "text/csv; charset=utf-8", csv); status != 200 || body["changed"].(float64) != 1 {
		t.Fatalf("CSV batch: %d %v", status, body)
	}
	if status, _ = postBatch(t, ts.URL, token, "application/xml", "<x/>"); status != 400 {
		t.Fatalf("unsupported type: %d", status)
	}
	figs, _ := s.FindFigures(storetest.Admin(), lianggao.FigureFilter{EnterpriseID: ents[0].ID})
	if len(figs) != 3 {
		t.Fatalf("%d figures stored, want 3", len(figs))
	}
}
