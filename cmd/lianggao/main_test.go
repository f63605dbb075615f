package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/demo"
	"lianggao/internal/planner"
)

// running is a program started by a test.
type running struct {
	addr     string
	out      *syncBuffer
	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the program with args until the test ends, and waits until it
// listens.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	r := &running{out: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	m := NewMain()
	m.Stdout, m.Stderr = r.out, r.out
	m.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	m.Password = auth.CheapParams
	m.Listening = listening
	go func() {
		r.done <- m.Run(ctx, args)
		m.Close()
	}()
	select {
	case r.addr = <-listening:
	case err := <-r.done:
		t.Fatalf("program stopped: %v\n%s", err, r.out)
	case <-time.After(3 * time.Minute):
		t.Fatalf("program did not start\n%s", r.out)
	}
	t.Cleanup(r.stop)
	return r
}

// stop ends the program and waits for it; a second call does nothing.
func (r *running) stop() {
	r.stopOnce.Do(func() {
		r.cancel()
		<-r.done
	})
}

// Ensure `demo` creates the province once, answers /healthz, and reuses the
// province when run again on the same directory.
func TestDemoCreatesAndReuses(t *testing.T) {
	dir := t.TempDir()
	r := start(t, "demo", "--data", dir, "--addr", "127.0.0.1:0")
	res, err := http.Get("http://" + r.addr + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	out := r.out.String()
	for _, want := range []string{"http://" + r.addr, "admin", demo.Password, "generating"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
		t.Errorf("truth file: %v", err)
	}
	r.stop()
	again := start(t, "demo", "--data", dir, "--addr", "127.0.0.1:0")
	if strings.Contains(again.out.String(), "generating") {
		t.Fatal("second run generated the province again")
	}
}

// Ensure an invalid profile stops the program with the key at fault.
func TestInvalidProfile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("name = \"x\"\nprovince = \"370000\"\ntime_zone = \"Mars/Olympus\"\n"), 0o600)
	m := NewMain()
	var out bytes.Buffer
	m.Stdout, m.Stderr = &out, &out
	err := m.Run(context.Background(), []string{"migrate", "--data", t.TempDir(), "--profile", bad})
	if err == nil || !strings.Contains(err.Error(), "time_zone") {
		t.Fatalf("want an error naming time_zone, got %v", err)
	}
}

// Ensure a newcomer can sign in, filter the enterprise list, open an
// enterprise and export the list, in a real headless Chromium.
func TestBrowserRegistry(t *testing.T) {
	b := newBrowser(t, 2*time.Minute)
	r := start(t, "demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	base := "http://" + r.addr
	ctx, downloads := b.ctx, b.downloads

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		signIn(base+"/enterprises", "admin", demo.Password),
		chromedp.WaitVisible(css("#enterprise-table")),
	)
	if err != nil {
		t.Fatalf("sign in: %v\n%s", err, r.out)
	}
	title := run(t, ctx, chromedp.Title())
	rows := run(t, ctx, chromedp.Text(css("#enterprise-table tbody")))
	if !strings.Contains(title, "企业名录") || rows == "" {
		t.Fatalf("list page: title %q, %d bytes of rows", title, len(rows))
	}
	// Choosing a city submits the filter at once; the county list appears.
	err = chromedp.Do(ctx,
		// SetValue fires the change event, as a person choosing would.
		chromedp.SetValue(css("select[name=city]"), "370300"),
		chromedp.WaitVisible(css("select[name=county]")),
	)
	if err != nil {
		t.Fatalf("filter: %v", err)
	}
	cityRows := run(t, ctx, chromedp.Text(css("#enterprise-table tbody")))
	if !strings.Contains(cityRows, "淄博市") || strings.Contains(cityRows, "济南市") {
		t.Fatalf("filtered list is not Zibo's:\n%s", cityRows[:min(len(cityRows), 400)])
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css("#enterprise-table tbody tr:first-child a")),
		chromedp.WaitVisible(css("#credit-code")),
	)
	if err != nil {
		t.Fatalf("open an enterprise: %v", err)
	}
	code := strings.TrimSpace(run(t, ctx, chromedp.Text(css("#credit-code"))))
	if len(code) != 18 {
		t.Fatalf("detail page credit code %q", code)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/enterprises?city=370300"),
		chromedp.WaitVisible(css("#export-xlsx")),
		chromedp.Click(css("#export-xlsx")),
	)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	file := waitForDownload(t, downloads)
	xlsx, _ := os.ReadFile(file)
	if !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Fatalf("download %s is not an xlsx (%d bytes)", file, len(xlsx))
	}
	uploadFigures(t, ctx, base, code)
}

