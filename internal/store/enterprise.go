package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"lianggao"
)

const enterpriseColumns = `e.id, e.credit_code, e.name, e.address, e.county_code, e.city_code, e.industry_code,
	e.lat, e.lon, e.datum, e.key_enterprise, e.output_controlled, e.status, e.version, e.updated_at`

func scanEnterprise(sc interface{ Scan(...any) error }, e *lianggao.Enterprise) error {
	return sc.Scan(&e.ID, &e.CreditCode, &e.Name, &e.Address, &e.County, &e.City, &e.Industry,
		&e.Location.Lat, &e.Location.Lon, &e.Datum, &e.Key, &e.OutputControlled, &e.Status, &e.Version, &e.UpdatedAt)
}

// FindEnterpriseByID returns ENOTFOUND when the enterprise does not exist or
// lies outside the actor's scope.
func (s *Store) FindEnterpriseByID(ctx context.Context, id int64) (*lianggao.Enterprise, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	var e *lianggao.Enterprise
	err = s.view(ctx, func(t *tx) error {
		e, err = findEnterprise(ctx, t, a, id)
		if err != nil {
			return err
		}
		e.Capacities, err = findCapacities(ctx, t, id)
		return err
	})
	return e, err
}

func findEnterprise(ctx context.Context, t *tx, a *lianggao.Actor, id int64) (*lianggao.Enterprise, error) {
	w := &where{}
	w.add("e.id = ?", id)
	scopeEnterprise(w, a, "e")
	e := &lianggao.Enterprise{}
	err := scanEnterprise(t.queryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE `+w.String(), w.args...), e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("enterprise")
	}
	return e, err
}

func findCapacities(ctx context.Context, t *tx, id int64) ([]lianggao.Capacity, error) {
	rows, err := t.query(ctx, `SELECT product_code, amount FROM enterprise_capacities WHERE enterprise_id = ? ORDER BY product_code`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lianggao.Capacity
	for rows.Next() {
		var c lianggao.Capacity
		if err := rows.Scan(&c.Product, &c.Amount); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

var enterpriseSorts = map[string]string{
	"name": "e.name", "credit_code": "e.credit_code", "county": "e.county_code", "industry": "e.industry_code",
}

// enterpriseWhere turns a filter and the actor's scope into a condition.
func enterpriseWhere(a *lianggao.Actor, f lianggao.EnterpriseFilter) *where {
	w := &where{}
	scopeEnterprise(w, a, "e")
	if f.Query != "" {
		w.add(`(e.name LIKE ? ESCAPE '\' OR e.credit_code LIKE ? ESCAPE '\')`, likePattern(f.Query), likePattern(f.Query))
	}
	if f.City != "" {
		w.add("e.city_code = ?", f.City)
	}
	if f.County != "" {
		w.add("e.county_code = ?", f.County)
	}
	if f.Industry != "" {
		w.add("e.industry_code = ?", f.Industry)
	}
	if f.Key != nil {
		w.add("e.key_enterprise = ?", *f.Key)
	}
	if f.OutputControlled != nil {
		w.add("e.output_controlled = ?", *f.OutputControlled)
	}
	return w
}

// FindEnterprises returns a page of the enterprises the actor may see and the
// number matching the filter.
func (s *Store) FindEnterprises(ctx context.Context, f lianggao.EnterpriseFilter) ([]*lianggao.Enterprise, int, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, 0, err
	}
	w := enterpriseWhere(a, f)
	order, ok := enterpriseSorts[f.Sort]
	if !ok {
		order = "e.name"
	}
	if f.Desc {
		order += " DESC"
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*lianggao.Enterprise
	var total int
	// The count and the page are separate statements: a window count would
	// make SQLite read every matching row instead of walking the index to the
	// page. One read transaction keeps them consistent.
	err = s.view(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT count(*) FROM enterprises e WHERE `+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE `+w.String()+
			` ORDER BY `+order+`, e.id LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &lianggao.Enterprise{}
			if err := scanEnterprise(rows, e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: find enterprises: %w", err)
	}
	return out, total, nil
}

// checkEnterprise validates an enterprise against the profile and the actor's scope.
func (s *Store) checkEnterprise(a *lianggao.Actor, e *lianggao.Enterprise) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if r, ok := s.profile.Region(e.County); !ok || r.Kind == "city" || r.Kind == "province" {
		return lianggao.FieldError("county", "county.unknown", e.County)
	}
	if !s.industryExists(e.Industry) {
		return lianggao.FieldError("industry", "industry.unknown", e.Industry)
	}
	for _, c := range e.Capacities {
		if p, ok := s.profile.Product(c.Product); !ok || p.Industry != e.Industry {
			return lianggao.FieldError("capacity", "product.unknown", c.Product)
		}
	}
	if !inScope(a, e.County) || (a.EnterpriseID != 0) {
		return lianggao.FieldError("county", "county.out_of_scope", e.County)
	}
	return nil
}

func (s *Store) industryExists(code string) bool {
	for _, ind := range s.profile.Industries {
		if ind.Code == code {
			return true
		}
	}
	return false
}

// CreateEnterprise registers an enterprise in a county within the actor's scope.
func (s *Store) CreateEnterprise(ctx context.Context, e *lianggao.Enterprise) error {
	a, err := actorOf(ctx, lianggao.PermRegistryWrite)
	if err != nil {
		return err
	}
	if err := s.checkEnterprise(a, e); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		if err := insertEnterprise(ctx, t, e); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "enterprise.create", ObjectType: "enterprise",
			ObjectID: strconv.FormatInt(e.ID, 10), After: e})
	})
}

func insertEnterprise(ctx context.Context, t *tx, e *lianggao.Enterprise) error {
	if e.Datum == "" {
		e.Datum = lianggao.DatumWGS84
	}
	e.Version, e.UpdatedAt = 1, t.now
	id, err := t.insert(ctx, `INSERT INTO enterprises (credit_code, name, address, county_code, city_code, industry_code,
		lat, lon, datum, key_enterprise, output_controlled, status, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CreditCode, e.Name, e.Address, e.County, e.City, e.Industry, e.Location.Lat, e.Location.Lon, e.Datum,
		e.Key, e.OutputControlled, e.Status, e.Version, t.now, t.now)
	if isUniqueViolation(err) {
		return lianggao.FieldError("credit_code", "credit_code.duplicate", e.CreditCode)
	}
	if err != nil {
		return fmt.Errorf("store: insert enterprise: %w", err)
	}
	e.ID = id
	for _, c := range e.Capacities {
		if _, err := t.exec(ctx, `INSERT INTO enterprise_capacities (enterprise_id, product_code, amount) VALUES (?, ?, ?)`,
			id, c.Product, c.Amount); err != nil {
			return fmt.Errorf("store: insert capacity: %w", err)
		}
	}
	return nil
}

// UpdateEnterprise changes an enterprise and keeps its previous state as a revision.
func (s *Store) UpdateEnterprise(ctx context.Context, id int64, u lianggao.EnterpriseUpdate) (*lianggao.Enterprise, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var e *lianggao.Enterprise
	err = s.update(ctx, func(t *tx) error {
		before, err := findEnterprise(ctx, t, a, id)
		if err != nil {
			return err
		}
		after := *before
		applyEnterpriseUpdate(&after, u)
		if err := s.checkEnterprise(a, &after); err != nil {
			return err
		}
		if err := saveRevision(ctx, t, a, "enterprise", id, before.Version, before, u.Reason); err != nil {
			return err
		}
		after.Version, after.UpdatedAt = before.Version+1, t.now
		if _, err := t.exec(ctx, `UPDATE enterprises SET name = ?, address = ?, industry_code = ?, lat = ?, lon = ?,
			key_enterprise = ?, output_controlled = ?, status = ?, version = ?, updated_at = ? WHERE id = ?`,
			after.Name, after.Address, after.Industry, after.Location.Lat, after.Location.Lon, after.Key,
			after.OutputControlled, after.Status, after.Version, t.now, id); err != nil {
			return err
		}
		e = &after
		return s.audit(ctx, t, auditEntry{Action: "enterprise.update", ObjectType: "enterprise",
			ObjectID: strconv.FormatInt(id, 10), Before: before, After: e})
	})
	return e, err
}

func applyEnterpriseUpdate(e *lianggao.Enterprise, u lianggao.EnterpriseUpdate) {
	if u.Name != nil {
		e.Name = *u.Name
	}
	if u.Address != nil {
		e.Address = *u.Address
	}
	if u.Industry != nil {
		e.Industry = *u.Industry
	}
	if u.Location != nil {
		e.Location = *u.Location
	}
	if u.Key != nil {
		e.Key = *u.Key
	}
	if u.OutputControlled != nil {
		e.OutputControlled = *u.OutputControlled
	}
	if u.Status != nil {
		e.Status = *u.Status
	}
}

// saveRevision keeps the state of an object before a change.
func saveRevision(ctx context.Context, t *tx, a *lianggao.Actor, objType string, id, version int64, before any, reason string) error {
	_, err := t.exec(ctx, `INSERT INTO revisions (object_type, object_id, version, data, reason, changed_by, changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, objType, id, version, jsonText(before), reason, a.Username, t.now)
	return err
}

// EnterpriseHistory returns the earlier states of an enterprise, newest first.
func (s *Store) EnterpriseHistory(ctx context.Context, id int64) ([]*lianggao.Revision, error) {
	if _, err := s.FindEnterpriseByID(ctx, id); err != nil {
		return nil, err
	}
	return s.revisions(ctx, "enterprise", id)
}

func (s *Store) revisions(ctx context.Context, objType string, id int64) ([]*lianggao.Revision, error) {
	rows, err := s.queryRead(ctx, `SELECT version, changed_at, changed_by, reason, data FROM revisions
		WHERE object_type = ? AND object_id = ? ORDER BY version DESC`, objType, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Revision
	for rows.Next() {
		r := &lianggao.Revision{}
		if err := rows.Scan(&r.Version, &r.ChangedAt, &r.ChangedBy, &r.Reason, &r.Data); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ImportEnterprises registers many enterprises in one transaction with one
// audit entry carrying the file's checksum. Any failure writes nothing; a
// problem is reported against its line (lines[i] for enterprises[i]).
func (s *Store) ImportEnterprises(ctx context.Context, es []*lianggao.Enterprise, lines []int, checksum string) error {
	a, err := actorOf(ctx, lianggao.PermRegistryImport)
	if err != nil {
		return err
	}
	probs := &lianggao.Problems{Max: 1000}
	seen := map[string]int{}
	for i, e := range es {
		if err := s.checkEnterprise(a, e); err != nil {
			probs.AddError(lines[i], asAppError(err))
			continue
		}
		if first, dup := seen[e.CreditCode]; dup {
			probs.Add(lines[i], "credit_code", "credit_code.duplicate_in_file", e.CreditCode, first)
		}
		seen[e.CreditCode] = lines[i]
	}
	if err := probs.Err("import.rejected"); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		// Look existing codes up first: on PostgreSQL a failed insert would
		// abort the transaction and hide every later problem.
		existing, err := existingValues(ctx, t, "enterprises", "credit_code",
			keys(es, func(e *lianggao.Enterprise) string { return e.CreditCode }))
		if err != nil {
			return err
		}
		for i, e := range es {
			if existing[e.CreditCode] {
				probs.Add(lines[i], "credit_code", "credit_code.duplicate", e.CreditCode)
			}
		}
		if err := probs.Err("import.rejected"); err != nil {
			return err
		}
		for _, e := range es {
			if err := insertEnterprise(ctx, t, e); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, auditEntry{Action: "enterprise.import", ObjectType: "enterprise", ObjectID: "*",
			After: map[string]any{"rows": len(es), "sha256": checksum}})
	})
}

// placeholders returns "?, ?, …" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func asAppError(err error) *lianggao.Error {
	var ae *lianggao.Error
	if errors.As(err, &ae) {
		return ae
	}
	return &lianggao.Error{Code: lianggao.EINTERNAL, Key: "internal"}
}
