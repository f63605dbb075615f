package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/store/storetest"
)

// Ensure an uploaded file with a bad line is refused naming the line, and a
// good one is stored and its alerts appear.
func TestUploadFigures(t *testing.T) {
	a := newApp(t)
	admin := a.client("admin")
	code := a.ents[0].CreditCode
	bad := "credit_code,date,indicator,value\n" + code + ",2026-10-01,elec_kwh,100\n" + code + ",2026-10-02,elec_kwh,lots\n"
	status, body := a.upload(admin, "/upload/figures", "day.csv", []byte(bad))
	if status != http.StatusBadRequest || !strings.Contains(body, "upload-problems") || !strings.Contains(body, ">3<") {
		t.Fatalf("bad file: %d", status)
	}
	var b strings.Builder
	b.WriteString("credit_code,date,indicator,value\n")
	day := lianggao.Date{Year: 2026, Month: 10, Day: 1}
	for i := range 40 {
		if i >= 15 && i < 22 {
			continue // a week never reported
		}
		fmt.Fprintf(&b, "%s,%s,elec_kwh,%d\n", code, day.AddDays(i), 1000+i%5)
	}
	status, body = a.upload(admin, "/upload/figures", "month.csv", []byte(b.String()))
	if status != http.StatusOK || !strings.Contains(body, "已接收 33 行") {
		t.Fatalf("good file: %d\n%s", status, body)
	}
	if code, body := a.get(admin, "/alerts?rule=reports_missing"); code != 200 || !strings.Contains(body, a.ents[0].Name) {
		t.Fatalf("no alert for the missing week: %d", code)
	}
}

// Ensure meter readings are uploaded through the same page: a bad line is
// named and nothing written, a good file is stored.
func TestUploadReadings(t *testing.T) {
	a := newApp(t)
	admin := a.client("admin")
	m := &lianggao.Meter{EnterpriseID: a.ents[0].ID, Kind: lianggao.MeterKinds[0], Serial: "EM-001", AccuracyClass: "0.5S", CalibrationDue: lianggao.Date{Year: 2027, Month: 6, Day: 1}, Online: true}
	if err := a.store.CreateMeter(storetest.Admin(), m); err != nil {
		t.Fatal(err)
	}
	code := a.ents[0].CreditCode
	bad := "credit_code,serial,time,value\n" + code + ",EM-001,2026-10-01T00:15:00+08:00,12.5\n" + code + ",EM-001,2026-10-01T00:30:00+08:00,-3\n"
	status, body := a.upload(admin, "/upload/readings", "meter.csv", []byte(bad))
	if status != http.StatusBadRequest || !strings.Contains(body, "upload-problems") || !strings.Contains(body, ">3<") {
		t.Fatalf("bad file: %d", status)
	}
	good := "credit_code,serial,time,value\n" + code + ",EM-001,2026-10-01T00:15:00+08:00,12.5\n" + code + ",EM-001,2026-10-01T00:30:00+08:00,13\n"
	status, body = a.upload(admin, "/upload/readings", "meter.csv", []byte(good))
	if status != http.StatusOK || !strings.Contains(body, "已接收 2 行，新增或更正 2 条计量数据") {
		t.Fatalf("good file: %d\n%s", status, body)
	}
}
