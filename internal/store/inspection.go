package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"lianggao"
	"lianggao/internal/config"
)

// The on-site inspection (R1.4, R1.5, R7.1): a team checks in at the
// enterprise with the phone's position, takes photos, fills the record and
// submits it; the platform signs the record and locks it, and later
// corrections are amendments kept beside it. Only the task's team or the
// leader of its group may write; whoever may see the task may read.

// Limits of the texts of an inspection, in characters.
const (
	maxShortText = 200
	maxText      = 2000
	maxLongText  = 8000
)

// inspectionStates are the campaign states in which teams work on site.
var inspectionStates = []string{lianggao.CampaignAssigned, lianggao.CampaignInProgress}

// onSite returns a task of the current draw that the actor may work on: it
// must be in the actor's scope (else ENOTFOUND) and the actor on its team or
// leading its group (else EFORBIDDEN), and its campaign in one of states.
func onSite(ctx context.Context, t *tx, a *lianggao.Actor, taskID int64, states []string) (*lianggao.InspectionTask, error) {
	task, err := findTask(ctx, t, a, taskID)
	if err != nil {
		return nil, err
	}
	var current, member int
	var state string
	err = t.queryRow(ctx, `SELECT
		(SELECT count(*) FROM campaign_draws d WHERE d.id = it.draw_id AND d.superseded_at IS NULL),
		(SELECT count(*) FROM task_members tm WHERE tm.task_id = it.id AND tm.person_id = ?) +
		(SELECT count(*) FROM campaign_members cm WHERE cm.campaign_id = it.campaign_id AND cm.person_id = ?
			AND cm.role = ? AND cm.department_code = it.department_code),
		c.state
		FROM inspection_tasks it JOIN campaigns c ON c.id = it.campaign_id WHERE it.id = ?`,
		a.PersonID, a.PersonID, lianggao.MemberLeader, taskID).Scan(&current, &member, &state)
	switch {
	case err != nil:
		return nil, err
	case current == 0:
		return nil, notFound("task")
	case a.PersonID == 0 || member == 0:
		return nil, forbidden()
	case !slices.Contains(states, state):
		return nil, lianggao.Errorf(lianggao.ECONFLICT, "inspection.campaign_state", state)
	}
	return task, nil
}

// tooLong checks a text's length in characters.
func tooLong(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return lianggao.FieldError(field, "inspection.too_long", max)
	}
	return nil
}

// CheckIn records the team's arrival at the enterprise. The position is the
// phone's, in WGS-84; beyond the enterprise's radius (its own, or the
// profile's) a reason is required and the inspection is flagged. A task is
// checked in once.
func (s *Store) CheckIn(ctx context.Context, taskID int64, in lianggao.CheckIn) (*lianggao.Inspection, error) {
	a, err := actorOf(ctx, lianggao.PermInspectionWrite)
	if err != nil {
		return nil, err
	}
	in.Reason, in.RegistrationID, in.Certificates = strings.TrimSpace(in.Reason), strings.TrimSpace(in.RegistrationID),
		strings.TrimSpace(in.Certificates)
	if !in.Position.Valid() {
		return nil, lianggao.FieldError("position", "inspection.position_invalid")
	}
	if err := errors.Join(tooLong("reason", in.Reason, maxText), tooLong("registration_id", in.RegistrationID, maxShortText),
		tooLong("certificates", in.Certificates, maxText)); err != nil {
		return nil, firstError(err)
	}
	var out *lianggao.Inspection
	err = s.update(ctx, func(t *tx) error {
		task, err := onSite(ctx, t, a, taskID, inspectionStates)
		if err != nil {
			return err
		}
		if prior, err := loadInspection(ctx, t, taskID); err != nil {
			return err
		} else if prior != nil {
			return lianggao.Errorf(lianggao.ECONFLICT, "inspection.checked_in")
		}
		var site lianggao.Point
		var radius float64
		if err := t.queryRow(ctx, `SELECT lat, lon, COALESCE(checkin_radius_m, ?) FROM enterprises WHERE id = ?`,
			s.profile.Campaign.CheckinRadiusM, task.EnterpriseID).Scan(&site.Lat, &site.Lon, &radius); err != nil {
			return err
		}
		out = &lianggao.Inspection{TaskID: taskID, CheckedInAt: t.now, Position: in.Position, DistanceM: site.DistanceM(in.Position),
			RegistrationID: in.RegistrationID, Certificates: in.Certificates, Items: []string{}, Figures: []*lianggao.InspectionFigure{}}
		if out.DistanceM > radius {
			if in.Reason == "" {
				return lianggao.FieldError("reason", "inspection.outside", int64(out.DistanceM+0.5), int64(radius))
			}
			out.Flagged, out.OutsideReason = true, in.Reason
		}
		out.ID, err = t.insert(ctx, `INSERT INTO inspections (task_id, checked_in_at, checked_in_by, lat, lon, distance_m,
			outside_reason, flagged, registration_id, certificates, body, items, figures, submitted_by, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '[]', '[]', '', '')`,
			taskID, t.now, a.UserID, in.Position.Lat, in.Position.Lon, out.DistanceM, out.OutsideReason, out.Flagged,
			out.RegistrationID, out.Certificates)
		if err != nil {
			return err
		}
		return s.moveTask(ctx, t, taskID, lianggao.TaskCheckedIn, "inspection.checkin", out)
	})
	return out, err
}

