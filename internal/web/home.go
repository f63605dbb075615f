package web

import (
	"net/http"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

// tile is one figure on the workbench, linking to the list behind it.
type tile struct {
	Label string
	Value int
	Href  string
	Warn  bool
}

func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := server.Lang(r)
	a := lianggao.ActorFrom(ctx)
	var tiles []tile
	if a.Can(lianggao.PermRegistryRead) {
		yes, no := true, false
		counts := []struct {
			key, href string
			warn      bool
			count     func() (int, error)
		}{
			{"home.enterprises", "/enterprises", false, func() (int, error) {
				return h.countEnterprises(r, lianggao.EnterpriseFilter{})
			}},
			{"home.key", "/enterprises?key=1", false, func() (int, error) {
				return h.countEnterprises(r, lianggao.EnterpriseFilter{Key: &yes})
			}},
			{"home.projects", "/projects", false, func() (int, error) {
				_, n, err := h.Store.FindProjects(ctx, lianggao.ProjectFilter{Limit: 1})
				return n, err
			}},
			{"home.offlist", "/projects?listed=0", true, func() (int, error) {
				_, n, err := h.Store.FindProjects(ctx, lianggao.ProjectFilter{Listed: &no, Limit: 1})
				return n, err
			}},
			{"home.meters_due", "/meters?overdue=1", true, func() (int, error) {
				_, n, err := h.Store.FindMeters(ctx, lianggao.MeterFilter{Overdue: true, Limit: 1})
				return n, err
			}},
		}
		for _, c := range counts {
			n, err := c.count()
			if err != nil {
				return err
			}
			tiles = append(tiles, tile{Label: i18n.T(lang, c.key), Value: n, Href: c.href, Warn: c.warn && n > 0})
		}
	}
	if a.Can(lianggao.PermFigureRead) {
		_, n, err := h.Store.FindAlerts(ctx, lianggao.AlertFilter{Status: lianggao.AlertNew, Limit: 1})
		if err != nil {
			return err
		}
		tiles = append(tiles, tile{Label: i18n.T(lang, "home.alerts"), Value: n, Href: "/alerts?status=new", Warn: n > 0})
	}
	if a.Can(lianggao.PermCampaignRead) {
		ct, err := h.campaignTiles(r)
		if err != nil {
			return err
		}
		tiles = append(tiles, ct...)
	}
	return h.render(w, r, http.StatusOK, "home", &page{Title: i18n.T(lang, "home.title"), Nav: "home",
		Data: map[string]any{"Tiles": tiles}})
}

func (h *Handler) countEnterprises(r *http.Request, f lianggao.EnterpriseFilter) (int, error) {
	f.Limit = 1
	_, n, err := h.Store.FindEnterprises(r.Context(), f)
	return n, err
}
