// Package web serves the HTML pages: server-rendered templates, zh-CN first,
// readable on a phone, with htmx and ECharts vendored for a closed network.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/config"
	"lianggao/internal/i18n"
	"lianggao/internal/jobs"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

//go:embed templates static
var files embed.FS

// Handler holds what the pages need.
type Handler struct {
	Store   *store.Store
	Profile *config.Profile
	Server  *server.Server
	Log     *slog.Logger
	Now     func() time.Time
	// UploadLimit bounds an uploaded spreadsheet, in bytes.
	UploadLimit int64
	// Throttle slows down guessing of passwords and codes.
	Throttle *auth.Throttle
	// Jobs runs the rules after an uploaded batch; nil runs them at once.
	Jobs *jobs.Runner

	pages   map[string]*template.Template
	version string // changes when a static file does, for cache-busting URLs
}

// New parses every template at start-up, so a broken page stops the program
// rather than a user's request.
func New(h *Handler) (*Handler, error) {
	if h.Throttle == nil {
		h.Throttle = auth.NewThrottle(auth.ThrottleConfig{Now: h.Now})
	}
	if err := h.parse(); err != nil {
		return nil, err
	}
	sum := sha256.New()
	fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := files.ReadFile(p)
			sum.Write(b)
		}
		return nil
	})
	h.version = hex.EncodeToString(sum.Sum(nil))[:10]
	return h, nil
}

