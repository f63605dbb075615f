package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/monitor"
)

const alertColumns = `a.id, a.enterprise_id, e.credit_code, e.name, a.county_code, a.city_code, a.rule, a.subject,
	a.from_day, a.to_day, a.severity, a.message, a.evidence, a.status, a.verdict, a.reason, a.escalated_to, a.updated_at`

func scanAlert(sc interface{ Scan(...any) error }, a *lianggao.Alert) error {
	var evidence string
	err := sc.Scan(&a.ID, &a.EnterpriseID, &a.CreditCode, &a.EnterpriseName, &a.County, &a.City, &a.Rule, &a.Subject,
		&a.From, &a.To, &a.Severity, &a.Message, &evidence, &a.Status, &a.Verdict, &a.Reason, &a.EscalatedTo, &a.UpdatedAt)
	a.Evidence = json.RawMessage(evidence)
	return err
}

// AlertRun tells what saving a run's findings did.
type AlertRun struct {
	Findings int `json:"findings"`
	Created  int `json:"created"`
	Extended int `json:"extended"`
}

// SaveFindings turns a run's findings into alerts in one transaction: a
// finding that meets or touches an alert of the same enterprise, rule and
// subject extends it (its period, and its severity if worse); any other
// finding becomes a new alert. Info findings are kept out of triage.
func (s *Store) SaveFindings(ctx context.Context, findings []monitor.Finding) (*AlertRun, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	run := &AlertRun{}
	err = s.update(ctx, func(t *tx) error {
		ents, err := enterprisesByCode(ctx, t, a, keys(findings, func(f monitor.Finding) string { return f.CreditCode }))
		if err != nil {
			return err
		}
		for _, f := range findings {
			e := ents[f.CreditCode]
			if e == nil || f.Severity == monitor.Info {
				continue
			}
			run.Findings++
			extended, err := extendAlert(ctx, t, e.ID, f)
			if err != nil {
				return err
			}
			if extended {
				run.Extended++
				continue
			}
			if err := insertAlert(ctx, t, e, f); err != nil {
				return err
			}
			run.Created++
		}
		return s.audit(ctx, t, auditEntry{Action: "alert.run", ObjectType: "alert", ObjectID: "*", After: run})
	})
	return run, err
}

var severityRank = map[string]int{"info": 0, "warning": 1, "critical": 2}

// extendAlert widens an existing alert the finding meets or touches.
func extendAlert(ctx context.Context, t *tx, enterpriseID int64, f monitor.Finding) (bool, error) {
	var id int64
	var from, to lianggao.Date
	var severity string
	err := t.queryRow(ctx, `SELECT id, from_day, to_day, severity FROM alerts WHERE enterprise_id = ? AND rule = ? AND subject = ?
		AND from_day <= ? AND to_day >= ? ORDER BY id LIMIT 1`, enterpriseID, f.Rule, f.Subject,
		f.To.AddDays(1).String(), f.From.AddDays(-1).String()).Scan(&id, &from, &to, &severity)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if f.From.Before(from) {
		from = f.From
	}
	if to.Before(f.To) {
		to = f.To
	}
	if severityRank[string(f.Severity)] > severityRank[severity] {
		severity = string(f.Severity)
	}
	_, err = t.exec(ctx, `UPDATE alerts SET from_day = ?, to_day = ?, severity = ?, evidence = ?, updated_at = ? WHERE id = ?`,
		from.String(), to.String(), severity, jsonText(f.Evidence), t.now, id)
	return true, err
}

func insertAlert(ctx context.Context, t *tx, e *lianggao.Enterprise, f monitor.Finding) error {
	_, err := t.insert(ctx, `INSERT INTO alerts (enterprise_id, city_code, county_code, rule, subject, from_day, to_day,
		severity, message, evidence, status, verdict, reason, escalated_to, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', ?, ?)`,
		e.ID, e.City, e.County, f.Rule, f.Subject, f.From.String(), f.To.String(), string(f.Severity), f.Message,
		jsonText(f.Evidence), lianggao.AlertNew, t.now, t.now)
	return err
}

func alertWhere(a *lianggao.Actor, f lianggao.AlertFilter) *where {
	w := &where{}
	scopeRegion(w, a, "a.city_code", "a.county_code")
	if a.EnterpriseID != 0 {
		w.add("a.enterprise_id = ?", a.EnterpriseID)
	}
	for col, v := range map[string]string{"a.city_code": f.City, "a.county_code": f.County, "a.rule": f.Rule,
		"a.status": f.Status, "a.severity": f.Severity} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if f.Industry != "" {
		w.add("e.industry_code = ?", f.Industry)
	}
	if f.EnterpriseID != 0 {
		w.add("a.enterprise_id = ?", f.EnterpriseID)
	}
	if !f.From.IsZero() {
		w.add("a.to_day >= ?", f.From.String())
	}
	if !f.To.IsZero() {
		w.add("a.from_day <= ?", f.To.String())
	}
	if f.After != 0 {
		w.add("a.id > ?", f.After)
	}
	return w
}

