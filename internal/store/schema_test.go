package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure both engines have the same migration versions.
func TestMigrationVersionsMatch(t *testing.T) {
	lite, _ := store.Migrations("sqlite")
	pg, _ := store.Migrations("postgres")
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %s_%s, postgres %s_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}

// Ensure the two engines end with the same schema: tables, columns, types,
// nullability, primary keys and indexes.
func TestSchemaEquality(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skipf("%s is not set", storetest.EnvPostgres)
	}
	lite := describe(t, storetest.Open(t, "sqlite"))
	pg := describe(t, storetest.Open(t, "postgres"))
	if len(lite) < 10 {
		t.Fatalf("only %d schema facts read from sqlite", len(lite))
	}
	for _, f := range lite {
		if !slices.Contains(pg, f) {
			t.Errorf("only in sqlite: %s", f)
		}
	}
	for _, f := range pg {
		if !slices.Contains(lite, f) {
			t.Errorf("only in postgres: %s", f)
		}
	}
}

// describe returns one line per column and per index, in a form common to
// both engines.
func describe(t *testing.T, s *store.Store) []string {
	t.Helper()
	var facts []string
	err := s.Inspect(context.Background(), func(db *sql.DB, engine string) error {
		var err error
		if engine == "sqlite" {
			facts, err = describeSQLite(db)
		} else {
			facts, err = describePostgres(db)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(facts)
	return facts
}

func normalType(typ string) string {
	switch strings.ToLower(typ) {
	case "integer", "bigint":
		return "bigint"
	case "text":
		return "text"
	case "double precision", "real":
		return "double"
	case "blob", "bytea":
		return "bytes"
	case "boolean":
		return "boolean"
	case "timestamp", "timestamp with time zone":
		return "timestamp"
	}
	return "?" + typ
}

func describeSQLite(db *sql.DB) ([]string, error) {
	tables, err := strings1(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var facts []string
	for _, tbl := range tables {
		rows, err := db.Query(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, tbl)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var name, typ string
			var notnull, pk int
			rows.Scan(&name, &typ, &notnull, &pk)
			// A primary-key column is never null, whatever SQLite reports.
			facts = append(facts, fmt.Sprintf("column %s.%s %s notnull=%v pk=%v", tbl, name, normalType(typ), notnull == 1 || pk > 0, pk > 0))
		}
		rows.Close()
		idx, err := db.Query(`SELECT name, "unique" FROM pragma_index_list(?) WHERE origin = 'c'`, tbl)
		if err != nil {
			return nil, err
		}
		var names []string
		var uniq []bool
		for idx.Next() {
			var n string
			var u int
			idx.Scan(&n, &u)
			names, uniq = append(names, n), append(uniq, u == 1)
		}
		idx.Close()
		for i, n := range names {
			cols, err := strings1(db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, n)
			if err != nil {
				return nil, err
			}
			facts = append(facts, fmt.Sprintf("index %s on %s(%s) unique=%v", n, tbl, strings.Join(cols, ","), uniq[i]))
		}
	}
	return facts, nil
}

func describePostgres(db *sql.DB) ([]string, error) {
	var facts []string
	rows, err := db.Query(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO',
		EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc
			ON tc.constraint_name = k.constraint_name AND tc.table_name = k.table_name
			WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name)
		FROM information_schema.columns c WHERE c.table_schema = 'public'`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var tbl, col, typ string
		var notnull, pk bool
		rows.Scan(&tbl, &col, &typ, &notnull, &pk)
		facts = append(facts, fmt.Sprintf("column %s.%s %s notnull=%v pk=%v", tbl, col, normalType(typ), notnull, pk))
	}
	rows.Close()
	idx, err := db.Query(`SELECT i.relname, t.relname, ix.indisunique,
		array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ',')
		FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = 'public' AND NOT ix.indisprimary`)
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	for idx.Next() {
		var name, tbl, cols string
		var uniq bool
		idx.Scan(&name, &tbl, &uniq, &cols)
		facts = append(facts, fmt.Sprintf("index %s on %s(%s) unique=%v", name, tbl, cols, uniq))
	}
	return facts, idx.Err()
}

func strings1(db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
