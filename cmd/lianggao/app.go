package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/api"
	"lianggao/internal/auth"
	"lianggao/internal/config"
	"lianggao/internal/cryptosuite"
	"lianggao/internal/demo"
	"lianggao/internal/jobs"
	"lianggao/internal/server"
	"lianggao/internal/store"
	"lianggao/internal/web"
)

var errUsage = errors.New("usage")

const usage = `lianggao — 两高行业监督检查平台

Usage:
  lianggao demo     [flags]   create (once) and serve a demo province on SQLite
  lianggao serve    [flags]   serve the platform
  lianggao migrate  [flags]   apply database migrations
  lianggao user create --username NAME --role ROLE --region CODE [--name NAME] [--password PW]
  lianggao token create --user NAME [--name N] [--perms P,…] [--region CODE] [--days 90]
                            issue an API token for a machine client (printed last)
  lianggao campaign replay --inputs FILE --seed HEX [--commitment HEX]
                            recompute a published city-to-group draw, byte for byte
  lianggao monitor check [--from DATE] [--to DATE] [--truth FILE] [--save]
                            run the monitoring rules over the stored figures
  lianggao audit-verify [flags]  check the audit trail: keyed hashes, links, head, signed checkpoints
  lianggao audit-seal --before DATE  move entries older than the retention period into a signed archive

Data flags (every command that touches data):
  --data DIR     SQLite database in DIR (default ./data)
  --db DSN       PostgreSQL, e.g. postgres://user@host/db
  --profile FILE province profile (default: the embedded Shandong profile)
  --now TIME     the platform's clock starts at TIME (RFC 3339 or YYYY-MM-DD)
  --key-file F   the platform's key file (default: $LIANGGAO_KEY, or DIR/lianggao.key)
  --audit-log F  file of signed audit checkpoints (default DIR/audit-checkpoints.log)

Serving flags (demo, serve): --addr, --tls-cert, --tls-key, --behind-proxy, --upload-mb;
demo also --seed. Add --help to a command (e.g. lianggao user create --help) for its flags.
`

// Main is the program: its flags, its store and its HTTP server. Tests build
// the real program through it.
type Main struct {
	Stdout, Stderr io.Writer
	Log            *slog.Logger

	// Flags.
	Data, DB, Profile, Now, Addr string
	KeyFile, AuditLog            string
	TLSCert, TLSKey              string
	BehindProxy                  bool
	Seed                         int64
	UploadMB                     int

	// Password sets argon2id's cost; tests use cheap parameters.
	Password auth.Params
	// Listening, if set, receives the address once the server accepts requests.
	Listening chan<- string

	store  *store.Store
	crypto *cryptosuite.Suite
	// createKey lets the demo make its own key file on first run.
	createKey bool
	profile   *config.Profile
	clock     func() time.Time
	srv       *server.Server
	jobs      *jobs.Runner
}

// NewMain returns a program writing to the standard streams.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
}

// Close releases the store.
func (m *Main) Close() error {
	if m.store != nil {
		return m.store.Close()
	}
	return nil
}

// Run runs a sub-command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return m.runDemo(ctx, rest)
	case "serve":
		return m.runServe(ctx, rest)
	case "migrate":
		return m.runMigrate(ctx, rest)
	case "user":
		return m.runUser(ctx, rest)
	case "token":
		return m.runToken(ctx, rest)
	case "campaign":
		return m.runCampaign(ctx, rest)
	case "monitor":
		return m.runMonitor(ctx, rest)
	case "audit-verify":
		return m.runAuditVerify(ctx, rest)
	case "audit-seal":
		return m.runAuditSeal(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// flags returns a flag set with the data flags every command shares.
func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.Data, "data", "data", "SQLite data directory")
	fs.StringVar(&m.DB, "db", "", "PostgreSQL DSN (postgres://…); overrides --data")
	fs.StringVar(&m.Profile, "profile", "", "province profile file (TOML)")
	fs.StringVar(&m.Now, "now", "", "start the clock at this time (RFC 3339 or YYYY-MM-DD)")
	fs.StringVar(&m.KeyFile, "key-file", "", "the platform's key file (default: $LIANGGAO_KEY, or DATA/lianggao.key)")
	fs.StringVar(&m.AuditLog, "audit-log", "", "file of signed audit checkpoints (default DATA/audit-checkpoints.log)")
	return fs
}

func (m *Main) serveFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&m.TLSCert, "tls-cert", "", "TLS certificate file")
	fs.StringVar(&m.TLSKey, "tls-key", "", "TLS key file")
	fs.BoolVar(&m.BehindProxy, "behind-proxy", false, "served behind a TLS-terminating proxy: cookies are Secure")
	fs.IntVar(&m.UploadMB, "upload-mb", 0, "upload limit in MB (default: the profile's)")
}

