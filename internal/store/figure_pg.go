package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
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

// copyFigures loads a batch on PostgreSQL with the same effect as the
// multi-row upserts — new figures inserted, changed ones revised (the
// trigger keeps the earlier value), unchanged ones left alone, the last
// line for a key winning — and returns how many figures were inserted or
// changed. The lines are sorted by key, so that the primary key's index
// grows at one place at a time instead of everywhere at once (on a large
// table most of the cost), and a key named twice keeps its last line.
// When none of the batch's keys can exist yet — the usual case, a new
// day's figures — they are copied straight into the table; otherwise they
// are copied into a temporary table dropped at commit and upserted from
// it in one statement.
func copyFigures(ctx context.Context, ft figureTx, batchID int64, bySource map[string][]*lianggao.Figure) (int, error) {
	rows := sortedFigures(bySource)
	fresh, err := noFiguresYet(ctx, ft, rows)
	if err != nil {
		return 0, err
	}
	if fresh {
		// A figure written meanwhile by another batch makes the copy fail
		// on the primary key; the upsert below then handles it.
		if _, err := ft.exec(ctx, `SAVEPOINT figure_copy`); err != nil {
			return 0, fmt.Errorf("store: put figures: %w", err)
		}
		err := copyRows(ctx, ft, "figures", []string{"enterprise_id", "indicator", "source", "day", "value", "revision", "batch_id", "recorded_at"},
			rows, func(r stagedFigure, row []any) { row[5], row[6], row[7] = int64(1), batchID, ft.now })
		if err == nil {
			return len(rows), nil
		}
		if !isUniqueViolation(err) {
			return 0, fmt.Errorf("store: copy figures: %w", err)
		}
		if _, err := ft.exec(ctx, `ROLLBACK TO SAVEPOINT figure_copy`); err != nil {
			return 0, fmt.Errorf("store: put figures: %w", err)
		}
	}
	if _, err := ft.exec(ctx, `CREATE TEMPORARY TABLE figure_stage (enterprise_id BIGINT NOT NULL, indicator TEXT NOT NULL,
		source TEXT NOT NULL, day TEXT NOT NULL, value DOUBLE PRECISION NOT NULL) ON COMMIT DROP`); err != nil {
		return 0, fmt.Errorf("store: stage figures: %w", err)
	}
	if err := copyRows(ctx, ft, "figure_stage", []string{"enterprise_id", "indicator", "source", "day", "value"}, rows, nil); err != nil {
		return 0, fmt.Errorf("store: copy figures: %w", err)
	}
	res, err := ft.exec(ctx, `INSERT INTO figures (enterprise_id, indicator, source, day, value, revision, batch_id, recorded_at)
		SELECT enterprise_id, indicator, source, day, value, 1, ?, ? FROM figure_stage
		ORDER BY enterprise_id, indicator, source, day
		ON CONFLICT (enterprise_id, indicator, source, day) DO UPDATE
		SET value = excluded.value, revision = figures.revision + 1, batch_id = excluded.batch_id, recorded_at = excluded.recorded_at
		WHERE figures.value <> excluded.value`, batchID, ft.now)
	if err != nil {
		return 0, fmt.Errorf("store: put figures: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// stagedFigure is one line of a batch as it is copied.
type stagedFigure struct {
	*lianggao.Figure
	source, day string
}

// sortedFigures returns a batch's figures by key, the last line of each
// key only, with their days as text.
func sortedFigures(bySource map[string][]*lianggao.Figure) []stagedFigure {
	n := 0
	for _, figs := range bySource {
		n += len(figs)
	}
	type line struct {
		stagedFigure
		ord int
	}
	lines := make([]line, 0, n)
	days := map[lianggao.Date]string{}
	for _, src := range slices.Sorted(maps.Keys(bySource)) {
		for _, f := range bySource[src] {
			day, ok := days[f.Date]
			if !ok {
				day = f.Date.String()
				days[f.Date] = day
			}
			lines = append(lines, line{stagedFigure{f, src, day}, len(lines)})
		}
	}
	slices.SortFunc(lines, func(a, b line) int {
		if c := cmp.Compare(a.EnterpriseID, b.EnterpriseID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Indicator, b.Indicator); c != 0 {
			return c
		}
		if c := strings.Compare(a.source, b.source); c != 0 {
			return c
		}
		if c := strings.Compare(a.day, b.day); c != 0 {
			return c
		}
		return cmp.Compare(a.ord, b.ord)
	})
	out := make([]stagedFigure, 0, len(lines))
	for i, l := range lines {
		if next := i + 1; next < len(lines) && lines[next].EnterpriseID == l.EnterpriseID && lines[next].Indicator == l.Indicator &&
			lines[next].source == l.source && lines[next].day == l.day {
			continue // a later line names the same key
		}
		out = append(out, l.stagedFigure)
	}
	return out
}

// noFiguresYet reports whether no figure exists yet of the batch's
// enterprises, indicators and sources over its days: then none of its keys
// does either.
func noFiguresYet(ctx context.Context, ft figureTx, rows []stagedFigure) (bool, error) {
	ents, inds, srcs := map[int64]bool{}, map[string]bool{}, map[string]bool{}
	from, to := rows[0].day, rows[0].day
	for _, r := range rows {
		ents[r.EnterpriseID], inds[r.Indicator], srcs[r.source] = true, true, true
		from, to = min(from, r.day), max(to, r.day)
	}
	var exists bool
	err := ft.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM figures WHERE enterprise_id = ANY(?) AND indicator = ANY(?)
		AND source = ANY(?) AND day >= ? AND day <= ?)`,
		slices.Collect(maps.Keys(ents)), slices.Collect(maps.Keys(inds)), slices.Collect(maps.Keys(srcs)), from, to).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("store: put figures: %w", err)
	}
	return !exists, nil
}

// copyRows copies the figures into table: the columns enterprise_id,
// indicator, source, day and value, then those fill sets.
func copyRows(ctx context.Context, ft figureTx, table string, cols []string, rows []stagedFigure, fill func(stagedFigure, []any)) error {
	return ft.raw(func(pc *pgx.Conn) error {
		i := 0
		row := make([]any, len(cols))
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(rows) {
				return nil, nil
			}
			r := rows[i]
			i++
			row[0], row[1], row[2], row[3], row[4] = r.EnterpriseID, r.Indicator, r.source, r.day, r.Value
			if fill != nil {
				fill(r, row)
			}
			return row, nil
		}))
		return err
	})
}
