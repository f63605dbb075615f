package web

import (
	"net/http"
	"net/url"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

func personFilter(q url.Values) lianggao.PersonFilter {
	return lianggao.PersonFilter{Query: q.Get("q"), Department: q.Get("dept"), Region: q.Get("region"), Kind: q.Get("kind")}
}

func (h *Handler) handlePersonList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := personFilter(q)
	num, offset := pageOf(q)
	f.Offset, f.Limit = offset, pageSize
	items, total, err := h.Store.FindPeople(r.Context(), f)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "people", &page{
		Title: i18n.T(lang, "person.list"), Nav: "people", Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}},
		Data: map[string]any{"Items": items, "Pager": newPager(num, total), "Filter": f,
			"Cities": h.Profile.Cities(), "Kinds": lianggao.PersonKinds},
	})
}

func (h *Handler) handleGroupList(w http.ResponseWriter, r *http.Request) error {
	region := r.URL.Query().Get("region")
	groups, err := h.Store.FindSupervisionGroups(r.Context(), region)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "groups", &page{
		Title: i18n.T(lang, "group.list"), Nav: "groups", Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}},
		Data: map[string]any{"Items": groups, "Region": region, "Cities": h.Profile.Cities()},
	})
}

func (h *Handler) handleGroupShow(w http.ResponseWriter, r *http.Request) error {
	g, err := h.Store.FindSupervisionGroupByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "group", &page{
		Title: g.Name, Nav: "groups",
		Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}, {i18n.T(lang, "group.list"), "/groups"}},
		Data:   g,
	})
}