// uploadFigures uploads a file of figures with a bad line and sees the line
// named, then a good one with a week missing and sees its alert.
func uploadFigures(t *testing.T, ctx context.Context, base, creditCode string) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("credit_code,date,indicator,value\n"+creditCode+",2026-11-01,elec_kwh,100\n"+creditCode+",2026-11-02,elec_kwh,lots\n"), 0o600)
	var good strings.Builder
	good.WriteString("credit_code,date,indicator,value\n")
	for i := range 30 {
		if i < 10 || i > 16 { // a week never reported, before the demo's year of figures
			fmt.Fprintf(&good, "%s,%s,elec_kwh,%d\n", creditCode, lianggao.Date{Year: 2025, Month: 1, Day: 1}.AddDays(i), 5000+i)
		}
	}
	goodFile := filepath.Join(dir, "good.csv")
	os.WriteFile(goodFile, []byte(good.String()), 0o600)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/upload/figures"),
		chromedp.WaitVisible(css("#file")),
		chromedp.SetUploadFiles(css("#file"), []string{bad}),
		chromedp.Submit(css("#file")),
		chromedp.WaitVisible(css("#upload-problems")),
	)
	if err != nil {
		t.Fatalf("bad upload: %v\n%s", err, pageText(ctx))
	}
	if problems := run(t, ctx, chromedp.Text(css("#upload-problems"))); !strings.Contains(problems, "3") || !strings.Contains(problems, "value") {
		t.Fatalf("the bad line is not named:\n%s", problems)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/upload/figures"),
		chromedp.WaitVisible(css("#file")),
		chromedp.SetUploadFiles(css("#file"), []string{goodFile}),
		chromedp.Submit(css("#file")),
		chromedp.WaitVisible(css(".notice.success")),
	)
	if err != nil {
		t.Fatalf("good upload: %v\n%s", err, pageText(ctx))
	}
	if notice := run(t, ctx, chromedp.Text(css(".notice.success"))); !strings.Contains(notice, "23") {
		t.Fatalf("upload result: %s", notice)
	}
	// The rules run in the background after the batch; their alert follows.
	for range 40 {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/alerts?rule=reports_missing")); err != nil {
			t.Fatal(err)
		}
		if found := run(t, ctx, chromedp.Evaluate[bool](`!!document.getElementById("alert-table")`)); found {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("no alert after the upload:\n%s", pageText(ctx))
}

// run runs one browser action that returns a value.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// findChromium returns the browser, skipping without one unless CI is set.
func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but no chromium is installed")
	}
	t.Skip("no chromium installed; browser test skipped")
	return ""
}

func waitForDownload(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no file downloaded")
	return ""
}

