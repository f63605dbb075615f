package web_test

import (
	"maps"

	"lianggao"
)

// Group reports and the joint report: every campaign reader reaches the
// pages (the store then shows each only what is theirs); the group leaders
// and the DRC write; the DRC judges and compiles; the departments sign.
var (
	reportReaders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleExpert,
		lianggao.RoleObserver, lianggao.RoleLeadership}
	reportWriters  = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleGroupLeader}
	reportManagers = []lianggao.Role{lianggao.RoleProvinceAdmin}
	reportSigners  = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer}
)

func init() {
	maps.Copy(matrix, map[string]any{
		"GET /reports": reportReaders, "GET /campaigns/{code}/reports": reportReaders, "GET /campaigns/{code}/reports/{dept}": reportReaders,
		"POST /campaigns/{code}/reports/{dept}/save": reportWriters, "POST /campaigns/{code}/reports/{dept}/submit": reportWriters,
		"POST /campaigns/{code}/reports/{dept}/accept": reportManagers, "POST /campaigns/{code}/reports/{dept}/return": reportManagers,
		"GET /campaigns/{code}/reports/{dept}/export.docx": reportReaders, "GET /campaigns/{code}/reports/{dept}/export.xlsx": reportReaders,
		"GET /campaigns/{code}/joint": reportReaders, "POST /campaigns/{code}/joint/compile": reportManagers,
		"POST /campaigns/{code}/joint/countersign": reportSigners, "POST /campaigns/{code}/joint/submit": reportManagers,
		"GET /campaigns/{code}/joint/export.docx": reportReaders, "GET /campaigns/{code}/joint/request.docx": reportReaders,
	})
}
