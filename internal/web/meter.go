package web

import (
	"net/http"
	"net/url"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

func meterFilter(q url.Values) lianggao.MeterFilter {
	return lianggao.MeterFilter{City: q.Get("city"), County: q.Get("county"), Kind: q.Get("kind"), Overdue: q.Get("overdue") == "1"}
}

func (h *Handler) handleMeterList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := meterFilter(q)
	num, offset := pageOf(q)
	f.Offset, f.Limit = offset, pageSize
	items, total, err := h.Store.FindMeters(r.Context(), f)
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "meters", &page{
		Title: i18n.T(lang, "meter.list"), Nav: "meters", Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}},
		Data: map[string]any{"Items": items, "Pager": newPager(num, total), "Filter": f,
			"Cities": h.Profile.Cities(), "Kinds": lianggao.MeterKinds},
	})
}