// moveTask puts a task in its next state and audits what moved it.
func (s *Store) moveTask(ctx context.Context, t *tx, taskID int64, state, action string, after any) error {
	if _, err := t.exec(ctx, `UPDATE inspection_tasks SET state = ?, updated_at = ? WHERE id = ?`, state, t.now, taskID); err != nil {
		return err
	}
	return s.audit(ctx, t, auditEntry{Action: action, ObjectType: "inspection_task", ObjectID: strconv.FormatInt(taskID, 10), After: after})
}

// firstError returns the first of errors joined by errors.Join.
func firstError(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()[0]
	}
	return err
}

// openInspection returns the checked-in inspection of a task the actor may
// work on, refusing one not checked in or already submitted.
func openInspection(ctx context.Context, t *tx, a *lianggao.Actor, taskID int64) (*lianggao.InspectionTask, *lianggao.Inspection, error) {
	task, err := onSite(ctx, t, a, taskID, inspectionStates)
	if err != nil {
		return nil, nil, err
	}
	in, err := loadInspection(ctx, t, taskID)
	switch {
	case err != nil:
		return nil, nil, err
	case in == nil:
		return nil, nil, lianggao.Errorf(lianggao.ECONFLICT, "inspection.not_checked_in")
	case !in.SubmittedAt.IsZero():
		return nil, nil, lianggao.Errorf(lianggao.ECONFLICT, "inspection.locked")
	}
	return task, in, nil
}

