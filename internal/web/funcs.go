package web

import (
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/i18n"
)

func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"t":        i18n.T,
		"num":      formatNumber,
		"region":   h.regionName,
		"industry": h.industryName,
		"product":  h.productLabel,
		"dept":     h.departmentName,
		"zhdate":   zhDate,
		"setq":     withQuery,
		"count":    func(n int) string { return formatNumber(float64(n), 0) },
		"can":      func(a *lianggao.Actor, p string) bool { return a.Can(lianggao.Permission(p)) },
		"days":     func(from, to lianggao.Date) int { return daysBetween(from, to) },
		"add":      func(a, b int) int { return a + b },
		"neg":      func(a int) int { return -a },
		"dict":     dict,
		"list":     func(v ...string) []string { return v },
		"when":     h.when,
		"day":      func(t time.Time) string { return t.In(h.Profile.Location()).Format(time.DateOnly) },
		"hasRole":  func(rs []lianggao.Role, r lianggao.Role) bool { return slices.Contains(rs, r) },
		"selected": func(a, b string) template.HTMLAttr { return attrIf(a == b, "selected") },
		"checked":  func(b bool) template.HTMLAttr { return attrIf(b, "checked") },
	}
}

func attrIf(ok bool, attr string) template.HTMLAttr {
	if ok {
		return template.HTMLAttr(attr)
	}
	return ""
}

// formatNumber writes a number with thousands separators and the given
// decimals, so a column reads at a glance.
func formatNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// zhDate writes a date the Chinese way (2026年6月1日) for prose.
func zhDate(lang string, d lianggao.Date) string {
	if d.IsZero() {
		return ""
	}
	if lang == i18n.EN {
		return d.String()
	}
	return strconv.Itoa(d.Year) + "年" + strconv.Itoa(int(d.Month)) + "月" + strconv.Itoa(d.Day) + "日"
}

func daysBetween(from, to lianggao.Date) int {
	return int(to.Time(time.UTC).Sub(from.Time(time.UTC)).Hours() / 24)
}

// withQuery returns the query with key set to value (removed when empty)
// and the page reset unless the key is the page itself.
func withQuery(q url.Values, key, value string) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	if key != "page" {
		c.Del("page")
	}
	if value == "" {
		c.Del(key)
	} else {
		c.Set(key, value)
	}
	if len(c) == 0 {
		return "?"
	}
	return "?" + c.Encode()
}

func (h *Handler) regionName(code string) string { return h.Profile.RegionName(code) }

func (h *Handler) industryName(code string) string { return h.Profile.IndustryName(code) }

func (h *Handler) productLabel(code string) string {
	if p, ok := h.Profile.Product(code); ok {
		return p.Name + "（" + p.Unit + "）"
	}
	return code
}

func (h *Handler) departmentName(code string) string { return h.Profile.DepartmentName(code) }

// dict builds a map from key, value pairs, to pass several values to a sub-template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

// when writes an instant in the profile's time zone, as people there read it.
func (h *Handler) when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(h.Profile.Location()).Format("2006-01-02 15:04:05")
}
