package demo

import (
	"context"

	"lianggao"
)

// Password is the one password of every demo account.
const Password = "Demo@2026"

// Account is a demo account: one per role, with the scope that role has in
// daily work.
type Account struct {
	Username    string
	Password    string
	Name        string
	Roles       []lianggao.Role
	Region      string
	Description string // who the account plays, in Chinese
}

// Accounts returns the fixed demo accounts. The enterprise account reports
// for the first steel plant of DemoCounty, which the county account oversees.
func Accounts() []Account {
	return []Account{
		account("admin", "王建华", lianggao.RoleProvinceAdmin, "370000", "省发展改革委管理员（业务主管）"),
		account("drc", "李明远", lianggao.RoleDeptOfficer, "370000", "省发展改革委业务人员"),
		account("iit", "张国栋", lianggao.RoleDeptOfficer, "370000", "省工业和信息化厅业务人员"),
		account("eco", "刘晓梅", lianggao.RoleDeptOfficer, "370000", "省生态环境厅业务人员"),
		account("amr", "陈志刚", lianggao.RoleDeptOfficer, "370000", "省市场监管局业务人员"),
		account("stats", "杨丽娟", lianggao.RoleDeptOfficer, "370000", "省统计局业务人员"),
		account("leader", "赵文博", lianggao.RoleGroupLeader, "370000", "综合检查组组长"),
		account("inspector", "孙海涛", lianggao.RoleInspector, "370000", "综合检查组执法检查人员"),
		account("supervisor", "徐立新", lianggao.RoleSupervisionMember, "370700", "潍坊市两高项目专项督导组成员"),
		account("taskforce", "高振宇", lianggao.RoleTaskForce, "370300", "淄博市驻企监管工作专班"),
		account("county", "马庆忠", lianggao.RoleCountySupervisor, DemoCounty, "日照市岚山区县级监管人员"),
		account("enterprise", "于春燕", lianggao.RoleEnterprise, DemoCounty, "岚山区一家钢铁企业的数据填报员"),
		account("expert", "董晓东", lianggao.RoleExpert, "370000", "省级专家库专家"),
		account("complaints", "孔雪梅", lianggao.RoleComplaintHandler, "370000", "投诉举报受理人员"),
		account("observer", "郭永安", lianggao.RoleObserver, "370000", "纪检监察观察员（只读）"),
		account("leadership", "宋德明", lianggao.RoleLeadership, "370000", "省领导（只读总览）"),
		account("sysadmin", "吕俊彬", lianggao.RoleSystemAdmin, "370000", "系统管理员"),
		account("secadmin", "魏红岩", lianggao.RoleSecurityAdmin, "370000", "安全管理员"),
		account("auditadmin", "韩静", lianggao.RoleAuditAdmin, "370000", "审计管理员"),
	}
}

func account(username, name string, role lianggao.Role, region, description string) Account {
	return Account{Username: username, Password: Password, Name: name, Roles: []lianggao.Role{role},
		Region: region, Description: description}
}

// writeUsers creates the demo accounts. It runs beside the later steps, so
// it reads nothing of the generator but the finished enterprises and writes
// nothing to it.
func (g *generator) writeUsers(ctx context.Context) error {
	enterprise := g.demoPlant().ID
	for _, a := range Accounts() {
		// Demo accounts open straight in: no forced change, no second factor.
		u := &lianggao.User{Username: a.Username, Name: a.Name, Roles: a.Roles, Region: a.Region, MFAExempt: true}
		if u.Roles[0] == lianggao.RoleEnterprise {
			u.EnterpriseID = enterprise
		}
		if err := g.s.CreateUser(ctx, u, a.Password); err != nil {
			return err
		}
	}
	return nil
}
