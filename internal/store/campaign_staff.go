package store

import (
	"context"
	"slices"

	"lianggao"
	"lianggao/internal/config"
)

const memberColumns = `m.person_id, p.name, m.department_code, m.role, p.home_region_code, p.cert_number,
	p.cert_valid_until`

// Members returns the members of a campaign's five groups, by group, role and
// name.
func (s *Store) Members(ctx context.Context, code string) ([]*lianggao.InspectionGroupMember, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignRead); err != nil {
		return nil, err
	}
	var out []*lianggao.InspectionGroupMember
	err := s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		out, err = members(ctx, t, c.ID)
		return err
	})
	return out, err
}

func members(ctx context.Context, t *tx, campaignID int64) ([]*lianggao.InspectionGroupMember, error) {
	rows, err := t.query(ctx, `SELECT `+memberColumns+` FROM campaign_members m JOIN people p ON p.id = m.person_id
		WHERE m.campaign_id = ? ORDER BY m.department_code, m.role, p.name, m.person_id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.InspectionGroupMember
	for rows.Next() {
		m := &lianggao.InspectionGroupMember{}
		if err := rows.Scan(&m.PersonID, &m.Name, &m.Department, &m.Role, &m.HomeRegion, &m.CertNumber, &m.CertValidUntil); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Staffing is one group's staffing against the profile's composition.
type Staffing struct {
	Department  string
	Have, Want  map[string]int // by member role
	Missing     int            // positions still open
	Uncertified []*lianggao.InspectionGroupMember
}

// Members counts the group's members.
func (st *Staffing) Members() int {
	n := 0
	for _, v := range st.Have {
		n += v
	}
	return n
}

// StaffingOf compares each group's members with the composition: who is
// missing, and which official lacks an enforcement certificate valid to the
// window's end.
func StaffingOf(p *config.Profile, c *lianggao.Campaign, ms []*lianggao.InspectionGroupMember) []*Staffing {
	comp := p.Campaign.Composition
	want := map[string]int{lianggao.MemberLeader: comp.Leader, lianggao.MemberProvincial: comp.Provincial,
		lianggao.MemberLocal: comp.Local, lianggao.MemberFourInto: comp.FourInto, lianggao.MemberExpert: comp.Experts}
	var out []*Staffing
	for _, d := range p.Departments {
		st := &Staffing{Department: d.Code, Have: map[string]int{}, Want: want}
		for _, m := range ms {
			if m.Department != d.Code {
				continue
			}
			st.Have[m.Role]++
			// Four-Into members and experts assist; only the line's officials
			// inspect by law and need a certificate.
			if official(m.Role) && !certified(m, c.Ends) {
				st.Uncertified = append(st.Uncertified, m)
			}
		}
		for role, n := range want {
			st.Missing += max(n-st.Have[role], 0)
		}
		out = append(out, st)
	}
	return out
}

// official reports whether a member role is filled by a line's official.
func official(role string) bool {
	return role == lianggao.MemberLeader || role == lianggao.MemberProvincial || role == lianggao.MemberLocal
}

// certified reports whether a member holds an enforcement certificate valid
// through day, as a person's is judged.
func certified(m *lianggao.InspectionGroupMember, day lianggao.Date) bool {
	p := lianggao.Person{CertNumber: m.CertNumber, CertValidUntil: m.CertValidUntil}
	return p.CertValid(day)
}

// AddMember puts a person on a group. Leaders, provincial and local members
// come from the lead department's own line (R1.2): the leader and provincial
// staff from its provincial office, local staff from its city and county
// offices; Four-Into members and experts from their pools. A person serves on
// one group per campaign.
func (s *Store) AddMember(ctx context.Context, code string, m *lianggao.InspectionGroupMember) error {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return err
	}
	if !slices.Contains(lianggao.MemberRoles, m.Role) {
		return lianggao.FieldError("role", "enum.invalid", m.Role)
	}
	if !s.profile.HasDepartment(m.Department) {
		return lianggao.FieldError("department", "department.unknown", m.Department)
	}
	return s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignStaffing, lianggao.CampaignAssigned)
		if err != nil {
			return err
		}
		var dept, region, kind string
		err = t.queryRow(ctx, `SELECT COALESCE(department_code, ''), region_code, kind FROM people WHERE id = ?`, m.PersonID).
			Scan(&dept, &region, &kind)
		if err != nil {
			return lianggao.FieldError("person_id", "person.unknown", m.PersonID)
		}
		if !fitsRole(m, dept, region, kind) {
			return lianggao.FieldError("role", "member.role_mismatch", m.Role)
		}
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM campaign_members WHERE campaign_id = ? AND person_id = ?`, c.ID, m.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return lianggao.FieldError("person_id", "member.duplicate", m.PersonID)
		}
		if _, err := t.exec(ctx, `INSERT INTO campaign_members (campaign_id, person_id, department_code, role) VALUES (?, ?, ?, ?)`,
			c.ID, m.PersonID, m.Department, m.Role); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.member_add", ObjectType: "campaign", ObjectID: code, After: m})
	})
}

