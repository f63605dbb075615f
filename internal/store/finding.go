package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
)

// insertFinding puts a finding on the problem list inside the caller's
// transaction; the city and county are copied from the enterprise so that
// the list is scoped by one indexed column, as alerts are.
func insertFinding(ctx context.Context, t *tx, f *lianggao.Finding) error {
	if err := f.Validate(); err != nil {
		return err
	}
	var campaign any
	if f.CampaignID != 0 {
		campaign = f.CampaignID
	}
	f.CreatedAt = t.now
	var err error
	f.ID, err = t.insert(ctx, `INSERT INTO findings (source, source_id, campaign_id, enterprise_id, city_code, county_code,
		category, description, evidence, severity, created_at)
		SELECT ?, ?, ?, e.id, e.city_code, e.county_code, ?, ?, ?, ?, ? FROM enterprises e WHERE e.id = ?`,
		f.Source, f.SourceID, campaign, f.Category, f.Description, f.Evidence, f.Severity, t.now, f.EnterpriseID)
	return err
}

// scopeFinding adds who may see a finding aliased f: the province every
// finding; an officer of a city or county the findings there; an enterprise
// its own; and a member of a joint group the findings its group made on
// inspection, wherever the enterprise is (the same rule as scopeTask).
func scopeFinding(w *where, a *lianggao.Actor, alias string) {
	scopeRegionOrGroup(w, a, alias, `(`+alias+`.source = 'inspection' AND EXISTS (SELECT 1 FROM inspections fi
		JOIN inspection_tasks ft ON ft.id = fi.task_id
		JOIN campaign_members fm ON fm.campaign_id = ft.campaign_id AND fm.department_code = ft.department_code
		WHERE fi.id = `+alias+`.source_id AND fm.person_id = ?))`)
}

// openFinding is the condition of a finding not yet dealt with.
const openFinding = `NOT EXISTS (SELECT 1 FROM dispositions od WHERE od.finding_id = f.id AND
	((od.kind = 'rectification' AND od.verified_at IS NOT NULL) OR (od.kind = 'referral' AND od.decision <> '')))`

func findingWhere(a *lianggao.Actor, ff lianggao.FindingFilter) *where {
	w := &where{}
	scopeFinding(w, a, "f")
	for col, v := range map[string]string{"f.city_code": ff.City, "f.county_code": ff.County, "f.category": ff.Category,
		"f.severity": ff.Severity, "f.source": ff.Source} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if ff.Campaign != "" {
		w.add("f.campaign_id IN (SELECT c.id FROM campaigns c WHERE c.code = ?)", ff.Campaign)
	}
	if ff.Open {
		w.add(openFinding)
	}
	return w
}

const findingColumns = `f.id, f.source, f.source_id, f.campaign_id, f.enterprise_id, e.credit_code, e.name, f.county_code, f.city_code,
	f.category, f.description, f.evidence, f.severity, f.created_at`

// FindFindings returns the problem list in the actor's scope, newest first,
// each finding with its dispositions, and the number matching.
func (s *Store) FindFindings(ctx context.Context, ff lianggao.FindingFilter) ([]*lianggao.Finding, int, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, 0, err
	}
	offset, limit := page(ff.Offset, ff.Limit)
	w := findingWhere(a, ff)
	var out []*lianggao.Finding
	var total int
	err = s.view(ctx, func(t *tx) error {
		from := ` FROM findings f JOIN enterprises e ON e.id = f.enterprise_id WHERE ` + w.String()
		if err := t.queryRow(ctx, `SELECT count(*)`+from, w.args...).Scan(&total); err != nil {
			return err
		}
		out, err = scanFindings(ctx, t, `SELECT `+findingColumns+from+` ORDER BY f.id DESC LIMIT ? OFFSET ?`,
			append(w.args, limit, offset)...)
		return err
	})
	return out, total, err
}

// FindFinding returns one finding in the actor's scope with its
// dispositions, oldest first.
func (s *Store) FindFinding(ctx context.Context, id int64) (*lianggao.Finding, error) {
	return s.viewFinding(ctx, "f.id = ?", id)
}

// FindFindingBySource returns the finding a source (an alert, an
// inspection) put on the problem list, if the actor may see it.
func (s *Store) FindFindingBySource(ctx context.Context, source string, sourceID int64) (*lianggao.Finding, error) {
	return s.viewFinding(ctx, "f.source = ? AND f.source_id = ?", source, sourceID)
}

