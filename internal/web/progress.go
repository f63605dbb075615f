package web

import (
	"net/http"
	"strconv"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// progressRoutes are the campaign's progress tables (R1.6).
func (h *Handler) progressRoutes() []server.Route {
	need := server.Need
	return []server.Route{
		{Method: "GET", Pattern: "/campaigns/{code}/progress", Policy: need(lianggao.PermCampaignRead), Handler: h.handleProgress},
		{Method: "GET", Pattern: "/campaigns/{code}/progress/export", Policy: need(lianggao.PermCampaignRead), Handler: h.handleProgressExport},
	}
}

func init() {
	exportTitles["progress"] = "progress.title"
	exportTitles["unvisited"] = "progress.unvisited"
}

// progressTable is one of the page's tables: its title, what its keys are
// and its rows with their labels.
type progressTable struct {
	ID, Title, Dim string
	Rows           []progressLine
}

type progressLine struct {
	Label       string
	Done, Proof string // the shares visited and proven, as percentages
	*store.ProgressRow
}

func (h *Handler) progressTables(lang string, p *store.Progress) []progressTable {
	dims := []struct {
		id, title string
		rows      []*store.ProgressRow
		label     func(string) string
	}{
		{"group", "progress.by_group", p.ByGroup, func(k string) string { return h.departmentName(k) + i18n.T(lang, "progress.group_suffix") }},
		{"city", "progress.by_city", p.ByCity, h.regionName},
		{"county", "progress.by_county", p.ByCounty, func(k string) string {
			return h.regionName(lianggao.CityOf(k)) + " " + h.regionName(k)
		}},
		{"industry", "progress.by_industry", p.ByIndustry, h.industryName},
	}
	out := make([]progressTable, len(dims))
	for i, d := range dims {
		out[i] = progressTable{ID: "progress-" + d.id, Title: i18n.T(lang, d.title), Dim: d.id}
		for _, r := range d.rows {
			out[i].Rows = append(out[i].Rows, progressLine{Label: d.label(r.Key), ProgressRow: r,
				Done: percent(r.Done()), Proof: percent(r.ProofRate())})
		}
	}
	return out
}

func (h *Handler) handleProgress(w http.ResponseWriter, r *http.Request) error {
	p, err := h.Store.CampaignProgress(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "progress", &page{Title: p.Campaign.Name + " · " + i18n.T(lang, "progress.title"), Nav: "campaigns",
		Crumbs: []crumb{{i18n.T(lang, "nav.campaign"), ""}, {p.Campaign.Name, "/campaigns/" + p.Campaign.Code}},
		Data: map[string]any{"P": p, "Tables": h.progressTables(lang, p), "Limit": store.MaxUnvisited,
			"Total": progressLine{Label: i18n.T(lang, "progress.total"), ProgressRow: &p.Total, Done: percent(p.Total.Done()), Proof: percent(p.Total.ProofRate())}}})
}

// handleProgressExport exports the four tables in one sheet (a column says
// which table a row belongs to) or, with part=unvisited, every enterprise
// not yet visited.
func (h *Handler) handleProgressExport(w http.ResponseWriter, r *http.Request) error {
	if err := mayExport(r); err != nil {
		return err
	}
	if r.URL.Query().Get("part") == "unvisited" {
		return h.exportUnvisited(w, r)
	}
	p, err := h.Store.CampaignProgress(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	var rows [][]any
	for _, tbl := range h.progressTables(lang, p) {
		for _, l := range tbl.Rows {
			rows = append(rows, progressCells(tbl.Title, l.Label, l.ProgressRow))
		}
	}
	rows = append(rows, progressCells(i18n.T(lang, "progress.total"), "", &p.Total))
	return h.export(w, r, "progress", progressHeader, rows)
}

// exportUnvisited exports every task of the campaign not yet visited, the
// overdue marked; it reads the tasks alone, not the progress tables.
func (h *Handler) exportUnvisited(w http.ResponseWriter, r *http.Request) error {
	_, tasks, err := campaignAnd(h, r, func(code string) ([]*lianggao.InspectionTask, error) {
		tasks, _, err := h.Store.FindTasks(r.Context(), code, lianggao.TaskFilter{Limit: store.All})
		return tasks, err
	})
	if err != nil {
		return err
	}
	lang, today := server.Lang(r), h.today()
	var rows [][]any
	for _, t := range tasks {
		if t.State == lianggao.TaskSubmitted {
			continue
		}
		state := i18n.T(lang, "progress.scheduled")
		if t.Day.Before(today) {
			state = i18n.T(lang, "progress.overdue")
		}
		rows = append(rows, []any{t.CreditCode, t.EnterpriseName, h.regionName(t.City), h.regionName(t.County),
			h.industryName(t.Industry), h.departmentName(t.Department), t.Day.String(), state})
	}
	return h.export(w, r, "unvisited", unvisitedHeader, rows)
}

var (
	progressHeader  = []string{"分类", "名称", "任务数", "已检查", "待检查", "逾期未检查", "完成率", "现场佐证率", "问题数"}
	unvisitedHeader = []string{"统一社会信用代码", "企业名称", "市", "县（区）", "行业", "检查组", "计划检查日期", "状态"}
)

func progressCells(table, label string, r *store.ProgressRow) []any {
	return []any{table, label, r.Tasks, r.Submitted, r.Scheduled, r.Overdue, percent(r.Done()), percent(r.ProofRate()), r.Findings}
}

// percent writes a share with one decimal, as the tables show it.
func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }
