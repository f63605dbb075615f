package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"lianggao"
)

// figureChunk rows go into one multi-row INSERT: large enough to amortise a
// statement, small enough for any engine's parameter limit.
const figureChunk = 200

// PutFigures stores a batch of figures from one source in one transaction with
// one audit entry. A figure already present is left alone when its value is
// unchanged, and otherwise becomes a new revision with the old one kept in
// figure_revisions. Sending the same batch twice changes nothing.
func (s *Store) PutFigures(ctx context.Context, source string, figs []*lianggao.Figure) (int64, error) {
	a, err := actorOf(ctx, lianggao.PermFigureWrite)
	if err != nil {
		return 0, err
	}
	if !slices.Contains(lianggao.FigureSources, source) {
		return 0, lianggao.FieldError("source", "enum.invalid", source)
	}
	var res *BatchResult
	err = s.updateFigures(ctx, func(t figureTx) error {
		if err := checkFigureScope(ctx, t.tx, a, figs); err != nil {
			return err
		}
		res, err = s.writeBatch(ctx, t, a, map[string][]*lianggao.Figure{source: figs}, len(figs), figureChecksum(figs))
		return err
	})
	if err != nil {
		return 0, err
	}
	return res.ID, nil
}

// FigureLine is one line of a batch sent by a machine client or uploaded:
// the enterprise by its credit code, the source per line.
type FigureLine struct {
	Line       int
	CreditCode string
	Date       lianggao.Date
	Indicator  string
	Value      float64
	Source     string
}

// BatchResult tells what a batch did.
type BatchResult struct {
	ID      int64 `json:"batch"`
	Lines   int   `json:"lines"`
	Changed int   `json:"changed"` // figures inserted or revised; 0 when the batch was sent before
	// What the batch touched, for the rules run after it.
	Enterprises []int64       `json:"-"`
	From, To    lianggao.Date `json:"-"`
}

// IngestFigures stores a validated batch in one transaction with one audit
// entry carrying its checksum. An enterprise unknown or outside the actor's
// scope rejects the whole batch, naming its lines.
func (s *Store) IngestFigures(ctx context.Context, lines []FigureLine, checksum string) (*BatchResult, error) {
	a, err := actorOf(ctx, lianggao.PermFigureWrite)
	if err != nil {
		return nil, err
	}
	var res *BatchResult
	err = s.updateFigures(ctx, func(t figureTx) error {
		ents, err := enterprisesByCode(ctx, t.tx, a, keys(lines, func(l FigureLine) string { return l.CreditCode }))
		if err != nil {
			return err
		}
		probs := &lianggao.Problems{Max: 1000}
		// One allocation for the batch's figures rather than one each.
		figs := make([]lianggao.Figure, len(lines))
		bySource := map[string][]*lianggao.Figure{}
		for i, l := range lines {
			e := ents[l.CreditCode]
			if e == nil {
				probs.Add(l.Line, "credit_code", "enterprise.unknown", l.CreditCode)
				continue
			}
			figs[i] = lianggao.Figure{EnterpriseID: e.ID, Date: l.Date, Indicator: l.Indicator, Value: l.Value, Source: l.Source}
			bySource[l.Source] = append(bySource[l.Source], &figs[i])
		}
		if err := probs.Err("batch.rejected"); err != nil {
			return err
		}
		res, err = s.writeBatch(ctx, t, a, bySource, len(lines), checksum)
		if err == nil {
			res.Enterprises, res.From, res.To = touched(bySource)
		}
		return err
	})
	return res, err
}

// touched returns the enterprises and the days a batch's figures concern.
func touched(bySource map[string][]*lianggao.Figure) ([]int64, lianggao.Date, lianggao.Date) {
	seen := map[int64]bool{}
	var ids []int64
	var from, to lianggao.Date
	for _, figs := range bySource {
		for _, f := range figs {
			if !seen[f.EnterpriseID] {
				seen[f.EnterpriseID] = true
				ids = append(ids, f.EnterpriseID)
			}
			if from.IsZero() || f.Date.Before(from) {
				from = f.Date
			}
			if to.Before(f.Date) {
				to = f.Date
			}
		}
	}
	return ids, from, to
}

// writeBatch records a batch and upserts its figures, source by source, or
// on PostgreSQL, for a large batch, through a staging table.
func (s *Store) writeBatch(ctx context.Context, t figureTx, a *lianggao.Actor, bySource map[string][]*lianggao.Figure, lines int, checksum string) (*BatchResult, error) {
	source := "mixed"
	if len(bySource) == 1 {
		for src := range bySource {
			source = src
		}
	}
	id, err := t.insert(ctx, `INSERT INTO batches (kind, source, user_id, lines, checksum, received_at)
		VALUES (?, ?, ?, ?, ?, ?)`, "figures", source, a.UserID, lines, checksum, t.now)
	if err != nil {
		return nil, err
	}
	res := &BatchResult{ID: id, Lines: lines}
	total := 0
	for _, figs := range bySource {
		total += len(figs)
	}
	if t.raw != nil && total >= copyMinFigures {
		if res.Changed, err = copyFigures(ctx, t, id, bySource); err != nil {
			return nil, err
		}
	} else {
		for _, src := range slices.Sorted(maps.Keys(bySource)) {
			figs := bySource[src]
			for i := 0; i < len(figs); i += figureChunk {
				n, err := putFigureChunk(ctx, t.tx, src, id, figs[i:min(i+figureChunk, len(figs))])
				if err != nil {
					return nil, err
				}
				res.Changed += n
			}
		}
	}
	return res, s.audit(ctx, t.tx, auditEntry{Action: "figure.batch", ObjectType: "batch", ObjectID: strconv.FormatInt(id, 10),
		After: map[string]any{"source": source, "lines": lines, "changed": res.Changed, "sha256": checksum}})
}

