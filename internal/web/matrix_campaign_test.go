package web_test

import (
	"maps"

	"lianggao"
)

// campaignReaders follow the campaign; the DRC (province administrator) runs it.
var (
	campaignReaders = []lianggao.Role{lianggao.RoleProvinceAdmin, lianggao.RoleDeptOfficer, lianggao.RoleGroupLeader,
		lianggao.RoleInspector, lianggao.RoleTaskForce, lianggao.RoleCountySupervisor, lianggao.RoleExpert,
		lianggao.RoleObserver, lianggao.RoleLeadership}
	campaignManagers = []lianggao.Role{lianggao.RoleProvinceAdmin}
)

func init() {
	maps.Copy(matrix, map[string]any{
		"GET /campaigns": campaignReaders, "POST /campaigns": campaignManagers, "GET /campaigns/{code}": campaignReaders,
		"GET /campaigns/{code}/groups/{dept}": campaignReaders,
		"POST /campaigns/{code}/targets":      campaignManagers, "POST /campaigns/{code}/members/propose": campaignManagers,
		"POST /campaigns/{code}/members": campaignManagers, "POST /campaigns/{code}/members/{person}/remove": campaignManagers,
		"POST /campaigns/{code}/commit": campaignManagers, "POST /campaigns/{code}/draw": campaignManagers,
		"POST /campaigns/{code}/replan": campaignManagers, "POST /campaigns/{code}/move": campaignManagers,
		"GET /api/v1/campaigns": campaignReaders, "GET /api/v1/campaigns/{code}/assignment-inputs": campaignReaders,
		"GET /api/v1/campaigns/{code}/plan": campaignReaders,
	})
}
