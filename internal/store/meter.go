package store

import (
	"context"
	"fmt"
	"strconv"

	"lianggao"
)

// FindMeters returns a page of meters of enterprises the actor may see.
func (s *Store) FindMeters(ctx context.Context, f lianggao.MeterFilter) ([]*lianggao.Meter, int, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	if f.EnterpriseID != 0 {
		w.add("m.enterprise_id = ?", f.EnterpriseID)
	}
	if f.City != "" {
		w.add("e.city_code = ?", f.City)
	}
	if f.County != "" {
		w.add("e.county_code = ?", f.County)
	}
	if f.Kind != "" {
		w.add("m.kind = ?", f.Kind)
	}
	if f.Overdue {
		w.add("m.calibration_due < ?", lianggao.DateOf(s.now().In(s.profile.Location())).String())
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*lianggao.Meter
	var total int
	err = s.view(ctx, func(t *tx) error {
		from := ` FROM meters m JOIN enterprises e ON e.id = m.enterprise_id WHERE ` + w.String()
		if err := t.queryRow(ctx, `SELECT count(*)`+from, w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT m.id, m.enterprise_id, e.name, e.credit_code, m.kind, m.serial, m.calibration_due,
			m.accuracy_class, m.online`+from+` ORDER BY e.name, m.kind, m.serial LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m := &lianggao.Meter{}
			if err := rows.Scan(&m.ID, &m.EnterpriseID, &m.EnterpriseName, &m.EnterpriseCode, &m.Kind, &m.Serial,
				&m.CalibrationDue, &m.AccuracyClass, &m.Online); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, total, err
}

// CreateMeter registers a meter at an enterprise the actor may see.
func (s *Store) CreateMeter(ctx context.Context, m *lianggao.Meter) error {
	a, err := actorOf(ctx, lianggao.PermRegistryWrite)
	if err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		if _, err := findEnterprise(ctx, t, a, m.EnterpriseID); err != nil {
			return lianggao.FieldError("enterprise", "enterprise.unknown", m.EnterpriseID)
		}
		if err := insertMeter(ctx, t, m); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "meter.create", ObjectType: "meter", ObjectID: strconv.FormatInt(m.ID, 10), After: m})
	})
}

func insertMeter(ctx context.Context, t *tx, m *lianggao.Meter) error {
	id, err := t.insert(ctx, `INSERT INTO meters (enterprise_id, kind, serial, calibration_due, accuracy_class, online, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.EnterpriseID, m.Kind, m.Serial, m.CalibrationDue, m.AccuracyClass, m.Online, t.now)
	if isUniqueViolation(err) {
		return lianggao.FieldError("serial", "meter.duplicate", m.Serial)
	}
	if err != nil {
		return fmt.Errorf("store: insert meter: %w", err)
	}
	m.ID = id
	return nil
}

// MeterImport is a meter to import with the credit code of its enterprise.
type MeterImport struct {
	Meter      *lianggao.Meter
	CreditCode string
	Line       int
}

// ImportMeters registers many meters in one transaction with one audit entry.
// A serial already registered at the same enterprise rejects the file.
func (s *Store) ImportMeters(ctx context.Context, rows []MeterImport, checksum string) error {
	a, err := actorOf(ctx, lianggao.PermRegistryImport)
	if err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		ents, err := enterprisesByCode(ctx, t, a, keys(rows, func(r MeterImport) string { return r.CreditCode }))
		if err != nil {
			return err
		}
		existing, err := existingMeters(ctx, t, ents)
		if err != nil {
			return err
		}
		probs := &lianggao.Problems{Max: 1000}
		seen := map[string]bool{}
		for _, r := range rows {
			key := r.CreditCode + "/" + r.Meter.Serial
			switch err := r.Meter.Validate(); {
			case err != nil:
				probs.AddError(r.Line, asAppError(err))
			case ents[r.CreditCode] == nil:
				probs.Add(r.Line, "credit_code", "enterprise.unknown", r.CreditCode)
			case seen[key] || existing[key]:
				probs.Add(r.Line, "serial", "meter.duplicate", r.Meter.Serial)
			}
			seen[key] = true
		}
		if err := probs.Err("import.rejected"); err != nil {
			return err
		}
		for _, r := range rows {
			r.Meter.EnterpriseID = ents[r.CreditCode].ID
			if err := insertMeter(ctx, t, r.Meter); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, auditEntry{Action: "meter.import", ObjectType: "meter", ObjectID: "*",
			After: map[string]any{"rows": len(rows), "sha256": checksum}})
	})
}

// existingMeters returns "credit code/serial" of the meters the enterprises already have.
func existingMeters(ctx context.Context, t *tx, ents map[string]*lianggao.Enterprise) (map[string]bool, error) {
	out := map[string]bool{}
	for code, e := range ents {
		rows, err := t.query(ctx, `SELECT serial FROM meters WHERE enterprise_id = ?`, e.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var serial string
			if err := rows.Scan(&serial); err != nil {
				rows.Close()
				return nil, err
			}
			out[code+"/"+serial] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
