package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Each engine has its own directory of DDL with the same timestamp versions,
// so that parallel work never collides; a test checks both end with the same schema.
//
//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned DDL file.
type Migration struct {
	Version string
	Name    string
	SQL     string
}

// Migrations returns the engine's migrations in version order.
func Migrations(engine string) ([]Migration, error) {
	dir := path.Join("migrations", engine)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations for %s: %w", engine, err)
	}
	var out []Migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		version, name, _ := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		out = append(out, Migration{Version: version, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies the migrations not yet applied, each in its own transaction,
// then loads the profile's regions, departments and industries. It returns the
// versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := Migrations(s.dialect.name)
	if err != nil {
		return nil, err
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("store: schema_migrations: %w", err)
	}
	var applied []string
	for _, m := range ms {
		err := s.update(ctx, func(t *tx) error {
			if s.dialect.name == "postgres" {
				// Several instances may start at once; one migrates, the others wait.
				if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(7461726)`); err != nil {
					return err
				}
			}
			var n int
			if err := t.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := t.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("store: migration %s_%s: %w", m.Version, m.Name, err)
			}
			applied = append(applied, m.Version)
			_, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return applied, err
		}
	}
	if err := s.prepareAudit(ctx); err != nil {
		return applied, fmt.Errorf("store: prepare: %w", err)
	}
	return applied, s.syncCatalog(ctx)
}
