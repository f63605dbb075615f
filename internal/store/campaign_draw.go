package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"lianggao"
	"lianggao/internal/planner"
)

// The draw (R1.6) happens in two steps so that anyone can check it was not
// chosen: Commit fixes the inputs and a secret seed and publishes their
// commitment; Draw reveals the seed and computes the assignment and the visit
// plan from them. `lianggao campaign replay` recomputes the assignment.

// AssignmentInputs returns the canonical inputs of the campaign's draw: the
// committed ones once there is a commitment, else those the frozen target
// list and the profile give now.
func (s *Store) AssignmentInputs(ctx context.Context, code string) ([]byte, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignRead); err != nil {
		return nil, err
	}
	var out []byte
	err := s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		if d, err := currentDraw(ctx, t, c.ID); err == nil {
			out = []byte(d.inputs)
			return nil
		} else if lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			return err
		}
		in, err := s.assignmentInputs(ctx, t, c)
		out = in.Canonical()
		return err
	})
	return out, err
}

func (s *Store) assignmentInputs(ctx context.Context, t *tx, c *lianggao.Campaign) (planner.AssignmentInputs, error) {
	in := planner.AssignmentInputs{Algorithm: planner.AlgorithmV1, Campaign: c.Code}
	if c.State == lianggao.CampaignDraft {
		return in, lianggao.Errorf(lianggao.ECONFLICT, "campaign.targets_not_frozen")
	}
	counts := map[string]int{}
	rows, err := t.query(ctx, `SELECT city_code, count(*) FROM campaign_targets WHERE campaign_id = ? GROUP BY city_code`, c.ID)
	if err != nil {
		return in, err
	}
	defer rows.Close()
	for rows.Next() {
		var city string
		var n int
		if err := rows.Scan(&city, &n); err != nil {
			return in, err
		}
		counts[city] = n
	}
	for _, city := range s.profile.Cities() {
		in.Cities = append(in.Cities, planner.CityLoad{Code: city.Code, Enterprises: counts[city.Code]})
	}
	for _, d := range s.profile.Departments {
		in.Groups = append(in.Groups, planner.GroupSpec{Department: d.Code, Cities: d.CitiesPerCampaign})
	}
	return in, rows.Err()
}

// draw is a row of campaign_draws.
type draw struct {
	id                          int64
	inputs, commitment, sealed  string
	seed, assignment, planNotes string
	drawn                       bool
}

func currentDraw(ctx context.Context, t *tx, campaignID int64) (*draw, error) {
	d := &draw{}
	var drawnAt sql.NullTime
	err := t.queryRow(ctx, `SELECT id, inputs, commitment, sealed_seed, seed, assignment, plan_notes, drawn_at
		FROM campaign_draws WHERE campaign_id = ? AND superseded_at IS NULL`, campaignID).
		Scan(&d.id, &d.inputs, &d.commitment, &d.sealed, &d.seed, &d.assignment, &d.planNotes, &drawnAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("draw")
	}
	d.drawn = drawnAt.Valid
	return d, err
}

func seedAAD(code, commitment string) []byte {
	return []byte("campaign-seed|" + code + "|" + commitment)
}