// AddPhoto keeps a photo taken on site, between check-in and submission:
// a JPEG or PNG (judged by its content) of at most lianggao.MaxPhotoBytes,
// with its SHA-256.
func (s *Store) AddPhoto(ctx context.Context, taskID int64, name string, data []byte) (*lianggao.Photo, error) {
	a, err := actorOf(ctx, lianggao.PermInspectionWrite)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, lianggao.FieldError("photo", "required")
	}
	if len(data) > lianggao.MaxPhotoBytes {
		return nil, &lianggao.Error{Code: lianggao.ETOOLARGE, Key: "inspection.photo_too_large", Field: "photo",
			Args: []any{lianggao.MaxPhotoBytes >> 20}}
	}
	p := &lianggao.Photo{Name: photoName(name), ContentType: http.DetectContentType(data), Size: int64(len(data))}
	if p.ContentType != "image/jpeg" && p.ContentType != "image/png" {
		return nil, lianggao.FieldError("photo", "inspection.photo_type")
	}
	sum := sha256.Sum256(data)
	p.SHA256 = hex.EncodeToString(sum[:])
	err = s.update(ctx, func(t *tx) error {
		_, in, err := openInspection(ctx, t, a, taskID)
		if err != nil {
			return err
		}
		p.ID, err = t.insert(ctx, `INSERT INTO inspection_photos (inspection_id, name, content_type, size, sha256, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, in.ID, p.Name, p.ContentType, p.Size, p.SHA256, data, t.now)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "inspection.photo", ObjectType: "inspection_task", ObjectID: strconv.FormatInt(taskID, 10), After: p})
	})
	return p, err
}

// photoName keeps the last element of an uploaded file's name, bounded.
func photoName(name string) string {
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || name == "." || name == "/" {
		return "photo"
	}
	if r := []rune(name); len(r) > maxShortText {
		name = string(r[:maxShortText])
	}
	return name
}

// Photo returns a photo of an inspection the actor may see: its content
// type and bytes.
func (s *Store) Photo(ctx context.Context, taskID, photoID int64) (string, []byte, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return "", nil, err
	}
	var ctype string
	var data []byte
	err = s.view(ctx, func(t *tx) error {
		if _, err := findTask(ctx, t, a, taskID); err != nil {
			return err
		}
		err := t.queryRow(ctx, `SELECT p.content_type, p.data FROM inspection_photos p JOIN inspections i ON i.id = p.inspection_id
			WHERE p.id = ? AND i.task_id = ?`, photoID, taskID).Scan(&ctype, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return lianggao.Errorf(lianggao.ENOTFOUND, "inspection.photo_not_found")
		}
		return err
	})
	return ctype, data, err
}

// RecordedFigures returns the enterprise's own reported totals for the
// inspection period (the six calendar months before the campaign starts)
// of the R1.5 indicators and its main output, in the form's order; Recorded
// is nil where nothing was reported.
func (s *Store) RecordedFigures(ctx context.Context, taskID int64) ([]*lianggao.InspectionFigure, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out []*lianggao.InspectionFigure
	err = s.view(ctx, func(t *tx) error {
		task, err := findTask(ctx, t, a, taskID)
		if err != nil {
			return err
		}
		out, err = recordedFigures(ctx, t, task)
		return err
	})
	return out, err
}

func recordedFigures(ctx context.Context, t *tx, task *lianggao.InspectionTask) ([]*lianggao.InspectionFigure, error) {
	var starts lianggao.Date
	if err := t.queryRow(ctx, `SELECT starts_on FROM campaigns WHERE id = ?`, task.CampaignID).Scan(&starts); err != nil {
		return nil, err
	}
	from, to := lianggao.InspectionPeriod(starts)
	args := []any{task.EnterpriseID, from, to}
	for _, ind := range lianggao.InspectionIndicators {
		args = append(args, ind)
	}
	// The main product is the one whose output the enterprise reports
	// (most days, then by name); without reports, its first rated capacity.
	rows, err := t.query(ctx, `SELECT f.indicator, SUM(f.value), count(*) FROM figures f
		WHERE f.enterprise_id = ? AND f.source = 'enterprise' AND f.day >= ? AND f.day <= ?
		AND (f.indicator IN (`+placeholders(len(lianggao.InspectionIndicators))+`) OR f.indicator LIKE 'output:%')
		GROUP BY f.indicator
		UNION ALL
		SELECT 'output:' || c.product_code, NULL, 0 FROM enterprise_capacities c WHERE c.enterprise_id = ?`,
		append(args, task.EnterpriseID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sums := map[string]*float64{}
	var output string
	var outputDays int64 = -1
	for rows.Next() {
		var ind string
		var sum sql.NullFloat64
		var days int64
		if err := rows.Scan(&ind, &sum, &days); err != nil {
			return nil, err
		}
		if sum.Valid {
			sums[ind] = &sum.Float64
		}
		if strings.HasPrefix(ind, "output:") && (days > outputDays || days == outputDays && ind < output) {
			output, outputDays = ind, days
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []*lianggao.InspectionFigure
	for _, ind := range lianggao.InspectionIndicators {
		if ind == lianggao.IndicatorRevenue && output != "" {
			out = append(out, &lianggao.InspectionFigure{Indicator: output, Recorded: sums[output]})
		}
		out = append(out, &lianggao.InspectionFigure{Indicator: ind, Recorded: sums[ind]})
	}
	return out, nil
}

// SubmitInspection completes a checked-in inspection: the legal inspecting
// body, at least one published item, the verified figures and the findings,
// which go on the problem list. The platform then signs the record and
// locks it. Bad input names its field (and, for a figure or a finding, its
// row) and writes nothing.
func (s *Store) SubmitInspection(ctx context.Context, taskID int64, form lianggao.InspectionForm) (*lianggao.Inspection, error) {
	a, err := actorOf(ctx, lianggao.PermInspectionWrite)
	if err != nil {
		return nil, err
	}
	if err := s.checkForm(&form); err != nil {
		return nil, err
	}
	var out *lianggao.Inspection
	err = s.update(ctx, func(t *tx) error {
		task, in, err := openInspection(ctx, t, a, taskID)
		if err != nil {
			return err
		}
		if len(in.Photos) == 0 {
			return lianggao.FieldError("photos", "inspection.photo_required")
		}
		recorded, err := recordedFigures(ctx, t, task)
		if err != nil {
			return err
		}
		for _, f := range form.Figures {
			f.Recorded = nil
			if i := slices.IndexFunc(recorded, func(r *lianggao.InspectionFigure) bool { return r.Indicator == f.Indicator }); i >= 0 {
				f.Recorded = recorded[i].Recorded
			}
		}
		for _, f := range form.Findings {
			f.Source, f.SourceID, f.CampaignID, f.EnterpriseID = "inspection", in.ID, task.CampaignID, task.EnterpriseID
			if err := insertFinding(ctx, t, f); err != nil {
				return err
			}
		}
		if form.RegistrationID != "" {
			in.RegistrationID = form.RegistrationID
		}
		items, _ := json.Marshal(form.Items)
		figures, _ := json.Marshal(form.Figures)
		by := a.DisplayName()
		if _, err := t.exec(ctx, `UPDATE inspections SET body = ?, items = ?, figures = ?, registration_id = ?, submitted_at = ?,
			submitted_by = ? WHERE id = ?`, form.Body, string(items), string(figures), in.RegistrationID, t.now, by, in.ID); err != nil {
			return err
		}
		// Sign what was stored, read back as every later reader will see it.
		if out, err = loadInspection(ctx, t, taskID); err != nil {
			return err
		}
		if out.Signature, err = s.suite.Sign(out.SignedContent()); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE inspections SET signature = ? WHERE id = ?`, out.Signature, in.ID); err != nil {
			return err
		}
		return s.moveTask(ctx, t, taskID, lianggao.TaskSubmitted, "inspection.submit", out)
	})
	return out, err
}

