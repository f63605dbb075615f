package sheet

import (
	"regexp"
	"strings"

	"lianggao"
	"lianggao/internal/config"
)

var personSchema = newSchema("人员", nil,
	Column{Header: "姓名", Key: "name", Required: true, Width: 12,
		Hint: "姓名"},
	Column{Header: "人员类别", Key: "kind", Required: true, Width: 16, Choices: personKinds.labels(),
		Hint: "公职人员、专业人员、专家 或 四进工作组成员"},
	Column{Header: "部门条线", Key: "department", Width: 14, Choices: departmentLines.labels(),
		Hint: "发展改革、工业和信息化、生态环境、市场监管 或 统计（也可填代码 drc、iit、eco、amr、stats）；专家可不填"},
	Column{Header: "工作单位区划代码", Key: "region", Required: true, Text: true, Width: 18,
		Hint: "工作单位所在省、市或县（区）的 6 位区划代码，见“区划代码”表；也可填名称"},
	Column{Header: "籍贯区划代码", Key: "home_region", Text: true, Width: 14,
		Hint: "籍贯所在地的 6 位区划代码，用于回避；不填则同工作单位"},
	Column{Header: "手机号", Key: "phone", Text: true, Width: 14,
		Hint: "11 位手机号码"},
	Column{Header: "执法证号", Key: "cert_number", Text: true, Width: 18,
		Hint: "行政执法证件号码，没有则不填"},
	Column{Header: "执法证有效期至", Key: "cert_valid_until", Width: 16,
		Hint: "YYYY-MM-DD，如 2027-12-31；填写执法证号的必填"},
)

// mobile matches a mainland mobile number once spaces and dashes are gone.
var mobile = regexp.MustCompile(`^1\d{10}$`)

// ParsePeople turns a table into people, with the line of each. Regions may
// be given by code or name; the department by its line, name or code. Any
// problem rejects the file with all problems found (key import.rejected).
func ParsePeople(t *Table, p *config.Profile) ([]*lianggao.Person, []int, error) {
	regions := newRegionIndex(p, false)
	depts := departments(p)
	certs := firstSeen{}
	return parseRows(t, personSchema, func(r *row) *lianggao.Person {
		pr := &lianggao.Person{
			Name:           r.text("name"),
			Kind:           r.choice("kind", personKinds, ""),
			Department:     r.pick("department", depts, "", "department.unknown"),
			Region:         regions.resolve(r, "region"),
			HomeRegion:     regions.resolve(r, "home_region"),
			Phone:          phone(r),
			CertNumber:     r.text("cert_number"),
			CertValidUntil: r.date("cert_valid_until"),
		}
		r.check(pr.Validate())
		certs.check(r, "cert_number", "cert_number.duplicate_in_file", pr.CertNumber, pr.CertNumber)
		return pr
	})
}

// phone reads a mobile number, dropping the spaces and dashes people group
// its digits with.
func phone(r *row) string {
	v := strings.NewReplacer(" ", "", "-", "").Replace(r.text("phone"))
	switch {
	case v == "" || mobile.MatchString(v):
	case strings.Contains(v, "****"):
		r.fail("phone", "phone.masked", v) // copied from an export
	default:
		r.fail("phone", "phone.invalid", r.text("phone"))
	}
	return v
}

// PersonHeader returns the header of a people export, the same columns an
// import takes.
func PersonHeader() []string { return personSchema.headers() }

// PersonCells returns a person's cells under PersonHeader. The phone number
// is masked (138****1234): exports leave the platform, and personal data
// stays on it.
func PersonCells(p *lianggao.Person) []any {
	return personSchema.cells(map[string]any{
		"name":             p.Name,
		"kind":             personKinds.label(p.Kind),
		"department":       departmentLines.label(p.Department),
		"region":           p.Region,
		"home_region":      p.HomeRegion,
		"phone":            p.MaskedPhone(),
		"cert_number":      p.CertNumber,
		"cert_valid_until": p.CertValidUntil.String(),
	})
}
