package store

import (
	"cmp"
	"context"
	"slices"

	"lianggao"
)

// ProgressRow counts one group, city, county or industry's inspection
// tasks: how many, how many visited (submitted), still to come (scheduled
// today or later), overdue (their day passed unvisited), visited with proof
// of presence (at least one photo and a check-in not flagged), and the
// findings made so far.
type ProgressRow struct {
	Key       string `json:"key"`
	Tasks     int    `json:"tasks"`
	Submitted int    `json:"submitted"`
	Scheduled int    `json:"scheduled"`
	Overdue   int    `json:"overdue"`
	Proven    int    `json:"proven"`
	Findings  int    `json:"findings"`
}

// ProofRate is the share of visited tasks with proof of presence, 0 when
// none was visited.
func (r *ProgressRow) ProofRate() float64 {
	if r.Submitted == 0 {
		return 0
	}
	return float64(r.Proven) / float64(r.Submitted)
}

// Done is the share of tasks visited.
func (r *ProgressRow) Done() float64 {
	if r.Tasks == 0 {
		return 0
	}
	return float64(r.Submitted) / float64(r.Tasks)
}

func (r *ProgressRow) plus(o *ProgressRow) {
	r.Tasks += o.Tasks
	r.Submitted += o.Submitted
	r.Scheduled += o.Scheduled
	r.Overdue += o.Overdue
	r.Proven += o.Proven
	r.Findings += o.Findings
}

// Progress is where a campaign stands in the actor's scope.
type Progress struct {
	Campaign   *lianggao.Campaign `json:"campaign"`
	Today      lianggao.Date      `json:"today"`
	Total      ProgressRow        `json:"total"`
	ByGroup    []*ProgressRow     `json:"by_group"`
	ByCity     []*ProgressRow     `json:"by_city"`
	ByCounty   []*ProgressRow     `json:"by_county"`
	ByIndustry []*ProgressRow     `json:"by_industry"`
	// Unvisited lists the first MaxUnvisited tasks not yet submitted, by
	// day; UnvisitedTotal counts them all.
	Unvisited      []*lianggao.InspectionTask `json:"unvisited"`
	UnvisitedTotal int                        `json:"unvisited_total"`
}

// MaxUnvisited bounds the list of enterprises not yet visited.
const MaxUnvisited = 200

// progressCell is one (group, city, county, industry) combination's counts;
// the tables are sums of cells.
type progressCell struct {
	dept, city, county, industry string
	ProgressRow
}