// Ensure `token create` prints a working token as its last line.
func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(envKey, strings.Repeat("5a", 32))
	run := func(args ...string) string {
		out, err := runCommand(append(args, "--data", dir)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return out
	}
	run("user", "create", "--username", "gateway", "--role", "enterprise_reporter,task_force", "--region", "370300", "--password", "a-long-password")
	out := run("token", "create", "--user", "gateway", "--perms", "registry:read", "--days", "30")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	if len(secret) < 40 || strings.Contains(secret, " ") {
		t.Fatalf("last line is not a token: %q", secret)
	}
	r := start(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	req, _ := http.NewRequest("GET", "http://"+r.addr+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("token use: %v %v", res, err)
	}
	res.Body.Close()
}

// Ensure audit-verify passes on an intact trail, and after a change made
// behind the platform's back exits with an error naming the entry.
func TestAuditVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(envKey, strings.Repeat("3c", 32))
	run := func(args ...string) (string, error) { return runCommand(append(args, "--data", dir)...) }
	for _, name := range []string{"first", "second", "third"} {
		if out, err := run("user", "create", "--username", name, "--role", "inspector", "--region", "370000"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	if out, err := run("audit-verify"); err != nil || !strings.Contains(out, "3 entries") {
		t.Fatalf("intact trail: %v\n%s", err, out)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "lianggao.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_entries SET actor = 'nobody' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = run("audit-verify")
	if err == nil || !strings.Contains(err.Error(), "entry 2") {
		t.Fatalf("tampered trail: %v", err)
	}
}

// Ensure an administrator's first sign-in in a real browser sets up
// two-step verification and changes the first password.
func TestBrowserTwoStepSignin(t *testing.T) {
	b := newBrowser(t, time.Minute)
	dir := t.TempDir()
	t.Setenv(envKey, strings.Repeat("4d", 32))
	out, err := runCommand("user", "create", "--data", dir, "--username", "sysadmin",
		"--role", "system_admin", "--region", "370000", "--password", "First-Pass-2026")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r := start(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	base := "http://" + r.addr
	ctx := b.ctx
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err = chromedp.Do(ctx,
		signIn(base+"/admin/users", "sysadmin", "First-Pass-2026"),
		chromedp.WaitVisible(css("#totp-secret")),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	secret := strings.ReplaceAll(run(t, ctx, chromedp.Text(css("#totp-secret"))), " ", "")
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css("#code"), code),
		chromedp.Submit(css("#code")),
		// The first password must be changed before anything else.
		chromedp.WaitVisible(css("#current")),
	)
	if err != nil {
		t.Fatalf("second factor: %v\n%s", err, pageText(ctx))
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css("#current"), "First-Pass-2026"),
		chromedp.SendKeys(css("input[name=password]"), "Taishan#Peak-1545"),
		chromedp.SendKeys(css("#confirm"), "Taishan#Peak-1545"),
		chromedp.Submit(css("#confirm")),
		// The account page confirms the change; only then go on.
		chromedp.WaitVisible(css("#token-name")),
		chromedp.Navigate(base+"/admin/users"),
		chromedp.WaitVisible(css("#user-table")),
	)
	if err != nil {
		t.Fatalf("new password: %v\n%s", err, pageText(ctx))
	}
	if rows := run(t, ctx, chromedp.Text(css("#user-table"))); !strings.Contains(rows, "2FA") {
		t.Fatalf("the user list does not show two-step verification:\n%s", rows)
	}
}

// runCommand runs the program once to completion and returns what it printed.
func runCommand(args ...string) (string, error) {
	m := NewMain()
	var out bytes.Buffer
	m.Stdout, m.Stderr = &out, &out
	m.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	m.Password = auth.CheapParams
	err := m.Run(context.Background(), args)
	m.Close()
	return out.String(), err
}

// Ensure campaign replay documents itself, reproduces a draw byte for byte
// from the published inputs and seed, and refuses a wrong commitment.
func TestCampaignReplay(t *testing.T) {
	if out, err := runCommand("campaign", "replay", "--help"); err != nil || !strings.Contains(out, "--commitment") {
		t.Fatalf("--help: %v\n%s", err, out)
	}
	in := planner.AssignmentInputs{Campaign: "2026H1", Groups: []planner.GroupSpec{{Department: "drc", Cities: 2}, {Department: "eco", Cities: 1}},
		Cities: []planner.CityLoad{{Code: "370100", Enterprises: 40}, {Code: "370200", Enterprises: 30}, {Code: "370300", Enterprises: 55}}}
	seed := bytes.Repeat([]byte{9}, planner.SeedSize)
	want, err := planner.Assign(in, seed)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "inputs.json")
	os.WriteFile(file, in.Canonical(), 0o600)
	hexSeed := fmt.Sprintf("%x", seed)
	out, err := runCommand("campaign", "replay", "--inputs", file, "--seed", hexSeed, "--commitment", planner.Commitment(seed, in))
	if err != nil || out != string(want.JSON()) {
		t.Fatalf("replay: %v\n%s\nwant\n%s", err, out, want.JSON())
	}
	if _, err := runCommand("campaign", "replay", "--inputs", file, "--seed", hexSeed, "--commitment", strings.Repeat("0", 64)); err == nil {
		t.Fatal("a wrong commitment was accepted")
	}
}

// pageText is the visible text of the current page, for a failure message.
func pageText(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	return text
}