// viewFinding reads the first finding meeting cond in the actor's scope.
func (s *Store) viewFinding(ctx context.Context, cond string, args ...any) (*lianggao.Finding, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out *lianggao.Finding
	err = s.view(ctx, func(t *tx) error {
		out, err = findFinding(ctx, t, a, cond, args...)
		return err
	})
	return out, err
}

func findFinding(ctx context.Context, t *tx, a *lianggao.Actor, cond string, args ...any) (*lianggao.Finding, error) {
	w := findingWhere(a, lianggao.FindingFilter{})
	w.add(cond, args...)
	return first(scanFindings(ctx, t, `SELECT `+findingColumns+` FROM findings f JOIN enterprises e ON e.id = f.enterprise_id
		WHERE `+w.String()+` ORDER BY f.id LIMIT 1`, w.args...))("finding")
}

// first returns a query's first row, or ENOTFOUND naming what was sought.
func first[T any](rows []*T, err error) func(what string) (*T, error) {
	return func(what string) (*T, error) {
		switch {
		case err != nil:
			return nil, err
		case len(rows) == 0:
			return nil, notFound(what)
		}
		return rows[0], nil
	}
}

// FindingLinks returns what the page of a finding in the actor's scope
// links to: its campaign's code and, for a finding made on inspection, the
// inspection task ("" and 0 when there is none).
func (s *Store) FindingLinks(ctx context.Context, findingID int64) (campaign string, taskID int64, err error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return "", 0, err
	}
	w := &where{}
	w.add("f.id = ?", findingID)
	scopeFinding(w, a, "f")
	var code sql.NullString
	var task sql.NullInt64
	err = s.queryRowRead(ctx, `SELECT c.code, i.task_id FROM findings f LEFT JOIN campaigns c ON c.id = f.campaign_id
		LEFT JOIN inspections i ON f.source = 'inspection' AND i.id = f.source_id WHERE `+w.String(), w.args...).Scan(&code, &task)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, notFound("finding")
	}
	return code.String, task.Int64, err
}

