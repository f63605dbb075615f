package web

import (
	"net/http"
	"net/url"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

// enterpriseFilter reads the list's filters from the query; they stay in the
// URL so a filtered list can be shared and exported.
func enterpriseFilter(q url.Values) lianggao.EnterpriseFilter {
	return lianggao.EnterpriseFilter{
		Query: q.Get("q"), City: q.Get("city"), County: q.Get("county"), Industry: q.Get("industry"),
		Key: boolParam(q, "key"), OutputControlled: boolParam(q, "oc"), Sort: q.Get("sort"), Desc: q.Get("desc") == "1",
	}
}

func (h *Handler) handleEnterpriseList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := enterpriseFilter(q)
	num, offset := pageOf(q)
	f.Offset, f.Limit = offset, pageSize
	items, total, err := h.Store.FindEnterprises(r.Context(), f)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "enterprises", &page{
		Title: i18n.T(lang, "enterprise.list"), Nav: "enterprises",
		Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}},
		Data: map[string]any{"Items": items, "Pager": newPager(num, total), "Filter": f,
			"Cities": h.Profile.Cities(), "Counties": h.Profile.Counties(f.City)},
	})
}

func (h *Handler) handleEnterpriseShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := pathID(r)
	e, err := h.Store.FindEnterpriseByID(ctx, id)
	if err != nil {
		return err
	}
	projects, _, err := h.Store.FindProjects(ctx, lianggao.ProjectFilter{EnterpriseID: id, Limit: 100})
	if err != nil {
		return err
	}
	meters, _, err := h.Store.FindMeters(ctx, lianggao.MeterFilter{EnterpriseID: id, Limit: 100})
	if err != nil {
		return err
	}
	history, err := h.Store.EnterpriseHistory(ctx, id)
	if err != nil {
		return err
	}
	data := map[string]any{"E": e, "Projects": projects, "Meters": meters, "History": history}
	if a := lianggao.ActorFrom(ctx); a.Can(lianggao.PermFigureRead) {
		chart, err := h.figureChart(r, e)
		if err != nil {
			return err
		}
		data["Chart"] = chart
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "enterprise", &page{
		Title: e.Name, Nav: "enterprises",
		Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}, {i18n.T(lang, "enterprise.list"), "/enterprises"}},
		Data:   data,
	})
}
