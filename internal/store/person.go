package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"lianggao"
)

// personCity is the city of a person's work region as SQL: people work at the
// province, a city or a county, so the scope is taken from the code itself.
const personCity = "substr(p.region_code, 1, 4) || '00'"

// FindPeople returns a page of the people in the actor's region scope.
func (s *Store) FindPeople(ctx context.Context, f lianggao.PersonFilter) ([]*lianggao.Person, int, error) {
	a, err := actorOf(ctx, lianggao.PermPersonRead)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	scopeRegion(w, a, personCity, "p.region_code")
	if f.Query != "" {
		w.add(`p.name LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.Department != "" {
		w.add("p.department_code = ?", f.Department)
	}
	switch lianggao.RegionLevel(f.Region) {
	case lianggao.LevelCity:
		w.add(personCity+" = ?", f.Region)
	case lianggao.LevelCounty, lianggao.LevelProvince:
		w.add("p.region_code = ?", f.Region)
	}
	if f.Kind != "" {
		w.add("p.kind = ?", f.Kind)
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*lianggao.Person
	var total int
	err = s.view(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT count(*) FROM people p WHERE `+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT p.id, p.name, COALESCE(p.department_code, ''), p.region_code, p.home_region_code,
			p.phone, p.cert_number, p.cert_valid_until, p.kind FROM people p WHERE `+w.String()+
			` ORDER BY p.region_code, p.department_code NULLS LAST, p.name, p.id LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p := &lianggao.Person{}
			if err := rows.Scan(&p.ID, &p.Name, &p.Department, &p.Region, &p.HomeRegion, &p.Phone, &p.CertNumber,
				&p.CertValidUntil, &p.Kind); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, total, err
}

// checkPerson validates a person against the profile and the actor's scope.
func (s *Store) checkPerson(a *lianggao.Actor, p *lianggao.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, ok := s.profile.Region(p.Region); !ok {
		return lianggao.FieldError("region", "region.unknown", p.Region)
	}
	if _, ok := s.profile.Region(p.HomeRegion); !ok {
		return lianggao.FieldError("home_region", "region.unknown", p.HomeRegion)
	}
	if p.Department != "" && !s.departmentExists(p.Department) {
		return lianggao.FieldError("department", "department.unknown", p.Department)
	}
	if lianggao.RegionLevel(a.Region) != lianggao.LevelProvince && !inScope(a, p.Region) {
		return lianggao.FieldError("region", "region.out_of_scope", p.Region)
	}
	return nil
}

func (s *Store) departmentExists(code string) bool {
	for _, d := range s.profile.Departments {
		if d.Code == code {
			return true
		}
	}
	return false
}

// CreatePerson registers a person in the actor's region scope.
func (s *Store) CreatePerson(ctx context.Context, p *lianggao.Person) error {
	a, err := actorOf(ctx, lianggao.PermPersonWrite)
	if err != nil {
		return err
	}
	if err := s.checkPerson(a, p); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		if err := insertPerson(ctx, t, p); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "person.create", ObjectType: "person", ObjectID: strconv.FormatInt(p.ID, 10),
			After: map[string]any{"name": p.Name, "region": p.Region, "kind": p.Kind}})
	})
}