// open loads the profile, sets the clock and opens and migrates the store.
func (m *Main) open(ctx context.Context) error {
	p, err := config.Load(m.Profile)
	if err != nil {
		return err
	}
	m.profile = p
	if m.clock, err = clockFrom(m.Now, p.Location()); err != nil {
		return err
	}
	suite, err := m.suite(p)
	if err != nil {
		return err
	}
	m.crypto = suite
	s, err := store.Open(ctx, store.Config{DataDir: m.Data, DSN: m.DB, Profile: p, Now: m.clock, Password: m.Password, Suite: suite})
	if err != nil {
		return err
	}
	m.store = s
	applied, err := s.Migrate(ctx)
	if len(applied) > 0 {
		m.Log.Info("migrated", "engine", s.Engine(), "versions", strings.Join(applied, ","))
	}
	return err
}

// envKey names the environment variable that may hold the key, in hex.
const envKey = cryptosuite.EnvKey

// suite loads the platform's keys — from --key-file, $LIANGGAO_KEY or the
// data directory's lianggao.key — and builds the profile's crypto suite.
// Keys never live in the database, so database access alone cannot forge
// the audit trail.
func (m *Main) suite(p *config.Profile) (*cryptosuite.Suite, error) {
	var keys *cryptosuite.Keys
	var err error
	switch {
	case m.KeyFile != "":
		keys, err = cryptosuite.LoadKeyFile(m.KeyFile)
	case os.Getenv(envKey) != "":
		keys, err = cryptosuite.KeysFromEnv(envKey)
	default:
		keys, err = m.dataDirKey()
	}
	if err != nil {
		return nil, err
	}
	return cryptosuite.New(p.CryptoSuite, keys)
}

// dataDirKey reads DATA/lianggao.key; the demo creates it when missing and
// says so, anything else needs the key given.
func (m *Main) dataDirKey() (*cryptosuite.Keys, error) {
	path := filepath.Join(m.Data, "lianggao.key")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if !m.createKey || m.DB != "" {
			return nil, fmt.Errorf("no key: give --key-file or set %s (the demo creates %s)", envKey, path)
		}
		if err := os.MkdirAll(m.Data, 0o750); err != nil {
			return nil, err
		}
		if err := cryptosuite.GenerateKeyFile(path); err != nil {
			return nil, err
		}
		fmt.Fprintf(m.Stdout, "密钥文件 created the key file %s: keep it apart from the database in production\n", path)
	}
	return cryptosuite.LoadKeyFile(path)
}

// clockFrom returns the platform's clock: the real one, or one that starts at
// --now and runs on from there, so a demo is anchored to a fixed day.
func clockFrom(now string, loc *time.Location) (func() time.Time, error) {
	if now == "" {
		return time.Now, nil
	}
	start, err := time.Parse(time.RFC3339, now)
	if err != nil {
		d, derr := lianggao.ParseDate(now)
		if derr != nil {
			return nil, fmt.Errorf("--now: %q is neither RFC 3339 nor YYYY-MM-DD", now)
		}
		start = d.Time(loc).Add(9 * time.Hour)
	}
	wall := time.Now()
	return func() time.Time { return start.Add(time.Since(wall)) }, nil
}

func (m *Main) runMigrate(ctx context.Context, args []string) error {
	if err := m.flags("migrate").Parse(args); err != nil {
		return errUsage
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "database (%s) is up to date\n", m.store.Engine())
	return nil
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve")
	m.serveFlags(fs)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	return m.serve(ctx, nil)
}

func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.flags("demo")
	m.serveFlags(fs)
	fs.Int64Var(&m.Seed, "seed", 2026, "seed of the generated province")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if m.DB != "" && !strings.HasPrefix(m.DB, "postgres") {
		return fmt.Errorf("--db: want a postgres:// DSN")
	}
	if m.Now == "" {
		m.Now = demoNow
	}
	m.createKey = true
	if err := m.open(ctx); err != nil {
		return err
	}
	if err := m.ensureDemo(ctx); err != nil {
		return err
	}
	return m.serve(ctx, func(url string) {
		fmt.Fprintf(m.Stdout, "\n两高行业监督检查平台 demo: %s\n\n", url)
		fmt.Fprintf(m.Stdout, "%-12s %-12s %s\n", "账号 user", "密码 password", "角色 role")
		for _, a := range demo.Accounts() {
			fmt.Fprintf(m.Stdout, "%-12s %-12s %s\n", a.Username, a.Password, a.Description)
		}
		fmt.Fprintln(m.Stdout)
	})
}

