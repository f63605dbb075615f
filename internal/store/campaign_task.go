package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"lianggao"
)

// scopeTask adds who may see an inspection task aliased it: the province
// sees every task; an officer of a city or county the tasks in it; a member
// of a joint group every task of that group, wherever it is — inspectors
// work far from home, which is the point of the cross-region rule.
func scopeTask(w *where, a *lianggao.Actor, alias string) {
	scopeRegionOrGroup(w, a, alias, alias+`.department_code IN (SELECT gm.department_code FROM campaign_members gm
		WHERE gm.campaign_id = `+alias+`.campaign_id AND gm.person_id = ?)`)
}

// scopeRegionOrGroup adds the campaign's scope over a record aliased alias
// with city, county and enterprise columns: everything for the province;
// otherwise the actor's region (and enterprise), or whatever group holds,
// a condition whose one argument is the actor's person.
func scopeRegionOrGroup(w *where, a *lianggao.Actor, alias, group string) {
	if a != nil && a.EnterpriseID == 0 && lianggao.RegionLevel(a.Region) == lianggao.LevelProvince {
		return
	}
	var region where
	scopeRegion(&region, a, alias+".city_code", alias+".county_code")
	var person int64
	if a != nil {
		person = a.PersonID
		if a.EnterpriseID != 0 {
			region.add(alias+".enterprise_id = ?", a.EnterpriseID)
		}
	}
	w.add(`((`+region.String()+`) OR `+group+`)`, append(region.args, person)...)
}

const taskColumns = `it.id, it.campaign_id, it.enterprise_id, e.credit_code, e.name, e.industry_code, it.county_code, it.city_code,
	it.department_code, it.day, it.state`

// taskWhere selects the current draw's tasks of a campaign that the filter
// and the actor's scope allow.
func taskWhere(a *lianggao.Actor, campaignID int64, f lianggao.TaskFilter) *where {
	w := &where{}
	w.add("it.campaign_id = ?", campaignID)
	w.add("it.draw_id IN (SELECT d.id FROM campaign_draws d WHERE d.campaign_id = it.campaign_id AND d.superseded_at IS NULL)")
	scopeTask(w, a, "it")
	for col, v := range map[string]string{"it.department_code": f.Department, "it.city_code": f.City,
		"it.county_code": f.County, "e.industry_code": f.Industry, "it.state": f.State} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if !f.Day.IsZero() {
		w.add("it.day = ?", f.Day)
	}
	if f.Mine {
		w.add("EXISTS (SELECT 1 FROM task_members tm WHERE tm.task_id = it.id AND tm.person_id = ?)", a.PersonID)
	}
	return w
}

// FindTasks returns a campaign's inspection tasks in the actor's scope, by
// day, group and enterprise, with the number matching.
func (s *Store) FindTasks(ctx context.Context, code string, f lianggao.TaskFilter) ([]*lianggao.InspectionTask, int, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*lianggao.InspectionTask
	var total int
	err = s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		w := taskWhere(a, c.ID, f)
		from := ` FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id WHERE ` + w.String()
		if err := t.queryRow(ctx, `SELECT count(*)`+from, w.args...).Scan(&total); err != nil {
			return err
		}
		out, err = scanTasks(ctx, t, `SELECT `+taskColumns+from+` ORDER BY it.day, it.department_code, e.credit_code LIMIT ? OFFSET ?`,
			append(w.args, limit, offset)...)
		return err
	})
	return out, total, err
}

// FindTask returns one task in the actor's scope, with its team.
func (s *Store) FindTask(ctx context.Context, id int64) (*lianggao.InspectionTask, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out *lianggao.InspectionTask
	err = s.view(ctx, func(t *tx) error {
		out, err = findTask(ctx, t, a, id)
		return err
	})
	return out, err
}

func findTask(ctx context.Context, t *tx, a *lianggao.Actor, id int64) (*lianggao.InspectionTask, error) {
	w := &where{}
	w.add("it.id = ?", id)
	scopeTask(w, a, "it")
	tasks, err := scanTasks(ctx, t, `SELECT `+taskColumns+` FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id
		WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, notFound("task")
	}
	return tasks[0], nil
}

// scanTasks reads tasks and then their teams.
func scanTasks(ctx context.Context, t *tx, q string, args ...any) ([]*lianggao.InspectionTask, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []*lianggao.InspectionTask
	byID := map[int64]*lianggao.InspectionTask{}
	for rows.Next() {
		it := &lianggao.InspectionTask{}
		if err := rows.Scan(&it.ID, &it.CampaignID, &it.EnterpriseID, &it.CreditCode, &it.EnterpriseName, &it.Industry,
			&it.County, &it.City, &it.Department, &it.Day, &it.State); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, it)
		byID[it.ID] = it
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, loadTeams(ctx, t, byID)
}

func loadTeams(ctx context.Context, t *tx, byID map[int64]*lianggao.InspectionTask) error {
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	rows, err := t.query(ctx, `SELECT task_id, person_id FROM task_members WHERE task_id IN (`+idList(ids)+`) ORDER BY task_id, person_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var task, person int64
		if err := rows.Scan(&task, &person); err != nil {
			return err
		}
		byID[task].Team = append(byID[task].Team, person)
	}
	return rows.Err()
}

