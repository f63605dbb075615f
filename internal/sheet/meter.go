package sheet

import "lianggao"

var meterSchema = newSchema("计量器具", nil,
	Column{Header: "企业统一社会信用代码", Key: "credit_code", Required: true, Text: true, Width: 22,
		Hint: "器具所在企业的统一社会信用代码，该企业须已在企业名录中"},
	Column{Header: "器具类别", Key: "kind", Required: true, Width: 10, Choices: meterKinds.labels(),
		Hint: "电、煤、天然气、油、蒸汽、热 或 水"},
	Column{Header: "出厂编号", Key: "serial", Required: true, Text: true, Width: 20,
		Hint: "器具铭牌上的出厂编号，同一企业内不得重复"},
	Column{Header: "检定/校准有效期至", Key: "calibration_due", Width: 18,
		Hint: "检定或校准证书的有效期，YYYY-MM-DD，如 2026-12-31"},
	Column{Header: "准确度等级", Key: "accuracy_class", Text: true, Width: 12,
		Hint: "如 0.5S、0.2、1.0"},
	Column{Header: "是否在线", Key: "online", Width: 10, Choices: yesNo.labels(),
		Hint: "是否接入在线监测，是 或 否，默认 否"},
)

// MeterRow is a meter read from a spreadsheet, with the credit code of its
// enterprise (which the store looks up) and its line.
type MeterRow struct {
	Meter      *lianggao.Meter
	CreditCode string
	Line       int
}

// ParseMeters turns a table into meters. Any problem rejects the file with
// all problems found (key import.rejected).
func ParseMeters(t *Table) ([]MeterRow, error) {
	serials := firstSeen{}
	rows, _, err := parseRows(t, meterSchema, func(r *row) MeterRow {
		m := &lianggao.Meter{
			Kind:           r.choice("kind", meterKinds, ""),
			Serial:         r.text("serial"),
			CalibrationDue: r.date("calibration_due"),
			AccuracyClass:  r.text("accuracy_class"),
			Online:         r.yes("online", false),
		}
		credit := r.creditCode("credit_code")
		r.check(m.Validate())
		serials.check(r, "serial", "serial.duplicate_in_file", credit+"\x00"+m.Serial, m.Serial)
		return MeterRow{Meter: m, CreditCode: credit, Line: r.line}
	})
	return rows, err
}

// MeterHeader returns the header of a meter export, the same columns an
// import takes.
func MeterHeader() []string { return meterSchema.headers() }

// MeterCells returns a meter's cells under MeterHeader; creditCode is its
// enterprise's, which a meter does not carry.
func MeterCells(m *lianggao.Meter, creditCode string) []any {
	return meterSchema.cells(map[string]any{
		"credit_code":     creditCode,
		"kind":            meterKinds.label(m.Kind),
		"serial":          m.Serial,
		"calibration_due": m.CalibrationDue.String(),
		"accuracy_class":  m.AccuracyClass,
		"online":          yesNo.label(yesNoCode(m.Online)),
	})
}
