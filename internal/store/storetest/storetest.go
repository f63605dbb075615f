// Package storetest runs store tests on both engines: every test runs as a
// subtest "sqlite" and, when LIANGGAO_TEST_POSTGRES holds a DSN, "postgres".
// Each test gets a fresh database cloned from a migrated template, so tests
// stay fast and isolated on a server that outlives them.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"lianggao/internal/auth"
	"lianggao/internal/config"
	"lianggao/internal/cryptosuite"
	"lianggao/internal/store"
)

// EnvPostgres names the environment variable holding the PostgreSQL DSN.
const EnvPostgres = "LIANGGAO_TEST_POSTGRES"

// Now is the fixed time every test store sees: the demo's "today".
var Now = time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)

// Run runs fn once on a fresh SQLite store and once on a fresh PostgreSQL store.
func Run(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh, migrated store on the engine, closed and dropped when
// the test ends. Without LIANGGAO_TEST_POSTGRES the postgres engine skips.
func Open(t testing.TB, engine string) *store.Store {
	t.Helper()
	return OpenClock(t, engine, func() time.Time { return Now })
}

// OpenClock is Open with the given clock, for tests of expiry.
func OpenClock(t testing.TB, engine string, now func() time.Time) *store.Store {
	t.Helper()
	ctx := context.Background()
	cfg := store.Config{Profile: config.Default(), Now: now, Password: auth.CheapParams, Suite: Suite(t)}
	switch engine {
	case "sqlite":
		cfg.DataDir = t.TempDir()
		if err := copyFile(sqliteTemplate(t), filepath.Join(cfg.DataDir, "lianggao.db")); err != nil {
			t.Fatal(err)
		}
	case "postgres":
		cfg.DSN = postgresClone(t)
	default:
		t.Fatalf("storetest: unknown engine %q", engine)
	}
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	locations.Store(s, cfg)
	t.Cleanup(func() { s.Close(); locations.Delete(s) })
	// The template is already migrated; this loads the catalog and proves
	// re-running migrations is harmless.
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	sqliteOnce sync.Once
	sqlitePath string
	sqliteErr  error
)

// sqliteTemplate migrates one SQLite file per test process and returns its path.
func sqliteTemplate(t testing.TB) string {
	sqliteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lianggao-template-")
		if err != nil {
			sqliteErr = err
			return
		}
		s, err := store.Open(context.Background(), store.Config{DataDir: dir, Profile: config.Default(), Suite: Suite(t)})
		if err != nil {
			sqliteErr = err
			return
		}
		_, sqliteErr = s.Migrate(context.Background())
		s.Close() // closing the last connection checkpoints the WAL into the file
		sqlitePath = filepath.Join(dir, "lianggao.db")
	})
	if sqliteErr != nil {
		t.Fatalf("storetest: sqlite template: %v", sqliteErr)
	}
	return sqlitePath
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

var (
	pgOnce     sync.Once
	pgTemplate string
	pgErr      error
)

// postgresClone creates a database from the migrated template and returns
// its DSN; it is dropped when the test ends.
func postgresClone(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		t.Skipf("storetest: %s is not set; PostgreSQL subtests skipped", EnvPostgres)
	}
	pgOnce.Do(func() { pgTemplate, pgErr = ensurePostgresTemplate(admin) })
	if pgErr != nil {
		t.Fatalf("storetest: postgres template: %v", pgErr)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := "lianggao_t_" + randomHex(6)
	var lastErr error
	for range 20 { // another process may be cloning the same template this instant
		if _, lastErr = db.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + pgTemplate); lastErr == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lastErr != nil {
		t.Fatalf("storetest: clone: %v", lastErr)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	return withDatabase(admin, name)
}

// ensurePostgresTemplate creates the template database for the current
// migrations once per server: its name carries a hash of the DDL, and an
// advisory lock keeps parallel test processes from racing.
func ensurePostgresTemplate(admin string) (string, error) {
	ms, err := store.Migrations("postgres")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		io.WriteString(h, m.Version+m.SQL)
	}
	name := "lianggao_tpl_" + hex.EncodeToString(h.Sum(nil))[:12]
	ctx := context.Background()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7461727)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(7461727)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		return "", err
	}
	s, err := store.Open(ctx, store.Config{DSN: withDatabase(admin, building), Profile: config.Default(), Suite: testSuite})
	if err != nil {
		return "", err
	}
	_, err = s.Migrate(ctx)
	s.Close()
	if err != nil {
		return "", err
	}
	// Renamed only when complete, so a half-built template is never cloned.
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(fmt.Sprintf("storetest: bad DSN: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// testSuite is the gm suite with a fixed test key: tests need repeatable
// keys, never real ones.
var testSuite = func() *cryptosuite.Suite {
	keys, err := cryptosuite.NewKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		panic(err)
	}
	s, err := cryptosuite.New("gm", keys)
	if err != nil {
		panic(err)
	}
	return s
}()

// Suite returns the crypto suite tests use.
func Suite(testing.TB) *cryptosuite.Suite { return testSuite }

// locations remembers where each test store lives, for Exec.
var locations sync.Map

// Exec runs a statement on the test store's database from outside the
// store, as someone with database access could: tests of tamper detection
// use it. Placeholders are written ?.
func Exec(t testing.TB, s *store.Store, q string, args ...any) {
	t.Helper()
	v, ok := locations.Load(s)
	if !ok {
		t.Fatal("storetest: not a test store")
	}
	if cfg := v.(store.Config); cfg.DSN != "" {
		for n := 1; strings.Contains(q, "?"); n++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(n), 1)
		}
	}
	if _, err := RawDB(t, s).Exec(q, args...); err != nil {
		t.Fatalf("storetest: %s: %v", q, err)
	}
}

// Reopen opens a second store on the test store's database, as a second app
// instance would; it is closed when the test ends.
func Reopen(t testing.TB, s *store.Store) *store.Store {
	t.Helper()
	v, ok := locations.Load(s)
	if !ok {
		t.Fatal("storetest: not a test store")
	}
	s2, err := store.Open(context.Background(), v.(store.Config))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	if _, err := s2.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s2
}

// RawDB opens a connection to the test store's database from outside the
// store, closed when the test ends: for tampering tests and for benchmark
// baselines that load the engine directly. Queries must suit the engine.
func RawDB(t testing.TB, s *store.Store) *sql.DB {
	t.Helper()
	v, ok := locations.Load(s)
	if !ok {
		t.Fatal("storetest: not a test store")
	}
	cfg := v.(store.Config)
	driver, dsn := "sqlite", "file:"+filepath.Join(cfg.DataDir, "lianggao.db")+"?_pragma=busy_timeout(10000)&_time_format=sqlite"
	if cfg.DSN != "" {
		driver, dsn = "pgx", cfg.DSN
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
