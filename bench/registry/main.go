// Command registry measures the registry's performance targets and prints
// each figure beside a baseline run in the same process:
//
//   - the enterprise list (page size 50, 3,000 enterprises) under 20 concurrent
//     clients, p50 and p99, on SQLite and (with LIANGGAO_TEST_POSTGRES) on
//     PostgreSQL, against a plain handler serving a page of the same size;
//   - importing a 10,000-row enterprise spreadsheet, against the bare insert of
//     the same rows;
//   - `lianggao demo` on a fresh data directory until /healthz answers 200
//     (the build excluded).
//
// Run: go run ./bench/registry [-duration 10s] [-skip-demo]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"lianggao/bench/internal/harness"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"lianggao"
	"lianggao/internal/server"
	"lianggao/internal/sheet"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
	"lianggao/internal/web"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "load duration per target")
	skipDemo := flag.Bool("skip-demo", false, "skip the demo start-up measurement")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measurements to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		harness.Must(err)
		harness.Must(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	// storetest's helpers take a testing.TB; a benchmark-less T gives them one.
	for _, engine := range harness.Engines() {
		runOn(engine, *duration)
	}
	if !*skipDemo {
		demoStartup()
	}
}

func runOn(engine string, duration time.Duration) {
	t := harness.New()
	defer t.Close()
	fmt.Printf("\n== %s ==\n", engine)
	measureImport(storetest.Admin(), storetest.Open(t, engine))
	measureList(storetest.Open(t, engine), duration)
}

// enterprises returns n valid enterprises spread over the province's counties.
func enterprises(s *store.Store, n, offset int) []*lianggao.Enterprise {
	var counties []string
	for _, c := range s.Profile().Cities() {
		for _, k := range s.Profile().Counties(c.Code) {
			counties = append(counties, k.Code)
		}
	}
	out := make([]*lianggao.Enterprise, n)
	for i := range out {
		out[i] = storetest.Enterprise(counties[i%len(counties)], offset+i)
	}
	return out
}

// measureImport times a 10,000-row spreadsheet through parse and import, and
// the bare store insert of the same rows as the baseline.
func measureImport(ctx context.Context, s *store.Store) {
	rows := enterprises(s, 10000, 100000)
	var buf bytes.Buffer
	w, _ := sheet.NewWriter(&buf, sheet.FormatXLSX, sheet.EnterpriseHeader())
	for _, e := range rows {
		w.Row(sheet.EnterpriseCells(e)...)
	}
	w.Close()
	start := time.Now()
	tbl, err := sheet.Read(bytes.NewReader(buf.Bytes()), "bench.xlsx", 64<<20)
	harness.Must(err)
	es, lines, err := sheet.ParseEnterprises(tbl, s.Profile())
	harness.Must(err)
	harness.Must(s.ImportEnterprises(ctx, es, lines, "bench"))
	full := time.Since(start)

	base := enterprises(s, 10000, 200000)
	lines2 := make([]int, len(base))
	start = time.Now()
	harness.Must(s.ImportEnterprises(ctx, base, lines2, "baseline"))
	bare := time.Since(start)
	fmt.Printf("import 10,000-row xlsx: %.2fs (target < 5s); bare store insert of 10,000: %.2fs; ratio %.1fx\n",
		full.Seconds(), bare.Seconds(), full.Seconds()/bare.Seconds())
}

// measureList loads the enterprise list with 20 clients and compares it
// with a plain handler serving a body of the same size.
func measureList(s *store.Store, duration time.Duration) {
	h := listServer(s)
	defer h.Close()
	cookie := signIn(h.URL)
	paths := []string{"/enterprises", "/enterprises?page=7", "/enterprises?city=370300", "/enterprises?q=测试企业01",
		"/enterprises?industry=cement&key=1", "/enterprises?sort=credit_code&page=3"}
	_, body := fetch(h.URL+paths[0], cookie)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	}))
	defer plain.Close()
	base := load(plain.URL, []string{"/"}, "", duration)
	got := load(h.URL, paths, cookie, duration)
	fmt.Printf("enterprise list, 20 clients, %d-byte page: p50 %.1fms p99 %.1fms (%.0f req/s; target p99 < 50ms)\n",
		len(body), harness.MS(got.p50), harness.MS(got.p99), got.rate)
	fmt.Printf("plain handler, same body:             p50 %.1fms p99 %.1fms (%.0f req/s); p99 ratio %.1fx\n",
		harness.MS(base.p50), harness.MS(base.p99), base.rate, harness.MS(got.p99)/harness.MS(base.p99))
}

func listServer(s *store.Store) *httptest.Server {
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	// The list is measured over 3,000 enterprises: the province's size.
	list := enterprises(s, 3000, 0)
	harness.Must(s.ImportEnterprises(storetest.Admin(), list, make([]int, len(list)), "list"))
	harness.Must(s.CreateUser(sys, &lianggao.User{Username: "bench", Name: "bench", Roles: []lianggao.Role{lianggao.RoleProvinceAdmin},
		Region: "370000"}, "bench-password"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := &server.Server{Sessions: s, Log: log, Ping: s.Ping}
	h, err := web.New(&web.Handler{Store: s, Profile: s.Profile(), Server: srv, Log: log, Now: time.Now, UploadLimit: 32 << 20})
	harness.Must(err)
	srv.RenderError = h.RenderError
	srv.Routes = h.Routes()
	srv.Ready.Store(true)
	return httptest.NewServer(srv.Handler())
}

func signIn(base string) string {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/signin", url.Values{"username": {"bench"}, "password": {"bench-password"}})
	harness.Must(err)
	res.Body.Close()
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == server.SessionCookie {
			return ck.Name + "=" + ck.Value
		}
	}
	panic("bench: sign-in gave no session")
}

func fetch(u, cookie string) (int, []byte) {
	req, _ := http.NewRequest("GET", u, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := http.DefaultClient.Do(req)
	harness.Must(err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

type result struct {
	p50, p99 time.Duration
	rate     float64
}

// load runs 20 clients against the paths in turn for the duration.
func load(base string, paths []string, cookie string, duration time.Duration) result {
	const clients = 20
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr}
	var mu sync.Mutex
	var lat []time.Duration
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := c; time.Now().Before(deadline); i++ {
				req, _ := http.NewRequest("GET", base+paths[i%len(paths)], nil)
				if cookie != "" {
					req.Header.Set("Cookie", cookie)
				}
				start := time.Now()
				res, err := client.Do(req)
				harness.Must(err)
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					panic(fmt.Sprintf("bench: %s answered %d", req.URL, res.StatusCode))
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	return result{p50: lat[len(lat)/2], p99: lat[len(lat)*99/100], rate: float64(len(lat)) / duration.Seconds()}
}

// demoStartup builds the binary, starts `lianggao demo` on an empty
// directory and times it until /healthz answers 200.
func demoStartup() {
	dir, _ := os.MkdirTemp("", "lianggao-demo-bench-")
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "lianggao")
	build := exec.Command("go", "build", "-o", bin, "./cmd/lianggao")
	build.Stderr = os.Stderr
	harness.Must(build.Run())
	cmd := exec.Command(bin, "demo", "--data", filepath.Join(dir, "data"), "--addr", "127.0.0.1:18089")
	start := time.Now()
	harness.Must(cmd.Start())
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	for time.Since(start) < 120*time.Second {
		res, err := http.Get("http://127.0.0.1:18089/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				fmt.Printf("\nlianggao demo on a fresh data directory: /healthz 200 after %.1fs (target < 20s)\n", time.Since(start).Seconds())
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Println("\nlianggao demo did not become healthy within 120s")
}
