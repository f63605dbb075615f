package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/config"
)

// Group reports and the joint report (R1.7). Each joint group's report is
// drafted from the platform's own records the first time it is read once
// inspections have begun; the group's leader edits and submits it, the DRC
// accepts it or sends it back. When all five are accepted the DRC compiles
// the joint report, whose body is then frozen: the five departments
// countersign that body, and the DRC sends it up with an approval request.
//
// Who sees a group report: the DRC (campaign:manage at the province) and the
// members of that group. Nobody else, wherever they are, learns it exists.

// ReportSummary is one group's report as the list shows it.
type ReportSummary struct {
	Department string
	Report     *lianggao.GroupReport // nil until its first reading drafts it
	Due        lianggao.Date
	Overdue    bool
}

// GroupFacts are the records a group report is drafted from, also exported
// as its annex workbook.
type GroupFacts struct {
	Cities   []string
	Targets  int
	Tasks    []*FactTask
	Figures  []*FactFigure
	Findings []*lianggao.Finding
}

// FactTask is one visit of the group with what its inspection recorded.
type FactTask struct {
	CreditCode     string
	EnterpriseName string
	City, County   string
	Day            lianggao.Date
	State          string
	CheckedInAt    time.Time // zero when nobody checked in
	DistanceM      float64
	Flagged        bool
	Submitted      bool
	Photos         int
}

// FactFigure is one figure compared on site.
type FactFigure struct {
	CreditCode     string
	EnterpriseName string
	lianggao.InspectionFigure
}

// Countersign is one department's signature of the joint report.
type Countersign struct {
	Department string
	Signer     string
	SignedAt   time.Time
	Signature  string
	Valid      bool // the signature verifies over the frozen body as stored now
}

// reportsOpen are the campaign states in which group reports exist.
var reportsOpen = []string{lianggao.CampaignInProgress, lianggao.CampaignReporting, lianggao.CampaignClosed}

// reportsWritable are the states in which reports may still change.
var reportsWritable = []string{lianggao.CampaignInProgress, lianggao.CampaignReporting}

// drc reports whether the actor manages campaigns for the whole province.
func drc(a *lianggao.Actor) bool {
	return a.Can(lianggao.PermCampaignManage) && lianggao.RegionLevel(a.Region) == lianggao.LevelProvince
}

// scopeReport adds who may see the group report aliased alias.
func scopeReport(w *where, a *lianggao.Actor, alias string) {
	if drc(a) {
		return
	}
	w.add(`EXISTS (SELECT 1 FROM campaign_members gm WHERE gm.campaign_id = `+alias+`.campaign_id
		AND gm.department_code = `+alias+`.department_code AND gm.person_id = ?)`, a.PersonID)
}

// memberOf reports whether the actor's person is on the group, with the role
// asked for when role is not "".
func memberOf(ctx context.Context, t *tx, a *lianggao.Actor, campaignID int64, dept, role string) (bool, error) {
	if a.PersonID == 0 {
		return false, nil
	}
	w := &where{}
	w.add("campaign_id = ?", campaignID)
	w.add("department_code = ?", dept)
	w.add("person_id = ?", a.PersonID)
	if role != "" {
		w.add("role = ?", role)
	}
	var n int
	err := t.queryRow(ctx, `SELECT count(*) FROM campaign_members WHERE `+w.String(), w.args...).Scan(&n)
	return n > 0, err
}

// seesGroup answers ENOTFOUND when the actor may not see the group's report.
func (s *Store) seesGroup(ctx context.Context, t *tx, a *lianggao.Actor, campaignID int64, dept string) error {
	if !s.profile.HasDepartment(dept) {
		return notFound("report")
	}
	if drc(a) {
		return nil
	}
	ok, err := memberOf(ctx, t, a, campaignID, dept, "")
	if err == nil && !ok {
		err = notFound("report")
	}
	return err
}

// groupCampaign reads the campaign of a group the actor may see.
func (s *Store) groupCampaign(ctx context.Context, t *tx, a *lianggao.Actor, code, dept string) (*lianggao.Campaign, error) {
	c, err := findCampaign(ctx, t.Tx, t.d, code)
	if err == nil {
		err = s.seesGroup(ctx, t, a, c.ID, dept)
	}
	return c, err
}

// writesGroup checks that the actor may draft, edit and submit the group's
// report: the DRC, or the group's leader holding report:write.
func (s *Store) writesGroup(ctx context.Context, t *tx, a *lianggao.Actor, campaignID int64, dept string) error {
	if err := s.seesGroup(ctx, t, a, campaignID, dept); err != nil || drc(a) {
		return err
	}
	leader, err := memberOf(ctx, t, a, campaignID, dept, lianggao.MemberLeader)
	if err == nil && (!leader || !a.Can(lianggao.PermReportWrite)) {
		err = forbidden()
	}
	return err
}

// actorWrites checks the permissions that may change a group report.
func actorWrites(ctx context.Context) (*lianggao.Actor, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	if !a.Can(lianggao.PermReportWrite) && !drc(a) {
		return nil, forbidden()
	}
	return a, nil
}

