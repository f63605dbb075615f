package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
)

// Batch formats a batch of figures may come in.
const (
	FormatNDJSON = "ndjson"
	FormatCSV    = "csv"
)

// IngestFigures reads a batch of daily figures as a stream, validates it
// whole and stores it all or nothing — the one path for the API and the
// upload page. Then, when it changed anything, the rules run for the
// enterprises and days it touched, in the background (one job per batch).
func (r *Runner) IngestFigures(ctx context.Context, s *store.Store, body io.Reader, format string, now time.Time) (*store.BatchResult, error) {
	p := Parser(s, now)
	parse := p.ParseNDJSON
	if format == FormatCSV {
		parse = p.ParseCSV
	}
	return ingest(ctx, r, s, now, body, parse, func(row monitor.Row) (store.FigureLine, error) {
		return store.FigureLine{Line: row.Line, CreditCode: row.CreditCode, Date: row.Date,
			Indicator: row.Indicator, Value: row.Value, Source: row.Source}, nil
	}, s.IngestFigures)
}

// ingest is the path of every batch: parse the stream while hashing it,
// turn each valid row into a line (or a problem), refuse the batch if any
// line is bad, store it in one go and run the rules if it changed anything.
func ingest[Row, Line any](ctx context.Context, r *Runner, s *store.Store, now time.Time, body io.Reader,
	parse func(io.Reader, func(Row) error) (*lianggao.Problems, error), line func(Row) (Line, error),
	save func(context.Context, []Line, string) (*store.BatchResult, error)) (*store.BatchResult, error) {
	sum := sha256.New()
	var lines []Line
	probs, err := parse(io.TeeReader(body, sum), func(row Row) error {
		l, err := line(row)
		if err == nil {
			lines = append(lines, l)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := probs.Err("batch.rejected"); err != nil {
		return nil, err
	}
	res, err := save(ctx, lines, hex.EncodeToString(sum.Sum(nil)))
	if err != nil {
		return nil, err
	}
	if res.Changed > 0 {
		r.AfterBatch(ctx, s, res, now)
	}
	return res, nil
}

// AfterBatch runs the rules for the enterprises and days a batch touched,
// in the background: one job per batch, never per row. The rules are the
// platform's own work, so they run as the platform, not as the sender (often
// a token narrowed to reporting); they reach only what the batch touched,
// which the sender was allowed to write. The request's id stays for the
// audit trail; its deadline does not.
func (r *Runner) AfterBatch(ctx context.Context, s *store.Store, res *store.BatchResult, now time.Time) {
	ctx = lianggao.NewContext(context.WithoutCancel(ctx), lianggao.SystemActor)
	r.Go(func() {
		run, err := Alerts(ctx, s, res.From, res.To, now, res.Enterprises...)
		if err != nil {
			r.Logger().Error("rules after a batch", "batch", res.ID, "err", err)
			return
		}
		r.Logger().Info("rules after a batch", "batch", res.ID, "created", run.Created, "extended", run.Extended)
	})
}

// Parser validates batches against the profile's indicators, with today in
// the profile's zone as the latest date a figure may have.
func Parser(s *store.Store, now time.Time) *monitor.Parser {
	p := s.Profile()
	return &monitor.Parser{Catalogue: p.Catalogue(),
		Today: lianggao.DateOf(now.In(p.Location())), MaxLines: p.Reporting.MaxBatchLines}
}