// fitsRole checks a person against a member role (R1.2).
func fitsRole(m *lianggao.InspectionGroupMember, dept, region, kind string) bool {
	provincial := lianggao.RegionLevel(region) == lianggao.LevelProvince
	switch m.Role {
	case lianggao.MemberLeader, lianggao.MemberProvincial:
		return kind == lianggao.PersonOfficial && dept == m.Department && provincial
	case lianggao.MemberLocal:
		return kind == lianggao.PersonOfficial && dept == m.Department && !provincial
	case lianggao.MemberFourInto:
		return kind == lianggao.PersonFourInto
	case lianggao.MemberExpert:
		return kind == lianggao.PersonExpert
	}
	return false
}

// RemoveMember takes a person off a campaign's groups. Tasks already planned
// keep their team until the visits are planned again.
func (s *Store) RemoveMember(ctx context.Context, code string, personID int64) error {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignStaffing, lianggao.CampaignAssigned)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM campaign_members WHERE campaign_id = ? AND person_id = ?`, c.ID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("member")
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.member_remove", ObjectType: "campaign", ObjectID: code,
			Before: map[string]int64{"person_id": personID}})
	})
}

// ProposeMembers fills each group's open positions from the register, in the
// composition's order: certified people first, local staff spread over the
// cities, nobody twice. It keeps the members already chosen and returns how
// many it added.
func (s *Store) ProposeMembers(ctx context.Context, code string) (int, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return 0, err
	}
	added := 0
	err := s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignStaffing, lianggao.CampaignAssigned)
		if err != nil {
			return err
		}
		ms, err := members(ctx, t, c.ID)
		if err != nil {
			return err
		}
		pool, err := candidates(ctx, t, c)
		if err != nil {
			return err
		}
		proposed := propose(StaffingOf(s.profile, c, ms), pool)
		for _, m := range proposed {
			if _, err := t.exec(ctx, `INSERT INTO campaign_members (campaign_id, person_id, department_code, role) VALUES (?, ?, ?, ?)`,
				c.ID, m.PersonID, m.Department, m.Role); err != nil {
				return err
			}
		}
		added = len(proposed)
		return s.audit(ctx, t, auditEntry{Action: "campaign.members_propose", ObjectType: "campaign", ObjectID: code,
			After: map[string]int{"added": added}})
	})
	return added, err
}

// candidate is a person of the register not yet on any group of the campaign.
type candidate struct {
	id               int64
	dept, region     string
	kind             string
	certifiedThrough bool
}

// candidates lists the people free to join, certified first, then by region
// and id so that the proposal is the same every time.
func candidates(ctx context.Context, t *tx, c *lianggao.Campaign) ([]candidate, error) {
	rows, err := t.query(ctx, `SELECT p.id, COALESCE(p.department_code, ''), p.region_code, p.kind,
		p.cert_number <> '' AND p.cert_valid_until IS NOT NULL AND p.cert_valid_until >= ?
		FROM people p WHERE NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.person_id = p.id)
		ORDER BY 5 DESC, p.region_code, p.id`, c.Ends, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var p candidate
		if err := rows.Scan(&p.id, &p.dept, &p.region, &p.kind, &p.certifiedThrough); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// propose picks people for the open positions. Local staff are taken one
// city at a time in turn, so a group's local members come from many cities
// and can inspect most of its cities.
func propose(staffing []*Staffing, pool []candidate) []*lianggao.InspectionGroupMember {
	used := map[int64]bool{}
	var out []*lianggao.InspectionGroupMember
	for _, role := range lianggao.MemberRoles {
		for _, st := range staffing {
			open := st.Want[role] - st.Have[role]
			m := &lianggao.InspectionGroupMember{Department: st.Department, Role: role}
			for _, p := range spread(pool, role) {
				if open <= 0 {
					break
				}
				if used[p.id] || !fitsRole(m, p.dept, p.region, p.kind) {
					continue
				}
				used[p.id] = true
				open--
				out = append(out, &lianggao.InspectionGroupMember{PersonID: p.id, Department: st.Department, Role: role})
			}
		}
	}
	return out
}

// spread orders the pool for a role: for local staff, round-robin over their
// cities; otherwise as given.
func spread(pool []candidate, role string) []candidate {
	if role != lianggao.MemberLocal {
		return pool
	}
	byCity := map[string][]candidate{}
	var cities []string
	for _, p := range pool {
		city := lianggao.CityOf(p.region)
		if _, ok := byCity[city]; !ok {
			cities = append(cities, city)
		}
		byCity[city] = append(byCity[city], p)
	}
	slices.Sort(cities)
	var out []candidate
	for i := 0; len(out) < len(pool); i++ {
		for _, c := range cities {
			if i < len(byCity[c]) {
				out = append(out, byCity[c][i])
			}
		}
	}
	return out
}