func (h *Handler) parse() error {
	layout, err := files.ReadFile("templates/layout.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		body, err := files.ReadFile(n)
		if err != nil {
			return err
		}
		t, err := template.New("layout").Funcs(h.funcs()).Parse(string(layout))
		if err == nil {
			_, err = t.New(name).Parse(string(body))
		}
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return nil
}

// page is what every template receives.
type page struct {
	Lang    string
	Actor   *lianggao.Actor
	Title   string
	Nav     string
	Crumbs  []crumb
	Query   url.Values
	Path    string
	Version string
	Profile *config.Profile
	Today   lianggao.Date
	Data    any
}

type crumb struct{ Label, Href string }

// buffers hold pages while they render, so that an error is caught before
// anything is sent; pooled because a list page is tens of kilobytes.
var buffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// render executes a page; an htmx request gets only the page's content block.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) error {
	t, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	h.fill(r, p)
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	tname := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" {
		tname = "content"
	}
	if err := t.ExecuteTemplate(buf, tname, p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

func (h *Handler) fill(r *http.Request, p *page) {
	p.Lang = server.Lang(r)
	p.Actor = lianggao.ActorFrom(r.Context())
	p.Query = r.URL.Query()
	p.Path = r.URL.Path
	p.Version = h.version
	p.Profile = h.Profile
	p.Today = h.today()
}

func (h *Handler) today() lianggao.Date {
	return lianggao.DateOf(h.Now().In(h.Profile.Location()))
}

// RenderError renders an error page in the user's language, never with
// internal details.
func (h *Handler) RenderError(w http.ResponseWriter, r *http.Request, status int, err error) {
	lang := server.Lang(r)
	p := &page{Title: i18n.T(lang, "common.error_title"), Data: map[string]any{
		"Status": status, "Message": i18n.Error(lang, err), "Problems": problemsOf(lang, err),
		"Reference": lianggao.RequestFrom(r.Context()).ID}}
	if rerr := h.render(w, r, status, "error", p); rerr != nil {
		h.Log.Error("render error page", "err", rerr)
		server.WriteProblem(w, r, status, err)
	}
}

func problemsOf(lang string, err error) []server.ProblemItem {
	return server.NewProblem(lang, 400, err).Errors
}

// Routes returns the HTML routes: the registry's, the account's and the
// administrators' here, each mechanism's from its own file.
func (h *Handler) Routes() []server.Route {
	return slices.Concat(h.coreRoutes(), h.monitorRoutes(), h.campaignRoutes(), h.findingRoutes(), h.progressRoutes(), h.reportRoutes(), h.inspectionRoutes())
}

func (h *Handler) coreRoutes() []server.Route {
	need := server.Need
	upload := h.UploadLimit + 1<<20 // the multipart envelope around the file
	return []server.Route{
		{Method: "GET", Pattern: "/static/", Policy: server.Public, Handler: h.handleStatic},
		{Method: "GET", Pattern: "/signin", Policy: server.Public, Handler: h.handleSigninPage},
		{Method: "POST", Pattern: "/signin", Policy: server.Public, Handler: h.handleSignin},
		{Method: "POST", Pattern: "/signout", Policy: server.Passwordless, Handler: h.handleSignout},
		{Method: "GET", Pattern: "/signin/totp", Policy: server.Public, Handler: h.handleTOTPPage},
		{Method: "POST", Pattern: "/signin/totp", Policy: server.Public, Handler: h.handleTOTP},
		{Method: "GET", Pattern: "/lang/{lang}", Policy: server.Public, Handler: h.handleLang},
		{Method: "GET", Pattern: "/{$}", Policy: server.SignedIn, Handler: h.handleHome},
		{Method: "GET", Pattern: "/regions", Policy: need(lianggao.PermRegistryRead), Handler: h.handleRegions},
		{Method: "GET", Pattern: "/enterprises", Policy: need(lianggao.PermRegistryRead), Handler: h.handleEnterpriseList},
		{Method: "GET", Pattern: "/enterprises/export", Policy: need(lianggao.PermRegistryExport), Handler: h.handleEnterpriseExport},
		{Method: "GET", Pattern: "/enterprises/{id}", Policy: need(lianggao.PermRegistryRead), Handler: h.handleEnterpriseShow},
		{Method: "GET", Pattern: "/projects", Policy: need(lianggao.PermRegistryRead), Handler: h.handleProjectList},
		{Method: "GET", Pattern: "/projects/export", Policy: need(lianggao.PermRegistryExport), Handler: h.handleProjectExport},
		{Method: "GET", Pattern: "/projects/{id}", Policy: need(lianggao.PermRegistryRead), Handler: h.handleProjectShow},
		{Method: "GET", Pattern: "/meters", Policy: need(lianggao.PermRegistryRead), Handler: h.handleMeterList},
		{Method: "GET", Pattern: "/meters/export", Policy: need(lianggao.PermRegistryExport), Handler: h.handleMeterExport},
		{Method: "GET", Pattern: "/people", Policy: need(lianggao.PermPersonRead), Handler: h.handlePersonList},
		{Method: "GET", Pattern: "/people/export", Policy: need(lianggao.PermPersonRead), Handler: h.handlePersonExport},
		{Method: "GET", Pattern: "/groups", Policy: need(lianggao.PermPersonRead), Handler: h.handleGroupList},
		{Method: "GET", Pattern: "/groups/{id}", Policy: need(lianggao.PermPersonRead), Handler: h.handleGroupShow},
		{Method: "GET", Pattern: "/import/{kind}", Policy: need(lianggao.PermRegistryImport), Handler: h.handleImportPage},
		{Method: "GET", Pattern: "/import/{kind}/template", Policy: need(lianggao.PermRegistryImport), Handler: h.handleImportTemplate},
		{Method: "POST", Pattern: "/import/{kind}", Policy: need(lianggao.PermRegistryImport), MaxBody: upload, Handler: h.handleImport},
		{Method: "GET", Pattern: "/account", Policy: server.SignedIn, Handler: h.handleAccount},
		{Method: "GET", Pattern: "/account/password", Policy: server.Passwordless, Handler: h.handlePasswordPage},
		{Method: "POST", Pattern: "/account/password", Policy: server.Passwordless, Handler: h.handlePasswordChange},
		{Method: "POST", Pattern: "/account/signout-all", Policy: server.Passwordless, Handler: h.handleSignoutEverywhere},
		{Method: "POST", Pattern: "/account/tokens", Policy: server.SignedIn, Handler: h.handleTokenCreate},
		{Method: "POST", Pattern: "/account/tokens/{id}/revoke", Policy: server.SignedIn, Handler: h.handleTokenRevoke},
		{Method: "GET", Pattern: "/admin/users", Policy: need(lianggao.PermUserRead), Handler: h.handleUserList},
		{Method: "POST", Pattern: "/admin/users", Policy: need(lianggao.PermUserManage), Handler: h.handleUserCreate},
		{Method: "GET", Pattern: "/admin/users/{id}", Policy: need(lianggao.PermUserRead), Handler: h.handleUserShow},
		{Method: "POST", Pattern: "/admin/users/{id}/roles", Policy: need(lianggao.PermRoleAssign), Handler: h.handleUserRoles},
		{Method: "POST", Pattern: "/admin/users/{id}/disable", Policy: need(lianggao.PermUserManage), Handler: h.handleUserDisable},
		{Method: "POST", Pattern: "/admin/users/{id}/reset", Policy: need(lianggao.PermUserManage), Handler: h.handleUserReset},
		{Method: "GET", Pattern: "/admin/audit", Policy: need(lianggao.PermAuditRead), Handler: h.handleAuditList},
		{Method: "GET", Pattern: "/admin/audit/export", Policy: need(lianggao.PermAuditRead), Handler: h.handleAuditExport},
	}
}

// handleStatic serves the embedded assets; URLs carry the version, so they
// may be cached for long.
func (h *Handler) handleStatic(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimPrefix(r.URL.Path, "/")
	b, err := files.ReadFile(name)
	if err != nil || strings.HasSuffix(name, "/") {
		return lianggao.Errorf(lianggao.ENOTFOUND, "notfound.page")
	}
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(b))
	return nil
}
