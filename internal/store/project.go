package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"lianggao"
)

const projectColumns = `p.id, p.enterprise_id, e.name, e.credit_code, p.code, p.name, p.list_stage, p.listed, p.status,
	p.designed_energy_tce, p.designed_coal_t, p.county_code, p.city_code, p.version`

func scanProject(sc interface{ Scan(...any) error }, p *lianggao.Project) error {
	return sc.Scan(&p.ID, &p.EnterpriseID, &p.EnterpriseName, &p.EnterpriseCode, &p.Code, &p.Name, &p.ListStage, &p.Listed, &p.Status,
		&p.DesignedEnergyTce, &p.DesignedCoalT, &p.County, &p.City, &p.Version)
}

// FindProjectByID returns a project with its permits, or ENOTFOUND outside the actor's scope.
func (s *Store) FindProjectByID(ctx context.Context, id int64) (*lianggao.Project, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	var p *lianggao.Project
	err = s.view(ctx, func(t *tx) error {
		if p, err = findProject(ctx, t, a, id); err != nil {
			return err
		}
		p.Permits, err = findPermits(ctx, t, id)
		return err
	})
	return p, err
}

func findProject(ctx context.Context, t *tx, a *lianggao.Actor, id int64) (*lianggao.Project, error) {
	w := &where{}
	w.add("p.id = ?", id)
	scopeEnterprise(w, a, "e")
	p := &lianggao.Project{}
	err := scanProject(t.queryRow(ctx, `SELECT `+projectColumns+` FROM projects p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE `+w.String(), w.args...), p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("project")
	}
	return p, err
}

func findPermits(ctx context.Context, t *tx, projectID int64) ([]*lianggao.Permit, error) {
	rows, err := t.query(ctx, `SELECT kind, number, authority, issued_on FROM permits WHERE project_id = ?
		ORDER BY issued_on NULLS LAST, id`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Permit
	for rows.Next() {
		pm := &lianggao.Permit{}
		if err := rows.Scan(&pm.Kind, &pm.Number, &pm.Authority, &pm.IssuedOn); err != nil {
			return nil, err
		}
		out = append(out, pm)
	}
	return out, rows.Err()
}

func projectWhere(a *lianggao.Actor, f lianggao.ProjectFilter) *where {
	w := &where{}
	scopeEnterprise(w, a, "e")
	if f.Query != "" {
		w.add(`(p.name LIKE ? ESCAPE '\' OR p.code LIKE ? ESCAPE '\' OR e.name LIKE ? ESCAPE '\')`,
			likePattern(f.Query), likePattern(f.Query), likePattern(f.Query))
	}
	if f.City != "" {
		w.add("p.city_code = ?", f.City)
	}
	if f.County != "" {
		w.add("p.county_code = ?", f.County)
	}
	if f.EnterpriseID != 0 {
		w.add("p.enterprise_id = ?", f.EnterpriseID)
	}
	if f.ListStage != "" {
		w.add("p.list_stage = ?", f.ListStage)
	}
	if f.Listed != nil {
		w.add("p.listed = ?", *f.Listed)
	}
	if f.Status != "" {
		w.add("p.status = ?", f.Status)
	}
	return w
}

// FindProjects returns a page of projects and the number matching.
func (s *Store) FindProjects(ctx context.Context, f lianggao.ProjectFilter) ([]*lianggao.Project, int, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, 0, err
	}
	w := projectWhere(a, f)
	offset, limit := page(f.Offset, f.Limit)
	var out []*lianggao.Project
	var total int
	err = s.view(ctx, func(t *tx) error {
		from := ` FROM projects p JOIN enterprises e ON e.id = p.enterprise_id WHERE ` + w.String()
		if err := t.queryRow(ctx, `SELECT count(*)`+from, w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+projectColumns+from+` ORDER BY p.code LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p := &lianggao.Project{}
			if err := scanProject(rows, p); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, total, err
}

// CreateProject registers a project of an enterprise the actor may see.
func (s *Store) CreateProject(ctx context.Context, p *lianggao.Project) error {
	a, err := actorOf(ctx, lianggao.PermRegistryWrite)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		e, err := findEnterprise(ctx, t, a, p.EnterpriseID)
		if err != nil {
			return lianggao.FieldError("enterprise", "enterprise.unknown", p.EnterpriseID)
		}
		if err := insertProject(ctx, t, p, e); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "project.create", ObjectType: "project",
			ObjectID: strconv.FormatInt(p.ID, 10), After: p})
	})
}

func insertProject(ctx context.Context, t *tx, p *lianggao.Project, e *lianggao.Enterprise) error {
	p.County, p.City, p.EnterpriseName, p.EnterpriseCode, p.Version = e.County, e.City, e.Name, e.CreditCode, 1
	id, err := t.insert(ctx, `INSERT INTO projects (enterprise_id, code, name, list_stage, listed, status,
		designed_energy_tce, designed_coal_t, county_code, city_code, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, p.Code, p.Name, p.ListStage, p.Listed, p.Status, p.DesignedEnergyTce, p.DesignedCoalT,
		p.County, p.City, p.Version, t.now, t.now)
	if isUniqueViolation(err) {
		return lianggao.FieldError("code", "project_code.duplicate", p.Code)
	}
	if err != nil {
		return fmt.Errorf("store: insert project: %w", err)
	}
	p.ID = id
	for _, pm := range p.Permits {
		if _, err := t.exec(ctx, `INSERT INTO permits (project_id, kind, number, authority, issued_on) VALUES (?, ?, ?, ?, ?)`,
			id, pm.Kind, pm.Number, pm.Authority, pm.IssuedOn); err != nil {
			return fmt.Errorf("store: insert permit: %w", err)
		}
	}
	return nil
}

// MoveProject moves a project to another status along ProjectTransitions,
// keeping the previous state as a revision.
func (s *Store) MoveProject(ctx context.Context, id int64, to, reason string) (*lianggao.Project, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var p *lianggao.Project
	err = s.update(ctx, func(t *tx) error {
		before, err := findProject(ctx, t, a, id)
		if err != nil {
			return err
		}
		if !lianggao.CanMove(before.Status, to) {
			return lianggao.FieldError("status", "project.transition", before.Status, to)
		}
		if err := saveRevision(ctx, t, a, "project", id, before.Version, before, reason); err != nil {
			return err
		}
		after := *before
		after.Status, after.Version = to, before.Version+1
		if _, err := t.exec(ctx, `UPDATE projects SET status = ?, version = ?, updated_at = ? WHERE id = ?`,
			after.Status, after.Version, t.now, id); err != nil {
			return err
		}
		p = &after
		return s.audit(ctx, t, auditEntry{Action: "project.move", ObjectType: "project", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]any{"status": before.Status}, After: map[string]any{"status": to, "reason": reason}})
	})
	return p, err
}

// ProjectHistory returns the earlier states of a project, newest first.
func (s *Store) ProjectHistory(ctx context.Context, id int64) ([]*lianggao.Revision, error) {
	if _, err := s.FindProjectByID(ctx, id); err != nil {
		return nil, err
	}
	return s.revisions(ctx, "project", id)
}

// ProjectImport is a project to import with the credit code of its enterprise.
type ProjectImport struct {
	Project    *lianggao.Project
	CreditCode string
	Line       int
}

// ImportProjects registers many projects in one transaction with one audit
// entry; an unknown or out-of-scope enterprise, a bad field or a duplicate code
// rejects the whole file.
func (s *Store) ImportProjects(ctx context.Context, rows []ProjectImport, checksum string) error {
	a, err := actorOf(ctx, lianggao.PermRegistryImport)
	if err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		probs := &lianggao.Problems{Max: 1000}
		ents, err := enterprisesByCode(ctx, t, a, keys(rows, func(r ProjectImport) string { return r.CreditCode }))
		if err != nil {
			return err
		}
		codes, err := existingValues(ctx, t, "projects", "code", keys(rows, func(r ProjectImport) string { return r.Project.Code }))
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, r := range rows {
			switch err := r.Project.Validate(); {
			case err != nil:
				probs.AddError(r.Line, asAppError(err))
			case ents[r.CreditCode] == nil:
				probs.Add(r.Line, "credit_code", "enterprise.unknown", r.CreditCode)
			case codes[r.Project.Code] || seen[r.Project.Code]:
				probs.Add(r.Line, "code", "project_code.duplicate", r.Project.Code)
			}
			seen[r.Project.Code] = true
		}
		if err := probs.Err("import.rejected"); err != nil {
			return err
		}
		for _, r := range rows {
			r.Project.EnterpriseID = ents[r.CreditCode].ID
			if err := insertProject(ctx, t, r.Project, ents[r.CreditCode]); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, auditEntry{Action: "project.import", ObjectType: "project", ObjectID: "*",
			After: map[string]any{"rows": len(rows), "sha256": checksum}})
	})
}

