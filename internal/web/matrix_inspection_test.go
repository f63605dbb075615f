package web_test

import (
	"maps"

	"lianggao"
)

// The on-site pages: whoever follows the campaign reads the tasks in their
// scope; the groups' members (leaders, inspectors, experts) write the
// inspections; a city's curbing work is recorded by a group member or the
// campaign's manager.
var (
	taskReaders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleExpert,
		lianggao.RoleObserver, lianggao.RoleLeadership}
	inspectionWriters = []lianggao.Role{lianggao.RoleGroupLeader, lianggao.RoleInspector, lianggao.RoleExpert}
	cityWorkRecorders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleGroupLeader, lianggao.RoleInspector, lianggao.RoleExpert}
)

func init() {
	maps.Copy(matrix, map[string]any{
		"GET /tasks": taskReaders, "GET /tasks/{id}": taskReaders, "GET /tasks/{id}/photos/{photo}": taskReaders,
		"POST /tasks/{id}/checkin": inspectionWriters, "POST /tasks/{id}/photos": inspectionWriters,
		"POST /tasks/{id}/submit": inspectionWriters, "POST /tasks/{id}/amend": inspectionWriters,
		"POST /campaigns/{code}/city-work": cityWorkRecorders,
	})
}
