package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"lianggao"
	"lianggao/internal/jobs"
	"lianggao/internal/monitor"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// readingClockSkew is how far past the platform's clock a reading may
// stand: a gateway's clock may run a little fast, and rejecting a batch for
// that would lose a day's data over seconds.
const readingClockSkew = 5 * time.Minute

// handleReadings takes a batch of meter readings at 15-minute resolution
// as NDJSON or CSV, validates it whole as a stream and stores it all or
// nothing (R6.1), as handleReports does for figures. Sending the same batch
// again changes nothing; a reading sent again with another value replaces
// the stored one.
func (h *Handler) handleReadings(w http.ResponseWriter, r *http.Request) error {
	format, err := batchFormat(r)
	if err != nil {
		return err
	}
	now := h.now()
	p := h.readingsParser(now)
	parse := p.ParseReadingsNDJSON
	if format == jobs.FormatCSV {
		parse = p.ParseReadingsCSV
	}
	sum := sha256.New()
	var lines []store.ReadingLine
	future := futureReading(now, h.Store.Profile().Location())
	probs, err := parse(io.TeeReader(r.Body, sum), func(row monitor.ReadingRow) error {
		if err := future(row.Time); err != nil {
			return err
		}
		lines = append(lines, store.ReadingLine{Line: row.Line, CreditCode: row.CreditCode, Serial: row.Serial,
			Time: row.Time, Value: row.Value})
		return nil
	})
	if err != nil {
		return err
	}
	if err := probs.Err("batch.rejected"); err != nil {
		return err
	}
	res, err := h.Store.IngestReadings(r.Context(), lines, hex.EncodeToString(sum.Sum(nil)))
	if err != nil {
		return err
	}
	if res.Changed > 0 {
		h.Jobs.AfterBatch(r.Context(), h.Store, res, now)
	}
	return server.WriteJSON(w, http.StatusOK, res)
}

// readingsParser validates readings with today in the profile's zone as the
// latest date a reading may have.
func (h *Handler) readingsParser(now time.Time) *monitor.Parser {
	p := h.Store.Profile()
	return &monitor.Parser{Today: lianggao.DateOf(now.In(p.Location())), MaxLines: p.Reporting.MaxBatchLines}
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
