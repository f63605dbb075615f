package sheet

import "lianggao"

var projectSchema = newSchema("项目", nil,
	Column{Header: "项目代码", Key: "code", Required: true, Text: true, Width: 28,
		Hint: "投资项目在线审批监管平台赋予的项目代码，如 2021-370102-26-03-012345"},
	Column{Header: "项目名称", Key: "name", Required: true, Width: 40,
		Hint: "备案、核准或审批文件上的项目名称"},
	Column{Header: "企业统一社会信用代码", Key: "credit_code", Required: true, Text: true, Width: 22,
		Hint: "项目单位的统一社会信用代码，该企业须已在企业名录中"},
	Column{Header: "清单阶段", Key: "list_stage", Required: true, Width: 10, Choices: listStages.labels(),
		Hint: "拟建、在建 或 存量"},
	Column{Header: "是否列入清单", Key: "listed", Width: 12, Choices: yesNo.labels(),
		Hint: "是 或 否，默认 是"},
	Column{Header: "项目状态", Key: "status", Width: 10, Choices: projectStatuses.labels(),
		Hint: "拟建、已审批、在建、试生产、已投产、停产 或 关闭，默认 拟建"},
	Column{Header: "设计能耗（吨标准煤）", Key: "designed_energy_tce", Width: 20,
		Hint: "设计年综合能源消费量，吨标准煤（当量值），不为负"},
	Column{Header: "设计煤耗（吨）", Key: "designed_coal_t", Width: 16,
		Hint: "设计年煤炭消费量，吨，不为负"},
)

// ProjectRow is a project read from a spreadsheet, with the credit code of
// its enterprise (which the store looks up) and its line. Its fields match
// store.ProjectImport, so one converts to the other.
type ProjectRow struct {
	Project    *lianggao.Project
	CreditCode string
	Line       int
}

// ParseProjects turns a table into projects. Any problem rejects the file
// with all problems found (key import.rejected).
func ParseProjects(t *Table) ([]ProjectRow, error) {
	codes := firstSeen{}
	rows, _, err := parseRows(t, projectSchema, func(r *row) ProjectRow {
		p := &lianggao.Project{
			Code:              r.text("code"),
			Name:              r.text("name"),
			ListStage:         r.choice("list_stage", listStages, ""),
			Listed:            r.yes("listed", true),
			Status:            r.choice("status", projectStatuses, ""),
			DesignedEnergyTce: r.number("designed_energy_tce"),
			DesignedCoalT:     r.number("designed_coal_t"),
		}
		credit := r.creditCode("credit_code")
		r.check(p.Validate())
		codes.check(r, "code", "project_code.duplicate_in_file", p.Code, p.Code)
		return ProjectRow{Project: p, CreditCode: credit, Line: r.line}
	})
	return rows, err
}

// ProjectHeader returns the header of a project export, the same columns an
// import takes.
func ProjectHeader() []string { return projectSchema.headers() }

// ProjectCells returns a project's cells under ProjectHeader; creditCode is
// its enterprise's, which a project does not carry.
func ProjectCells(p *lianggao.Project, creditCode string) []any {
	return projectSchema.cells(map[string]any{
		"code":                p.Code,
		"name":                p.Name,
		"credit_code":         creditCode,
		"list_stage":          listStages.label(p.ListStage),
		"listed":              yesNo.label(yesNoCode(p.Listed)),
		"status":              projectStatuses.label(p.Status),
		"designed_energy_tce": p.DesignedEnergyTce,
		"designed_coal_t":     p.DesignedCoalT,
	})
}
