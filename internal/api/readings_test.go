package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// readingsServer is apiServer with a meter E-01 at each enterprise, and
// bearer tokens of a province admin, a county officer of the first county,
// and an inspector who may not write.
func readingsServer(t *testing.T) (string, *store.Store, map[string]string, []*lianggao.Enterprise) {
	t.Helper()
	ts, s, _, ents := apiServer(t)
	for _, e := range ents {
		m := &lianggao.Meter{EnterpriseID: e.ID, Kind: "electricity", Serial: "E-01", AccuracyClass: "0.5S", Online: true}
		if err := s.CreateMeter(storetest.Admin(), m); err != nil {
			t.Fatal(err)
		}
	}
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	inspector := &lianggao.User{Username: "inspector", Name: "i", Roles: []lianggao.Role{lianggao.RoleInspector}, Region: "370000"}
	if err := s.CreateUser(sys, inspector, "long-password"); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, name := range []string{"admin", "county", "inspector"} {
		u, err := s.FindUserByName(sys, name)
		if err != nil {
			t.Fatal(err)
		}
		if tokens[name], _, err = s.CreateToken(sys, store.TokenRequest{UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	return ts.URL, s, tokens, ents
}

func postReadings(t *testing.T, url, token, ctype, body string) (int, map[string]any) {
	t.Helper()
	return postTo(t, url+"/api/v1/readings", token, ctype, body)
}

// readingLine is one NDJSON reading.
func readingLine(code, serial, at, value string) string {
	return `{"credit_code":"` + code + `","serial":"` + serial + `","time":"` + at + `","value":` + value + "}\n"
}

// Ensure a batch of readings is stored once, a resend changes nothing, a
// corrected value replaces the stored one, and CSV is taken as NDJSON is.
func TestReadings(t *testing.T) {
	url, s, tokens, ents := readingsServer(t)
	code := ents[0].CreditCode
	good := readingLine(code, "E-01", "2026-11-28T09:30:00+08:00", "10.5") +
		readingLine(code, "E-01", "2026-11-28T01:45:00Z", "11") // 09:45 in the province
	status, body := postReadings(t, url, tokens["county"], "application/x-ndjson", good)
	if status != 200 || body["changed"].(float64) != 2 || body["lines"].(float64) != 2 {
		t.Fatalf("good batch: %d %v", status, body)
	}
	if status, body = postReadings(t, url, tokens["county"], "application/x-ndjson", good); status != 200 || body["changed"].(float64) != 0 {
		t.Fatalf("resent batch: %d %v", status, body)
	}
	fixed := strings.Replace(good, "10.5", "10.75", 1)
	if status, body = postReadings(t, url, tokens["county"], "application/x-ndjson", fixed); status != 200 || body["changed"].(float64) != 1 {
		t.Fatalf("corrected batch: %d %v", status, body)
	}
	csv := "\ufeff统一社会信用代码,出厂编号,抄表时间,读数\n" + code + ",E-01,2026-11-28T10:00:00+08:00,12\n"
	if status, body = postReadings(t, url, tokens["admin"], "text/csv; charset=utf-8", csv); status != 200 || body["changed"].(float64) != 1 {
		t.Fatalf("CSV batch: %d %v", status, body)
	}
	last, err := s.LastReadings(storetest.Admin(), ents[0].ID)
	if err != nil || last["E-01"].Format(time.RFC3339) != "2026-11-28T02:00:00Z" {
		t.Fatalf("last reading: %v %v", last, err)
	}
}

// Ensure a bad line rejects the whole batch naming its line and field, and
// nothing is written: a meter unknown, another enterprise's, out of scope,
// a reading later than now, a time off the quarter hour.
func TestReadingsRejected(t *testing.T) {
	url, s, tokens, ents := readingsServer(t)
	mine, other := ents[0].CreditCode, ents[1].CreditCode
	good := readingLine(mine, "E-01", "2026-11-28T09:30:00+08:00", "1")
	for _, c := range []struct{ name, line, field, key string }{
		{"unknown serial", readingLine(mine, "E-02", "2026-11-28T09:30:00+08:00", "1"), "serial", "reading.meter_unknown"},
		{"out of scope", readingLine(other, "E-01", "2026-11-28T09:30:00+08:00", "1"), "serial", "reading.meter_unknown"},
		{"later today", readingLine(mine, "E-01", "2026-11-28T10:15:00+08:00", "1"), "time", "reading.time_future"},
		{"tomorrow", readingLine(mine, "E-01", "2026-11-29T00:00:00+08:00", "1"), "time", "reading.time_future"},
		{"off the grid", readingLine(mine, "E-01", "2026-11-28T09:20:00+08:00", "1"), "time", "reading.time_resolution"},
		{"negative", readingLine(mine, "E-01", "2026-11-28T09:30:00+08:00", "-1"), "value", "reading.value_negative"},
	} {
		status, body := postReadings(t, url, tokens["county"], "application/x-ndjson", good+c.line)
		errs, _ := body["errors"].([]any)
		if status != 400 || body["code"] != lianggao.EINVALID || len(errs) != 1 {
			t.Errorf("%s: %d %v", c.name, status, body)
			continue
		}
		if e := errs[0].(map[string]any); e["line"] != 2.0 || e["field"] != c.field || e["code"] != c.key {
			t.Errorf("%s: %v, want line 2, field %s, code %s", c.name, e, c.field, c.key)
		}
	}
	if status, _ := postReadings(t, url, tokens["inspector"], "application/x-ndjson", good); status != 403 {
		t.Errorf("inspector: %d", status)
	}
	if status, _ := postReadings(t, url, tokens["county"], "application/xml", "<x/>"); status != 400 {
		t.Errorf("unsupported type: %d", status)
	}
	if last, err := s.LastReadings(storetest.Admin(), ents[0].ID); err != nil || len(last) != 0 {
		t.Fatalf("rejected batches wrote readings: %v %v", last, err)
	}
}