const reportColumns = `gr.id, gr.campaign_id, gr.department_code, gr.state, gr.sections, gr.reason, gr.version, gr.submitted_at, gr.updated_at`

func scanReport(sc interface{ Scan(...any) error }) (*lianggao.GroupReport, error) {
	r := &lianggao.GroupReport{}
	var sections string
	var submitted sql.NullTime
	if err := sc.Scan(&r.ID, &r.CampaignID, &r.Department, &r.State, &sections, &r.Reason, &r.Version, &submitted, &r.UpdatedAt); err != nil {
		return nil, err
	}
	if submitted.Valid {
		r.SubmittedAt = submitted.Time
	}
	r.Sections = map[string]string{}
	if err := json.Unmarshal([]byte(sections), &r.Sections); err != nil {
		return nil, fmt.Errorf("store: report sections: %w", err)
	}
	return r, nil
}

// findReport reads the group's report in the actor's scope; ENOTFOUND when
// there is none yet or the actor may not see it.
func findReport(ctx context.Context, t *tx, a *lianggao.Actor, campaignID int64, dept string) (*lianggao.GroupReport, error) {
	w := &where{}
	w.add("gr.campaign_id = ?", campaignID)
	w.add("gr.department_code = ?", dept)
	scopeReport(w, a, "gr")
	r, err := scanReport(t.queryRow(ctx, `SELECT `+reportColumns+` FROM group_reports gr WHERE `+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("report")
	}
	return r, err
}

// Overdue reports whether a group report is overdue: not accepted after the
// campaign's due date, in the profile's time zone.
func (s *Store) Overdue(c *lianggao.Campaign, r *lianggao.GroupReport) bool {
	if r != nil && r.State == lianggao.ReportAccepted {
		return false
	}
	today := lianggao.DateOf(s.now().In(s.profile.Location()))
	return c.ReportDue.Before(today)
}

// GroupReports lists the groups' reports the actor may see, in the
// profile's order of the departments, with the due date and whether each is
// overdue; a group whose report has not been drafted has no Report.
func (s *Store) GroupReports(ctx context.Context, code string) ([]*ReportSummary, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out []*ReportSummary
	err = s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		for _, d := range s.profile.Departments {
			if err := s.seesGroup(ctx, t, a, c.ID, d.Code); lianggao.ErrorCode(err) == lianggao.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			sum := &ReportSummary{Department: d.Code, Due: c.ReportDue}
			if r, err := findReport(ctx, t, a, c.ID, d.Code); err == nil {
				sum.Report = r
			} else if lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
				return err
			}
			sum.Overdue = s.Overdue(c, sum.Report)
			out = append(out, sum)
		}
		return nil
	})
	return out, err
}

// GroupReport returns the group's report. The first reading after the
// campaign has started drafts it from the platform's records (state draft);
// before that there is none (ECONFLICT).
func (s *Store) GroupReport(ctx context.Context, code, dept string) (*lianggao.GroupReport, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out *lianggao.GroupReport
	missing := false
	err = s.view(ctx, func(t *tx) error {
		c, err := s.groupCampaign(ctx, t, a, code, dept)
		if err != nil {
			return err
		}
		out, err = findReport(ctx, t, a, c.ID, dept)
		missing = lianggao.ErrorCode(err) == lianggao.ENOTFOUND
		return err
	})
	if !missing {
		return out, err
	}
	err = s.update(ctx, func(t *tx) error {
		c, err := campaignFor(ctx, t, code)
		if err != nil {
			return err
		}
		if err := s.seesGroup(ctx, t, a, c.ID, dept); err != nil {
			return err
		}
		if out, err = findReport(ctx, t, a, c.ID, dept); err == nil {
			return nil // drafted meanwhile
		}
		if !slices.Contains(reportsOpen, c.State) {
			return lianggao.Errorf(lianggao.ECONFLICT, "report.not_open")
		}
		facts, err := s.groupFacts(ctx, t, c, dept)
		if err != nil {
			return err
		}
		out = &lianggao.GroupReport{CampaignID: c.ID, Department: dept, State: lianggao.ReportDraft,
			Sections: s.draftSections(c, dept, facts), Version: 1, UpdatedAt: t.now}
		body, _ := json.Marshal(out.Sections)
		out.ID, err = t.insert(ctx, `INSERT INTO group_reports (campaign_id, department_code, state, sections, reason, version, updated_at)
			VALUES (?, ?, ?, ?, '', 1, ?)`, c.ID, dept, out.State, string(body), t.now)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "report.draft", ObjectType: "group_report", ObjectID: code + "/" + dept,
			After: map[string]any{"state": out.State, "version": out.Version}})
	})
	return out, err
}

// GroupFacts returns the records the group's report is drafted from.
func (s *Store) GroupFacts(ctx context.Context, code, dept string) (*GroupFacts, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	var out *GroupFacts
	err = s.view(ctx, func(t *tx) error {
		c, err := s.groupCampaign(ctx, t, a, code, dept)
		if err != nil {
			return err
		}
		out, err = s.groupFacts(ctx, t, c, dept)
		return err
	})
	return out, err
}

