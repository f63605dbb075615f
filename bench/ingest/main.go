// Command ingest measures POST /api/v1/reports with 1,000,000 figures,
// NDJSON and CSV, against the engine's own bulk load of the same rows into
// the same indexed table in the same run: prepared inserts in one
// transaction on SQLite, COPY in 10,000-row batches on PostgreSQL.
//
// Run: go run ./bench/ingest [-n 1000000]   (LIANGGAO_TEST_POSTGRES adds PostgreSQL)
// [-engine sqlite|postgres] [-format ndjson|csv] [-cpuprofile FILE]; a
// profile needs one engine and one format, and covers that POST.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"lianggao/bench/internal/harness"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"lianggao"
	"lianggao/internal/api"
	"lianggao/internal/jobs"
	"lianggao/internal/server"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func main() {
	n := flag.Int("n", 1_000_000, "figures per batch")
	flag.StringVar(&onlyEngine, "engine", "", "run on this engine only: sqlite or postgres")
	flag.StringVar(&onlyFormat, "format", "", "post this format only: ndjson or csv")
	flag.StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the POST to this file")
	flag.Parse()
	if cpuprofile != "" && (onlyEngine == "" || onlyFormat == "") {
		fmt.Fprintln(os.Stderr, "ingest: -cpuprofile needs -engine and -format")
		os.Exit(2)
	}
	for _, engine := range harness.Engines() {
		if onlyEngine == "" || onlyEngine == engine {
			run(engine, *n)
		}
	}
}

var onlyEngine, onlyFormat, cpuprofile string

func run(engine string, n int) {
	t := harness.New()
	defer t.Close()
	fmt.Printf("\n== %s, %d figures ==\n", engine, n)
	codes := enterprises(t, engine)
	ndjson, csv := batches(codes, n)

	base := baseline(t, engine, codes, n)
	fmt.Printf("baseline (%s): %.2fs, %.0f rows/s\n", baselineName(engine), base.Seconds(), float64(n)/base.Seconds())
	for _, b := range []struct {
		name, ctype string
		body        []byte
	}{
		{"NDJSON", "application/x-ndjson", ndjson}, {"CSV", "text/csv", csv}} {
		if onlyFormat != "" && !strings.EqualFold(onlyFormat, b.name) {
			continue
		}
		s, url, token, runner := server1(t, engine)
		settle(s)
		if cpuprofile != "" {
			f, err := os.Create(cpuprofile)
			harness.Must(err)
			harness.Must(pprof.StartCPUProfile(f))
		}
		d := post(url, token, b.ctype, b.body)
		pprof.StopCPUProfile()
		fmt.Printf("POST /api/v1/reports %s: %.2fs, %.0f rows/s, %.2f× the baseline\n", b.name, d.Seconds(),
			float64(n)/d.Seconds(), base.Seconds()/d.Seconds())
		// The rules run after the batch in the background, as in the
		// server; they are not ingestion, and are waited for apart.
		start := time.Now()
		runner.Wait()
		fmt.Printf("  then the rules after the batch, in the background: %.2fs more\n", time.Since(start).Seconds())
	}
}

// settle starts each measurement from the same state: on PostgreSQL a
// checkpoint writes out what the previous load left in the WAL, so that no
// measurement pays for the one before it. It needs a superuser; without
// one the measurements go on unsettled.
func settle(s *store.Store) {
	_ = s.Inspect(context.Background(), func(db *sql.DB, engine string) error {
		if engine != "postgres" {
			return nil
		}
		_, err := db.Exec("CHECKPOINT")
		return err
	})
}

func baselineName(engine string) string {
	if engine == "postgres" {
		return "COPY in 10,000-row batches"
	}
	return "prepared inserts in one transaction"
}

// enterprises registers 3,000 enterprises and returns their codes.
func enterprises(t *harness.TB, engine string) []string {
	s := storetest.Open(t, engine)
	return register(s)
}

func register(s *store.Store) []string {
	var counties []string
	for _, c := range s.Profile().Cities() {
		for _, k := range s.Profile().Counties(c.Code) {
			counties = append(counties, k.Code)
		}
	}
	es := make([]*lianggao.Enterprise, 3000)
	codes := make([]string, len(es))
	for i := range es {
		es[i] = storetest.Enterprise(counties[i%len(counties)], i)
		codes[i] = es[i].CreditCode
	}
	if err := s.ImportEnterprises(storetest.Admin(), es, make([]int, len(es)), "bench"); err != nil {
		panic(err)
	}
	return codes
}

