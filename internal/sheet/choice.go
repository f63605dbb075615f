package sheet

import (
	"strings"

	"lianggao"
	"lianggao/internal/config"
)

// choice is one allowed value of a column: the code stored and the labels
// people write for it. Exports write the first label.
type choice struct {
	code   string
	labels []string
}

// choices are a column's allowed values. A cell may hold a label or the
// code itself, so that a list kept with codes imports as well.
type choices []choice

// find returns the code a label or code names, ignoring case.
func (cs choices) find(s string) (string, bool) {
	for _, c := range cs {
		if strings.EqualFold(s, c.code) {
			return c.code, true
		}
		for _, l := range c.labels {
			if strings.EqualFold(s, l) {
				return c.code, true
			}
		}
	}
	return "", false
}

// label returns the label exports write for a code; an unknown code is
// written as it is.
func (cs choices) label(code string) string {
	for _, c := range cs {
		if c.code == code {
			return c.labels[0]
		}
	}
	return code
}

// labels returns the first label of each choice, as templates offer them.
func (cs choices) labels() []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.labels[0]
	}
	return out
}

// one builds a choice with a single label.
func one(code, label string) choice { return choice{code, []string{label}} }

var yesNo = choices{one("yes", "是"), one("no", "否")}

func yesNoCode(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var enterpriseStatuses = choices{
	one(lianggao.EnterpriseOperating, "运行"),
	one(lianggao.EnterpriseStopped, "停产"),
	one(lianggao.EnterpriseClosed, "关闭"),
}

var datums = choices{
	{lianggao.DatumWGS84, []string{"WGS-84", "WGS84"}},
	{lianggao.DatumGCJ02, []string{"GCJ-02", "GCJ02"}},
}

var listStages = choices{
	one(lianggao.StagePlanned, "拟建"),
	one(lianggao.StageUnderConstruction, "在建"),
	one(lianggao.StageExisting, "存量"),
}

var projectStatuses = choices{
	one(lianggao.ProjectPlanned, "拟建"),
	one(lianggao.ProjectApproved, "已审批"),
	one(lianggao.ProjectUnderConstruction, "在建"),
	one(lianggao.ProjectTrialRun, "试生产"),
	one(lianggao.ProjectOperating, "已投产"),
	one(lianggao.ProjectStopped, "停产"),
	one(lianggao.ProjectClosed, "关闭"),
}

var personKinds = choices{
	one(lianggao.PersonOfficial, "公职人员"),
	one(lianggao.PersonProfessional, "专业人员"),
	one(lianggao.PersonExpert, "专家"),
	one(lianggao.PersonFourInto, "四进工作组成员"),
}

// departmentLines are the short names of the five department lines, as
// the registry's forms write them.
var departmentLines = choices{
	one("drc", "发展改革"),
	one("iit", "工业和信息化"),
	one("eco", "生态环境"),
	one("amr", "市场监管"),
	one("stats", "统计"),
}

var meterKinds = choices{
	one("electricity", "电"),
	one("coal", "煤"),
	one("gas", "天然气"),
	one("oil", "油"),
	one("steam", "蒸汽"),
	one("heat", "热"),
	one("water", "水"),
}

// departments returns the profile's departments, known by their line's
// short name, the department's full name or the code.
func departments(p *config.Profile) choices {
	cs := make(choices, 0, len(p.Departments))
	for _, d := range p.Departments {
		var labels []string
		if short := departmentLines.label(d.Code); short != d.Code {
			labels = append(labels, short)
		}
		cs = append(cs, choice{d.Code, append(labels, d.Name)})
	}
	return cs
}

// industries returns the profile's industries, known by name or code.
func industries(p *config.Profile) choices {
	cs := make(choices, 0, len(p.Industries))
	for _, ind := range p.Industries {
		cs = append(cs, one(ind.Code, ind.Name))
	}
	return cs
}