// keys collects one string per row.
func keys[T any](rows []T, key func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}

// enterprisesByCode returns the enterprises with the credit codes that the actor may see.
func enterprisesByCode(ctx context.Context, t *tx, a *lianggao.Actor, codes []string) (map[string]*lianggao.Enterprise, error) {
	out := map[string]*lianggao.Enterprise{}
	err := inChunks(codes, func(part []any) error {
		w := &where{}
		w.add(`e.credit_code IN (`+placeholders(len(part))+`)`, part...)
		scopeEnterprise(w, a, "e")
		rows, err := t.query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE `+w.String(), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &lianggao.Enterprise{}
			if err := scanEnterprise(rows, e); err != nil {
				return err
			}
			out[e.CreditCode] = e
		}
		return rows.Err()
	})
	return out, err
}

// existingValues returns which of the values already appear in table.column.
func existingValues(ctx context.Context, t *tx, table, column string, values []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := inChunks(values, func(part []any) error {
		rows, err := t.query(ctx, `SELECT `+column+` FROM `+table+` WHERE `+column+` IN (`+placeholders(len(part))+`)`, part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			out[v] = true
		}
		return rows.Err()
	})
	return out, err
}

// inChunks calls fn with the distinct values in chunks small enough for any
// engine's parameter limit.
func inChunks(values []string, fn func([]any) error) error {
	seen := map[string]bool{}
	var part []any
	for _, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		part = append(part, v)
		if len(part) == 500 {
			if err := fn(part); err != nil {
				return err
			}
			part = nil
		}
	}
	if len(part) > 0 {
		return fn(part)
	}
	return nil
}