// demoNow anchors the demo province and its clock to a fixed day, so every
// newcomer sees the same province.
const demoNow = "2026-11-28"

// ensureDemo generates the demo province unless the database already holds one.
func (m *Main) ensureDemo(ctx context.Context) error {
	done, err := m.store.Setting(ctx, demo.SettingGenerated)
	if err != nil || done != "" {
		return err
	}
	start := time.Now()
	fmt.Fprintln(m.Stdout, "正在生成演示省份 generating the demo province …")
	sum, err := demo.Generate(ctx, m.store, demo.Options{Seed: m.Seed, Now: m.clock(), DataDir: m.dataDirForTruth(),
		Progress: func(step string) { fmt.Fprintln(m.Stdout, "  ·", step) }})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	// The monitoring rules run over the demo's year, so its alerts are there
	// to triage from the first click.
	to := lianggao.DateOf(m.clock().In(m.profile.Location())).AddDays(-1)
	run, err := jobs.Alerts(lianggao.NewContext(ctx, lianggao.SystemActor), m.store, to.AddDays(-364), to, m.clock())
	if err != nil {
		return fmt.Errorf("demo: rules: %w", err)
	}
	fmt.Fprintf(m.Stdout, "生成完毕 done in %.1fs: %d enterprises, %d projects, %d people, %d groups, %d meters, %d figures, %d alerts\n",
		time.Since(start).Seconds(), sum.Enterprises, sum.Projects, sum.People, sum.Groups, sum.Meters, sum.Figures, run.Created)
	return nil
}

// dataDirForTruth is where the demo's truth file goes: the SQLite data
// directory, or the current directory's data/ for PostgreSQL.
func (m *Main) dataDirForTruth() string {
	if m.Data == "" {
		return "data"
	}
	return m.Data
}

// serve runs the HTTP server until ctx ends, then shuts down gracefully.
// announce is called with the URL once the server accepts requests.
func (m *Main) serve(ctx context.Context, announce func(url string)) error {
	uploadMB := m.UploadMB
	if uploadMB <= 0 {
		uploadMB = m.profile.Reporting.UploadLimitMB
	}
	tlsOn := m.TLSCert != "" || m.TLSKey != ""
	m.srv = &server.Server{Sessions: m.store, Log: m.Log, SecureCookies: tlsOn || m.BehindProxy, Ping: m.store.Ping}
	m.jobs = &jobs.Runner{Log: m.Log}
	h, err := web.New(&web.Handler{Store: m.store, Profile: m.profile, Server: m.srv, Log: m.Log, Now: m.clock,
		UploadLimit: int64(uploadMB) << 20, Jobs: m.jobs})
	if err != nil {
		return err
	}
	m.srv.RenderError = h.RenderError
	m.srv.Routes = append(h.Routes(), (&api.Handler{Store: m.store, Now: m.clock, Jobs: m.jobs}).Routes()...)

	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: m.srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if tlsOn {
		cert, err := tls.LoadX509KeyPair(m.TLSCert, m.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
		scheme = "https"
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	m.checkpoint(ctx)
	stopCheckpoints := m.checkpointEvery(ctx, time.Hour)
	defer stopCheckpoints()
	url := scheme + "://" + ln.Addr().String()
	m.srv.Ready.Store(true)
	m.Log.Info("listening", "url", url, "engine", m.store.Engine())
	if announce != nil {
		announce(url)
	}
	if m.Listening != nil {
		m.Listening <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.srv.Ready.Store(false)
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m.Log.Info("shutting down")
	err = hs.Shutdown(shutdown)
	m.jobs.Wait() // background rules finish before the store closes
	m.checkpoint(shutdown)
	return err
}

// checkpointEvery signs a checkpoint of the audit trail at each interval
// until ctx ends or the returned stop is called.
func (m *Main) checkpointEvery(ctx context.Context, every time.Duration) (stop func()) {
	ctx, stop = context.WithCancel(ctx)
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				m.checkpoint(ctx)
			}
		}
	}()
	return stop
}

func (m *Main) runAuditVerify(ctx context.Context, args []string) error {
	if err := m.flags("audit-verify").Parse(args); err != nil {
		return errUsage
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	n, err := m.store.VerifyAudit(ctx, m.checkpointFile())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "audit trail intact: %d entries, keyed hashes, links, head and signed checkpoints verified\n", n)
	return nil
}

// checkpointFile is where signed checkpoints of the audit trail are written
// beside the database: a copy the database cannot rewrite.
func (m *Main) checkpointFile() string {
	if m.AuditLog != "" {
		return m.AuditLog
	}
	return filepath.Join(m.Data, "audit-checkpoints.log")
}

