package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/planner"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// campaignRoutes are the pages of the semi-annual campaign (mechanism 1):
// the DRC opens it, freezes the target list, staffs the five groups,
// commits and draws; everyone concerned follows it.
func (h *Handler) campaignRoutes() []server.Route {
	read, manage := server.Need(lianggao.PermCampaignRead), server.Need(lianggao.PermCampaignManage)
	post := func(pattern string, fn func(*http.Request, string) error) server.Route {
		return server.Route{Method: "POST", Pattern: "/campaigns/{code}/" + pattern, Policy: manage, Handler: h.campaignAction(fn)}
	}
	return []server.Route{
		{Method: "GET", Pattern: "/campaigns", Policy: read, Handler: h.handleCampaignList},
		{Method: "POST", Pattern: "/campaigns", Policy: manage, Handler: h.handleCampaignCreate},
		{Method: "GET", Pattern: "/campaigns/{code}", Policy: read, Handler: h.handleCampaignShow},
		{Method: "GET", Pattern: "/campaigns/{code}/groups/{dept}", Policy: read, Handler: h.handleCampaignGroup},
		post("targets", h.freezeTargets),
		post("members/propose", h.proposeMembers),
		post("members", h.addMember),
		post("members/{person}/remove", h.removeMember),
		post("commit", func(r *http.Request, code string) error { _, err := h.Store.Commit(r.Context(), code); return err }),
		post("draw", func(r *http.Request, code string) error { _, err := h.Store.Draw(r.Context(), code); return err }),
		post("replan", func(r *http.Request, code string) error { _, err := h.Store.Replan(r.Context(), code); return err }),
		post("move", func(r *http.Request, code string) error {
			_, err := h.Store.MoveCampaign(r.Context(), code, r.PostFormValue("to"), r.PostFormValue("reason"))
			return err
		}),
	}
}

func (h *Handler) handleCampaignList(w http.ResponseWriter, r *http.Request) error {
	return h.renderCampaignList(w, r, http.StatusOK, nil)
}

func (h *Handler) renderCampaignList(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	cs, err := h.Store.FindCampaigns(r.Context())
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, status, "campaigns", &page{Title: i18n.T(lang, "campaign.list"), Nav: "campaigns",
		Crumbs: []crumb{{i18n.T(lang, "nav.campaign"), ""}},
		Data:   map[string]any{"Items": cs, "Codes": h.nextCampaignCodes(cs), "Errors": errs}})
}

// nextCampaignCodes offers the codes of the next three half years not yet
// opened.
func (h *Handler) nextCampaignCodes(existing []*lianggao.Campaign) []string {
	opened := map[string]bool{}
	for _, c := range existing {
		opened[c.Code] = true
	}
	today := h.today()
	year, half := today.Year, 1
	if today.Month >= 7 {
		half = 2
	}
	var out []string
	for range 3 {
		if code := fmt.Sprintf("%04dH%d", year, half); !opened[code] {
			out = append(out, code)
		}
		if half++; half > 2 {
			year, half = year+1, 1
		}
	}
	return out
}

func (h *Handler) handleCampaignCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := h.Store.CreateCampaign(r.Context(), strings.TrimSpace(r.PostFormValue("code")), r.PostFormValue("name"))
	if lianggao.ErrorCode(err) == lianggao.EINVALID {
		return h.renderCampaignList(w, r, http.StatusBadRequest, fieldErrors(server.Lang(r), err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/campaigns/"+c.Code, http.StatusSeeOther)
	return nil
}

// campaignAction runs a manager's action and shows the campaign again: a
// refusal on its page with the reason, success with a redirect.
func (h *Handler) campaignAction(fn func(*http.Request, string) error) server.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		code := r.PathValue("code")
		err := fn(r, code)
		switch lianggao.ErrorCode(err) {
		case "":
			back := "/campaigns/" + url.PathEscape(code)
			if dept := r.PostFormValue("department"); dept != "" {
				back += "/groups/" + url.PathEscape(dept)
			}
			http.Redirect(w, r, back, http.StatusSeeOther)
			return nil
		case lianggao.EINVALID, lianggao.ECONFLICT:
			return h.renderCampaign(w, r, server.Status(err), code, err)
		}
		return err
	}
}

func (h *Handler) freezeTargets(r *http.Request, code string) error {
	_, err := h.Store.FreezeTargets(r.Context(), code, strings.Fields(r.PostFormValue("credit_codes")))
	return err
}

func (h *Handler) proposeMembers(r *http.Request, code string) error {
	_, err := h.Store.ProposeMembers(r.Context(), code)
	return err
}

func (h *Handler) addMember(r *http.Request, code string) error {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("person_id")), 10, 64)
	if err != nil {
		return lianggao.FieldError("person_id", "number.invalid", r.PostFormValue("person_id"))
	}
	return h.Store.AddMember(r.Context(), code, &lianggao.InspectionGroupMember{PersonID: id,
		Department: r.PostFormValue("department"), Role: r.PostFormValue("role")})
}

func (h *Handler) removeMember(r *http.Request, code string) error {
	id, _ := strconv.ParseInt(r.PathValue("person"), 10, 64)
	return h.Store.RemoveMember(r.Context(), code, id)
}

