package web

import (
	"net/http"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

// regionNode is a city with its counties and enterprise counts.
type regionNode struct {
	Region   *lianggao.Region
	Count    int
	Counties []regionNode
}

func (h *Handler) handleRegions(w http.ResponseWriter, r *http.Request) error {
	regions, err := h.Store.FindRegions(r.Context())
	if err != nil {
		return err
	}
	counts, err := h.Store.CountEnterprisesByCounty(r.Context())
	if err != nil {
		return err
	}
	var tree []regionNode
	index := map[string]int{}
	for _, reg := range regions {
		switch reg.Level {
		case lianggao.LevelCity:
			index[reg.Code] = len(tree)
			tree = append(tree, regionNode{Region: reg})
		case lianggao.LevelCounty:
			i, ok := index[reg.Parent]
			if !ok {
				continue
			}
			tree[i].Counties = append(tree[i].Counties, regionNode{Region: reg, Count: counts[reg.Code]})
			tree[i].Count += counts[reg.Code]
		}
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "regions", &page{Title: i18n.T(lang, "region.tree"), Nav: "regions",
		Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}}, Data: tree})
}