// checkForm normalises and validates a submitted form before anything is
// read or written.
func (s *Store) checkForm(form *lianggao.InspectionForm) error {
	form.Body, form.RegistrationID = strings.TrimSpace(form.Body), strings.TrimSpace(form.RegistrationID)
	switch {
	case form.Body == "":
		return lianggao.FieldError("body", "required")
	case utf8.RuneCountInString(form.Body) > maxShortText:
		return lianggao.FieldError("body", "inspection.too_long", maxShortText)
	case utf8.RuneCountInString(form.RegistrationID) > maxShortText:
		return lianggao.FieldError("registration_id", "inspection.too_long", maxShortText)
	case len(form.Items) == 0:
		return lianggao.FieldError("items", "inspection.item_required")
	}
	items := []string{}
	for _, it := range form.Items {
		if !slices.ContainsFunc(s.profile.Campaign.Items, func(p config.InspectionItem) bool { return p.Code == it }) {
			return lianggao.FieldError("items", "enum.invalid", it)
		}
		if !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	form.Items = items
	figs := lianggao.Problems{Max: 100}
	seen := map[string]bool{}
	kept := []*lianggao.InspectionFigure{}
	for i, f := range form.Figures {
		f.Document = strings.TrimSpace(f.Document)
		switch {
		case !lianggao.IsInspectionIndicator(f.Indicator) || (strings.HasPrefix(f.Indicator, "output:") && !s.knownProduct(f.Indicator)):
			figs.Add(i+1, "indicator", "enum.invalid", f.Indicator)
		case seen[f.Indicator]:
			figs.Add(i+1, "indicator", "inspection.figure_twice", f.Indicator)
		case f.Verified != nil && *f.Verified < 0 && !lianggao.IsMoneyIndicator(f.Indicator):
			figs.Add(i+1, "verified", "number.negative")
		case utf8.RuneCountInString(f.Document) > maxShortText:
			figs.Add(i+1, "document", "inspection.too_long", maxShortText)
		}
		seen[f.Indicator] = true
		if f.Verified != nil || f.Document != "" {
			kept = append(kept, f)
		}
	}
	if err := figs.Err("inspection.figures_invalid"); err != nil {
		return err
	}
	form.Figures = kept
	finds := lianggao.Problems{Max: 100}
	for i, f := range form.Findings {
		f.Description, f.Evidence = strings.TrimSpace(f.Description), strings.TrimSpace(f.Evidence)
		err := f.Validate()
		if err == nil {
			err = errors.Join(tooLong("description", f.Description, maxText), tooLong("evidence", f.Evidence, maxText))
		}
		var e *lianggao.Error
		if errors.As(firstError(err), &e) {
			finds.AddError(i+1, e)
		}
	}
	if form.Findings == nil {
		form.Findings = []*lianggao.Finding{}
	}
	return finds.Err("inspection.findings_invalid")
}

func (s *Store) knownProduct(indicator string) bool {
	_, ok := s.profile.Product(strings.TrimPrefix(indicator, "output:"))
	return ok
}

// AmendInspection corrects a submitted inspection: the reason and the
// change are kept beside the signed original, which stays as it was.
func (s *Store) AmendInspection(ctx context.Context, taskID int64, reason, change string) (*lianggao.Amendment, error) {
	a, err := actorOf(ctx, lianggao.PermInspectionWrite)
	if err != nil {
		return nil, err
	}
	m := &lianggao.Amendment{Reason: strings.TrimSpace(reason), Change: strings.TrimSpace(change), By: a.DisplayName()}
	switch {
	case m.Reason == "":
		return nil, lianggao.FieldError("reason", "required")
	case m.Change == "":
		return nil, lianggao.FieldError("change", "required")
	}
	if err := errors.Join(tooLong("reason", m.Reason, maxText), tooLong("change", m.Change, maxLongText)); err != nil {
		return nil, firstError(err)
	}
	err = s.update(ctx, func(t *tx) error {
		states := append(slices.Clone(inspectionStates), lianggao.CampaignReporting)
		if _, err := onSite(ctx, t, a, taskID, states); err != nil {
			return err
		}
		in, err := loadInspection(ctx, t, taskID)
		if err != nil {
			return err
		}
		if in == nil || in.SubmittedAt.IsZero() {
			return lianggao.Errorf(lianggao.ECONFLICT, "inspection.not_submitted")
		}
		m.CreatedAt = t.now
		m.ID, err = t.insert(ctx, `INSERT INTO inspection_amendments (inspection_id, reason, change, created_by, created_at)
			VALUES (?, ?, ?, ?, ?)`, in.ID, m.Reason, m.Change, m.By, t.now)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "inspection.amend", ObjectType: "inspection_task", ObjectID: strconv.FormatInt(taskID, 10), After: m})
	})
	return m, err
}

