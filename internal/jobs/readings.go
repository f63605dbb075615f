package jobs

import (
	"context"
	"io"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
)

// readingClockSkew is how far past the platform's clock a reading may
// stand: a gateway's clock may run a little fast, and rejecting a batch for
// that would lose a day's data over seconds.
const readingClockSkew = 5 * time.Minute

// IngestReadings reads a batch of meter readings at 15-minute resolution
// as a stream, validates it whole and stores it all or nothing (R6.1) — the
// one path for the API and the upload page, as IngestFigures is for
// figures. Sending the same batch again changes nothing; a reading sent
// again with another value replaces the stored one.
func (r *Runner) IngestReadings(ctx context.Context, s *store.Store, body io.Reader, format string, now time.Time) (*store.BatchResult, error) {
	p := s.Profile()
	parser := &monitor.Parser{Today: lianggao.DateOf(now.In(p.Location())), MaxLines: p.Reporting.MaxBatchLines}
	parse := parser.ParseReadingsNDJSON
	if format == FormatCSV {
		parse = parser.ParseReadingsCSV
	}
	future := futureReading(now, p.Location())
	return ingest(ctx, r, s, now, body, parse, func(row monitor.ReadingRow) (store.ReadingLine, error) {
		return store.ReadingLine{Line: row.Line, CreditCode: row.CreditCode, Serial: row.Serial, Time: row.Time,
			Value: row.Value}, future(row.Time)
	}, s.IngestReadings)
}

// futureReading returns the check of a reading's time against the clock:
// the parser knows only today's date, and a reading later today is as
// wrong as one tomorrow — it would keep a silent meter looking alive.
func futureReading(now time.Time, loc *time.Location) func(time.Time) error {
	latest := now.Add(readingClockSkew)
	return func(t time.Time) error {
		if t.After(latest) {
			return lianggao.FieldError("time", monitor.KeyReadingTimeFuture,
				t.In(loc).Format(time.RFC3339), now.In(loc).Format(time.RFC3339))
		}
		return nil
	}
}
