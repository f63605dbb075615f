package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"lianggao"
)

// Campaigns are province-wide: every holder of campaign:read sees the list
// and its dates; what lies inside (tasks, inspections, findings) is scoped.

// campaignSelect reads campaigns c with their target count and the current
// draw's commitment and seed ("" before any).
const campaignSelect = `SELECT c.id, c.code, c.name, c.state, c.starts_on, c.ends_on, c.staffing_deadline, c.report_due,
	c.updated_at, (SELECT count(*) FROM campaign_targets ct WHERE ct.campaign_id = c.id),
	COALESCE(d.commitment, ''), COALESCE(d.seed, '')
	FROM campaigns c LEFT JOIN campaign_draws d ON d.campaign_id = c.id AND d.superseded_at IS NULL`

func scanCampaign(sc interface{ Scan(...any) error }, c *lianggao.Campaign) error {
	return sc.Scan(&c.ID, &c.Code, &c.Name, &c.State, &c.Starts, &c.Ends, &c.StaffingDeadline, &c.ReportDue, &c.UpdatedAt,
		&c.Targets, &c.Commitment, &c.Seed)
}

// CreateCampaign opens a campaign as a draft, with the window, staffing
// deadline and report due date the profile gives its code.
func (s *Store) CreateCampaign(ctx context.Context, code, name string) (*lianggao.Campaign, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return nil, err
	}
	w, err := s.profile.Window(code)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = code
	}
	c := &lianggao.Campaign{Code: code, Name: name, State: lianggao.CampaignDraft, Starts: w.Starts, Ends: w.Ends,
		StaffingDeadline: w.StaffingDeadline, ReportDue: w.ReportDue}
	err = s.update(ctx, func(t *tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM campaigns WHERE code = ?`, code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return lianggao.FieldError("code", "campaign_code.duplicate", code)
		}
		c.UpdatedAt = t.now
		c.ID, err = t.insert(ctx, `INSERT INTO campaigns (code, name, state, starts_on, ends_on, staffing_deadline, report_due,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Code, c.Name, c.State, c.Starts, c.Ends, c.StaffingDeadline, c.ReportDue, t.now, t.now)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.create", ObjectType: "campaign", ObjectID: code, After: c})
	})
	return c, err
}