// FindInspection returns a task's inspection with its figures, findings,
// photos (without their bytes) and amendments; ENOTFOUND before check-in or
// outside the actor's scope.
func (s *Store) FindInspection(ctx context.Context, taskID int64) (*lianggao.Inspection, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out *lianggao.Inspection
	err = s.view(ctx, func(t *tx) error {
		if _, err := findTask(ctx, t, a, taskID); err != nil {
			return err
		}
		out, err = loadInspection(ctx, t, taskID)
		if err == nil && out == nil {
			err = lianggao.Errorf(lianggao.ENOTFOUND, "inspection.not_found")
		}
		return err
	})
	return out, err
}

// VerifyInspection checks a submitted inspection's signature against the
// record as stored now.
func (s *Store) VerifyInspection(ctx context.Context, taskID int64) error {
	in, err := s.FindInspection(ctx, taskID)
	if err != nil {
		return err
	}
	if in.Signature == "" {
		return lianggao.Errorf(lianggao.ECONFLICT, "inspection.not_submitted")
	}
	if s.suite.Verify(in.SignedContent(), in.Signature) != nil {
		return lianggao.Errorf(lianggao.ECONFLICT, "inspection.signature_bad")
	}
	return nil
}

// loadInspection reads a task's inspection with everything beside it, or
// nil when the task is not checked in.
func loadInspection(ctx context.Context, t *tx, taskID int64) (*lianggao.Inspection, error) {
	in := &lianggao.Inspection{}
	var items, figures string
	var submitted sql.NullTime
	err := t.queryRow(ctx, `SELECT id, task_id, checked_in_at, lat, lon, distance_m, outside_reason, flagged, registration_id,
		certificates, body, items, figures, submitted_at, submitted_by, signature FROM inspections WHERE task_id = ?`, taskID).
		Scan(&in.ID, &in.TaskID, &in.CheckedInAt, &in.Position.Lat, &in.Position.Lon, &in.DistanceM, &in.OutsideReason, &in.Flagged,
			&in.RegistrationID, &in.Certificates, &in.Body, &items, &figures, &submitted, &in.SubmittedBy, &in.Signature)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	in.CheckedInAt = in.CheckedInAt.UTC()
	if submitted.Valid {
		in.SubmittedAt = submitted.Time.UTC()
	}
	in.Items, in.Figures = []string{}, []*lianggao.InspectionFigure{}
	if err := errors.Join(json.Unmarshal([]byte(items), &in.Items), json.Unmarshal([]byte(figures), &in.Figures)); err != nil {
		return nil, err
	}
	if in.Photos, err = loadPhotos(ctx, t, in.ID); err != nil {
		return nil, err
	}
	if in.Findings, err = inspectionFindings(ctx, t, in.ID); err != nil {
		return nil, err
	}
	in.Amendments, err = loadAmendments(ctx, t, in.ID)
	return in, err
}

