package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// assignableRoles are the roles the security administrator may grant.
func assignableRoles() []lianggao.Role {
	var out []lianggao.Role
	for _, r := range []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleSupervisionMember, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor,
		lianggao.RoleEnterprise, lianggao.RoleExpert, lianggao.RoleComplaintHandler, lianggao.RoleObserver, lianggao.RoleLeadership} {
		out = append(out, r)
	}
	return out
}

func (h *Handler) handleUserList(w http.ResponseWriter, r *http.Request) error {
	users, err := h.Store.FindUsers(r.Context())
	if err != nil {
		return err
	}
	return h.renderUsers(w, r, http.StatusOK, map[string]any{"Users": users})
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, status int, data map[string]any) error {
	if data["Users"] == nil {
		users, err := h.Store.FindUsers(r.Context())
		if err != nil {
			return err
		}
		data["Users"] = users
	}
	lang := server.Lang(r)
	return h.render(w, r, status, "users", &page{Title: i18n.T(lang, "admin.users"), Nav: "users",
		Crumbs: []crumb{{i18n.T(lang, "nav.admin"), ""}}, Data: data})
}

// handleUserCreate makes an account without roles (the security
// administrator grants them) and shows its first password once.
func (h *Handler) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	u := &lianggao.User{Username: r.PostFormValue("username"), Name: strings.TrimSpace(r.PostFormValue("name"))}
	if u.Name == "" {
		u.Name = u.Username
	}
	password := newPassword()
	err := h.Store.CreateUser(r.Context(), u, password)
	if lianggao.ErrorCode(err) == lianggao.EINVALID {
		return h.renderUsers(w, r, http.StatusBadRequest, map[string]any{"Errors": fieldErrors(server.Lang(r), err),
			"Username": u.Username, "Name": u.Name})
	}
	if err != nil {
		return err
	}
	return h.renderUsers(w, r, http.StatusOK, map[string]any{"Created": u, "Password": password})
}

func (h *Handler) handleUserShow(w http.ResponseWriter, r *http.Request) error {
	return h.renderUser(w, r, http.StatusOK, pathID(r), nil)
}

func (h *Handler) renderUser(w http.ResponseWriter, r *http.Request, status int, id int64, extra map[string]any) error {
	u, err := h.Store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	audit, _, err := h.auditOf(r, "user", strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	data := map[string]any{"U": u, "Roles": assignableRoles(), "Cities": h.Profile.Cities(), "Audit": audit}
	for k, v := range extra {
		data[k] = v
	}
	return h.render(w, r, status, "user", &page{Title: u.Name + "（" + u.Username + "）", Nav: "users",
		Crumbs: []crumb{{i18n.T(lang, "nav.admin"), ""}, {i18n.T(lang, "admin.users"), "/admin/users"}}, Data: data})
}

// auditOf returns an object's audit entries when the actor may read them.
func (h *Handler) auditOf(r *http.Request, objType, id string) ([]*store.AuditRecord, int, error) {
	if !lianggao.ActorFrom(r.Context()).Can(lianggao.PermAuditRead) {
		return nil, 0, nil
	}
	return h.Store.FindAuditEntries(r.Context(), store.AuditFilter{ObjectType: objType, ObjectID: id, Limit: 20})
}

func (h *Handler) handleUserRoles(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return lianggao.FieldError("roles", "form.invalid")
	}
	var roles []lianggao.Role
	for _, v := range r.PostForm["role"] {
		roles = append(roles, lianggao.Role(v))
	}
	ent, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("enterprise")), 10, 64)
	id := pathID(r)
	err := h.Store.SetUserRoles(r.Context(), id, roles, strings.TrimSpace(r.PostFormValue("region")), ent)
	if lianggao.ErrorCode(err) == lianggao.EINVALID {
		return h.renderUser(w, r, http.StatusBadRequest, id, map[string]any{"Errors": fieldErrors(server.Lang(r), err)})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleUserDisable(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	if err := h.Store.SetUserDisabled(r.Context(), id, r.PostFormValue("disabled") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleUserReset(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	password, err := h.Store.ResetPassword(r.Context(), id)
	if err != nil {
		return err
	}
	return h.renderUser(w, r, http.StatusOK, id, map[string]any{"Password": password})
}

// auditFilter reads the audit page's filters; dates are days in the profile's zone.
func (h *Handler) auditFilter(r *http.Request) store.AuditFilter {
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), ObjectType: q.Get("type"), ObjectID: q.Get("id"), Action: q.Get("action")}
	if d, err := lianggao.ParseDate(q.Get("from")); err == nil {
		f.From = d.Time(h.Profile.Location())
	}
	if d, err := lianggao.ParseDate(q.Get("to")); err == nil {
		f.To = d.AddDays(1).Time(h.Profile.Location())
	}
	return f
}

func (h *Handler) handleAuditList(w http.ResponseWriter, r *http.Request) error {
	f := h.auditFilter(r)
	num, offset := pageOf(r.URL.Query())
	f.Offset, f.Limit = offset, pageSize
	entries, total, err := h.Store.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	// Reading the trail is itself on the trail: the auditors are audited too.
	if err := h.Store.RecordAccess(r.Context(), "view", "audit", r.URL.RawQuery, len(entries)); err != nil {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "audit", &page{Title: i18n.T(lang, "admin.audit"), Nav: "audit",
		Crumbs: []crumb{{i18n.T(lang, "nav.admin"), ""}}, Data: map[string]any{"Entries": entries, "Pager": newPager(num, total)}})
}

// handleAuditExport exports the filtered audit trail; the export is itself audited.
func (h *Handler) handleAuditExport(w http.ResponseWriter, r *http.Request) error {
	f := h.auditFilter(r)
	f.Limit = store.All
	loc := h.Profile.Location()
	return exportList(h, w, r, "audit", auditHeader,
		func() ([]*store.AuditRecord, int, error) { return h.Store.FindAuditEntries(r.Context(), f) },
		func(e *store.AuditRecord) []any {
			return []any{strconv.FormatInt(e.Seq, 10), e.At.In(loc).Format(time.DateTime), e.Actor, e.Action, e.ObjectType,
				e.ObjectID, e.Before, e.After, e.RequestID, e.Client, e.Alg, e.Hash}
		})
}

var auditHeader = []string{"序号", "时间", "操作人", "操作", "对象类型", "对象", "变更前", "变更后", "请求号", "来源地址", "算法", "摘要"}
