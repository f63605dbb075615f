package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lianggao"
)

// keyMeterUnknown is the problem of a reading whose meter is not registered
// at the named enterprise, or whose enterprise is outside the actor's scope:
// the two are not told apart, so a batch cannot probe other regions.
const keyMeterUnknown = "reading.meter_unknown"

// ReadingLine is one line of a batch of meter readings: the meter by its
// enterprise's credit code and its serial, which is unique only there.
type ReadingLine struct {
	Line       int
	CreditCode string
	Serial     string
	Time       time.Time
	Value      float64
}

// meterKey names a meter as a batch does.
type meterKey struct{ code, serial string }

// meterRef is a meter found for a key.
type meterRef struct{ id, enterprise int64 }

// reading is a resolved line, ready to store.
type reading struct {
	meterID    int64
	enterprise int64
	at         time.Time // UTC
	value      float64
}

// IngestReadings stores a validated batch of meter readings in one
// transaction with one audit entry carrying its checksum. A meter unknown
// at its enterprise, or of an enterprise outside the actor's scope, rejects
// the whole batch, naming its lines. A reading already stored is left alone
// when its value is unchanged and replaced otherwise: readings are
// instrument data and keep no history. Changed counts the readings
// inserted or replaced.
func (s *Store) IngestReadings(ctx context.Context, lines []ReadingLine, checksum string) (*BatchResult, error) {
	a, err := actorOf(ctx, lianggao.PermFigureWrite)
	if err != nil {
		return nil, err
	}
	var res *BatchResult
	err = s.update(ctx, func(t *tx) error {
		meters, err := metersByKey(ctx, t, a, lines)
		if err != nil {
			return err
		}
		readings, err := resolveReadings(lines, meters)
		if err != nil {
			return err
		}
		res, err = s.writeReadings(ctx, t, a, readings, len(lines), checksum)
		return err
	})
	return res, err
}

// metersByKey returns the meters, with their enterprises, of the credit
// codes the lines name that the actor may see.
func metersByKey(ctx context.Context, t *tx, a *lianggao.Actor, lines []ReadingLine) (map[meterKey]meterRef, error) {
	out := map[meterKey]meterRef{}
	err := inChunks(keys(lines, func(l ReadingLine) string { return l.CreditCode }), func(part []any) error {
		w := &where{}
		w.add(`e.credit_code IN (`+placeholders(len(part))+`)`, part...)
		scopeEnterprise(w, a, "e")
		rows, err := t.query(ctx, `SELECT m.id, m.enterprise_id, e.credit_code, m.serial
			FROM meters m JOIN enterprises e ON e.id = m.enterprise_id WHERE `+w.String(), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m meterRef
			var k meterKey
			if err := rows.Scan(&m.id, &m.enterprise, &k.code, &k.serial); err != nil {
				return err
			}
			out[k] = m
		}
		return rows.Err()
	})
	return out, err
}

// resolveReadings turns lines into readings of known meters, or rejects the
// batch naming every line whose meter is unknown.
func resolveReadings(lines []ReadingLine, meters map[meterKey]meterRef) ([]reading, error) {
	probs := &lianggao.Problems{Max: 1000}
	out := make([]reading, 0, len(lines))
	for _, l := range lines {
		m, ok := meters[meterKey{l.CreditCode, l.Serial}]
		if !ok {
			probs.Add(l.Line, "serial", keyMeterUnknown, l.Serial, l.CreditCode)
			continue
		}
		out = append(out, reading{meterID: m.id, enterprise: m.enterprise, at: l.Time.UTC(), value: l.Value})
	}
	return out, probs.Err("batch.rejected")
}

// writeReadings records the batch, upserts its readings chunk by chunk and
// audits it once.
func (s *Store) writeReadings(ctx context.Context, t *tx, a *lianggao.Actor, readings []reading, lines int, checksum string) (*BatchResult, error) {
	const source = "meter"
	id, err := t.insert(ctx, `INSERT INTO batches (kind, source, user_id, lines, checksum, received_at)
		VALUES (?, ?, ?, ?, ?, ?)`, "readings", source, a.UserID, lines, checksum, t.now)
	if err != nil {
		return nil, err
	}
	res := &BatchResult{ID: id, Lines: lines}
	for i := 0; i < len(readings); i += figureChunk {
		n, err := putReadingChunk(ctx, t, id, readings[i:min(i+figureChunk, len(readings))])
		if err != nil {
			return nil, err
		}
		res.Changed += n
	}
	res.Enterprises, res.From, res.To = readingsTouched(readings, s.profile.Location())
	return res, s.audit(ctx, t, auditEntry{Action: "reading.batch", ObjectType: "batch", ObjectID: strconv.FormatInt(id, 10),
		After: map[string]any{"source": source, "lines": lines, "changed": res.Changed, "sha256": checksum}})
}

// readingsTouched returns the enterprises and the days, in the province's
// zone, that a batch's readings concern, for the rules run after it.
func readingsTouched(readings []reading, loc *time.Location) ([]int64, lianggao.Date, lianggao.Date) {
	seen := map[int64]bool{}
	var ids []int64
	var from, to lianggao.Date
	for _, r := range readings {
		if !seen[r.enterprise] {
			seen[r.enterprise] = true
			ids = append(ids, r.enterprise)
		}
		d := lianggao.DateOf(r.at.In(loc))
		if from.IsZero() || d.Before(from) {
			from = d
		}
		if to.Before(d) {
			to = d
		}
	}
	return ids, from, to
}

type readingKey struct {
	meter int64
	at    time.Time
}

// putReadingChunk upserts a chunk in one statement: a new reading is
// inserted, a changed one replaced, an unchanged one left alone. It returns
// how many readings were inserted or replaced.
func putReadingChunk(ctx context.Context, t *tx, batchID int64, readings []reading) (int, error) {
	// One statement may not touch a row twice: within a chunk the last line
	// for a meter and time wins, as it would had the lines come one by one.
	last := make(map[readingKey]float64, len(readings))
	order := make([]readingKey, 0, len(readings))
	for _, r := range readings {
		k := readingKey{r.meterID, r.at}
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		last[k] = r.value
	}
	var b strings.Builder
	args := make([]any, 0, len(order)*5)
	for i, k := range order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?)")
		args = append(args, k.meter, k.at, last[k], batchID, t.now)
	}
	res, err := t.exec(ctx, `INSERT INTO meter_readings (meter_id, at, value, batch_id, recorded_at)
		VALUES `+b.String()+` ON CONFLICT (meter_id, at) DO UPDATE
		SET value = excluded.value, batch_id = excluded.batch_id, recorded_at = excluded.recorded_at
		WHERE meter_readings.value <> excluded.value`, args...)
	if err != nil {
		return 0, fmt.Errorf("store: put readings: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// LastReadings returns the time of each meter's latest reading at an
// enterprise, by serial; meters without readings are absent, and so is
// everything of an enterprise outside the actor's scope.
func (s *Store) LastReadings(ctx context.Context, enterpriseID int64) (map[string]time.Time, error) {
	all, err := s.lastReadings(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	if all[enterpriseID] == nil {
		return map[string]time.Time{}, nil
	}
	return all[enterpriseID], nil
}
