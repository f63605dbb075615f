package sheet

import (
	"cmp"

	"lianggao"
	"lianggao/internal/config"
)

var enterpriseSchema = newSchema("企业", map[string]string{"location": "lat"},
	Column{Header: "统一社会信用代码", Key: "credit_code", Required: true, Text: true, Width: 22,
		Hint: "18 位统一社会信用代码，请按文本填写，勿让 Excel 转成数字"},
	Column{Header: "企业名称", Key: "name", Required: true, Width: 36,
		Hint: "营业执照上的企业全称"},
	Column{Header: "所在县（区）代码", Key: "county", Required: true, Text: true, Width: 18,
		Hint: "6 位县级行政区划代码（GB/T 2260），见“区划代码”表；也可填县（区）名称，重名的填代码或“市名+县（区）名”，如 济南市市中区"},
	Column{Header: "行业代码", Key: "industry", Required: true, Text: true, Width: 16,
		Hint: "行业代码或行业名称"},
	Column{Header: "地址", Key: "address", Width: 40,
		Hint: "生产经营地址"},
	Column{Header: "纬度", Key: "lat", Width: 12,
		Hint: "十进制度，如 36.651234；与经度同时填写"},
	Column{Header: "经度", Key: "lon", Width: 12,
		Hint: "十进制度，如 117.120456；与纬度同时填写"},
	Column{Header: "坐标系", Key: "datum", Width: 10, Choices: datums.labels(),
		Hint: "WGS-84（GPS、天地图，默认）或 GCJ-02（高德、腾讯地图）；GCJ-02 坐标导入时换算为 WGS-84"},
	Column{Header: "重点企业", Key: "key", Width: 10, Choices: yesNo.labels(),
		Hint: "是 或 否，默认 否"},
	Column{Header: "产量控制", Key: "output_controlled", Width: 10, Choices: yesNo.labels(),
		Hint: "是 或 否，默认 否"},
	Column{Header: "状态", Key: "status", Width: 10, Choices: enterpriseStatuses.labels(),
		Hint: "运行、停产 或 关闭，默认 运行"},
)

// ParseEnterprises turns a table into enterprises, with the line of each.
// The county may be given by code or by name, the industry by code or name;
// positions in GCJ-02 are converted to WGS-84. Any problem rejects the file
// with all problems found (key import.rejected).
func ParseEnterprises(t *Table, p *config.Profile) ([]*lianggao.Enterprise, []int, error) {
	counties := newRegionIndex(p, true)
	inds := industries(p)
	codes := firstSeen{}
	return parseRows(t, enterpriseSchema, func(r *row) *lianggao.Enterprise {
		e := &lianggao.Enterprise{
			CreditCode:       r.creditCode("credit_code"),
			Name:             r.text("name"),
			County:           counties.resolve(r, "county"),
			Industry:         r.pick("industry", inds, "", "industry.unknown"),
			Address:          r.text("address"),
			Key:              r.yes("key", false),
			OutputControlled: r.yes("output_controlled", false),
			Status:           r.choice("status", enterpriseStatuses, lianggao.EnterpriseOperating),
		}
		e.Location, e.Datum = location(r)
		r.check(e.Validate())
		if lianggao.ValidCreditCode(e.CreditCode) {
			codes.check(r, "credit_code", "credit_code.duplicate_in_file", e.CreditCode, e.CreditCode)
		}
		return e
	})
}

// location reads the position and returns it in WGS-84, with the datum it
// was given in. Blank coordinates give no position.
func location(r *row) (lianggao.Point, string) {
	datum := r.choice("datum", datums, lianggao.DatumWGS84)
	if r.text("lat") == "" && r.text("lon") == "" {
		return lianggao.Point{}, datum
	}
	for _, key := range []string{"lat", "lon"} {
		if r.text(key) == "" {
			r.fail(key, "required")
		}
	}
	pt := lianggao.Point{Lat: r.number("lat"), Lon: r.number("lon")}
	return lianggao.ToWGS84(pt, datum), datum
}

// EnterpriseHeader returns the header of an enterprise export, the same
// columns an import takes.
func EnterpriseHeader() []string { return enterpriseSchema.headers() }

// EnterpriseCells returns an enterprise's cells under EnterpriseHeader. A
// position entered in GCJ-02 is written back in GCJ-02, so that the row
// imports again to the same enterprise.
func EnterpriseCells(e *lianggao.Enterprise) []any {
	datum := cmp.Or(e.Datum, lianggao.DatumWGS84)
	var lat, lon any
	if e.Location != (lianggao.Point{}) {
		pt := e.Location
		if datum == lianggao.DatumGCJ02 {
			pt = lianggao.WGS84ToGCJ02(pt)
		}
		lat, lon = pt.Lat, pt.Lon
	}
	return enterpriseSchema.cells(map[string]any{
		"credit_code":       e.CreditCode,
		"name":              e.Name,
		"county":            e.County,
		"industry":          e.Industry,
		"address":           e.Address,
		"lat":               lat,
		"lon":               lon,
		"datum":             datums.label(datum),
		"key":               yesNo.label(yesNoCode(e.Key)),
		"output_controlled": yesNo.label(yesNoCode(e.OutputControlled)),
		"status":            enterpriseStatuses.label(e.Status),
	})
}
