// Package store implements the platform's services on database/sql, with one
// set of portable SQL for SQLite (embedded) and PostgreSQL (production).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/config"
	"lianggao/internal/cryptosuite"
)

// Config says which database to open.
type Config struct {
	DataDir string // SQLite in DataDir/lianggao.db, when DSN is empty
	DSN     string // postgres://… for PostgreSQL
	Profile *config.Profile
	Now     func() time.Time
	// Password are argon2id's parameters; zero means auth.DefaultParams.
	Password auth.Params
	// Suite hashes, seals and signs; its keys never live in the database.
	Suite *cryptosuite.Suite
}

// Store is the platform's database. On SQLite all writes go through a single
// connection and reads through a pool; on PostgreSQL both are the same pool.
type Store struct {
	write, read *sql.DB
	dialect     dialect
	profile     *config.Profile
	now         func() time.Time
	hasher      *auth.Hasher
	suite       *cryptosuite.Suite
	auditSQL    auditStatements // prepared by Migrate
}

// Open opens (and, for SQLite, creates) the database. Call Migrate before use.
func Open(ctx context.Context, c Config) (*Store, error) {
	if c.Profile == nil {
		c.Profile = config.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Password == (auth.Params{}) {
		c.Password = auth.DefaultParams
	}
	if c.Suite == nil {
		return nil, fmt.Errorf("store: a crypto suite is required")
	}
	s := &Store{profile: c.Profile, now: c.Now, hasher: auth.NewHasher(c.Password, runtime.NumCPU()), suite: c.Suite}
	var err error
	if c.DSN != "" {
		err = s.openPostgres(c.DSN)
	} else {
		err = s.openSQLite(c.DataDir)
	}
	if err != nil {
		return nil, err
	}
	if err := s.read.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: ping: %w", err)
	}
	return s, nil
}

func (s *Store) openPostgres(dsn string) error {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return fmt.Errorf("store: --db must be a postgres:// URL")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(max(8, runtime.NumCPU()*4))
	db.SetMaxIdleConns(max(8, runtime.NumCPU()*4))
	s.write, s.read, s.dialect = db, db, dialectPostgres
	return nil
}

// sqlitePragmas: busy_timeout must come first so that the others wait for a
// lock instead of failing; WAL lets readers run beside the writer; immediate
// transactions take the write lock at BEGIN, since a deferred transaction that
// upgrades from read to write fails at once with SQLITE_BUSY whatever the timeout;
// times are written as UTC text that sorts and compares correctly.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)" +
	"&_time_format=sqlite&_timezone=UTC"

func (s *Store) openSQLite(dir string) error {
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("store: data directory: %w", err)
	}
	path := filepath.Join(dir, "lianggao.db")
	w, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(runtime.NumCPU() * 2)
	r.SetMaxIdleConns(runtime.NumCPU() * 2)
	r.SetConnMaxIdleTime(0)
	s.write, s.read, s.dialect = w, r, dialectSQLite
	return nil
}

// Close closes the pools.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.auditSQL.head, s.auditSQL.insert} {
		if st != nil {
			st.Close()
		}
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Engine returns "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.name }

// Profile returns the province profile the store was opened with.
func (s *Store) Profile() *config.Profile { return s.profile }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// tx is a transaction that rebinds its queries for the engine and carries the
// transaction's fixed time.
type tx struct {
	*sql.Tx
	d   dialect
	now time.Time
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, t.d.rebind(q), args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, t.d.rebind(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, t.d.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (t *tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// update runs a read-write transaction on the writer pool. fn's error rolls back.
func (s *Store) update(ctx context.Context, fn func(*tx) error) error {
	stx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &tx{Tx: stx, d: s.dialect, now: s.now().UTC()}
	if err := fn(t); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// view runs a read-only transaction on the reader pool, so a page sees one
// consistent state.
func (s *Store) view(ctx context.Context, fn func(*tx) error) error {
	stx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: s.dialect.name == "postgres"})
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer stx.Rollback()
	return fn(&tx{Tx: stx, d: s.dialect, now: s.now().UTC()})
}

// queryRead runs one read query on the reader pool.
func (s *Store) queryRead(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.read.QueryContext(ctx, s.dialect.rebind(q), args...)
}

func (s *Store) queryRowRead(ctx context.Context, q string, args ...any) *sql.Row {
	return s.read.QueryRowContext(ctx, s.dialect.rebind(q), args...)
}

// Setting returns a value from the settings table, or "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.queryRowRead(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// PutSetting stores a value in the settings table.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	return s.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

// notFound is the error for a missing or out-of-scope object.
func notFound(what string) error { return lianggao.Errorf(lianggao.ENOTFOUND, "notfound."+what) }

// forbidden is the error for an actor lacking a permission.
func forbidden() error { return lianggao.Errorf(lianggao.EFORBIDDEN, "forbidden") }

func actorOf(ctx context.Context, p lianggao.Permission) (*lianggao.Actor, error) {
	a := lianggao.ActorFrom(ctx)
	if a == nil {
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	if !a.Can(p) {
		return nil, forbidden()
	}
	return a, nil
}

// Inspect hands the raw reader pool to fn, for schema checks and benchmarks
// that must look beneath the services.
func (s *Store) Inspect(ctx context.Context, fn func(db *sql.DB, engine string) error) error {
	return fn(s.read, s.dialect.name)
}