func (s *Store) groupFacts(ctx context.Context, t *tx, c *lianggao.Campaign, dept string) (*GroupFacts, error) {
	f := &GroupFacts{}
	d, err := currentDraw(ctx, t, c.ID)
	if err != nil {
		return nil, err
	}
	plan := &Plan{Assignment: json.RawMessage(d.assignment)}
	if err := planGroups(plan); err != nil {
		return nil, fmt.Errorf("store: assignment: %w", err)
	}
	if g := plan.Group(dept); g != nil {
		f.Cities = g.Cities
	}
	if len(f.Cities) > 0 {
		args := []any{c.ID}
		for _, city := range f.Cities {
			args = append(args, city)
		}
		if err := t.queryRow(ctx, `SELECT count(*) FROM campaign_targets WHERE campaign_id = ? AND city_code IN (`+
			placeholders(len(f.Cities))+`)`, args...).Scan(&f.Targets); err != nil {
			return nil, err
		}
	}
	if err := groupTasks(ctx, t, f, c.ID, d.id, dept); err != nil {
		return nil, err
	}
	return f, groupFindings(ctx, t, f, c.ID, d.id, dept)
}

// groupTasks reads the group's visits with their inspections, photos and
// compared figures.
func groupTasks(ctx context.Context, t *tx, f *GroupFacts, campaignID, drawID int64, dept string) error {
	rows, err := t.query(ctx, `SELECT e.credit_code, e.name, it.city_code, it.county_code, it.day, it.state,
		i.checked_in_at, i.distance_m, i.flagged, i.figures, i.submitted_at,
		(SELECT count(*) FROM inspection_photos p WHERE p.inspection_id = i.id)
		FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id
		LEFT JOIN inspections i ON i.task_id = it.id
		WHERE it.campaign_id = ? AND it.draw_id = ? AND it.department_code = ?
		ORDER BY it.day, e.credit_code`, campaignID, drawID, dept)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		ft := &FactTask{}
		var checkedIn, submitted sql.NullTime
		var distance sql.NullFloat64
		var flagged sql.NullBool
		var figures sql.NullString
		if err := rows.Scan(&ft.CreditCode, &ft.EnterpriseName, &ft.City, &ft.County, &ft.Day, &ft.State,
			&checkedIn, &distance, &flagged, &figures, &submitted, &ft.Photos); err != nil {
			return err
		}
		ft.CheckedInAt, ft.DistanceM, ft.Flagged = checkedIn.Time, distance.Float64, flagged.Bool
		ft.Submitted = submitted.Valid || ft.State == lianggao.TaskSubmitted
		f.Tasks = append(f.Tasks, ft)
		// Figures of a record in another shape are left out of the
		// comparison rather than stopping the report.
		var figs []*lianggao.InspectionFigure
		if figures.Valid && json.Unmarshal([]byte(figures.String), &figs) == nil {
			for _, fig := range figs {
				if fig != nil {
					f.Figures = append(f.Figures, &FactFigure{CreditCode: ft.CreditCode, EnterpriseName: ft.EnterpriseName, InspectionFigure: *fig})
				}
			}
		}
	}
	return rows.Err()
}

