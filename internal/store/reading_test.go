package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func mustMeter(t *testing.T, s *store.Store, e *lianggao.Enterprise, serial string) {
	t.Helper()
	m := &lianggao.Meter{EnterpriseID: e.ID, Kind: "electricity", Serial: serial, AccuracyClass: "0.5S", Online: true}
	if err := s.CreateMeter(storetest.Admin(), m); err != nil {
		t.Fatal(err)
	}
}

// storedReadings returns every stored reading as "meter serial@time=value".
func storedReadings(t *testing.T, s *store.Store) []string {
	t.Helper()
	var out []string
	err := s.Inspect(context.Background(), func(db *sql.DB, _ string) error {
		rows, err := db.Query(`SELECT m.serial, r.at, r.value FROM meter_readings r JOIN meters m ON m.id = r.meter_id
			ORDER BY m.enterprise_id, m.serial, r.at`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var serial string
			var at time.Time
			var v float64
			if err := rows.Scan(&serial, &at, &v); err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%s@%s=%g", serial, at.UTC().Format("01-02T15:04"), v))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Ensure a batch of readings resolves meters by enterprise and serial, is
// idempotent, replaces a changed value, and is audited once with its checksum.
func TestIngestReadings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		mine := mustEnterprise(t, s, "370102", 1)
		other := mustEnterprise(t, s, "370103", 2)
		mustMeter(t, s, mine, "E-01")
		mustMeter(t, s, mine, "E-02")
		mustMeter(t, s, other, "E-01") // a serial is unique only per enterprise
		at := time.Date(2026, 11, 27, 0, 15, 0, 0, time.UTC)
		lines := []store.ReadingLine{
			{Line: 1, CreditCode: mine.CreditCode, Serial: "E-01", Time: at, Value: 10},
			{Line: 2, CreditCode: mine.CreditCode, Serial: "E-01", Time: at.Add(15 * time.Minute), Value: 12},
			{Line: 3, CreditCode: mine.CreditCode, Serial: "E-02", Time: at.In(time.FixedZone("CST", 8*3600)), Value: 5},
			{Line: 4, CreditCode: other.CreditCode, Serial: "E-01", Time: at, Value: 99},
		}
		res, err := s.IngestReadings(ctx, lines, "sum1")
		if err != nil || res.Lines != 4 || res.Changed != 4 || len(res.Enterprises) != 2 || res.From.String() != "2026-11-27" {
			t.Fatalf("first send: %+v %v", res, err)
		}
		if res, err := s.IngestReadings(ctx, lines, "sum1"); err != nil || res.Changed != 0 {
			t.Fatalf("second send changed %+v %v", res, err)
		}
		lines[1].Value = 13
		if res, err := s.IngestReadings(ctx, lines, "sum2"); err != nil || res.Changed != 1 {
			t.Fatalf("corrected send: %+v %v", res, err)
		}
		want := "[E-01@11-27T00:15=10 E-01@11-27T00:30=13 E-02@11-27T00:15=5 E-01@11-27T00:15=99]"
		if got := fmt.Sprint(storedReadings(t, s)); got != want {
			t.Fatalf("stored\n got %s\nwant %s", got, want)
		}
		audit, err := s.FindAudit(ctx, "batch", strconv.FormatInt(res.ID, 10), 5)
		if err != nil || len(audit) != 1 || audit[0].Action != "reading.batch" || !strings.Contains(audit[0].After, "sum1") {
			t.Fatalf("audit of batch %d: %v %v", res.ID, audit, err)
		}
		last, err := s.LastReadings(ctx, mine.ID)
		if err != nil || len(last) != 2 || !last["E-01"].Equal(at.Add(15*time.Minute)) || !last["E-02"].Equal(at) {
			t.Fatalf("last readings: %v %v", last, err)
		}
		county := storetest.As(lianggao.RoleCountySupervisor, "370102")
		if last, err := s.LastReadings(county, other.ID); err != nil || len(last) != 0 {
			t.Fatalf("out-of-scope last readings: %v %v", last, err)
		}
	})
}

// Ensure a reading of a meter unknown at its enterprise, of another
// enterprise's serial, or of an enterprise out of scope rejects the whole
// batch naming its lines, and nothing is written.
func TestIngestReadingsRejected(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		mine := mustEnterprise(t, s, "370102", 1)
		other := mustEnterprise(t, s, "370103", 2)
		mustMeter(t, s, mine, "E-01")
		mustMeter(t, s, other, "W-09")
		at := time.Date(2026, 11, 27, 0, 15, 0, 0, time.UTC)
		good := store.ReadingLine{Line: 1, CreditCode: mine.CreditCode, Serial: "E-01", Time: at, Value: 1}
		county := storetest.As(lianggao.RoleCountySupervisor, "370102")
		for name, bad := range map[string]store.ReadingLine{
			"unknown serial":         {CreditCode: mine.CreditCode, Serial: "E-99"},
			"other's serial":         {CreditCode: mine.CreditCode, Serial: "W-09"},
			"out of scope":           {CreditCode: other.CreditCode, Serial: "W-09"},
			"unregistered code":      {CreditCode: storetest.CreditCode("370100", 77), Serial: "E-01"},
			"serial's case mismatch": {CreditCode: mine.CreditCode, Serial: "e-01"},
		} {
			bad.Line, bad.Time, bad.Value = 2, at, 2
			_, err := s.IngestReadings(county, []store.ReadingLine{good, bad}, "sum")
			var ae *lianggao.Error
			if !asError(err, &ae) || ae.Code != lianggao.EINVALID || len(ae.Problems) != 1 ||
				ae.Problems[0].Line != 2 || ae.Problems[0].Field != "serial" || ae.Problems[0].Key != "reading.meter_unknown" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if got := storedReadings(t, s); len(got) != 0 {
			t.Fatalf("rejected batches wrote %v", got)
		}
		inspector := storetest.As(lianggao.RoleInspector, "370102")
		if _, err := s.IngestReadings(inspector, []store.ReadingLine{good}, "sum"); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("an inspector, who may not write figures: %v", err)
		}
	})
}

// Ensure a batch larger than one statement's chunk is stored whole, and a
// later line for the same meter and time wins.
func TestIngestReadingsChunks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		e := mustEnterprise(t, s, "370102", 1)
		mustMeter(t, s, e, "E-01")
		start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		var lines []store.ReadingLine
		for i := range 450 {
			lines = append(lines, store.ReadingLine{Line: i + 1, CreditCode: e.CreditCode, Serial: "E-01",
				Time: start.Add(time.Duration(i) * 15 * time.Minute), Value: float64(i)})
		}
		lines = append(lines, store.ReadingLine{Line: 451, CreditCode: e.CreditCode, Serial: "E-01", Time: start, Value: 7})
		res, err := s.IngestReadings(storetest.Admin(), lines, "sum")
		// The last reading, 2026-11-24T16:15Z, falls on the 25th in the province.
		if err != nil || res.Changed != 451 || res.To.String() != "2026-11-25" {
			t.Fatalf("big batch: %+v %v", res, err)
		}
		got := storedReadings(t, s)
		if len(got) != 450 || got[0] != "E-01@11-20T00:00=7" {
			t.Fatalf("stored %d readings, first %v", len(got), got[:1])
		}
	})
}
