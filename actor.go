package lianggao

import (
	"context"
	"slices"
)

// Permission names one thing a role allows, as "resource:verb".
type Permission string

// Permissions known to the platform.
const (
	PermRegistryRead   Permission = "registry:read"
	PermRegistryWrite  Permission = "registry:write"
	PermRegistryImport Permission = "registry:import"
	PermRegistryExport Permission = "registry:export"
	PermPersonRead     Permission = "person:read"
	PermPersonWrite    Permission = "person:write"
	PermFigureRead     Permission = "figure:read"
	PermFigureWrite    Permission = "figure:write"
	PermAlertTriage    Permission = "alert:triage"
	PermUserManage     Permission = "user:manage"
	PermUserRead       Permission = "user:read"
	PermRoleAssign     Permission = "role:assign"
	PermAuditRead      Permission = "audit:read"
	PermAuditManage    Permission = "audit:manage"
	// The campaign (mechanism 1): the DRC manages it, the groups' members
	// inspect and report, the five departments countersign, and findings
	// are disposed of by those who oversee the enterprise.
	PermCampaignRead    Permission = "campaign:read"
	PermCampaignManage  Permission = "campaign:manage"
	PermInspectionWrite Permission = "inspection:write"
	PermReportWrite     Permission = "report:write"
	PermCountersign     Permission = "report:countersign"
	PermFindingWrite    Permission = "finding:write"
)

// Role is a named bundle of permissions. The scope (region, enterprise) comes
// from the user, not the role.
type Role string

// Roles of the platform. Three administrators (system, security, audit) are
// kept apart and none of them reads business data by being an administrator.
const (
	RoleProvinceAdmin     Role = "province_admin"
	RoleDeptOfficer       Role = "dept_officer"
	RoleGroupLeader       Role = "group_leader"
	RoleInspector         Role = "inspector"
	RoleSupervisionMember Role = "supervision_member"
	RoleTaskForce         Role = "task_force"
	RoleCountySupervisor  Role = "county_supervisor"
	RoleEnterprise        Role = "enterprise_reporter"
	RoleExpert            Role = "expert"
	RoleComplaintHandler  Role = "complaint_handler"
	RoleObserver          Role = "observer"
	RoleLeadership        Role = "leadership"
	RoleSystemAdmin       Role = "system_admin"
	RoleSecurityAdmin     Role = "security_admin"
	RoleAuditAdmin        Role = "audit_admin"
)

var readRegistry = []Permission{PermRegistryRead, PermRegistryExport, PermPersonRead, PermFigureRead}

// RolePermissions is the permission table of every role.
var RolePermissions = map[Role][]Permission{
	RoleProvinceAdmin: {PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermRegistryExport,
		PermPersonRead, PermPersonWrite, PermFigureRead, PermFigureWrite, PermAlertTriage,
		PermCampaignRead, PermCampaignManage, PermCountersign, PermFindingWrite},
	RoleDeptOfficer: {PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermRegistryExport, PermPersonRead,
		PermFigureRead, PermAlertTriage, PermCampaignRead, PermCountersign, PermFindingWrite},
	RoleGroupLeader:       append(slices.Clone(readRegistry), PermCampaignRead, PermInspectionWrite, PermReportWrite, PermFindingWrite),
	RoleInspector:         {PermRegistryRead, PermFigureRead, PermCampaignRead, PermInspectionWrite},
	RoleSupervisionMember: readRegistry,
	RoleTaskForce: {PermRegistryRead, PermRegistryExport, PermPersonRead, PermFigureRead, PermFigureWrite, PermAlertTriage,
		PermCampaignRead, PermFindingWrite},
	RoleCountySupervisor: {PermRegistryRead, PermRegistryExport, PermFigureRead, PermFigureWrite, PermAlertTriage, PermCampaignRead},
	RoleEnterprise:       {PermRegistryRead, PermFigureRead, PermFigureWrite},
	RoleExpert:           {PermRegistryRead, PermFigureRead, PermCampaignRead, PermInspectionWrite},
	RoleComplaintHandler: {PermRegistryRead},
	RoleObserver:         {PermRegistryRead, PermRegistryExport, PermPersonRead, PermFigureRead, PermAuditRead, PermCampaignRead},
	RoleLeadership:       append(slices.Clone(readRegistry), PermCampaignRead),
	RoleSystemAdmin:      {PermUserManage, PermUserRead},
	RoleSecurityAdmin:    {PermRoleAssign, PermUserRead},
	RoleAuditAdmin:       {PermAuditRead, PermAuditManage},
}

// AdminRoles are the three administrators' roles. They are granted only from
// the command line, so no administrator can make another one.
var AdminRoles = []Role{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool {
	_, ok := RolePermissions[r]
	return ok
}

// Actor is who is asking: a signed-in user with roles and a scope. Every store
// method takes it and filters by its scope in SQL.
type Actor struct {
	UserID       int64
	Username     string
	Name         string
	Roles        []Role
	Region       string // GB/T 2260 code of the scope: the province, a city or a county; "" sees no region
	EnterpriseID int64  // set for enterprise reporters: they see only this enterprise
	// PersonID links the account to a person of the register: what joint
	// group they are on, which team, which department they sign for.
	PersonID int64
	// TokenID and Only are set when a machine client acts with an API
	// token: Only narrows the roles' permissions to those the token names.
	TokenID int64
	Only    []Permission
	// MustChangePassword confines the actor to changing their password.
	MustChangePassword bool
}

// DisplayName is how the actor signs a record: the name, or the user name
// when the account has none.
func (a *Actor) DisplayName() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// Can reports whether any of the actor's roles grants p.
func (a *Actor) Can(p Permission) bool {
	if a == nil || (a.Only != nil && !slices.Contains(a.Only, p)) {
		return false
	}
	for _, r := range a.Roles {
		if slices.Contains(RolePermissions[r], p) {
			return true
		}
	}
	return false
}

// Permissions returns every permission the actor holds.
func (a *Actor) Permissions() []Permission {
	var out []Permission
	for _, r := range a.Roles {
		for _, p := range RolePermissions[r] {
			if a.Can(p) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// Has reports whether the actor holds role r.
func (a *Actor) Has(r Role) bool { return a != nil && slices.Contains(a.Roles, r) }

// SystemActor is used by the platform itself (migrations, the demo generator).
var SystemActor = &Actor{UserID: 0, Username: "system", Name: "系统", Roles: []Role{RoleProvinceAdmin, RoleSystemAdmin}, Region: "000000"}

type actorKey struct{}

// NewContext returns ctx carrying the actor.
func NewContext(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor on ctx, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Request identifies the request a change came from, for the audit trail.
type Request struct {
	ID     string
	Client string // the client's address
}

type requestKey struct{}

// NewRequestContext returns ctx carrying the request's identity.
func NewRequestContext(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request identity on ctx, if any.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