// checkFigureScope rejects a batch naming an enterprise outside the actor's scope.
func checkFigureScope(ctx context.Context, t *tx, a *lianggao.Actor, figs []*lianggao.Figure) error {
	ids := map[int64]bool{}
	for _, f := range figs {
		ids[f.EnterpriseID] = true
	}
	for id := range ids {
		if _, err := findEnterprise(ctx, t, a, id); err != nil {
			return lianggao.FieldError("enterprise", "enterprise.unknown", id)
		}
	}
	return nil
}

func figureChecksum(figs []*lianggao.Figure) string {
	h := sha256.New()
	for _, f := range figs {
		fmt.Fprintf(h, "%d|%s|%s|%g\n", f.EnterpriseID, f.Date, f.Indicator, f.Value)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type figureKey struct {
	enterprise int64
	indicator  string
	day        string
}

// putFigureChunk upserts a chunk in one statement: a new figure is
// inserted, a changed one updated (the trigger figures_keep_revision keeps
// its earlier value), an unchanged one left alone. It returns how many
// figures were inserted or changed.
func putFigureChunk(ctx context.Context, t *tx, source string, batchID int64, figs []*lianggao.Figure) (int, error) {
	// One statement may not touch a row twice: within a chunk the last line
	// for a key wins, as it would had the lines come one by one.
	last := make(map[figureKey]*lianggao.Figure, len(figs))
	order := make([]figureKey, 0, len(figs))
	for _, f := range figs {
		k := figureKey{f.EnterpriseID, f.Indicator, f.Date.String()}
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		last[k] = f
	}
	var b strings.Builder
	args := make([]any, 0, len(order)*7)
	for i, k := range order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, 1, ?, ?)")
		args = append(args, k.enterprise, k.indicator, source, k.day, last[k].Value, batchID, t.now)
	}
	res, err := t.exec(ctx, `INSERT INTO figures (enterprise_id, indicator, source, day, value, revision, batch_id, recorded_at)
		VALUES `+b.String()+` ON CONFLICT (enterprise_id, indicator, source, day) DO UPDATE
		SET value = excluded.value, revision = figures.revision + 1, batch_id = excluded.batch_id, recorded_at = excluded.recorded_at
		WHERE figures.value <> excluded.value`, args...)
	if err != nil {
		return 0, fmt.Errorf("store: put figures: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// FindFigures returns the current figures of one enterprise, by date and indicator.
func (s *Store) FindFigures(ctx context.Context, f lianggao.FigureFilter) ([]*lianggao.Figure, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("f.enterprise_id = ?", f.EnterpriseID)
	scopeEnterprise(w, a, "e")
	if len(f.Indicators) > 0 {
		args := make([]any, len(f.Indicators))
		for i, ind := range f.Indicators {
			args[i] = ind
		}
		w.add("f.indicator IN ("+placeholders(len(args))+")", args...)
	}
	if f.Source != "" {
		w.add("f.source = ?", f.Source)
	}
	if !f.From.IsZero() {
		w.add("f.day >= ?", f.From.String())
	}
	if !f.To.IsZero() {
		w.add("f.day <= ?", f.To.String())
	}
	rows, err := s.queryRead(ctx, `SELECT f.enterprise_id, f.day, f.indicator, f.source, f.value, f.revision,
		COALESCE(f.batch_id, 0), f.recorded_at FROM figures f JOIN enterprises e ON e.id = f.enterprise_id
		WHERE `+w.String()+` ORDER BY f.day, f.indicator, f.source`, w.args...)
	if err != nil {
		return nil, err
	}
	return scanFigures(rows)
}

// FigureRevisions returns every revision of one figure, oldest first.
func (s *Store) FigureRevisions(ctx context.Context, enterpriseID int64, d lianggao.Date, indicator, source string) ([]*lianggao.Figure, error) {
	if _, err := s.FindEnterpriseByID(ctx, enterpriseID); err != nil {
		return nil, err
	}
	cols := `enterprise_id, day, indicator, source, value, revision, COALESCE(batch_id, 0), recorded_at`
	cond := ` WHERE enterprise_id = ? AND day = ? AND indicator = ? AND source = ?`
	args := []any{enterpriseID, d.String(), indicator, source}
	rows, err := s.queryRead(ctx, `SELECT `+cols+` FROM figure_revisions`+cond+
		` UNION ALL SELECT `+cols+` FROM figures`+cond+` ORDER BY 6`, append(args, args...)...)
	if err != nil {
		return nil, err
	}
	return scanFigures(rows)
}

func scanFigures(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) ([]*lianggao.Figure, error) {
	defer rows.Close()
	var out []*lianggao.Figure
	for rows.Next() {
		f := &lianggao.Figure{}
		if err := rows.Scan(&f.EnterpriseID, &f.Date, &f.Indicator, &f.Source, &f.Value, &f.Revision, &f.BatchID, &f.RecordedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
