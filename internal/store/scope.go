package store

import (
	"math"
	"strings"

	"lianggao"
)

// where builds a conjunction of conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// scopeEnterprise adds the actor's scope over rows of an enterprise table
// aliased e: an enterprise reporter sees one enterprise, a county officer the
// county's, a city officer the city's, the province everything. Anybody else
// sees nothing. This is the one place the region scope is written down.
func scopeEnterprise(w *where, a *lianggao.Actor, alias string) {
	scopeRegion(w, a, alias+".city_code", alias+".county_code")
	if a != nil && a.EnterpriseID != 0 {
		w.add(alias+".id = ?", a.EnterpriseID)
	}
}

// scopeRegion adds the actor's region scope over a record with a city and a
// county column.
func scopeRegion(w *where, a *lianggao.Actor, cityCol, countyCol string) {
	if a == nil {
		w.add("FALSE")
		return
	}
	switch lianggao.RegionLevel(a.Region) {
	case lianggao.LevelProvince:
	case lianggao.LevelCity:
		w.add(cityCol+" = ?", a.Region)
	case lianggao.LevelCounty:
		w.add(countyCol+" = ?", a.Region)
	default:
		w.add("FALSE")
	}
}

// inScope reports whether a record in county lies in the actor's region scope.
func inScope(a *lianggao.Actor, county string) bool {
	switch lianggao.RegionLevel(a.Region) {
	case lianggao.LevelProvince:
		return true
	case lianggao.LevelCity:
		return lianggao.CityOf(county) == a.Region
	case lianggao.LevelCounty:
		return county == a.Region
	}
	return false
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePattern matches a user's search text anywhere, for LIKE … ESCAPE '\'.
func likePattern(q string) string { return "%" + likeEscaper.Replace(q) + "%" }

// prefixPattern matches values starting with q, for LIKE … ESCAPE '\'.
func prefixPattern(q string) string { return likeEscaper.Replace(q) + "%" }

// All as a filter's Limit asks for every matching row, for exports.
const All = -1

// page clamps a page size and offset: pages are at most 500 rows unless the
// caller asks for All.
func page(offset, limit int) (int, int) {
	switch {
	case limit == All:
		limit = math.MaxInt32
	case limit <= 0 || limit > 500:
		limit = 50
	}
	return max(offset, 0), limit
}
