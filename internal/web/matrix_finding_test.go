package web_test

import (
	"maps"

	"lianggao"
)

var (
	// findingReaders read the problem list and the campaign's progress.
	findingReaders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleExpert,
		lianggao.RoleObserver, lianggao.RoleLeadership}
	// findingExporters read the list and may export.
	findingExporters = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleObserver, lianggao.RoleLeadership}
	// disposers deal with findings: the province, the departments, the
	// group leaders and the city task forces.
	disposers = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader, lianggao.RoleTaskForce}
)

func init() {
	maps.Copy(matrix, map[string]any{
		"GET /findings": findingReaders, "GET /findings/export": findingExporters, "GET /findings/{id}": findingReaders,
		"POST /findings/{id}/dispositions": disposers, "POST /dispositions/{id}/decision": disposers,
		"POST /dispositions/{id}/verify": disposers, "GET /alerts/{id}/finding": findingReaders,
		"GET /campaigns/{code}/progress": findingReaders, "GET /campaigns/{code}/progress/export": findingExporters,
	})
}
