package store

import (
	"context"

	"lianggao"
)

// syncCatalog writes the profile's regions, departments, industries and
// products into their tables, so records can reference them and queries can
// join them. The profile is the source of truth; rows it no longer names stay,
// as old records may point at them.
func (s *Store) syncCatalog(ctx context.Context) error {
	p := s.profile
	return s.update(ctx, func(t *tx) error {
		for _, r := range p.Regions {
			var parent any
			if r.Parent != "" {
				parent = r.Parent
			}
			if _, err := t.exec(ctx, `INSERT INTO regions (code, name, level, kind, parent_code, lat, lon)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, kind = excluded.kind,
					parent_code = excluded.parent_code, lat = excluded.lat, lon = excluded.lon`,
				r.Code, r.Name, lianggao.RegionLevel(r.Code), r.Kind, parent, r.Lat, r.Lon); err != nil {
				return err
			}
		}
		for _, d := range p.Departments {
			if _, err := t.exec(ctx, `INSERT INTO departments (code, name) VALUES (?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name`, d.Code, d.Name); err != nil {
				return err
			}
		}
		for _, ind := range p.Industries {
			if _, err := t.exec(ctx, `INSERT INTO industries (code, name, key_industry) VALUES (?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, key_industry = excluded.key_industry`,
				ind.Code, ind.Name, ind.Key); err != nil {
				return err
			}
			for _, pr := range ind.Products {
				if _, err := t.exec(ctx, `INSERT INTO products (code, industry_code, name, unit) VALUES (?, ?, ?, ?)
					ON CONFLICT (code) DO UPDATE SET industry_code = excluded.industry_code, name = excluded.name, unit = excluded.unit`,
					pr.Code, ind.Code, pr.Name, pr.Unit); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// FindRegions returns every region ordered by code. Regions are public
// within the platform: every signed-in user may read the tree.
func (s *Store) FindRegions(ctx context.Context) ([]*lianggao.Region, error) {
	if lianggao.ActorFrom(ctx) == nil {
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	rows, err := s.queryRead(ctx, `SELECT code, name, level, kind, COALESCE(parent_code, ''), lat, lon FROM regions ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Region
	for rows.Next() {
		r := &lianggao.Region{}
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.Kind, &r.Parent, &r.Lat, &r.Lon); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountEnterprisesByCounty returns how many enterprises in the actor's scope
// each county has.
func (s *Store) CountEnterprisesByCounty(ctx context.Context) (map[string]int, error) {
	a, err := actorOf(ctx, lianggao.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	w := &where{}
	scopeEnterprise(w, a, "e")
	rows, err := s.queryRead(ctx, `SELECT e.county_code, count(*) FROM enterprises e WHERE `+w.String()+
		` GROUP BY e.county_code`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, err
		}
		out[code] = n
	}
	return out, rows.Err()
}