// Commit fixes the inputs of the draw and a fresh secret seed, and publishes
// the commitment: the hex SHA-256 of the seed followed by the canonical
// inputs. The seed is kept sealed until Draw reveals it.
func (s *Store) Commit(ctx context.Context, code string) (*lianggao.Campaign, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignManage)
	if err != nil {
		return nil, err
	}
	var out *lianggao.Campaign
	err = s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignStaffing)
		if err != nil {
			return err
		}
		if _, err := currentDraw(ctx, t, c.ID); err == nil {
			return lianggao.Errorf(lianggao.ECONFLICT, "campaign.committed")
		}
		in, err := s.assignmentInputs(ctx, t, c)
		if err != nil {
			return err
		}
		seed := make([]byte, planner.SeedSize)
		rand.Read(seed)
		commitment := planner.Commitment(seed, in)
		sealed, err := s.suite.Seal(seed, seedAAD(code, commitment))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO campaign_draws (campaign_id, inputs, commitment, sealed_seed, seed, assignment, plan_notes,
			reason, committed_by, committed_at) VALUES (?, ?, ?, ?, '', '', '', '', ?, ?)`,
			c.ID, string(in.Canonical()), commitment, sealed, a.UserID, t.now); err != nil {
			return err
		}
		out, err = findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.commit", ObjectType: "campaign", ObjectID: code,
			After: map[string]string{"commitment": commitment}})
	})
	return out, err
}

// Draw reveals the committed seed, assigns the cities to the groups and plans
// the visits; the campaign is then assigned. The assignment is what the seed
// and the committed inputs give, whoever computes it.
func (s *Store) Draw(ctx context.Context, code string) (*planner.VisitPlan, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return nil, err
	}
	var plan *planner.VisitPlan
	err := s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignStaffing)
		if err != nil {
			return err
		}
		d, err := currentDraw(ctx, t, c.ID)
		if err != nil {
			return lianggao.Errorf(lianggao.ECONFLICT, "campaign.not_committed")
		}
		seed, err := s.suite.Open(d.sealed, seedAAD(code, d.commitment))
		if err != nil {
			return err
		}
		in, err := planner.ParseInputs([]byte(d.inputs))
		if err != nil {
			return err
		}
		asg, err := planner.Assign(in, seed)
		if err != nil {
			return err
		}
		d.seed, d.assignment = hex.EncodeToString(seed), string(asg.JSON())
		if _, err := t.exec(ctx, `UPDATE campaign_draws SET seed = ?, assignment = ?, drawn_at = ? WHERE id = ?`,
			d.seed, d.assignment, t.now, d.id); err != nil {
			return err
		}
		if plan, err = s.planVisits(ctx, t, c, d.id, asg.Groups); err != nil {
			return err
		}
		if err := moveCampaign(ctx, t, c, lianggao.CampaignAssigned); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.draw", ObjectType: "campaign", ObjectID: code,
			After: map[string]any{"seed": d.seed, "commitment": d.commitment, "groups": asg.Groups, "shortfall": plan.Shortfall}})
	})
	return plan, err
}

// Replan plans the visits of an assigned campaign again, for example after
// members were added to cover a shortfall. The assignment stays; no visit may
// have started.
func (s *Store) Replan(ctx context.Context, code string) (*planner.VisitPlan, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return nil, err
	}
	var plan *planner.VisitPlan
	err := s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignAssigned)
		if err != nil {
			return err
		}
		d, err := currentDraw(ctx, t, c.ID)
		if err != nil {
			return err
		}
		var asg planner.Assignment
		if err := json.Unmarshal([]byte(d.assignment), &asg); err != nil {
			return fmt.Errorf("store: stored assignment: %w", err)
		}
		var started int
		if err := t.queryRow(ctx, `SELECT count(*) FROM inspection_tasks WHERE draw_id = ? AND state <> ?`, d.id, lianggao.TaskScheduled).
			Scan(&started); err != nil {
			return err
		}
		if started > 0 {
			return lianggao.Errorf(lianggao.ECONFLICT, "campaign.visits_started")
		}
		if _, err := t.exec(ctx, `DELETE FROM task_members WHERE task_id IN (SELECT id FROM inspection_tasks WHERE draw_id = ?)`, d.id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM inspection_tasks WHERE draw_id = ?`, d.id); err != nil {
			return err
		}
		if plan, err = s.planVisits(ctx, t, c, d.id, asg.Groups); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.replan", ObjectType: "campaign", ObjectID: code,
			After: map[string]any{"shortfall": plan.Shortfall}})
	})
	return plan, err
}

// planVisits runs the planner over the campaign's targets and members and
// writes one task per planned enterprise, with its team.
func (s *Store) planVisits(ctx context.Context, t *tx, c *lianggao.Campaign, drawID int64, groups []planner.AssignedGroup) (*planner.VisitPlan, error) {
	in, ids, err := s.visitInputs(ctx, t, c, groups)
	if err != nil {
		return nil, err
	}
	plan, err := planner.PlanVisits(in)
	if err != nil {
		return nil, err
	}
	for _, g := range plan.Groups {
		if err := insertTasks(ctx, t, c, drawID, g, ids); err != nil {
			return nil, err
		}
	}
	notes, _ := json.Marshal(map[string]any{"shortfall": plan.Shortfall, "warnings": plan.Warnings, "merges": plan.Merges})
	_, err = t.exec(ctx, `UPDATE campaign_draws SET plan_notes = ? WHERE id = ?`, string(notes), drawID)
	return plan, err
}