// Plan is a campaign's draw and visit plan as GET /api/v1/campaigns/{code}/plan
// serves it. Assignment holds the exact bytes `lianggao campaign replay`
// prints, without the trailing newline.
type Plan struct {
	Campaign   string          `json:"campaign"`
	Commitment string          `json:"commitment"`
	Seed       string          `json:"seed"`
	Assignment json.RawMessage `json:"assignment"`
	Groups     []*PlanGroup    `json:"groups"`
	Notes      json.RawMessage `json:"notes"` // the planner's shortfall, cap warnings and merges
}

// PlanGroup is one group's cities, members and tasks.
type PlanGroup struct {
	Department string        `json:"department"`
	Cities     []string      `json:"cities"`
	Members    []*PlanMember `json:"members"`
	Tasks      []*PlanTask   `json:"tasks"`
}

// PlanMember is a member as the plan shows them.
type PlanMember struct {
	PersonID   int64  `json:"person_id"`
	HomeRegion string `json:"home_region"`
	Role       string `json:"role"`
}

// PlanTask is a visit as the plan shows it.
type PlanTask struct {
	CreditCode string        `json:"credit_code"`
	Day        lianggao.Date `json:"day"`
	Team       []int64       `json:"team"`
}

// FindPlan returns the campaign's drawn assignment and the tasks of its
// visit plan the actor may see; ENOTFOUND before the draw.
func (s *Store) FindPlan(ctx context.Context, code string) (*Plan, error) {
	p, _, err := s.findPlan(ctx, code, true)
	return p, err
}

// FindPlanSummary returns the plan without its tasks, and how many tasks
// each group has that the actor may see: what a page about the campaign
// shows, without reading thousands of tasks and their teams.
func (s *Store) FindPlanSummary(ctx context.Context, code string) (*Plan, map[string]int, error) {
	return s.findPlan(ctx, code, false)
}

func (s *Store) findPlan(ctx context.Context, code string, withTasks bool) (*Plan, map[string]int, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, nil, err
	}
	p := &Plan{Campaign: code}
	counts := map[string]int{}
	err = s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		d, err := currentDraw(ctx, t, c.ID)
		if err != nil || !d.drawn {
			return notFound("plan")
		}
		p.Commitment, p.Seed = d.commitment, d.seed
		p.Assignment = json.RawMessage(strings.TrimSuffix(d.assignment, "\n"))
		p.Notes = json.RawMessage(d.planNotes)
		if err := planGroups(p); err != nil {
			return err
		}
		if err := planMembers(ctx, t, c.ID, p); err != nil {
			return err
		}
		w := taskWhere(a, c.ID, lianggao.TaskFilter{})
		if !withTasks {
			return countTasks(ctx, t, w, counts)
		}
		tasks, err := scanTasks(ctx, t, `SELECT `+taskColumns+` FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id
			WHERE `+w.String()+` ORDER BY it.day, e.credit_code`, w.args...)
		for _, task := range tasks {
			g := p.Group(task.Department)
			g.Tasks = append(g.Tasks, &PlanTask{CreditCode: task.CreditCode, Day: task.Day, Team: task.Team})
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return p, counts, nil
}

// countTasks counts the selected tasks by group.
func countTasks(ctx context.Context, t *tx, w *where, counts map[string]int) error {
	rows, err := t.query(ctx, `SELECT it.department_code, count(*) FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id
		WHERE `+w.String()+` GROUP BY it.department_code`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var dept string
		var n int
		if err := rows.Scan(&dept, &n); err != nil {
			return err
		}
		counts[dept] = n
	}
	return rows.Err()
}

func planGroups(p *Plan) error {
	var asg struct {
		Groups []struct {
			Cities     []string `json:"cities"`
			Department string   `json:"department"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(p.Assignment, &asg); err != nil {
		return err
	}
	for _, g := range asg.Groups {
		p.Groups = append(p.Groups, &PlanGroup{Department: g.Department, Cities: g.Cities, Members: []*PlanMember{}, Tasks: []*PlanTask{}})
	}
	return nil
}

func planMembers(ctx context.Context, t *tx, campaignID int64, p *Plan) error {
	ms, err := members(ctx, t, campaignID)
	for _, m := range ms {
		if g := p.Group(m.Department); g != nil {
			g.Members = append(g.Members, &PlanMember{PersonID: m.PersonID, HomeRegion: m.HomeRegion, Role: m.Role})
		}
	}
	return err
}

// Group returns the plan of the department's group, or nil.
func (p *Plan) Group(dept string) *PlanGroup {
	i := slices.IndexFunc(p.Groups, func(g *PlanGroup) bool { return g.Department == dept })
	if i < 0 {
		return nil
	}
	return p.Groups[i]
}
