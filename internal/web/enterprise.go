package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

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
		Data: map[string]any{"Rows": h.enterpriseRows(lang, items), "Total": total, "Pager": newPager(num, total), "Filter": f,
			"Cities": h.regionOptions(h.Profile.Cities(), f.City), "Counties": h.regionOptions(h.Profile.Counties(f.City), f.County),
			"Industries": h.industryOptions(f.Industry)},
	})
}

// enterpriseRows renders the rows of the list in Go rather than in the
// template: the list is the busiest page, and html/template's per-cell
// reflection cost more than the query behind it. Every value is escaped.
func (h *Handler) enterpriseRows(lang string, items []*lianggao.Enterprise) template.HTML {
	yes := template.HTMLEscapeString(i18n.T(lang, "common.yes"))
	var b strings.Builder
	b.Grow(len(items) * 400)
	for _, e := range items {
		esc := template.HTMLEscapeString
		fmt.Fprintf(&b, `<tr><td><a href="/enterprises/%d">%s</a></td><td class="code wide">%s</td><td>%s %s</td><td class="wide">%s</td>`,
			e.ID, esc(e.Name), esc(e.CreditCode), esc(h.regionName(e.City)), esc(h.regionName(e.County)), esc(h.industryName(e.Industry)))
		b.WriteString(tagIf(e.Key, "blue", yes))
		b.WriteString(tagIf(e.OutputControlled, "amber", yes))
		fmt.Fprintf(&b, `<td><span class="tag %s">%s</span></td></tr>`, statusClass[e.Status], esc(i18n.T(lang, "status."+e.Status)))
	}
	return template.HTML(b.String())
}

// tagIf is a table cell holding a tag when ok, empty otherwise; on a phone
// the cell is hidden.
func tagIf(ok bool, class, label string) string {
	if !ok {
		return `<td class="wide"></td>`
	}
	return `<td class="wide"><span class="tag ` + class + `">` + label + `</span></td>`
}

// statusClass is the tag colour of each enterprise status.
var statusClass = map[string]string{lianggao.EnterpriseOperating: "green", lianggao.EnterpriseStopped: "amber", lianggao.EnterpriseClosed: "grey"}

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
	a := lianggao.ActorFrom(ctx)
	if a.Can(lianggao.PermPersonRead) {
		if data["Group"], err = h.countyGroup(r, e.County); err != nil {
			return err
		}
	}
	if a.Can(lianggao.PermFigureRead) {
		chart, err := h.figureChart(r, e, h.today().AddDays(-365), h.today())
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

// countyGroup returns the supervision group responsible for a county, with
// its members: the people an official calls about an enterprise there.
func (h *Handler) countyGroup(r *http.Request, county string) (*lianggao.SupervisionGroup, error) {
	groups, err := h.Store.FindSupervisionGroups(r.Context(), county)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Region == county {
			return h.Store.FindSupervisionGroupByID(r.Context(), g.ID)
		}
	}
	return nil, nil
}