func loadPhotos(ctx context.Context, t *tx, inspectionID int64) ([]*lianggao.Photo, error) {
	rows, err := t.query(ctx, `SELECT id, name, content_type, size, sha256 FROM inspection_photos WHERE inspection_id = ? ORDER BY id`,
		inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*lianggao.Photo{}
	for rows.Next() {
		p := &lianggao.Photo{}
		if err := rows.Scan(&p.ID, &p.Name, &p.ContentType, &p.Size, &p.SHA256); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// inspectionFindings reads the findings an inspection made, without their
// dispositions (the signed record holds the findings as made).
func inspectionFindings(ctx context.Context, t *tx, inspectionID int64) ([]*lianggao.Finding, error) {
	out, err := readFindings(ctx, t, `SELECT `+findingColumns+` FROM findings f JOIN enterprises e ON e.id = f.enterprise_id
		WHERE f.source = 'inspection' AND f.source_id = ? ORDER BY f.id`, inspectionID)
	if out == nil {
		out = []*lianggao.Finding{}
	}
	return out, err
}

func loadAmendments(ctx context.Context, t *tx, inspectionID int64) ([]*lianggao.Amendment, error) {
	rows, err := t.query(ctx, `SELECT id, reason, change, created_by, created_at FROM inspection_amendments
		WHERE inspection_id = ? ORDER BY id`, inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.Amendment
	for rows.Next() {
		m := &lianggao.Amendment{}
		if err := rows.Scan(&m.ID, &m.Reason, &m.Change, &m.By, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// groupCities returns the department of the group a person serves on in a
// campaign and the cities the current draw assigns it; none when the
// person is on no group or the campaign is not drawn.
func groupCities(ctx context.Context, t *tx, campaignID, personID int64) (string, []string, error) {
	var dept string
	err := t.queryRow(ctx, `SELECT department_code FROM campaign_members WHERE campaign_id = ? AND person_id = ?`,
		campaignID, personID).Scan(&dept)
	if errors.Is(err, sql.ErrNoRows) || personID == 0 {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	d, err := currentDraw(ctx, t, campaignID)
	if lianggao.ErrorCode(err) == lianggao.ENOTFOUND || (err == nil && !d.drawn) {
		return dept, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	p := &Plan{Assignment: json.RawMessage(d.assignment)}
	if err := planGroups(p); err != nil {
		return "", nil, err
	}
	if g := p.Group(dept); g != nil {
		return dept, g.Cities, nil
	}
	return dept, nil, nil
}

// MyGroupCities returns the cities whose curbing work the actor may record
// in a campaign: every city for a campaign manager, else those the current
// draw assigns to the actor's group.
func (s *Store) MyGroupCities(ctx context.Context, code string) ([]string, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out []string
	err = s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		if a.Can(lianggao.PermCampaignManage) {
			for _, city := range s.profile.Cities() {
				out = append(out, city.Code)
			}
			return nil
		}
		if a.Can(lianggao.PermInspectionWrite) {
			_, out, err = groupCities(ctx, t, c.ID, a.PersonID)
		}
		return err
	})
	return out, err
}

// RecordCityWork records (or replaces) a city's own work on curbing
// two-high projects during a campaign (R1.5). A campaign manager may record
// any city's; a member of a group the cities of the group's current
// assignment.
func (s *Store) RecordCityWork(ctx context.Context, code, city, summary string) error {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return err
	}
	manager := a.Can(lianggao.PermCampaignManage)
	if !manager && !a.Can(lianggao.PermInspectionWrite) {
		return forbidden()
	}
	summary = strings.TrimSpace(summary)
	if r, ok := s.profile.Region(city); !ok || lianggao.RegionLevel(r.Code) != lianggao.LevelCity {
		return lianggao.FieldError("city", "enum.invalid", city)
	}
	if summary == "" {
		return lianggao.FieldError("summary", "required")
	}
	if err := tooLong("summary", summary, maxLongText); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code)
		if err != nil {
			return err
		}
		if !slices.Contains([]string{lianggao.CampaignAssigned, lianggao.CampaignInProgress, lianggao.CampaignReporting}, c.State) {
			return lianggao.Errorf(lianggao.ECONFLICT, "inspection.campaign_state", c.State)
		}
		if !manager {
			_, cities, err := groupCities(ctx, t, c.ID, a.PersonID)
			if err != nil {
				return err
			}
			if !slices.Contains(cities, city) {
				return forbidden()
			}
		}
		var before string
		err = t.queryRow(ctx, `SELECT summary FROM campaign_city_work WHERE campaign_id = ? AND city_code = ?`, c.ID, city).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		by := a.DisplayName()
		if _, err := t.exec(ctx, `INSERT INTO campaign_city_work (campaign_id, city_code, summary, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign_id, city_code) DO UPDATE SET summary = excluded.summary,
			recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`, c.ID, city, summary, by, t.now); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "campaign.city_work", ObjectType: "campaign", ObjectID: code + "/" + city,
			Before: map[string]string{"summary": before}, After: map[string]string{"summary": summary}})
	})
}

// CityWork returns the cities' recorded curbing work in a campaign, by city
// code: the province sees every city, a city or county officer their city,
// a group member the cities of their group.
func (s *Store) CityWork(ctx context.Context, code string) (map[string]*lianggao.CityWork, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	out := map[string]*lianggao.CityWork{}
	err = s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		w := &where{}
		w.add("campaign_id = ?", c.ID)
		if a.EnterpriseID != 0 || lianggao.RegionLevel(a.Region) != lianggao.LevelProvince {
			var cities []string
			if lvl := lianggao.RegionLevel(a.Region); a.EnterpriseID == 0 && (lvl == lianggao.LevelCity || lvl == lianggao.LevelCounty) {
				cities = append(cities, lianggao.CityOf(a.Region))
			}
			_, group, err := groupCities(ctx, t, c.ID, a.PersonID)
			if err != nil {
				return err
			}
			cities = append(cities, group...)
			args := []any{}
			for _, city := range cities {
				args = append(args, city)
			}
			if len(args) == 0 {
				w.add("FALSE")
			} else {
				w.add("city_code IN ("+placeholders(len(args))+")", args...)
			}
		}
		rows, err := t.query(ctx, `SELECT city_code, summary, recorded_by, recorded_at FROM campaign_city_work WHERE `+w.String(),
			w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			cw := &lianggao.CityWork{}
			if err := rows.Scan(&cw.City, &cw.Summary, &cw.RecordedBy, &cw.RecordedAt); err != nil {
				return err
			}
			out[cw.City] = cw
		}
		return rows.Err()
	})
	return out, err
}

// Site is where a task's enterprise stands and how near a check-in must be.
type Site struct {
	Address  string
	Location lianggao.Point
	RadiusM  float64
}

// TaskSite returns the site of a task the actor may see, so that a team
// finds its way there whatever its registry scope.
func (s *Store) TaskSite(ctx context.Context, taskID int64) (*Site, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	site := &Site{}
	err = s.view(ctx, func(t *tx) error {
		task, err := findTask(ctx, t, a, taskID)
		if err != nil {
			return err
		}
		return t.queryRow(ctx, `SELECT address, lat, lon, COALESCE(checkin_radius_m, ?) FROM enterprises WHERE id = ?`,
			s.profile.Campaign.CheckinRadiusM, task.EnterpriseID).Scan(&site.Address, &site.Location.Lat, &site.Location.Lon, &site.RadiusM)
	})
	return site, err
}
