package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"lianggao"
)

// copyMinFigures is the smallest batch that PostgreSQL loads through a
// staging table: below it the multi-row upserts cost no more than the
// table's creation.
const copyMinFigures = 2000

// figureTx is a read-write transaction that stores figures. On PostgreSQL
// raw runs f on the transaction's own connection, so that a large batch can
// be copied into a staging table inside the transaction; it is nil on
// SQLite.
type figureTx struct {
	*tx
	raw func(f func(*pgx.Conn) error) error
}

// updateFigures runs fn in a read-write transaction, as update does, on
// PostgreSQL on a connection of its own that fn may COPY through.
func (s *Store) updateFigures(ctx context.Context, fn func(figureTx) error) error {
	if s.dialect.name != "postgres" {
		return s.update(ctx, func(t *tx) error { return fn(figureTx{tx: t}) })
	}
	c, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer c.Close()
	stx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	ft := figureTx{tx: &tx{Tx: stx, d: s.dialect, now: s.now().UTC()}}
	ft.raw = func(f func(*pgx.Conn) error) error {
		return c.Raw(func(dc any) error { return f(dc.(*stdlib.Conn).Conn()) })
	}
	if err := fn(ft); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// copyFigures loads a batch on PostgreSQL: COPY into a temporary table
// dropped at commit, then one upsert from it with the same effect as the
// multi-row upserts — new figures inserted, changed ones revised (the
// trigger keeps the earlier value), unchanged ones left alone; the last
// line for a key wins. It returns how many figures were inserted or
// changed.
func copyFigures(ctx context.Context, ft figureTx, batchID int64, bySource map[string][]*lianggao.Figure) (int, error) {
	if _, err := ft.exec(ctx, `CREATE TEMPORARY TABLE figure_stage (ord BIGINT NOT NULL, enterprise_id BIGINT NOT NULL,
		indicator TEXT NOT NULL, source TEXT NOT NULL, day TEXT NOT NULL, value DOUBLE PRECISION NOT NULL) ON COMMIT DROP`); err != nil {
		return 0, fmt.Errorf("store: stage figures: %w", err)
	}
	sources := slices.Sorted(maps.Keys(bySource))
	days := map[lianggao.Date]string{}
	err := ft.raw(func(pc *pgx.Conn) error {
		si, i, ord := 0, 0, int64(0)
		row := make([]any, 6)
		_, err := pc.CopyFrom(ctx, pgx.Identifier{"figure_stage"},
			[]string{"ord", "enterprise_id", "indicator", "source", "day", "value"},
			pgx.CopyFromFunc(func() ([]any, error) {
				for si < len(sources) && i == len(bySource[sources[si]]) {
					si, i = si+1, 0
				}
				if si == len(sources) {
					return nil, nil
				}
				f := bySource[sources[si]][i]
				i++
				ord++
				day, ok := days[f.Date]
				if !ok {
					day = f.Date.String()
					days[f.Date] = day
				}
				row[0], row[1], row[2], row[3], row[4], row[5] = ord, f.EnterpriseID, f.Indicator, sources[si], day, f.Value
				return row, nil
			}))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: copy figures: %w", err)
	}
	// The staged lines go in in the key's order: the primary key's index
	// then grows at one place at a time instead of everywhere at once,
	// which on a large table is most of the cost. A batch rarely names a
	// key twice, and then one statement would touch a row twice, which
	// PostgreSQL refuses; only then is each key's last line picked out.
	const upsert = ` ON CONFLICT (enterprise_id, indicator, source, day) DO UPDATE
		SET value = excluded.value, revision = figures.revision + 1, batch_id = excluded.batch_id, recorded_at = excluded.recorded_at
		WHERE figures.value <> excluded.value`
	if _, err := ft.exec(ctx, `SAVEPOINT figure_stage`); err != nil {
		return 0, fmt.Errorf("store: put figures: %w", err)
	}
	res, err := ft.exec(ctx, `INSERT INTO figures (enterprise_id, indicator, source, day, value, revision, batch_id, recorded_at)
		SELECT enterprise_id, indicator, source, day, value, 1, ?, ? FROM figure_stage
		ORDER BY enterprise_id, indicator, source, day, ord`+upsert, batchID, ft.now)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "21000" { // cardinality_violation: a key twice
		if _, err := ft.exec(ctx, `ROLLBACK TO SAVEPOINT figure_stage`); err != nil {
			return 0, fmt.Errorf("store: put figures: %w", err)
		}
		res, err = ft.exec(ctx, `INSERT INTO figures (enterprise_id, indicator, source, day, value, revision, batch_id, recorded_at)
			SELECT DISTINCT ON (enterprise_id, indicator, source, day) enterprise_id, indicator, source, day, value, 1, ?, ?
			FROM figure_stage ORDER BY enterprise_id, indicator, source, day, ord DESC`+upsert, batchID, ft.now)
	}
	if err != nil {
		return 0, fmt.Errorf("store: put figures: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
