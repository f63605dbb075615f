package web

import (
	"lianggao/internal/auth"
	"lianggao/internal/config"
	"net/http"
	"net/url"
	"strconv"
)

// pageSize is the number of rows of a list page.
const pageSize = 50

// pager describes the page of a list being shown.
type pager struct {
	Page, Pages, Total int
}

// pageOf reads the page number from the query and returns the offset.
// Page numbers beyond maxPage are taken as the last that can exist, so an
// absurd number cannot overflow the offset.
func pageOf(q url.Values) (page, offset int) {
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, maxPage)
	return page, (page - 1) * pageSize
}

const maxPage = 1_000_000

func newPager(page, total int) pager {
	pages := max((total+pageSize-1)/pageSize, 1)
	return pager{Page: min(page, pages), Pages: pages, Total: total}
}

// boolParam reads "1"/"0" as a tri-state filter: nil means either.
func boolParam(q url.Values, key string) *bool {
	switch q.Get(key) {
	case "1":
		v := true
		return &v
	case "0":
		v := false
		return &v
	}
	return nil
}

// pathID reads the {id} path value; a malformed id is simply not found.
func pathID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// option is an entry of a filter's drop-down list.
type option struct {
	Value, Label string
	Selected     bool
}

func (h *Handler) regionOptions(regions []config.Region, chosen string) []option {
	out := make([]option, len(regions))
	for i, r := range regions {
		out[i] = option{Value: r.Code, Label: r.Name, Selected: r.Code == chosen}
	}
	return out
}

func (h *Handler) industryOptions(chosen string) []option {
	out := make([]option, len(h.Profile.Industries))
	for i, ind := range h.Profile.Industries {
		out[i] = option{Value: ind.Code, Label: ind.Name, Selected: ind.Code == chosen}
	}
	return out
}

// newPassword returns a random first password for an account, to be
// changed at its first sign-in.
func newPassword() string {
	token, _ := auth.NewToken()
	return token[:16]
}