// groupFindings reads the findings of the campaign on the group's
// enterprises (each enterprise has one visit, so one group), with their
// rectification demands.
func groupFindings(ctx context.Context, t *tx, f *GroupFacts, campaignID, drawID int64, dept string) error {
	const ofGroup = `f.campaign_id = ? AND f.enterprise_id IN (SELECT it.enterprise_id FROM inspection_tasks it
		WHERE it.campaign_id = ? AND it.draw_id = ? AND it.department_code = ?)`
	args := []any{campaignID, campaignID, drawID, dept}
	rows, err := t.query(ctx, `SELECT f.id, f.source, f.source_id, f.enterprise_id, e.credit_code, e.name, f.county_code, f.city_code,
		f.category, f.description, f.evidence, f.severity, f.created_at
		FROM findings f JOIN enterprises e ON e.id = f.enterprise_id WHERE `+ofGroup+` ORDER BY f.id`, args...)
	if err != nil {
		return err
	}
	byID := map[int64]*lianggao.Finding{}
	for rows.Next() {
		x := &lianggao.Finding{CampaignID: campaignID}
		if err := rows.Scan(&x.ID, &x.Source, &x.SourceID, &x.EnterpriseID, &x.CreditCode, &x.EnterpriseName, &x.County, &x.City,
			&x.Category, &x.Description, &x.Evidence, &x.Severity, &x.CreatedAt); err != nil {
			rows.Close()
			return err
		}
		f.Findings = append(f.Findings, x)
		byID[x.ID] = x
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(f.Findings) == 0 {
		return err
	}
	rows, err = t.query(ctx, `SELECT d.id, d.finding_id, d.kind, d.owner, d.deadline, d.description, d.created_at
		FROM dispositions d JOIN findings f ON f.id = d.finding_id
		WHERE d.kind = ? AND `+ofGroup+` ORDER BY d.finding_id, d.id`, append([]any{lianggao.DispositionRectification}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		d := &lianggao.Disposition{}
		var deadline string
		if err := rows.Scan(&d.ID, &d.FindingID, &d.Kind, &d.Owner, &deadline, &d.Description, &d.CreatedAt); err != nil {
			return err
		}
		d.Deadline, _ = lianggao.ParseDate(deadline)
		byID[d.FindingID].Dispositions = append(byID[d.FindingID].Dispositions, d)
	}
	return rows.Err()
}

// Labels of the finding categories in the report, with the sentence on their
// usual cause. The report is a Chinese official document, so its text is
// written here in Chinese, like the province's own data.
var findingCauses = map[string][2]string{
	"overproduction":     {"超产能、超计划生产", "企业产量控制责任落实不到位，地方对生产计划执行情况跟踪不及时。"},
	"energy_use":         {"能耗超标", "企业节能管理薄弱，节能审查意见落实和能效改造推进不力。"},
	"coal_use":           {"煤炭消费超量", "煤炭消费减量替代措施落实不到位，用煤台账管理不规范。"},
	"emissions":          {"污染物排放", "环保设施运行维护不到位，排污许可管理要求执行不严。"},
	"misreporting":       {"数据虚报瞒报", "企业统计和报送制度不健全，数据审核把关不严。"},
	"metering":           {"计量器具配备和检定", "能源计量器具配备不全，未按期检定或校准。"},
	"project_procedures": {"项目手续不全", "项目建设单位依法合规意识不强，审批、核准、备案和节能审查等前置手续把关不严。"},
	"other":              {"其他", "日常监管存在薄弱环节。"},
}

func categoryLabel(c string) string {
	if l, ok := findingCauses[c]; ok {
		return l[0]
	}
	return c
}

func zhDay(d lianggao.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day)
}

func paragraphs(ps ...string) string { return strings.Join(ps, "\n\n") }

// draftSections writes the five sections from the group's records.
func (s *Store) draftSections(c *lianggao.Campaign, dept string, f *GroupFacts) map[string]string {
	return map[string]string{
		"basis":    s.draftBasis(c, dept, f),
		"overview": draftOverview(f),
		"problems": s.draftProblems(f),
		"causes":   draftCauses(f),
		"demands":  s.draftDemands(f),
	}
}

// draftBasis names the campaign, the group, the dates and the cities checked.
func (s *Store) draftBasis(c *lianggao.Campaign, dept string, f *GroupFacts) string {
	cities := make([]string, len(f.Cities))
	for i, city := range f.Cities {
		cities[i] = s.profile.RegionName(city)
	}
	group := s.profile.Name + s.profile.DepartmentName(dept) + "检查组"
	return paragraphs(
		fmt.Sprintf("根据《%s》工作方案，%s于%s至%s对%s开展现场检查，检查实行异地互查。", c.Name, group, zhDay(c.Starts), zhDay(c.Ends),
			strings.Join(cities, "、")),
		fmt.Sprintf("检查范围为上述%d个市纳入本次检查的两高企业，共%d家。", len(cities), f.Targets))
}

// draftOverview counts the records submitted, the check-ins flagged, the
// photos kept and the figures compared.
func draftOverview(f *GroupFacts) string {
	var submitted, flagged, photos int
	for _, ft := range f.Tasks {
		if ft.Submitted {
			submitted++
		}
		if ft.Flagged {
			flagged++
		}
		photos += ft.Photos
	}
	return paragraphs(
		fmt.Sprintf("本组计划现场检查企业%d家，已提交现场检查记录%d家，尚未提交%d家。", len(f.Tasks), submitted, len(f.Tasks)-submitted),
		fmt.Sprintf("现场签到超出规定范围并已标记%d次；留存现场照片%d张。", flagged, photos),
		draftDifferences(f))
}

// draftDifferences tells how many figures were compared and lists those whose
// recorded and verified values differ by LargeDifference or more.
func draftDifferences(f *GroupFacts) string {
	var compared int
	var diffs []string
	for _, fig := range f.Figures {
		d, ok := fig.Difference()
		if !ok {
			continue
		}
		compared++
		if math.Abs(d) >= lianggao.LargeDifference {
			diffs = append(diffs, fmt.Sprintf("%s%s报送%s、核实%s，相差%s%%", fig.EnterpriseName, fig.Indicator,
				strconv.FormatFloat(*fig.Recorded, 'f', -1, 64), strconv.FormatFloat(*fig.Verified, 'f', -1, 64),
				strconv.FormatFloat(d*100, 'f', 1, 64)))
		}
	}
	if len(diffs) > 0 {
		return fmt.Sprintf("现场核对报送数据与核实数据%d项，其中相差%d%%以上的%d项：%s。", compared, int(lianggao.LargeDifference*100),
			len(diffs), strings.Join(diffs, "；"))
	}
	return fmt.Sprintf("现场核对报送数据与核实数据%d项，未发现相差%d%%以上的情况。", compared, int(lianggao.LargeDifference*100))
}

// draftProblems lists the findings, one numbered paragraph each.
func (s *Store) draftProblems(f *GroupFacts) string {
	problems := []string{fmt.Sprintf("检查共发现问题%d个。", len(f.Findings))}
	if len(f.Findings) == 0 {
		problems = []string{"本组检查未发现问题。"}
	}
	for i, x := range f.Findings {
		p := fmt.Sprintf("%d. %s（%s）：%s", i+1, x.EnterpriseName, s.profile.RegionName(x.County), strings.TrimRight(x.Description, "。"))
		if x.Evidence != "" {
			p += "。证据：" + strings.TrimRight(x.Evidence, "。")
		}
		problems = append(problems, p+"。")
	}
	return paragraphs(problems...)
}

// draftCauses counts the findings by category and gives each category's cause.
func draftCauses(f *GroupFacts) string {
	counts := map[string]int{}
	for _, x := range f.Findings {
		counts[x.Category]++
	}
	causes := []string{"按问题类别统计，原因分析如下。"}
	if len(f.Findings) == 0 {
		causes = []string{"本组检查未发现问题，无需分析原因。"}
	}
	for _, cat := range lianggao.FindingCategories {
		if n := counts[cat]; n > 0 {
			causes = append(causes, fmt.Sprintf("%s问题%d个。%s", categoryLabel(cat), n, findingCauses[cat][1]))
		}
	}
	return paragraphs(causes...)
}

// draftDemands lists what must be rectified: the findings' dispositions, or
// failing those a demand per finding, or failing findings a general demand.
func (s *Store) draftDemands(f *GroupFacts) string {
	demands := dispositionDemands(f)
	if len(demands) == 0 {
		demands = s.findingDemands(f)
	}
	if len(demands) == 0 {
		demands = []string{"请各市继续加强对两高企业的日常监管，巩固检查成果。"}
	}
	return paragraphs(demands...)
}

// dispositionDemands numbers a demand for each disposition of each finding.
func dispositionDemands(f *GroupFacts) []string {
	var demands []string
	for _, x := range f.Findings {
		for _, d := range x.Dispositions {
			what := d.Description
			if what == "" {
				what = strings.TrimRight(x.Description, "。")
			}
			p := fmt.Sprintf("%d. %s：针对“%s”，由%s负责整改", len(demands)+1, x.EnterpriseName, what, d.Owner)
			if !d.Deadline.IsZero() {
				p += "，" + zhDay(d.Deadline) + "前完成"
			}
			demands = append(demands, p+"。")
		}
	}
	return demands
}

// findingDemands numbers a demand, to the finding's county, for each finding.
func (s *Store) findingDemands(f *GroupFacts) []string {
	var demands []string
	for _, x := range f.Findings {
		demands = append(demands, fmt.Sprintf("%d. 请%s督促%s针对“%s”问题于30日内完成整改，并将整改情况报检查组。",
			len(demands)+1, s.profile.RegionName(x.County), x.EnterpriseName, strings.TrimRight(x.Description, "。")))
	}
	return demands
}

// SaveGroupReport stores the group's edited sections. version must be the
// version read: a report changed since answers ECONFLICT and nothing is
// written. Only a draft or a report sent back may change.
func (s *Store) SaveGroupReport(ctx context.Context, code, dept string, sections map[string]string, version int64) (*lianggao.GroupReport, error) {
	a, err := actorWrites(ctx)
	if err != nil {
		return nil, err
	}
	for k := range sections {
		if !slices.Contains(lianggao.ReportSections, k) {
			return nil, lianggao.FieldError("sections", "enum.invalid", k)
		}
	}
	var out *lianggao.GroupReport
	err = s.update(ctx, func(t *tx) error {
		c, r, err := s.reportFor(ctx, t, a, code, dept)
		if err != nil {
			return err
		}
		if err := s.writesGroup(ctx, t, a, c.ID, dept); err != nil {
			return err
		}
		if r.State != lianggao.ReportDraft && r.State != lianggao.ReportReturned {
			return lianggao.Errorf(lianggao.ECONFLICT, "report.locked", r.State)
		}
		if version != r.Version {
			return lianggao.Errorf(lianggao.ECONFLICT, "report.stale")
		}
		before := r.Sections
		next := map[string]string{}
		for _, k := range lianggao.ReportSections {
			next[k] = before[k]
			if v, ok := sections[k]; ok {
				next[k] = normalizeSection(v)
			}
		}
		body, _ := json.Marshal(next)
		res, err := t.exec(ctx, `UPDATE group_reports SET sections = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, string(body), t.now, r.ID, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return lianggao.Errorf(lianggao.ECONFLICT, "report.stale")
		}
		r.Sections, r.Version, r.UpdatedAt = next, version+1, t.now
		out = r
		return s.audit(ctx, t, auditEntry{Action: "report.save", ObjectType: "group_report", ObjectID: code + "/" + dept,
			Before: map[string]any{"version": version, "sections": before}, After: map[string]any{"version": r.Version, "sections": next}})
	})
	return out, err
}

// normalizeSection keeps a section's paragraphs, separated by one blank
// line, with Windows line ends and trailing spaces removed.
func normalizeSection(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	var ps []string
	for p := range strings.SplitSeq(v, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, "\n\n")
}

// reportFor reads the campaign (in a state where reports change) and the
// group's existing report inside a write transaction.
func (s *Store) reportFor(ctx context.Context, t *tx, a *lianggao.Actor, code, dept string) (*lianggao.Campaign, *lianggao.GroupReport, error) {
	c, err := campaignFor(ctx, t, code)
	if err != nil {
		return nil, nil, err
	}
	if err := s.seesGroup(ctx, t, a, c.ID, dept); err != nil {
		return nil, nil, err
	}
	if !slices.Contains(reportsWritable, c.State) {
		return nil, nil, lianggao.Errorf(lianggao.ECONFLICT, "report.campaign_state")
	}
	r, err := findReport(ctx, t, a, c.ID, dept)
	return c, r, err
}

// SubmitGroupReport hands the group's report to the DRC; every section must
// hold text.
func (s *Store) SubmitGroupReport(ctx context.Context, code, dept string) (*lianggao.GroupReport, error) {
	a, err := actorWrites(ctx)
	if err != nil {
		return nil, err
	}
	return s.moveReport(ctx, a, code, dept, lianggao.ReportSubmitted, "", func(t *tx, c *lianggao.Campaign, r *lianggao.GroupReport) error {
		if err := s.writesGroup(ctx, t, a, c.ID, dept); err != nil {
			return err
		}
		for _, k := range lianggao.ReportSections {
			if strings.TrimSpace(r.Sections[k]) == "" {
				return lianggao.FieldError("sections."+k, "required")
			}
		}
		return nil
	})
}

// AcceptGroupReport accepts a submitted report: the DRC only.
func (s *Store) AcceptGroupReport(ctx context.Context, code, dept string) (*lianggao.GroupReport, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignManage)
	if err != nil {
		return nil, err
	}
	if !drc(a) {
		return nil, forbidden()
	}
	return s.moveReport(ctx, a, code, dept, lianggao.ReportAccepted, "", nil)
}

// ReturnGroupReport sends a submitted report back to the group with the
// reason, which is required: the DRC only.
func (s *Store) ReturnGroupReport(ctx context.Context, code, dept, reason string) (*lianggao.GroupReport, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignManage)
	if err != nil {
		return nil, err
	}
	if !drc(a) {
		return nil, forbidden()
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, lianggao.FieldError("reason", "required")
	}
	return s.moveReport(ctx, a, code, dept, lianggao.ReportReturned, reason, nil)
}

// moveReport moves the group's report to state to, as ReportTransitions
// allow, after check.
func (s *Store) moveReport(ctx context.Context, a *lianggao.Actor, code, dept, to, reason string,
	check func(*tx, *lianggao.Campaign, *lianggao.GroupReport) error) (*lianggao.GroupReport, error) {
	var out *lianggao.GroupReport
	err := s.update(ctx, func(t *tx) error {
		c, r, err := s.reportFor(ctx, t, a, code, dept)
		if err != nil {
			return err
		}
		if !slices.Contains(lianggao.ReportTransitions[r.State], to) {
			return lianggao.Errorf(lianggao.ECONFLICT, "report.transition", r.State, to)
		}
		if check != nil {
			if err := check(t, c, r); err != nil {
				return err
			}
		}
		before := r.State
		var submitted any
		if !r.SubmittedAt.IsZero() {
			submitted = r.SubmittedAt
		}
		if to == lianggao.ReportSubmitted {
			submitted, r.SubmittedAt = t.now, t.now
		}
		if _, err := t.exec(ctx, `UPDATE group_reports SET state = ?, reason = ?, submitted_at = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, to, reason, submitted, t.now, r.ID); err != nil {
			return err
		}
		r.State, r.Reason, r.Version, r.UpdatedAt = to, reason, r.Version+1, t.now
		out = r
		return s.audit(ctx, t, auditEntry{Action: "report.move", ObjectType: "group_report", ObjectID: code + "/" + dept,
			Before: map[string]string{"state": before}, After: map[string]string{"state": to, "reason": reason}})
	})
	return out, err
}

// jointReader checks who may read the joint report: holders of
// campaign:read at the province (the departments, the leadership); cities
// and counties do not.
func jointReader(ctx context.Context) (*lianggao.Actor, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	if lianggao.RegionLevel(a.Region) != lianggao.LevelProvince || a.EnterpriseID != 0 {
		return nil, forbidden()
	}
	return a, nil
}

// CompileJointReport compiles the joint report from the five accepted group
// reports — per group its overview and problems, then all the demands — and
// freezes it: later changes to the group reports do not reach it.
func (s *Store) CompileJointReport(ctx context.Context, code string) (*lianggao.JointReport, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignManage)
	if err != nil {
		return nil, err
	}
	if !drc(a) {
		return nil, forbidden()
	}
	var out *lianggao.JointReport
	err = s.update(ctx, func(t *tx) error {
		c, err := writableCampaign(ctx, t, code)
		if err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM joint_reports WHERE campaign_id = ?`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return lianggao.Errorf(lianggao.ECONFLICT, "joint.compiled")
		}
		var reports []*lianggao.GroupReport
		for _, d := range s.profile.Departments {
			r, err := findReport(ctx, t, a, c.ID, d.Code)
			if err != nil && lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
				return err
			}
			if r != nil && r.State == lianggao.ReportAccepted {
				reports = append(reports, r)
			}
		}
		if len(reports) < len(s.profile.Departments) {
			return lianggao.Errorf(lianggao.ECONFLICT, "joint.groups_pending", len(reports), len(s.profile.Departments))
		}
		out = &lianggao.JointReport{CampaignID: c.ID, Body: s.compile(reports), FrozenAt: t.now, Countersigns: map[string]string{}}
		if _, err := t.exec(ctx, `INSERT INTO joint_reports (campaign_id, body, request, frozen_at) VALUES (?, ?, '', ?)`,
			c.ID, out.Body, t.now); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "joint.compile", ObjectType: "joint_report", ObjectID: code,
			After: map[string]any{"body_sha": fmt.Sprintf("%x", s.suite.Hash([]byte(out.Body)).Sum)}})
	})
	return out, err
}

// compile writes the joint body. Headings are paragraphs of their own,
// numbered 一、 and （一）, so that the export can lay them out as such.
func (s *Store) compile(reports []*lianggao.GroupReport) string {
	ps := []string{"一、各检查组检查情况"}
	for i, r := range reports {
		ps = append(ps, "（"+chineseOrdinal(i+1)+"）"+s.profile.DepartmentName(r.Department)+"检查组", r.Sections["overview"], r.Sections["problems"])
	}
	ps = append(ps, "二、整改要求")
	for i, r := range reports {
		ps = append(ps, "（"+chineseOrdinal(i+1)+"）"+s.profile.DepartmentName(r.Department)+"检查组", r.Sections["demands"])
	}
	return paragraphs(ps...)
}

func chineseOrdinal(n int) string {
	digits := []rune("〇一二三四五六七八九十")
	switch {
	case n <= 10:
		return string(digits[n])
	case n < 20:
		return "十" + string(digits[n-10])
	}
	return strconv.Itoa(n)
}

// JointReport returns the campaign's joint report with who has signed;
// ENOTFOUND before it is compiled.
func (s *Store) JointReport(ctx context.Context, code string) (*lianggao.JointReport, error) {
	if _, err := jointReader(ctx); err != nil {
		return nil, err
	}
	var out *lianggao.JointReport
	err := s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		out, err = findJoint(ctx, t, c.ID)
		return err
	})
	return out, err
}

func findJoint(ctx context.Context, t *tx, campaignID int64) (*lianggao.JointReport, error) {
	j := &lianggao.JointReport{CampaignID: campaignID, Countersigns: map[string]string{}}
	var submitted sql.NullTime
	err := t.queryRow(ctx, `SELECT body, request, frozen_at, submitted_at FROM joint_reports WHERE campaign_id = ?`, campaignID).
		Scan(&j.Body, &j.Request, &j.FrozenAt, &submitted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("joint_report")
	}
	if err != nil {
		return nil, err
	}
	j.SubmittedAt = submitted.Time
	rows, err := t.query(ctx, `SELECT department_code, signer FROM countersigns WHERE campaign_id = ?`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var dept, signer string
		if err := rows.Scan(&dept, &signer); err != nil {
			return nil, err
		}
		j.Countersigns[dept] = signer
	}
	return j, rows.Err()
}

// countersignMessage is what a department signs: the frozen body, the
// department and the moment, each length-prefixed so that no two readings
// of the fields give the same bytes.
func countersignMessage(body, dept string, at time.Time) []byte {
	var b strings.Builder
	for _, f := range []string{"joint-report-countersign", body, dept, at.UTC().Format(time.RFC3339Nano)} {
		fmt.Fprintf(&b, "%d:%s|", len(f), f)
	}
	return []byte(b.String())
}

// Countersign signs the frozen joint report for the department of the
// actor's person (report:countersign). A department signs once.
func (s *Store) Countersign(ctx context.Context, code string) (*Countersign, error) {
	a, err := actorOf(ctx, lianggao.PermCountersign)
	if err != nil {
		return nil, err
	}
	var out *Countersign
	err = s.update(ctx, func(t *tx) error {
		c, j, err := openJoint(ctx, t, code)
		if err != nil {
			return err
		}
		dept, name, err := s.signer(ctx, t.Tx, t.d, a.PersonID)
		if err != nil {
			return err
		}
		if dept == "" {
			return lianggao.Errorf(lianggao.EFORBIDDEN, "countersign.no_department")
		}
		if _, signed := j.Countersigns[dept]; signed {
			return lianggao.Errorf(lianggao.ECONFLICT, "countersign.duplicate", s.profile.DepartmentName(dept))
		}
		at := t.now.Truncate(time.Microsecond)
		sig, err := s.suite.Sign(countersignMessage(j.Body, dept, at))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO countersigns (campaign_id, department_code, user_id, signer, signature, signed_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.ID, dept, a.UserID, name, sig, at); err != nil {
			if isUniqueViolation(err) {
				return lianggao.Errorf(lianggao.ECONFLICT, "countersign.duplicate", s.profile.DepartmentName(dept))
			}
			return err
		}
		out = &Countersign{Department: dept, Signer: name, SignedAt: at, Signature: sig, Valid: true}
		return s.audit(ctx, t, auditEntry{Action: "joint.countersign", ObjectType: "joint_report", ObjectID: code,
			After: map[string]string{"department": dept, "signer": name, "signature": sig}})
	})
	return out, err
}

// Countersigns returns the joint report's signatures in the profile's order
// of the departments, each checked against the frozen body as stored now.
func (s *Store) Countersigns(ctx context.Context, code string) ([]*Countersign, error) {
	if _, err := jointReader(ctx); err != nil {
		return nil, err
	}
	var out []*Countersign
	err := s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		j, err := findJoint(ctx, t, c.ID)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT department_code, signer, signed_at, signature FROM countersigns WHERE campaign_id = ?`, c.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			cs := &Countersign{}
			if err := rows.Scan(&cs.Department, &cs.Signer, &cs.SignedAt, &cs.Signature); err != nil {
				return err
			}
			cs.Valid = s.suite.Verify(countersignMessage(j.Body, cs.Department, cs.SignedAt), cs.Signature) == nil
			out = append(out, cs)
		}
		return rows.Err()
	})
	order := func(dept string) int {
		return slices.IndexFunc(s.profile.Departments, func(d config.Department) bool { return d.Code == dept })
	}
	slices.SortFunc(out, func(x, y *Countersign) int { return order(x.Department) - order(y.Department) })
	return out, err
}