// FindCampaigns lists the campaigns, newest first.
func (s *Store) FindCampaigns(ctx context.Context) ([]*lianggao.Campaign, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignRead); err != nil {
		return nil, err
	}
	rows, err := s.queryRead(ctx, campaignSelect+` ORDER BY c.starts_on DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Campaign
	for rows.Next() {
		c := &lianggao.Campaign{}
		if err := scanCampaign(rows, c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindCampaign returns the campaign with the given code.
func (s *Store) FindCampaign(ctx context.Context, code string) (*lianggao.Campaign, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignRead); err != nil {
		return nil, err
	}
	return findCampaign(ctx, s.read, s.dialect, code)
}

type queryRower interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func findCampaign(ctx context.Context, q queryRower, d dialect, code string) (*lianggao.Campaign, error) {
	c := &lianggao.Campaign{}
	err := scanCampaign(q.QueryRowContext(ctx, d.rebind(campaignSelect+` WHERE c.code = ?`), code), c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("campaign")
	}
	return c, err
}

// campaignFor reads the campaign inside a write transaction and checks it is
// in one of the given states.
func campaignFor(ctx context.Context, t *tx, code string, states ...string) (*lianggao.Campaign, error) {
	c, err := findCampaign(ctx, t.Tx, t.d, code)
	if err != nil {
		return nil, err
	}
	if len(states) > 0 && !slices.Contains(states, c.State) {
		return nil, lianggao.Errorf(lianggao.ECONFLICT, "campaign.wrong_state", c.State)
	}
	return c, nil
}

// FreezeTargets fixes a draft campaign's target list and opens staffing. With
// no credit codes the list is every registered enterprise (all are two-high);
// otherwise exactly the listed ones, each of which must be registered. The
// list is a snapshot: later changes to the registry do not move it.
func (s *Store) FreezeTargets(ctx context.Context, code string, creditCodes []string) (*lianggao.Campaign, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return nil, err
	}
	var out *lianggao.Campaign
	err := s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code, lianggao.CampaignDraft)
		if err != nil {
			return err
		}
		if len(creditCodes) == 0 {
			_, err = t.exec(ctx, `INSERT INTO campaign_targets (campaign_id, enterprise_id, city_code, county_code, industry_code)
				SELECT ?, id, city_code, county_code, industry_code FROM enterprises`, c.ID)
		} else {
			err = insertListedTargets(ctx, t, c.ID, creditCodes)
		}
		if err != nil {
			return err
		}
		if err := moveCampaign(ctx, t, c, lianggao.CampaignStaffing); err != nil {
			return err
		}
		out, err = findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.freeze_targets", ObjectType: "campaign", ObjectID: code,
			After: map[string]any{"targets": out.Targets, "listed": len(creditCodes) > 0}})
	})
	return out, err
}

// insertListedTargets adds an imported list, naming every line whose credit
// code is not registered; nothing is added when one is wrong.
func insertListedTargets(ctx context.Context, t *tx, campaignID int64, codes []string) error {
	problems := lianggao.Problems{Max: 1000}
	seen := map[string]bool{}
	for i, cc := range codes {
		cc = strings.TrimSpace(cc)
		if seen[cc] {
			continue
		}
		seen[cc] = true
		res, err := t.exec(ctx, `INSERT INTO campaign_targets (campaign_id, enterprise_id, city_code, county_code, industry_code)
			SELECT ?, id, city_code, county_code, industry_code FROM enterprises WHERE credit_code = ?`, campaignID, cc)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			problems.Add(i+1, "credit_code", "enterprise.unknown", cc)
		}
	}
	return problems.Err("targets.invalid")
}

// MoveCampaign moves a campaign to another state. Going back from assigned
// to staffing (for a redraw) needs a reason and supersedes the draw; closing
// needs the joint report sent up.
func (s *Store) MoveCampaign(ctx context.Context, code, to, reason string) (*lianggao.Campaign, error) {
	if _, err := actorOf(ctx, lianggao.PermCampaignManage); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	var out *lianggao.Campaign
	err := s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code)
		if err != nil {
			return err
		}
		if !lianggao.CanMoveCampaign(c.State, to) {
			return lianggao.Errorf(lianggao.ECONFLICT, "campaign.transition", c.State, to)
		}
		if err := s.checkMove(ctx, t, c, to, reason); err != nil {
			return err
		}
		before := c.State
		if err := moveCampaign(ctx, t, c, to); err != nil {
			return err
		}
		out, err = findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.move", ObjectType: "campaign", ObjectID: code,
			Before: map[string]string{"state": before}, After: map[string]string{"state": to, "reason": reason}})
	})
	return out, err
}

// checkMove checks what a move needs besides being allowed.
func (s *Store) checkMove(ctx context.Context, t *tx, c *lianggao.Campaign, to, reason string) error {
	switch {
	case c.State == lianggao.CampaignAssigned && to == lianggao.CampaignStaffing:
		if reason == "" {
			return lianggao.FieldError("reason", "required")
		}
		_, err := t.exec(ctx, `UPDATE campaign_draws SET superseded_at = ?, reason = ? WHERE campaign_id = ? AND superseded_at IS NULL`,
			t.now, reason, c.ID)
		return err
	case to == lianggao.CampaignClosed:
		var sent int
		err := t.queryRow(ctx, `SELECT count(*) FROM joint_reports WHERE campaign_id = ? AND submitted_at IS NOT NULL`, c.ID).Scan(&sent)
		if err == nil && sent == 0 {
			return lianggao.Errorf(lianggao.ECONFLICT, "campaign.joint_report_pending")
		}
		return err
	}
	return nil
}

func moveCampaign(ctx context.Context, t *tx, c *lianggao.Campaign, to string) error {
	_, err := t.exec(ctx, `UPDATE campaigns SET state = ?, updated_at = ? WHERE id = ?`, to, t.now, c.ID)
	c.State = to
	return err
}