// row returns the i-th figure: enterprises × days × two indicators.
func row(codes []string, i int) (code string, day string, indicator string, value float64) {
	e := i % len(codes)
	rest := i / len(codes)
	ind := []string{"elec_kwh", "coal_t"}[rest%2]
	d := lianggao.Date{Year: 2025, Month: 1, Day: 1}.AddDays(rest / 2)
	return codes[e], d.String(), ind, float64(1000 + i%977)
}

func batches(codes []string, n int) (ndjson, csv []byte) {
	var nb, cb bytes.Buffer
	cb.WriteString("credit_code,date,indicator,value\n")
	for i := range n {
		code, day, ind, v := row(codes, i)
		fmt.Fprintf(&nb, `{"credit_code":"%s","date":"%s","indicator":"%s","value":%g}`+"\n", code, day, ind, v)
		fmt.Fprintf(&cb, "%s,%s,%s,%g\n", code, day, ind, v)
	}
	return nb.Bytes(), cb.Bytes()
}

// server1 starts the API on a fresh store with the enterprises and returns
// a token that may report figures and the runner of the work after batches.
func server1(t *harness.TB, engine string) (*store.Store, string, string, *jobs.Runner) {
	s := storetest.Open(t, engine)
	register(s)
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	u := &lianggao.User{Username: "gateway", Name: "gateway", Roles: []lianggao.Role{lianggao.RoleProvinceAdmin}, Region: "370000"}
	harness.Must(s.CreateUser(sys, u, "long-password"))
	token, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Permissions: []lianggao.Permission{lianggao.PermFigureWrite}})
	harness.Must(err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := &jobs.Runner{Log: log}
	srv := &server.Server{Sessions: s, Log: log,
		Routes: (&api.Handler{Store: s, Now: time.Now, Jobs: runner}).Routes()}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(runner.Wait) // the rules end before the store closes
	return s, ts.URL, token, runner
}

func post(url, token, ctype string, body []byte) time.Duration {
	req, _ := http.NewRequest("POST", url+"/api/v1/reports", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	harness.Must(err)
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		panic(fmt.Sprintf("status %d: %s", res.StatusCode, out))
	}
	return time.Since(start)
}

// baseline bulk-loads the same rows straight into the figures table of a
// fresh database, ids resolved beforehand, the way the engine loads fastest.
func baseline(t *harness.TB, engine string, codes []string, n int) time.Duration {
	s := storetest.Open(t, engine)
	register(s)
	ids := map[string]int64{}
	items, _, err := s.FindEnterprises(storetest.Admin(), lianggao.EnterpriseFilter{Limit: store.All})
	harness.Must(err)
	for _, e := range items {
		ids[e.CreditCode] = e.ID
	}
	settle(s)
	var d time.Duration
	harness.Must(s.Inspect(context.Background(), func(db *sql.DB, eng string) error {
		start := time.Now()
		var err error
		if eng == "postgres" {
			err = copyRows(db, codes, ids, n)
		} else {
			err = insertRows(t, s, codes, ids, n)
		}
		d = time.Since(start)
		return err
	}))
	return d
}

func insertRows(t *harness.TB, s *store.Store, codes []string, ids map[string]int64, n int) error {
	// The reader pool is read-only; open the writer's file directly.
	db := storetest.RawDB(t, s)
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	st, err := tx.Prepare(`INSERT INTO figures (enterprise_id, indicator, source, day, value, revision, recorded_at)
		VALUES (?, ?, 'enterprise', ?, ?, 1, ?)`)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for i := range n {
		code, day, ind, v := row(codes, i)
		if _, err := st.Exec(ids[code], ind, day, v, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func copyRows(db *sql.DB, codes []string, ids map[string]int64, n int) error {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	now := time.Now().UTC()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for start := 0; start < n; start += 10000 {
			rows := make([][]any, 0, 10000)
			for i := start; i < min(start+10000, n); i++ {
				code, day, ind, v := row(codes, i)
				rows = append(rows, []any{ids[code], ind, "enterprise", day, v, int64(1), now})
			}
			if _, err := pc.CopyFrom(context.Background(), pgx.Identifier{"figures"},
				[]string{"enterprise_id", "indicator", "source", "day", "value", "revision", "recorded_at"},
				pgx.CopyFromRows(rows)); err != nil {
				return err
			}
		}
		return nil
	})
}