// SubmitJointReport sends the countersigned joint report up with the
// approval request (请示), which is required; the campaign may then close.
func (s *Store) SubmitJointReport(ctx context.Context, code, request string) (*lianggao.JointReport, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignManage)
	if err != nil {
		return nil, err
	}
	if !drc(a) {
		return nil, forbidden()
	}
	request = normalizeSection(request)
	if request == "" {
		return nil, lianggao.FieldError("request", "required")
	}
	var out *lianggao.JointReport
	err = s.update(ctx, func(t *tx) error {
		c, j, err := openJoint(ctx, t, code)
		if err != nil {
			return err
		}
		if len(j.Countersigns) < len(s.profile.Departments) {
			return lianggao.Errorf(lianggao.ECONFLICT, "joint.countersigns_pending", len(j.Countersigns), len(s.profile.Departments))
		}
		if _, err := t.exec(ctx, `UPDATE joint_reports SET request = ?, submitted_at = ? WHERE campaign_id = ?`, request, t.now, c.ID); err != nil {
			return err
		}
		j.Request, j.SubmittedAt = request, t.now
		out = j
		return s.audit(ctx, t, auditEntry{Action: "joint.submit", ObjectType: "joint_report", ObjectID: code,
			After: map[string]string{"request": request}})
	})
	return out, err
}