// auditActor is who the command line acts as when it manages the audit trail.
var auditActor = &lianggao.Actor{Username: "system", Name: "系统", Roles: []lianggao.Role{lianggao.RoleAuditAdmin}}

func (m *Main) runAuditSeal(ctx context.Context, args []string) error {
	fs := m.flags("audit-seal")
	var before string
	fs.StringVar(&before, "before", "", "seal the entries older than this date (YYYY-MM-DD), at least the retention period ago")
	if err := fs.Parse(args); err != nil || before == "" {
		fmt.Fprintln(m.Stderr, "audit-seal: --before is required")
		return errUsage
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	d, err := lianggao.ParseDate(before)
	if err != nil {
		return fmt.Errorf("--before: %w", err)
	}
	path, err := m.store.SealAudit(lianggao.NewContext(ctx, auditActor), d.Time(m.profile.Location()),
		m.profile.Audit.RetentionMonths, filepath.Dir(m.checkpointFile()))
	if err != nil {
		return err
	}
	if path == "" {
		fmt.Fprintln(m.Stdout, "nothing old enough to seal")
		return nil
	}
	fmt.Fprintln(m.Stdout, "sealed into", path)
	return nil
}

// checkpoint signs the audit trail's head into the database, the checkpoint
// file and the log.
func (m *Main) checkpoint(ctx context.Context) {
	if err := os.MkdirAll(filepath.Dir(m.checkpointFile()), 0o750); err != nil {
		m.Log.Error("audit checkpoint", "err", err)
		return
	}
	c, err := m.store.Checkpoint(ctx, m.checkpointFile())
	if err != nil {
		m.Log.Error("audit checkpoint", "err", err)
		return
	}
	m.Log.Info("audit checkpoint", "seq", c.Seq, "hash", c.Hash, "signature", c.Signature)
}

func (m *Main) runUser(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	fs := m.flags("user create")
	var u lianggao.User
	var role, password string
	fs.StringVar(&u.Username, "username", "", "user name")
	fs.StringVar(&u.Name, "name", "", "display name")
	fs.StringVar(&role, "role", "", "roles, comma-separated")
	fs.StringVar(&u.Region, "region", "", "region code of the scope")
	fs.Int64Var(&u.EnterpriseID, "enterprise", 0, "enterprise id, for enterprise reporters")
	fs.StringVar(&password, "password", "", "initial password (default: generated and printed)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	for _, r := range strings.Split(role, ",") {
		u.Roles = append(u.Roles, lianggao.Role(strings.TrimSpace(r)))
	}
	if password == "" {
		token, _ := auth.NewToken()
		password = token[:16]
	}
	if u.Name == "" {
		u.Name = u.Username
	}
	// The first sign-in of an account made here asks for a new password.
	u.MustChangePassword = true
	if err := m.open(ctx); err != nil {
		return err
	}
	if err := m.store.CreateUser(lianggao.NewContext(ctx, lianggao.SystemActor), &u, password); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "created user %s (id %d)\npassword: %s\n", u.Username, u.ID, password)
	return nil
}

func (m *Main) runToken(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	fs := m.flags("token create")
	var username, perms string
	var req store.TokenRequest
	var days int
	fs.StringVar(&username, "user", "", "the user the token acts for")
	fs.StringVar(&req.Name, "name", "api", "what the token is for, e.g. the gateway's name")
	fs.StringVar(&perms, "perms", "", "permissions, comma-separated (default: all the user's)")
	fs.StringVar(&req.Region, "region", "", "region code to narrow the scope to (default: the user's)")
	fs.IntVar(&days, "days", 90, "lifetime in days")
	if err := fs.Parse(args[1:]); err != nil || username == "" {
		fmt.Fprintln(m.Stderr, "token create: --user is required")
		return errUsage
	}
	for _, p := range strings.Split(perms, ",") {
		if p = strings.TrimSpace(p); p != "" {
			req.Permissions = append(req.Permissions, lianggao.Permission(p))
		}
	}
	req.Lifetime = time.Duration(days) * 24 * time.Hour
	if err := m.open(ctx); err != nil {
		return err
	}
	sys := lianggao.NewContext(ctx, lianggao.SystemActor)
	u, err := m.store.FindUserByName(sys, username)
	if err != nil {
		return err
	}
	req.UserID = u.ID
	secret, tk, err := m.store.CreateToken(sys, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "token %d for %s, scope %s, expires %s; shown once, keep it safe:\n%s\n",
		tk.ID, u.Username, tk.Region, tk.ExpiresAt.Format(time.DateOnly), secret)
	return nil
}
