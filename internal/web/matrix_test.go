package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"lianggao"
	"lianggao/internal/api"
	"lianggao/internal/server"
)

// The authorization matrix: who may call each route. It is written out by
// hand, not derived from the role table, so that a change to either shows up
// here for review. "*" is any signed-in user; "public" anyone.
var (
	readers = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleSupervisionMember, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor,
		lianggao.RoleEnterprise, lianggao.RoleExpert, lianggao.RoleComplaintHandler, lianggao.RoleObserver, lianggao.RoleLeadership}
	exporters = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleSupervisionMember, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleObserver, lianggao.RoleLeadership}
	personReaders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleSupervisionMember, lianggao.RoleTaskForce, lianggao.RoleObserver, lianggao.RoleLeadership}
	importers = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer}
	writers   = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer}
	// figureWriters report figures: the enterprise itself, its stationed
	// supervisors and the city task force (R3.1, R3.2).
	figureWriters = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleEnterprise}
	figureReaders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleSupervisionMember, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor,
		lianggao.RoleEnterprise, lianggao.RoleExpert, lianggao.RoleObserver, lianggao.RoleLeadership}
	// alertExporters read figures and may export.
	alertExporters = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleSupervisionMember, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleObserver, lianggao.RoleLeadership}
	// triagers judge alerts: the province, the departments and the local officers.
	triagers  = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor}
	sysAdmin  = []lianggao.Role{lianggao.RoleSystemAdmin}
	secAdmin  = []lianggao.Role{lianggao.RoleSecurityAdmin}
	userRead  = []lianggao.Role{lianggao.RoleSystemAdmin, lianggao.RoleSecurityAdmin}
	auditRead = []lianggao.Role{lianggao.RoleAuditAdmin, lianggao.RoleObserver}
)

var matrix = map[string]any{
	"GET /static/": "public", "GET /signin": "public", "POST /signin": "public", "GET /lang/{lang}": "public",
	"GET /signin/totp": "public", "POST /signin/totp": "public",
	"POST /signout": "*", "GET /{$}": "*",
	"GET /regions": readers, "GET /enterprises": readers, "GET /enterprises/{id}": readers,
	"GET /enterprises/export": exporters, "GET /projects": readers, "GET /projects/export": exporters,
	"GET /projects/{id}": readers, "GET /meters": readers, "GET /meters/export": exporters,
	"GET /people": personReaders, "GET /people/export": personReaders, "GET /groups": personReaders, "GET /groups/{id}": personReaders,
	"GET /import/{kind}": importers, "GET /import/{kind}/template": importers, "POST /import/{kind}": importers,
	"GET /upload/figures": figureWriters, "POST /upload/figures": figureWriters,
	"GET /upload/readings": figureWriters, "POST /upload/readings": figureWriters,
	"GET /daily": figureReaders, "GET /daily/export": alertExporters,
	"GET /alerts": figureReaders, "GET /alerts/export": alertExporters, "GET /alerts/{id}": figureReaders, "POST /alerts/{id}/move": triagers,
	"GET /account": "*", "GET /account/password": "*", "POST /account/password": "*", "POST /account/signout-all": "*",
	"POST /account/tokens": "*", "POST /account/tokens/{id}/revoke": "*",
	"GET /admin/users": userRead, "POST /admin/users": sysAdmin, "GET /admin/users/{id}": userRead,
	"POST /admin/users/{id}/roles": secAdmin, "POST /admin/users/{id}/disable": sysAdmin, "POST /admin/users/{id}/reset": sysAdmin,
	"GET /admin/audit": auditRead, "GET /admin/audit/export": auditRead,
	"GET /api/v1/me": "*", "GET /api/v1/regions": "*", "GET /api/v1/enterprises": readers, "POST /api/v1/enterprises": writers,
	"GET /api/v1/enterprises/{id}": readers, "GET /api/v1/projects": readers, "GET /api/v1/projects/{id}": readers,
	"POST /api/v1/reports": figureWriters, "POST /api/v1/readings": figureWriters, "GET /api/v1/alerts": figureReaders, "POST /api/v1/rules/run": triagers,
}

// Ensure every route (HTML and API) answers every role, and the signed-out,
// as the matrix says; a route missing from the matrix fails.
func TestAuthorizationMatrix(t *testing.T) {
	a := newApp(t)
	a.srv.Routes = append(a.srv.Routes, (&api.Handler{Store: a.store}).Routes()...)
	h := a.srv.Handler()
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	roles := append(slices.Clone(readers), lianggao.RoleSystemAdmin, lianggao.RoleSecurityAdmin, lianggao.RoleAuditAdmin)
	cookies := map[lianggao.Role]string{}
	for _, r := range roles {
		u := &lianggao.User{Username: "m_" + string(r), Name: string(r), Roles: []lianggao.Role{r}, Region: "370000", MFAExempt: true}
		if r == lianggao.RoleEnterprise {
			u.Region, u.EnterpriseID = "370102", a.ents[0].ID
		}
		if err := a.store.CreateUser(sys, u, password); err != nil {
			t.Fatal(err)
		}
		token, err := a.store.CreateSession(context.Background(), u.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		cookies[r] = server.SessionCookie + "=" + token
	}
	for _, rt := range a.srv.Routes {
		key := rt.Method + " " + rt.Pattern
		want, ok := matrix[key]
		if !ok {
			t.Errorf("%s is not in the authorization matrix", key)
			continue
		}
		path := strings.NewReplacer("{id}", itoa(a.ents[0].ID), "{kind}", "enterprises", "{lang}", "en", "{$}", "").Replace(rt.Pattern)
		if rt.Pattern == "/static/" {
			path = "/static/app.css"
		}
		if code := call(h, rt.Method, path, ""); want != "public" && code != http.StatusSeeOther && code != http.StatusUnauthorized {
			t.Errorf("%s signed out: %d", key, code)
		}
		for _, r := range roles {
			allowed := want == "public" || want == "*" || slices.Contains(want.([]lianggao.Role), r)
			code := call(h, rt.Method, path, cookies[r])
			if rt.Pattern == "/signout" || rt.Pattern == "/account/signout-all" {
				cookies[r] = freshSession(t, a, r) // the call ended the role's sessions
			}
			denied := code == http.StatusForbidden || code == http.StatusUnauthorized
			if want != "public" && allowed == denied {
				t.Errorf("%s as %s: %d (allowed %v)", key, r, code, allowed)
			}
		}
	}
}

func call(h http.Handler, method, path, cookie string) int {
	req, _ := http.NewRequest(method, path, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := newRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func freshSession(t *testing.T, a *app, r lianggao.Role) string {
	u, err := a.store.FindUserByName(lianggao.NewContext(context.Background(), lianggao.SystemActor), "m_"+string(r))
	if err != nil {
		t.Fatal(err)
	}
	token, _ := a.store.CreateSession(context.Background(), u.ID, false)
	return server.SessionCookie + "=" + token
}