// MaxAlertPage bounds a page of alerts read through the API.
const MaxAlertPage = 10000

// FindAlerts returns alerts in the actor's scope, oldest first, and the
// number matching. A limit up to MaxAlertPage is honoured, for machine clients.
func (s *Store) FindAlerts(ctx context.Context, f lianggao.AlertFilter) ([]*lianggao.Alert, int, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, 0, err
	}
	w := alertWhere(a, f)
	limit := f.Limit
	switch {
	case limit == All:
		limit = MaxAlertPage * 100
	case limit <= 0 || limit > MaxAlertPage:
		limit = 50
	}
	var out []*lianggao.Alert
	var total int
	err = s.view(ctx, func(t *tx) error {
		from := ` FROM alerts a JOIN enterprises e ON e.id = a.enterprise_id WHERE ` + w.String()
		if err := t.queryRow(ctx, `SELECT count(*)`+from, w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+alertColumns+from+` ORDER BY a.id LIMIT ? OFFSET ?`, append(w.args, limit, max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			al := &lianggao.Alert{}
			if err := scanAlert(rows, al); err != nil {
				return err
			}
			out = append(out, al)
		}
		return rows.Err()
	})
	return out, total, err
}

// FindAlertByID returns an alert, or ENOTFOUND outside the actor's scope.
func (s *Store) FindAlertByID(ctx context.Context, id int64) (*lianggao.Alert, error) {
	a, err := actorOf(ctx, lianggao.PermFigureRead)
	if err != nil {
		return nil, err
	}
	return s.findAlert(ctx, s.read, a, id)
}

func (s *Store) findAlert(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, a *lianggao.Actor, id int64) (*lianggao.Alert, error) {
	w := alertWhere(a, lianggao.AlertFilter{})
	w.add("a.id = ?", id)
	al := &lianggao.Alert{}
	err := scanAlert(q.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+alertColumns+` FROM alerts a
		JOIN enterprises e ON e.id = a.enterprise_id WHERE `+w.String()), w.args...), al)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("alert")
	}
	return al, err
}

// MoveAlert triages (with a verdict), escalates (verdict names the target:
// the problem list or a special inspection) or closes an alert; each needs
// a reason and is audited.
func (s *Store) MoveAlert(ctx context.Context, id int64, to, verdict, reason string) (*lianggao.Alert, error) {
	a, err := actorOf(ctx, lianggao.PermAlertTriage)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, lianggao.FieldError("reason", "required")
	case to == lianggao.AlertTriaged && !slices.Contains(lianggao.TriageVerdicts, verdict):
		return nil, lianggao.FieldError("verdict", "enum.invalid", verdict)
	case to == lianggao.AlertEscalated && !slices.Contains(lianggao.EscalationTargets, verdict):
		return nil, lianggao.FieldError("verdict", "enum.invalid", verdict)
	}
	var out *lianggao.Alert
	err = s.update(ctx, func(t *tx) error {
		before, err := s.findAlert(ctx, t.Tx, a, id)
		if err != nil {
			return err
		}
		if !lianggao.CanMoveAlert(before.Status, to) {
			return lianggao.FieldError("status", "alert.transition", before.Status, to)
		}
		after := *before
		after.Status, after.Reason = to, reason
		switch to {
		case lianggao.AlertTriaged:
			after.Verdict = verdict
		case lianggao.AlertEscalated:
			after.EscalatedTo = verdict
		}
		if _, err := t.exec(ctx, `UPDATE alerts SET status = ?, verdict = ?, reason = ?, escalated_to = ?, updated_at = ? WHERE id = ?`,
			after.Status, after.Verdict, after.Reason, after.EscalatedTo, t.now, id); err != nil {
			return err
		}
		if to == lianggao.AlertEscalated && verdict == "finding" {
			// Onto the problem list in the same transaction: the finding
			// names the alert as its source, so each page links the other.
			f := findingOfAlert(before, reason)
			if err := insertFinding(ctx, t, f); err != nil {
				return err
			}
			if err := s.audit(ctx, t, auditEntry{Action: "finding.create", ObjectType: "finding",
				ObjectID: strconv.FormatInt(f.ID, 10), After: f}); err != nil {
				return err
			}
		}
		out = &after
		return s.audit(ctx, t, auditEntry{Action: "alert." + to, ObjectType: "alert", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]any{"status": before.Status}, After: map[string]any{"status": to, "verdict": verdict, "reason": reason}})
	})
	if err != nil {
		return nil, fmt.Errorf("store: move alert: %w", err)
	}
	return out, nil
}