// FindingHistory returns who changed a finding in the actor's scope and
// its dispositions, and when, newest first.
func (s *Store) FindingHistory(ctx context.Context, findingID int64) ([]*AuditRecord, error) {
	f, err := s.FindFinding(ctx, findingID)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("object_type = 'finding' AND object_id = ?", strconv.FormatInt(f.ID, 10))
	for _, d := range f.Dispositions {
		w.add("object_type = 'disposition' AND object_id = ?", strconv.FormatInt(d.ID, 10))
	}
	rows, err := s.queryRead(ctx, `SELECT seq, at, actor, action FROM audit_entries WHERE (`+strings.Join(w.conds, ") OR (")+`)
		ORDER BY seq DESC LIMIT 200`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*AuditRecord
	for rows.Next() {
		r := &AuditRecord{}
		if err := rows.Scan(&r.Seq, &r.At, &r.Actor, &r.Action); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// scanFindings reads findings and then, in one query, their dispositions.
func scanFindings(ctx context.Context, t *tx, q string, args ...any) ([]*lianggao.Finding, error) {
	out, err := readFindings(ctx, t, q, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := make(map[int64]*lianggao.Finding, len(out))
	ids := make([]int64, 0, len(out))
	for _, f := range out {
		byID[f.ID] = f
		ids = append(ids, f.ID)
	}
	ds, err := scanDispositions(ctx, t, `SELECT `+dispositionColumns+` FROM dispositions d WHERE d.finding_id IN (`+
		idList(ids)+`) ORDER BY d.id`)
	for _, d := range ds {
		byID[d.FindingID].Dispositions = append(byID[d.FindingID].Dispositions, d)
	}
	return out, err
}

// readFindings reads the findings a query of findingColumns selects,
// without their dispositions.
func readFindings(ctx context.Context, t *tx, q string, args ...any) ([]*lianggao.Finding, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Finding
	for rows.Next() {
		f := &lianggao.Finding{}
		var campaign sql.NullInt64
		if err := rows.Scan(&f.ID, &f.Source, &f.SourceID, &campaign, &f.EnterpriseID, &f.CreditCode, &f.EnterpriseName,
			&f.County, &f.City, &f.Category, &f.Description, &f.Evidence, &f.Severity, &f.CreatedAt); err != nil {
			return nil, err
		}
		f.CampaignID = campaign.Int64
		out = append(out, f)
	}
	return out, rows.Err()
}

const dispositionColumns = `d.id, d.finding_id, d.kind, d.owner, d.deadline, d.decision, d.quota, d.amount, d.description,
	d.evidence, d.verified_at, d.created_at`

func scanDispositions(ctx context.Context, t *tx, q string, args ...any) ([]*lianggao.Disposition, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Disposition
	for rows.Next() {
		d := &lianggao.Disposition{}
		var deadline string
		var verified sql.NullTime
		if err := rows.Scan(&d.ID, &d.FindingID, &d.Kind, &d.Owner, &deadline, &d.Decision, &d.Quota, &d.Amount, &d.Description,
			&d.Evidence, &verified, &d.CreatedAt); err != nil {
			return nil, err
		}
		if deadline != "" {
			if d.Deadline, err = lianggao.ParseDate(deadline); err != nil {
				return nil, err
			}
		}
		d.VerifiedAt = verified.Time
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddDisposition records how a finding in the actor's scope is dealt with:
// a rectification demand (owner, deadline not in the past, description), a
// referral to the competent enforcement body (its decision comes later) or
// a proposed cut of the enterprise's quota, whose description names the
// enterprise's city (the quota accounts themselves are kept elsewhere).
func (s *Store) AddDisposition(ctx context.Context, findingID int64, d *lianggao.Disposition) error {
	a, err := actorOf(ctx, lianggao.PermFindingWrite)
	if err != nil {
		return err
	}
	d.Owner, d.Description = strings.TrimSpace(d.Owner), strings.TrimSpace(d.Description)
	if err := d.Validate(); err != nil {
		return err
	}
	today := lianggao.DateOf(s.now().In(s.profile.Location()))
	switch d.Kind {
	case lianggao.DispositionRectification:
		if d.Deadline.Before(today) {
			return lianggao.FieldError("deadline", "disposition.deadline_past", today.String())
		}
		if d.Description == "" {
			return lianggao.FieldError("description", "required")
		}
		d.Quota, d.Amount = "", 0
	case lianggao.DispositionReferral:
		d.Deadline, d.Quota, d.Amount = lianggao.Date{}, "", 0
	case lianggao.DispositionQuotaCut:
		d.Owner, d.Deadline = "", lianggao.Date{}
	}
	d.Decision, d.Evidence, d.VerifiedAt = "", "", time.Time{}
	return s.update(ctx, func(t *tx) error {
		f, err := findFinding(ctx, t, a, "f.id = ?", findingID)
		if err != nil {
			return err
		}
		if d.Kind == lianggao.DispositionQuotaCut {
			d.Description += s.cityNote(f.City)
		}
		d.FindingID, d.CreatedAt = f.ID, t.now
		d.ID, err = t.insert(ctx, `INSERT INTO dispositions (finding_id, kind, owner, deadline, decision, quota, amount, description,
			evidence, verified_at, created_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, '', NULL, ?)`,
			f.ID, d.Kind, d.Owner, d.Deadline.String(), d.Quota, d.Amount, d.Description, t.now)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "disposition.create", ObjectType: "finding", ObjectID: strconv.FormatInt(f.ID, 10),
			After: d})
	})
}

// cityNote names the city whose quota a proposed cut also concerns.
func (s *Store) cityNote(city string) string {
	name := city
	if r, ok := s.profile.Region(city); ok {
		name = r.Name
	}
	return fmt.Sprintf("（所在市：%s %s）", name, city)
}

// findDisposition reads a disposition whose finding lies in the actor's
// scope.
func findDisposition(ctx context.Context, t *tx, a *lianggao.Actor, id int64) (*lianggao.Disposition, error) {
	w := &where{}
	w.add("d.id = ?", id)
	scopeFinding(w, a, "f")
	return first(scanDispositions(ctx, t, `SELECT `+dispositionColumns+` FROM dispositions d JOIN findings f ON f.id = d.finding_id
		WHERE `+w.String(), w.args...))("disposition")
}

// conflict is the error for a field that may be set only once.
func conflict(field, key string) error {
	e := lianggao.FieldError(field, key)
	e.Code = lianggao.ECONFLICT
	return e
}

// RecordDecision records the decision number the enforcement body returned
// for a referral, once. The platform records penalties; it does not impose
// them.
func (s *Store) RecordDecision(ctx context.Context, dispositionID int64, decision string) (*lianggao.Disposition, error) {
	return s.endDisposition(ctx, dispositionID, decision, ending{kind: lianggao.DispositionReferral, field: "decision",
		wrongKind: "disposition.not_referral", done: "disposition.decided", action: "disposition.decision",
		set: `decision = ? WHERE id = ? AND decision = ''`, apply: func(d *lianggao.Disposition, v string, _ time.Time) { d.Decision = v }})
}

// VerifyRectification records the evidence that a rectification was done
// and when it was verified, once.
func (s *Store) VerifyRectification(ctx context.Context, dispositionID int64, evidence string) (*lianggao.Disposition, error) {
	return s.endDisposition(ctx, dispositionID, evidence, ending{kind: lianggao.DispositionRectification, field: "evidence",
		wrongKind: "disposition.not_rectification", done: "disposition.verified", action: "disposition.verify",
		set: `evidence = ?, verified_at = ? WHERE id = ? AND verified_at IS NULL`, now: true,
		apply: func(d *lianggao.Disposition, v string, now time.Time) { d.Evidence, d.VerifiedAt = v, now }})
}

// ending is how a disposition of a kind is brought to its end: the field
// that ends it (required, set once), the message keys of the wrong kind and
// of an end already recorded, the audit action, the SET clause (the value,
// then the time when now is set, then the id) and what it changes.
type ending struct {
	kind, field, wrongKind, done, action, set string
	now                                       bool
	apply                                     func(d *lianggao.Disposition, value string, now time.Time)
}

func (s *Store) endDisposition(ctx context.Context, id int64, value string, e ending) (*lianggao.Disposition, error) {
	a, err := actorOf(ctx, lianggao.PermFindingWrite)
	if err != nil {
		return nil, err
	}
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, lianggao.FieldError(e.field, "required")
	}
	var out *lianggao.Disposition
	err = s.update(ctx, func(t *tx) error {
		d, err := findDisposition(ctx, t, a, id)
		switch {
		case err != nil:
			return err
		case d.Kind != e.kind:
			return lianggao.FieldError("kind", e.wrongKind)
		case d.Done():
			return conflict(e.field, e.done)
		}
		args := []any{value}
		if e.now {
			args = append(args, t.now)
		}
		if _, err := t.exec(ctx, `UPDATE dispositions SET `+e.set, append(args, d.ID)...); err != nil {
			return err
		}
		e.apply(d, value, t.now)
		out = d
		return s.audit(ctx, t, auditEntry{Action: e.action, ObjectType: "disposition", ObjectID: strconv.FormatInt(d.ID, 10),
			After: map[string]any{e.field: value}})
	})
	return out, err
}

// findingOfAlert is the finding an alert escalated to the problem list
// becomes: its category from the rule, its description the escalating
// person's reason with the rule and period (the store keeps words people
// wrote and codes, never translated labels), its evidence the alert's.
func findingOfAlert(al *lianggao.Alert, reason string) *lianggao.Finding {
	desc := fmt.Sprintf("%s（监测预警 %d：%s", reason, al.ID, al.Rule)
	if al.Subject != "" {
		desc += " " + al.Subject
	}
	desc += fmt.Sprintf("，%s 至 %s）", al.From, al.To)
	severity := "minor"
	switch al.Severity {
	case string(monitor.Critical):
		severity = "serious"
	case string(monitor.Warning):
		severity = "major"
	}
	return &lianggao.Finding{Source: "alert", SourceID: al.ID, EnterpriseID: al.EnterpriseID, Category: ruleCategory(al.Rule),
		Description: desc, Evidence: string(al.Evidence), Severity: severity}
}

// ruleCategory maps a monitoring rule to the category of the problem it
// points at.
func ruleCategory(rule string) string {
	switch rule {
	case monitor.RuleOverproduction:
		return "overproduction"
	case monitor.RuleEnergyMismatch, monitor.RuleUnitUseHistory, monitor.RuleUnitUsePeers,
		monitor.RuleIntensityBaseline, monitor.RuleIntensityBenchmark:
		return "energy_use"
	case monitor.RuleReportsMissing, monitor.RuleReportsIncomplete, monitor.RuleReportsLate,
		monitor.RuleDailyMonthly, monitor.RuleSourceMismatch, monitor.RuleLoneChange:
		return "misreporting"
	case monitor.RuleMeterSilent, monitor.RuleMeterOverdue:
		return "metering"
	}
	return "other"
}
