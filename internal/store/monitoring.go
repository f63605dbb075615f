package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
)

// The monitoring rules read many enterprises at once — a batch's, a chunk
// of them, or the whole province: these methods answer for the enterprises
// given (every one in the actor's scope when none are) in one query each,
// where the per-enterprise methods would take thousands.

// FiguresBetween returns the current figures of [from, to] by enterprise,
// for the enterprises given, or every one in scope when none are.
func (s *Store) FiguresBetween(ctx context.Context, from, to lianggao.Date, ids []int64) (map[int64][]*lianggao.Figure, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	w := figureRange(a, from, to, ids)
	rows, err := s.queryRead(ctx, `SELECT f.enterprise_id, f.day, f.indicator, f.source, f.value, f.revision,
		COALESCE(f.batch_id, 0), f.recorded_at FROM figures f JOIN enterprises e ON e.id = f.enterprise_id WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	figs, err := scanFigures(rows)
	if err != nil {
		return nil, err
	}
	out := map[int64][]*lianggao.Figure{}
	for _, f := range figs {
		out[f.EnterpriseID] = append(out[f.EnterpriseID], f)
	}
	return out, nil
}

// figureRange selects the figures f (of enterprises e) of [from, to] in the
// actor's scope, of the enterprises given or of all when none are.
func figureRange(a *lianggao.Actor, from, to lianggao.Date, ids []int64) *where {
	w := &where{}
	scopeEnterprise(w, a, "e")
	w.add("f.day >= ? AND f.day <= ?", from.String(), to.String())
	if len(ids) > 0 {
		w.add("f.enterprise_id IN (" + idList(ids) + ")")
	}
	return w
}

// RuleFigures returns the current figures of [from, to] as the rules read
// them: by enterprise, indicator and source, a series of daily values, for
// the enterprises given, or every one in scope when none are. It reads only
// what the rules use, in as few columns as it can (each column read costs
// the driver more than building the text), and shares strings and days
// between rows.
func (s *Store) RuleFigures(ctx context.Context, from, to lianggao.Date, ids []int64) (map[int64]monitor.Figures, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	w := figureRange(a, from, to, ids)
	// Days are YYYY-MM-DD and codes never hold '|' (a finding's subject
	// joins them with it), so one text column carries day, indicator and
	// source.
	rows, err := s.queryRead(ctx, `SELECT f.enterprise_id, f.value, f.day || f.indicator || '|' || f.source
		FROM figures f JOIN enterprises e ON e.id = f.enterprise_id WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	span := int(to.Time(time.UTC).Sub(from.Time(time.UTC))/(24*time.Hour)) + 1 // days of a full series
	out := map[int64]monitor.Figures{}
	codes := map[string]string{}
	dates := map[string]lianggao.Date{}
	intern := func(b []byte) string {
		if v, ok := codes[string(b)]; ok {
			return v
		}
		v := string(b)
		codes[v] = v
		return v
	}
	var (
		id, lastID int64 = 0, -1
		value      float64
		text       sql.RawBytes
		lastKey    string // indicator|source of the series being filled
		series     monitor.Series
	)
	for rows.Next() {
		if err := rows.Scan(&id, &value, &text); err != nil {
			return nil, err
		}
		bar := bytes.LastIndexByte(text, '|')
		if len(text) < len(time.DateOnly) || bar < len(time.DateOnly) {
			return nil, fmt.Errorf("store: figure row %q", text)
		}
		day, key := text[:len(time.DateOnly)], text[len(time.DateOnly):]
		d, ok := dates[string(day)]
		if !ok {
			if d, err = lianggao.ParseDate(string(day)); err != nil {
				return nil, err
			}
			dates[string(day)] = d
		}
		if id != lastID || string(key) != lastKey {
			lastID, lastKey = id, intern(key)
			bar -= len(time.DateOnly)
			ind, src := intern(key[:bar]), intern(key[bar+1:])
			figs := out[id]
			if figs == nil {
				figs = monitor.Figures{}
				out[id] = figs
			}
			bySource := figs[ind]
			if bySource == nil {
				bySource = map[string]monitor.Series{}
				figs[ind] = bySource
			}
			if series = bySource[src]; series == nil {
				series = make(monitor.Series, min(span, 366))
				bySource[src] = series
			}
		}
		series[d] = value
	}
	return out, rows.Err()
}

// EnterprisesByID returns the enterprises given that are in the actor's
// scope, in id order; the others are left out, as if they did not exist.
func (s *Store) EnterprisesByID(ctx context.Context, ids []int64) ([]*lianggao.Enterprise, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	w.add("e.id IN (" + idList(ids) + ")")
	rows, err := s.queryRead(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE `+w.String()+` ORDER BY e.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Enterprise
	for rows.Next() {
		e := &lianggao.Enterprise{}
		if err := scanEnterprise(rows, e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RuleMeters returns what the rules know of the meters of the enterprises
// given (every one in scope when none are), by enterprise: online or not,
// when verification is due and the time of the last reading.
func (s *Store) RuleMeters(ctx context.Context, ids []int64) (map[int64][]monitor.MeterStatus, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	if _, err := actorOf(ctx, lianggao.PermFigureRead); err != nil {
		return nil, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	if len(ids) > 0 {
		w.add("m.enterprise_id IN (" + idList(ids) + ")")
	}
	rows, err := s.queryRead(ctx, `SELECT m.enterprise_id, m.serial, m.online, m.calibration_due, r.at
		FROM meters m JOIN enterprises e ON e.id = m.enterprise_id
		LEFT JOIN meter_readings r ON r.meter_id = m.id AND r.at = (SELECT MAX(l.at) FROM meter_readings l WHERE l.meter_id = m.id)
		WHERE `+w.String()+` ORDER BY m.enterprise_id, m.kind, m.serial`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]monitor.MeterStatus{}
	for rows.Next() {
		var id int64
		var m monitor.MeterStatus
		var last sql.NullTime
		if err := rows.Scan(&id, &m.Serial, &m.Online, &m.CalibrationDue, &last); err != nil {
			return nil, err
		}
		if last.Valid {
			m.LastReading = last.Time.UTC()
		}
		out[id] = append(out[id], m)
	}
	return out, rows.Err()
}

// idList writes ids as SQL literals: they are integers, so there is nothing
// to escape, and a list of a few thousand would exceed a placeholder limit.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

// CapacitiesInScope returns the design capacities of the enterprises given,
// or of every enterprise in scope when none are.
func (s *Store) CapacitiesInScope(ctx context.Context, ids ...int64) (map[int64][]lianggao.Capacity, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	if len(ids) > 0 {
		w.add("c.enterprise_id IN (" + idList(ids) + ")")
	}
	rows, err := s.queryRead(ctx, `SELECT c.enterprise_id, c.product_code, c.amount FROM enterprise_capacities c
		JOIN enterprises e ON e.id = c.enterprise_id WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]lianggao.Capacity{}
	for rows.Next() {
		var id int64
		var c lianggao.Capacity
		if err := rows.Scan(&id, &c.Product, &c.Amount); err != nil {
			return nil, err
		}
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// lastReadings reads the last reading of every meter in scope, of one
// enterprise when id is not 0.
func (s *Store) lastReadings(ctx context.Context, id int64) (map[int64]map[string]time.Time, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	if id != 0 {
		w.add("m.enterprise_id = ?", id)
	}
	rows, err := s.queryRead(ctx, `SELECT m.enterprise_id, m.serial, r.at FROM meters m JOIN enterprises e ON e.id = m.enterprise_id
		JOIN meter_readings r ON r.meter_id = m.id AND r.at = (SELECT MAX(l.at) FROM meter_readings l WHERE l.meter_id = m.id)
		WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]time.Time{}
	for rows.Next() {
		var id int64
		var serial string
		var at time.Time
		if err := rows.Scan(&id, &serial, &at); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]time.Time{}
		}
		out[id][serial] = at.UTC()
	}
	return out, rows.Err()
}