func insertPerson(ctx context.Context, t *tx, p *lianggao.Person) error {
	var dept any
	if p.Department != "" {
		dept = p.Department
	}
	id, err := t.insert(ctx, `INSERT INTO people (name, department_code, region_code, home_region_code, phone,
		cert_number, cert_valid_until, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Name, dept, p.Region, p.HomeRegion, p.Phone, p.CertNumber, p.CertValidUntil, p.Kind, t.now)
	if err != nil {
		return fmt.Errorf("store: insert person: %w", err)
	}
	p.ID = id
	return nil
}

// ImportPeople registers many people in one transaction with one audit entry
// (people are personal data: the entry holds the count and checksum only).
func (s *Store) ImportPeople(ctx context.Context, people []*lianggao.Person, lines []int, checksum string) error {
	a, err := actorOf(ctx, lianggao.PermPersonWrite)
	if err != nil {
		return err
	}
	probs := &lianggao.Problems{Max: 1000}
	for i, p := range people {
		if err := s.checkPerson(a, p); err != nil {
			probs.AddError(lines[i], asAppError(err))
		}
	}
	if err := probs.Err("import.rejected"); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		for _, p := range people {
			if err := insertPerson(ctx, t, p); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, auditEntry{Action: "person.import", ObjectType: "person", ObjectID: "*",
			After: map[string]any{"rows": len(people), "sha256": checksum}})
	})
}

// groupRegionCity is the city of a supervision group's jurisdiction.
const groupRegionCity = "substr(g.region_code, 1, 4) || '00'"

// FindSupervisionGroups returns the supervision groups in the actor's scope,
// with their sizes; region narrows to a city or county.
func (s *Store) FindSupervisionGroups(ctx context.Context, region string) ([]*lianggao.SupervisionGroup, error) {
	a, err := actorOf(ctx, lianggao.PermPersonRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	scopeRegion(w, a, groupRegionCity, "g.region_code")
	switch lianggao.RegionLevel(region) {
	case lianggao.LevelCity:
		w.add(groupRegionCity+" = ?", region)
	case lianggao.LevelCounty:
		w.add("g.region_code = ?", region)
	}
	rows, err := s.queryRead(ctx, `SELECT g.id, g.code, g.name, g.region_code,
		(SELECT count(*) FROM supervision_group_members m WHERE m.group_id = g.id)
		FROM supervision_groups g WHERE `+w.String()+` ORDER BY g.code`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.SupervisionGroup
	for rows.Next() {
		g := &lianggao.SupervisionGroup{}
		if err := rows.Scan(&g.ID, &g.Code, &g.Name, &g.Region, &g.Size); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// FindSupervisionGroupByID returns a group with its members, or ENOTFOUND
// outside the actor's scope.
func (s *Store) FindSupervisionGroupByID(ctx context.Context, id int64) (*lianggao.SupervisionGroup, error) {
	a, err := actorOf(ctx, lianggao.PermPersonRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("g.id = ?", id)
	scopeRegion(w, a, groupRegionCity, "g.region_code")
	g := &lianggao.SupervisionGroup{}
	err = s.view(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT g.id, g.code, g.name, g.region_code FROM supervision_groups g WHERE `+w.String(), w.args...).
			Scan(&g.ID, &g.Code, &g.Name, &g.Region)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("supervision_group")
		}
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT m.person_id, p.name, m.role FROM supervision_group_members m
			JOIN people p ON p.id = m.person_id WHERE m.group_id = ? ORDER BY m.role, p.name`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m := &lianggao.GroupMember{}
			if err := rows.Scan(&m.PersonID, &m.Name, &m.Role); err != nil {
				return err
			}
			g.Members = append(g.Members, m)
		}
		g.Size = len(g.Members)
		return rows.Err()
	})
	return g, err
}

// CreateSupervisionGroup registers a supervision group with its members.
func (s *Store) CreateSupervisionGroup(ctx context.Context, g *lianggao.SupervisionGroup) error {
	a, err := actorOf(ctx, lianggao.PermPersonWrite)
	if err != nil {
		return err
	}
	if g.Code == "" || g.Name == "" {
		return lianggao.FieldError("name", "required")
	}
	if _, ok := s.profile.Region(g.Region); !ok || !inScope(a, g.Region) && lianggao.RegionLevel(a.Region) != lianggao.LevelProvince {
		return lianggao.FieldError("region", "region.unknown", g.Region)
	}
	return s.update(ctx, func(t *tx) error {
		id, err := t.insert(ctx, `INSERT INTO supervision_groups (code, name, region_code) VALUES (?, ?, ?)`, g.Code, g.Name, g.Region)
		if isUniqueViolation(err) {
			return lianggao.FieldError("code", "group_code.duplicate", g.Code)
		}
		if err != nil {
			return err
		}
		g.ID = id
		for _, m := range g.Members {
			if _, err := t.exec(ctx, `INSERT INTO supervision_group_members (group_id, person_id, role) VALUES (?, ?, ?)`,
				id, m.PersonID, m.Role); err != nil {
				return fmt.Errorf("store: group member: %w", err)
			}
		}
		g.Size = len(g.Members)
		return s.audit(ctx, t, auditEntry{Action: "supervision_group.create", ObjectType: "supervision_group",
			ObjectID: strconv.FormatInt(id, 10), After: g})
	})
}
