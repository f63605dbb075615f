package web

import (
	"net/http"
	"net/url"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

func projectFilter(q url.Values) lianggao.ProjectFilter {
	return lianggao.ProjectFilter{Query: q.Get("q"), City: q.Get("city"), County: q.Get("county"),
		ListStage: q.Get("stage"), Listed: boolParam(q, "listed"), Status: q.Get("status")}
}

func (h *Handler) handleProjectList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := projectFilter(q)
	num, offset := pageOf(q)
	f.Offset, f.Limit = offset, pageSize
	items, total, err := h.Store.FindProjects(r.Context(), f)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "projects", &page{
		Title: i18n.T(lang, "project.list"), Nav: "projects", Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}},
		Data: map[string]any{"Items": items, "Pager": newPager(num, total), "Filter": f, "Cities": h.Profile.Cities(),
			"Stages":   []string{lianggao.StagePlanned, lianggao.StageUnderConstruction, lianggao.StageExisting},
			"Statuses": projectStatuses},
	})
}

var projectStatuses = []string{lianggao.ProjectPlanned, lianggao.ProjectApproved, lianggao.ProjectUnderConstruction,
	lianggao.ProjectTrialRun, lianggao.ProjectOperating, lianggao.ProjectStopped, lianggao.ProjectClosed}

func (h *Handler) handleProjectShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.Store.FindProjectByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	history, err := h.Store.ProjectHistory(r.Context(), p.ID)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "project", &page{
		Title: p.Name, Nav: "projects",
		Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}, {i18n.T(lang, "project.list"), "/projects"}},
		Data:   map[string]any{"P": p, "History": history, "Statuses": projectStatuses},
	})
}