// VisitInputs returns what the visit plan of a campaign depends on besides
// the assignment (Groups is left empty): its targets, its groups' members,
// the window's working days and the profile's team size and cap. It lets
// anyone check the planner against the campaign's real inputs.
func (s *Store) VisitInputs(ctx context.Context, code string) (planner.VisitInputs, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return planner.VisitInputs{}, err
	}
	var in planner.VisitInputs
	err := s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		in, _, err = s.visitInputs(ctx, t, c, nil)
		return err
	})
	return in, err
}

// target is an enterprise on the list, as the task rows need it.
type target struct {
	id           int64
	city, county string
}

func (s *Store) visitInputs(ctx context.Context, t *tx, c *lianggao.Campaign, groups []planner.AssignedGroup) (planner.VisitInputs, map[string]target, error) {
	w, err := s.profile.Window(c.Code)
	if err != nil {
		return planner.VisitInputs{}, nil, err
	}
	in := planner.VisitInputs{Groups: groups, Days: w.WorkingDays(s.profile.Calendar()),
		TeamSize: s.profile.Campaign.MinTeamSize, AnnualCap: s.profile.Campaign.AnnualInspectionCap}
	ids := map[string]target{}
	// Inspections this year by other campaigns count towards the cap (R7.1).
	rows, err := t.query(ctx, `SELECT e.id, e.credit_code, ct.city_code, ct.county_code,
		(SELECT count(*) FROM inspection_tasks it JOIN campaigns oc ON oc.id = it.campaign_id
			JOIN campaign_draws od ON od.id = it.draw_id AND od.superseded_at IS NULL
			WHERE it.enterprise_id = e.id AND oc.id <> ? AND substr(it.day, 1, 4) = ?)
		FROM campaign_targets ct JOIN enterprises e ON e.id = ct.enterprise_id WHERE ct.campaign_id = ? ORDER BY e.credit_code`,
		c.ID, c.Starts.String()[:4], c.ID)
	if err != nil {
		return in, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var tg target
		var tt planner.Target
		if err := rows.Scan(&tg.id, &tt.ID, &tg.city, &tg.county, &tt.Inspections); err != nil {
			return in, nil, err
		}
		tt.County = tg.county
		ids[tt.ID] = tg
		in.Enterprises = append(in.Enterprises, tt)
	}
	if err := rows.Err(); err != nil {
		return in, nil, err
	}
	ms, err := members(ctx, t, c.ID)
	for _, m := range ms {
		in.Staff = append(in.Staff, planner.Inspector{PersonID: m.PersonID, Department: m.Department, HomeRegion: m.HomeRegion,
			Certified: certified(m, c.Ends)})
	}
	return in, ids, err
}

// insertTasks writes a group's tasks and their teams, a few hundred rows a
// statement.
func insertTasks(ctx context.Context, t *tx, c *lianggao.Campaign, drawID int64, g planner.GroupPlan, ids map[string]target) error {
	const chunk = 200
	for start := 0; start < len(g.Tasks); start += chunk {
		tasks := g.Tasks[start:min(start+chunk, len(g.Tasks))]
		var sb strings.Builder
		var args []any
		for i, task := range tasks {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			tg := ids[task.Enterprise]
			args = append(args, c.ID, drawID, tg.id, g.Department, tg.city, tg.county, task.Day, lianggao.TaskScheduled, t.now)
		}
		rows, err := t.query(ctx, `INSERT INTO inspection_tasks (campaign_id, draw_id, enterprise_id, department_code, city_code,
			county_code, day, state, updated_at) VALUES `+sb.String()+` RETURNING id, enterprise_id`, args...)
		if err != nil {
			return err
		}
		taskOf := map[int64]int64{}
		for rows.Next() {
			var id, ent int64
			if err := rows.Scan(&id, &ent); err != nil {
				rows.Close()
				return err
			}
			taskOf[ent] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := insertTeams(ctx, t, tasks, taskOf, ids); err != nil {
			return err
		}
	}
	return nil
}

func insertTeams(ctx context.Context, t *tx, tasks []planner.Task, taskOf map[int64]int64, ids map[string]target) error {
	var sb strings.Builder
	var args []any
	for _, task := range tasks {
		for _, p := range task.Team {
			if len(args) > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?)")
			args = append(args, taskOf[ids[task.Enterprise].id], p)
		}
	}
	if len(args) == 0 {
		return nil
	}
	_, err := t.exec(ctx, `INSERT INTO task_members (task_id, person_id) VALUES `+sb.String(), args...)
	return err
}