// CampaignProgress counts the current draw's tasks of a campaign in the
// actor's scope (scopeTask) by group, city, county and industry, with the
// findings so far and the enterprises not yet visited. "Today" is the
// profile's. A fixed number of queries, whatever the number of tasks.
func (s *Store) CampaignProgress(ctx context.Context, code string) (*Progress, error) {
	a, err := actorOf(ctx, lianggao.PermCampaignRead)
	if err != nil {
		return nil, err
	}
	today := lianggao.DateOf(s.now().In(s.profile.Location()))
	p := &Progress{Today: today, Total: ProgressRow{Key: "total"}}
	err = s.view(ctx, func(t *tx) error {
		c, err := findCampaign(ctx, t.Tx, t.d, code)
		if err != nil {
			return err
		}
		p.Campaign = c
		w := taskWhere(a, c.ID, lianggao.TaskFilter{})
		cells := progressCells{}
		if err := cells.countTasks(ctx, t, w, today); err != nil {
			return err
		}
		if err := cells.countFindings(ctx, t, w); err != nil {
			return err
		}
		p.tabulate(cells)
		return p.findUnvisited(ctx, t, a, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// progressCells holds the cells by (group, city, county, industry).
type progressCells map[[4]string]*progressCell

// cell returns the cell of k, made empty the first time.
func (cells progressCells) cell(k [4]string) *progressCell {
	if cells[k] == nil {
		cells[k] = &progressCell{dept: k[0], city: k[1], county: k[2], industry: k[3]}
	}
	return cells[k]
}

// countTasks adds to the cells the tasks in w: all, submitted, scheduled,
// overdue and proven.
func (cells progressCells) countTasks(ctx context.Context, t *tx, w *where, today lianggao.Date) error {
	rows, err := t.query(ctx, `SELECT it.department_code, it.city_code, it.county_code, e.industry_code, count(*),
			sum(CASE WHEN it.state = ? THEN 1 ELSE 0 END),
			sum(CASE WHEN it.state <> ? AND it.day >= ? THEN 1 ELSE 0 END),
			sum(CASE WHEN it.state <> ? AND it.day < ? THEN 1 ELSE 0 END),
			sum(CASE WHEN it.state = ? AND EXISTS (SELECT 1 FROM inspections ip JOIN inspection_photos pp ON pp.inspection_id = ip.id
				WHERE ip.task_id = it.id AND NOT ip.flagged) THEN 1 ELSE 0 END)
			FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id WHERE `+w.String()+`
			GROUP BY it.department_code, it.city_code, it.county_code, e.industry_code`,
		append([]any{lianggao.TaskSubmitted, lianggao.TaskSubmitted, today.String(), lianggao.TaskSubmitted, today.String(),
			lianggao.TaskSubmitted}, w.args...)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k [4]string
		var r ProgressRow
		if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &r.Tasks, &r.Submitted, &r.Scheduled, &r.Overdue, &r.Proven); err != nil {
			rows.Close()
			return err
		}
		cells.cell(k).plus(&r)
	}
	rows.Close()
	return rows.Err()
}

// countFindings adds to the cells the findings of the campaign, counted on
// the task of their enterprise in the current draw (one per enterprise), so
// they fall in the same cells and the same scope as the tasks.
func (cells progressCells) countFindings(ctx context.Context, t *tx, w *where) error {
	rows, err := t.query(ctx, `SELECT it.department_code, it.city_code, it.county_code, e.industry_code, count(*)
			FROM findings f JOIN inspection_tasks it ON it.campaign_id = f.campaign_id AND it.enterprise_id = f.enterprise_id
			JOIN enterprises e ON e.id = it.enterprise_id WHERE `+w.String()+`
			GROUP BY it.department_code, it.city_code, it.county_code, e.industry_code`, w.args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k [4]string
		var n int
		if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &n); err != nil {
			rows.Close()
			return err
		}
		cells.cell(k).Findings += n
	}
	rows.Close()
	return rows.Err()
}

// findUnvisited lists the first MaxUnvisited of the campaign's tasks in the
// actor's scope not yet submitted, by day. Their number is already in the
// total counted by countTasks (and tabulated), in the same transaction.
func (p *Progress) findUnvisited(ctx context.Context, t *tx, a *lianggao.Actor, campaignID int64) error {
	p.UnvisitedTotal = p.Total.Tasks - p.Total.Submitted
	uw := taskWhere(a, campaignID, lianggao.TaskFilter{})
	uw.add("it.state <> ?", lianggao.TaskSubmitted)
	var err error
	p.Unvisited, err = scanTasks(ctx, t, `SELECT `+taskColumns+` FROM inspection_tasks it JOIN enterprises e ON e.id = it.enterprise_id
		WHERE `+uw.String()+` ORDER BY it.day, e.credit_code LIMIT ?`, append(uw.args, MaxUnvisited)...)
	return err
}

// tabulate sums the cells into the four tables and the total, each table
// in the order of its keys.
func (p *Progress) tabulate(cells progressCells) {
	tables := []*[]*ProgressRow{&p.ByGroup, &p.ByCity, &p.ByCounty, &p.ByIndustry}
	index := make([]map[string]*ProgressRow, len(tables))
	for i := range index {
		index[i] = map[string]*ProgressRow{}
	}
	for _, c := range cells {
		p.Total.plus(&c.ProgressRow)
		for i, key := range []string{c.dept, c.city, c.county, c.industry} {
			r := index[i][key]
			if r == nil {
				r = &ProgressRow{Key: key}
				index[i][key] = r
				*tables[i] = append(*tables[i], r)
			}
			r.plus(&c.ProgressRow)
		}
	}
	for _, tbl := range tables {
		slices.SortFunc(*tbl, func(a, b *ProgressRow) int { return cmp.Compare(a.Key, b.Key) })
	}
}