// CountersignDepartment returns the department the actor signs for: that of
// their person, when it is a provincial official of one of the five lines
// and the actor holds report:countersign; "" otherwise.
func (s *Store) CountersignDepartment(ctx context.Context) (string, error) {
	a, err := actorOf(ctx, lianggao.PermCountersign)
	if err != nil {
		return "", nil
	}
	dept, _, err := s.signer(ctx, s.read, s.dialect, a.PersonID)
	return dept, err
}

// signer returns the department and name of the person who signs for it: a
// provincial official of one of the five lines; "" for anyone else.
func (s *Store) signer(ctx context.Context, q queryRower, d dialect, personID int64) (string, string, error) {
	var dept sql.NullString
	var name, region string
	err := q.QueryRowContext(ctx, d.rebind(`SELECT department_code, name, region_code FROM people WHERE id = ?`), personID).
		Scan(&dept, &name, &region)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", "", nil
	case err != nil:
		return "", "", err
	case !dept.Valid || !s.profile.HasDepartment(dept.String) || lianggao.RegionLevel(region) != lianggao.LevelProvince:
		return "", "", nil
	}
	return dept.String, name, nil
}

// openJoint reads the campaign and its joint report inside a write
// transaction, and checks the report has not been sent up.
func openJoint(ctx context.Context, t *tx, code string) (*lianggao.Campaign, *lianggao.JointReport, error) {
	c, err := writableCampaign(ctx, t, code)
	if err != nil {
		return nil, nil, err
	}
	j, err := findJoint(ctx, t, c.ID)
	if err == nil && !j.SubmittedAt.IsZero() {
		err = lianggao.Errorf(lianggao.ECONFLICT, "joint.submitted")
	}
	return c, j, err
}

// writableCampaign reads the campaign inside a write transaction and checks
// that its reports may still change.
func writableCampaign(ctx context.Context, t *tx, code string) (*lianggao.Campaign, error) {
	c, err := campaignFor(ctx, t, code)
	if err == nil && !slices.Contains(reportsWritable, c.State) {
		err = lianggao.Errorf(lianggao.ECONFLICT, "report.campaign_state")
	}
	return c, err
}