func (h *Handler) handleCampaignShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderCampaign(w, r, http.StatusOK, r.PathValue("code"), nil)
}

// groupView is one joint group on the campaign page.
type groupView struct {
	Department string
	Name       string
	Cities     []string
	Staffing   *store.Staffing
	Tasks      int
}

// planNotes is what the planner said about the visit plan.
type planNotes struct {
	Shortfall *planner.Shortfall   `json:"shortfall"`
	Warnings  []planner.CapWarning `json:"warnings"`
	Merges    []planner.Merge      `json:"merges"`
}

func (h *Handler) renderCampaign(w http.ResponseWriter, r *http.Request, status int, code string, failure error) error {
	ctx := r.Context()
	c, err := h.Store.FindCampaign(ctx, code)
	if err != nil {
		return err
	}
	ms, err := h.Store.Members(ctx, code)
	if err != nil {
		return err
	}
	plan, tasks, err := h.Store.FindPlanSummary(ctx, code)
	if err != nil && lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
		return err
	}
	var groups []*groupView
	for _, st := range store.StaffingOf(h.Profile, c, ms) {
		g := &groupView{Department: st.Department, Name: h.departmentName(st.Department), Staffing: st}
		if plan != nil {
			g.Cities, g.Tasks = plan.Group(st.Department).Cities, tasks[st.Department]
		}
		groups = append(groups, g)
	}
	var notes *planNotes
	if plan != nil {
		notes = &planNotes{}
		json.Unmarshal(plan.Notes, notes)
	}
	lang := server.Lang(r)
	data := map[string]any{"C": c, "Groups": groups, "Notes": notes, "Next": lianggao.CampaignTransitions[c.State],
		"States": lianggao.CampaignStates}
	if failure != nil {
		data["Error"] = i18n.Error(lang, failure)
		data["Problems"] = problemsOf(lang, failure)
	}
	return h.render(w, r, status, "campaign", &page{Title: c.Name, Nav: "campaigns",
		Crumbs: []crumb{{i18n.T(lang, "nav.campaign"), ""}, {i18n.T(lang, "campaign.list"), "/campaigns"}}, Data: data})
}

// handleCampaignGroup shows one joint group: its members with their
// certificates, who is missing, and its visits.
func (h *Handler) handleCampaignGroup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code, dept := r.PathValue("code"), r.PathValue("dept")
	if !h.Profile.HasDepartment(dept) {
		return lianggao.Errorf(lianggao.ENOTFOUND, "notfound.page")
	}
	c, err := h.Store.FindCampaign(ctx, code)
	if err != nil {
		return err
	}
	all, err := h.Store.Members(ctx, code)
	if err != nil {
		return err
	}
	var ms []*lianggao.InspectionGroupMember
	for _, m := range all {
		if m.Department == dept {
			ms = append(ms, m)
		}
	}
	var staffing *store.Staffing
	uncertified := map[int64]bool{}
	for _, st := range store.StaffingOf(h.Profile, c, ms) {
		if st.Department == dept {
			staffing = st
		}
		for _, m := range st.Uncertified {
			uncertified[m.PersonID] = true
		}
	}
	q := r.URL.Query()
	num, offset := pageOf(q)
	tasks, total, err := h.Store.FindTasks(ctx, code, lianggao.TaskFilter{Department: dept, Offset: offset, Limit: pageSize})
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	name := h.departmentName(dept)
	return h.render(w, r, http.StatusOK, "campaign_group", &page{Title: c.Name + " · " + name, Nav: "campaigns",
		Crumbs: []crumb{{i18n.T(lang, "nav.campaign"), ""}, {i18n.T(lang, "campaign.list"), "/campaigns"}, {c.Name, "/campaigns/" + c.Code}},
		Data: map[string]any{"C": c, "Department": dept, "Name": name, "Members": ms,
			"Staffing": staffing, "Uncertified": uncertified, "Roles": lianggao.MemberRoles,
			"Tasks": tasks, "Pager": newPager(num, total)}})
}

// campaignTiles are the workbench's figures of the campaign under way (the
// latest not closed): its visits in the actor's scope and, for a member of
// a joint group, their own.
func (h *Handler) campaignTiles(r *http.Request) ([]tile, error) {
	ctx := r.Context()
	cs, err := h.Store.FindCampaigns(ctx)
	if err != nil || len(cs) == 0 || cs[0].State == lianggao.CampaignClosed {
		return nil, err
	}
	c, lang := cs[0], server.Lang(r)
	_, all, err := h.Store.FindTasks(ctx, c.Code, lianggao.TaskFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	tiles := []tile{{Label: i18n.T(lang, "home.campaign_tasks", c.Code), Value: all, Href: "/campaigns/" + c.Code}}
	if lianggao.ActorFrom(ctx).PersonID != 0 {
		_, mine, err := h.Store.FindTasks(ctx, c.Code, lianggao.TaskFilter{Mine: true, Limit: 1})
		if err != nil {
			return nil, err
		}
		tiles = append(tiles, tile{Label: i18n.T(lang, "home.my_tasks"), Value: mine, Href: "/tasks"})
	}
	return tiles, nil
}
