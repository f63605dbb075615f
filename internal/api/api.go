// Package api serves the JSON API under /api/v1 over the same store methods
// as the pages, so both answer the same question the same way. Errors are
// RFC 9457 problem+json.
package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"lianggao"
	"lianggao/internal/jobs"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// Handler serves the API.
type Handler struct {
	Store *store.Store
	Now   func() time.Time // the platform's clock; nil means time.Now
	Jobs  *jobs.Runner     // background work after batches
}

func (h *Handler) now() time.Time {
	if h.Now == nil {
		return time.Now()
	}
	return h.Now()
}

// Routes returns the API routes.
func (h *Handler) Routes() []server.Route {
	need := server.Need
	return []server.Route{
		{Method: "GET", Pattern: "/api/v1/me", Policy: server.SignedIn, API: true, Handler: h.handleMe},
		{Method: "GET", Pattern: "/api/v1/regions", Policy: server.SignedIn, API: true, Handler: h.handleRegions},
		{Method: "GET", Pattern: "/api/v1/enterprises", Policy: need(lianggao.PermRegistryRead), API: true, Handler: h.handleEnterpriseList},
		{Method: "POST", Pattern: "/api/v1/enterprises", Policy: need(lianggao.PermRegistryWrite), API: true, Handler: h.handleEnterpriseCreate},
		{Method: "GET", Pattern: "/api/v1/enterprises/{id}", Policy: need(lianggao.PermRegistryRead), API: true, Handler: h.handleEnterpriseShow},
		{Method: "GET", Pattern: "/api/v1/projects", Policy: need(lianggao.PermRegistryRead), API: true, Handler: h.handleProjectList},
		{Method: "GET", Pattern: "/api/v1/projects/{id}", Policy: need(lianggao.PermRegistryRead), API: true, Handler: h.handleProjectShow},
		{Method: "POST", Pattern: "/api/v1/reports", Policy: need(lianggao.PermFigureWrite), API: true, MaxBody: MaxReportBody, Handler: h.handleReports},
		{Method: "POST", Pattern: "/api/v1/readings", Policy: need(lianggao.PermFigureWrite), API: true, MaxBody: MaxReportBody, Handler: h.handleReadings},
		{Method: "GET", Pattern: "/api/v1/alerts", Policy: need(lianggao.PermFigureRead), API: true, Handler: h.handleAlerts},
		{Method: "POST", Pattern: "/api/v1/rules/run", Policy: need(lianggao.PermAlertTriage), API: true, Handler: h.handleRulesRun},
		{Method: "GET", Pattern: "/api/v1/campaigns", Policy: need(lianggao.PermCampaignRead), API: true, Handler: h.handleCampaigns},
		{Method: "GET", Pattern: "/api/v1/campaigns/{code}/assignment-inputs", Policy: need(lianggao.PermCampaignRead), API: true,
			Handler: h.handleAssignmentInputs},
		{Method: "GET", Pattern: "/api/v1/campaigns/{code}/plan", Policy: need(lianggao.PermCampaignRead), API: true, Handler: h.handlePlan},
	}
}

// list is a page of results with the total.
type list[T any] struct {
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Items  []T `json:"items"`
}

func (h *Handler) handleMe(w http.ResponseWriter, r *http.Request) error {
	return server.WriteJSON(w, http.StatusOK, lianggao.ActorFrom(r.Context()))
}

func (h *Handler) handleRegions(w http.ResponseWriter, r *http.Request) error {
	regions, err := h.Store.FindRegions(r.Context())
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, regions)
}

// paging reads offset and limit; limit defaults to 50 and is capped at 500.
func paging(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	if s := q.Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, lianggao.FieldError("offset", "number.invalid", s)
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return 0, 0, lianggao.FieldError("limit", "number.invalid", s)
		}
	}
	return offset, limit, nil
}

// optBool reads a true/false query parameter.
func optBool(r *http.Request, key string) (*bool, error) {
	s := r.URL.Query().Get(key)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, lianggao.FieldError(key, "bool.invalid", s)
	}
	return &b, nil
}

func (h *Handler) handleEnterpriseList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := lianggao.EnterpriseFilter{Query: q.Get("q"), City: q.Get("city"), County: q.Get("county"),
		Industry: q.Get("industry"), Sort: q.Get("sort"), Desc: q.Get("desc") == "true"}
	var err error
	if f.Offset, f.Limit, err = paging(r); err != nil {
		return err
	}
	if f.Key, err = optBool(r, "key"); err != nil {
		return err
	}
	if f.OutputControlled, err = optBool(r, "output_controlled"); err != nil {
		return err
	}
	items, total, err := h.Store.FindEnterprises(r.Context(), f)
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, list[*lianggao.Enterprise]{Total: total, Offset: f.Offset, Items: items})
}

func (h *Handler) handleEnterpriseShow(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	e, err := h.Store.FindEnterpriseByID(r.Context(), id)
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, e)
}

// decodeEnterprise reads one enterprise as JSON: unknown fields and
// trailing data are errors, and a GCJ-02 position is converted to WGS-84.
func decodeEnterprise(body io.Reader) (*lianggao.Enterprise, error) {
	var e lianggao.Enterprise
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, lianggao.Errorf(lianggao.EINVALID, "json.invalid", err.Error())
	}
	if dec.More() {
		return nil, lianggao.Errorf(lianggao.EINVALID, "json.invalid", "trailing data")
	}
	if e.Datum == lianggao.DatumGCJ02 {
		e.Location = lianggao.GCJ02ToWGS84(e.Location)
	}
	return &e, nil
}

// handleEnterpriseCreate registers an enterprise from JSON.
func (h *Handler) handleEnterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	e, err := decodeEnterprise(r.Body)
	if err != nil {
		return err
	}
	if err := h.Store.CreateEnterprise(r.Context(), e); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprises/"+strconv.FormatInt(e.ID, 10))
	return server.WriteJSON(w, http.StatusCreated, e)
}

func (h *Handler) handleProjectList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := lianggao.ProjectFilter{Query: q.Get("q"), City: q.Get("city"), County: q.Get("county"),
		ListStage: q.Get("list_stage"), Status: q.Get("status")}
	var err error
	if f.Offset, f.Limit, err = paging(r); err != nil {
		return err
	}
	if f.Listed, err = optBool(r, "listed"); err != nil {
		return err
	}
	items, total, err := h.Store.FindProjects(r.Context(), f)
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, list[*lianggao.Project]{Total: total, Offset: f.Offset, Items: items})
}

func (h *Handler) handleProjectShow(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := h.Store.FindProjectByID(r.Context(), id)
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, p)
}
