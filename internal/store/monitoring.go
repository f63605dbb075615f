package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"lianggao"
)

// The monitoring rules read a whole province at once: these methods answer
// for every enterprise in the actor's scope in one query each, where the
// per-enterprise methods would take thousands.

// FiguresBetween returns the current figures of [from, to] by enterprise,
// for the enterprises given, or every one in scope when none are.
func (s *Store) FiguresBetween(ctx context.Context, from, to lianggao.Date, ids []int64) (map[int64][]*lianggao.Figure, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	w.add("f.day >= ? AND f.day <= ?", from.String(), to.String())
	if len(ids) > 0 {
		w.add("f.enterprise_id IN (" + idList(ids) + ")")
	}
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

// idList writes ids as SQL literals: they are integers, so there is nothing
// to escape, and a list of a few thousand would exceed a placeholder limit.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

// CapacitiesInScope returns the design capacities of every enterprise in scope.
func (s *Store) CapacitiesInScope(ctx context.Context) (map[int64][]lianggao.Capacity, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
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

// LastReadingsInScope returns, by enterprise and meter serial, the time of
// each meter's last reading.
func (s *Store) LastReadingsInScope(ctx context.Context) (map[int64]map[string]time.Time, error) {
	return s.lastReadings(ctx, 0)
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
