package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/sheet"
	"lianggao/internal/store"
)

// importKinds are the lists that can be imported, with their title keys.
var importKinds = map[string]string{
	"enterprises": "nav.enterprises", "projects": "nav.projects", "people": "nav.people", "meters": "nav.meters",
}

// exportTitles name the files of every list that exports.
var exportTitles = map[string]string{
	"enterprises": "nav.enterprises", "projects": "nav.projects", "people": "nav.people", "meters": "nav.meters",
	"audit": "admin.audit", "alerts": "alert.list", "daily": "daily.title",
}

func importKind(r *http.Request) (string, error) {
	kind := r.PathValue("kind")
	if _, ok := importKinds[kind]; !ok {
		return "", lianggao.Errorf(lianggao.ENOTFOUND, "notfound.page")
	}
	return kind, nil
}

func (h *Handler) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	kind, err := importKind(r)
	if err != nil {
		return err
	}
	return h.renderImport(w, r, http.StatusOK, kind, nil)
}

func (h *Handler) renderImport(w http.ResponseWriter, r *http.Request, status int, kind string, result map[string]any) error {
	lang := server.Lang(r)
	what := i18n.T(lang, importKinds[kind])
	data := map[string]any{"Kind": kind, "What": what, "LimitMB": h.UploadLimit >> 20, "Columns": sheet.Columns(kind)}
	for k, v := range result {
		data[k] = v
	}
	return h.render(w, r, status, "import", &page{Title: i18n.T(lang, "import.title", what), Nav: kind,
		Crumbs: []crumb{{i18n.T(lang, "nav.registry"), ""}, {what, "/" + kind}}, Data: data})
}

func (h *Handler) handleImportTemplate(w http.ResponseWriter, r *http.Request) error {
	kind, err := importKind(r)
	if err != nil {
		return err
	}
	b, err := sheet.Template(kind, h.Profile)
	if err != nil {
		return err
	}
	attachment(w, i18n.T(server.Lang(r), importKinds[kind])+"-导入模板.xlsx", sheet.FormatXLSX)
	_, err = w.Write(b)
	return err
}

// handleImport validates the whole file and imports it in one transaction;
// any problem rejects it and the page lists every problem by line and column.
func (h *Handler) handleImport(w http.ResponseWriter, r *http.Request) error {
	kind, err := importKind(r)
	if err != nil {
		return err
	}
	file, hdr, err := formFile(r, h.UploadLimit)
	if err != nil {
		return h.importFailed(w, r, kind, err)
	}
	defer file.Close()
	n, err := h.importFile(r, kind, file, hdr)
	if err != nil {
		return h.importFailed(w, r, kind, err)
	}
	return h.renderImport(w, r, http.StatusOK, kind, map[string]any{"Done": n})
}

// formFile returns the form's uploaded file. A body over the route's limit
// is too large (limit is the file's own bound, in bytes, as the page states
// it); a form without a file needs one.
func formFile(r *http.Request, limit int64) (multipart.File, *multipart.FileHeader, error) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, nil, lianggao.Errorf(lianggao.ETOOLARGE, "file.too_large", limit>>20)
		}
		return nil, nil, lianggao.FieldError("file", "file.required")
	}
	return file, hdr, nil
}

func (h *Handler) importFailed(w http.ResponseWriter, r *http.Request, kind string, err error) error {
	code := lianggao.ErrorCode(err)
	if code == lianggao.EINTERNAL || code == lianggao.EFORBIDDEN || code == lianggao.EUNAUTHORIZED {
		return err
	}
	lang := server.Lang(r)
	return h.renderImport(w, r, server.Status(err), kind, map[string]any{
		"Error": i18n.Error(lang, err), "Problems": problemsOf(lang, err)})
}

// importFile reads, parses and stores one uploaded file, returning the rows imported.
func (h *Handler) importFile(r *http.Request, kind string, file multipart.File, hdr *multipart.FileHeader) (int, error) {
	sum := sha256.New()
	t, err := sheet.Read(io.TeeReader(file, sum), hdr.Filename, h.UploadLimit)
	if err != nil {
		return 0, err
	}
	checksum := hex.EncodeToString(sum.Sum(nil))
	ctx := r.Context()
	switch kind {
	case "enterprises":
		es, lines, err := sheet.ParseEnterprises(t, h.Profile)
		if err != nil {
			return 0, err
		}
		return len(es), h.Store.ImportEnterprises(ctx, es, lines, checksum)
	case "projects":
		rows, err := sheet.ParseProjects(t)
		if err != nil {
			return 0, err
		}
		imports := make([]store.ProjectImport, len(rows))
		for i, row := range rows {
			imports[i] = store.ProjectImport(row)
		}
		return len(rows), h.Store.ImportProjects(ctx, imports, checksum)
	case "people":
		people, lines, err := sheet.ParsePeople(t, h.Profile)
		if err != nil {
			return 0, err
		}
		return len(people), h.Store.ImportPeople(ctx, people, lines, checksum)
	default:
		rows, err := sheet.ParseMeters(t)
		if err != nil {
			return 0, err
		}
		imports := make([]store.MeterImport, len(rows))
		for i, row := range rows {
			imports[i] = store.MeterImport(row)
		}
		return len(rows), h.Store.ImportMeters(ctx, imports, checksum)
	}
}

// exportFormat reads ?format=, xlsx by default.
func exportFormat(q url.Values) (string, error) {
	switch f := q.Get("format"); f {
	case "", sheet.FormatXLSX:
		return sheet.FormatXLSX, nil
	case sheet.FormatCSV:
		return f, nil
	}
	return "", lianggao.FieldError("format", "format.invalid")
}

// mayExport refuses an export to whoever may read a list but not export
// it. A route's policy names one permission, and the lists that are not the
// registry's need two: their own to read, and the right to export.
func mayExport(r *http.Request) error {
	if !lianggao.ActorFrom(r.Context()).Can(lianggao.PermRegistryExport) {
		return lianggao.Errorf(lianggao.EFORBIDDEN, "forbidden")
	}
	return nil
}

// export writes a whole list, with the filters of the page it came from, as
// a spreadsheet download, and audits it.
func (h *Handler) export(w http.ResponseWriter, r *http.Request, kind string, header []string, rows [][]any) error {
	format, err := exportFormat(r.URL.Query())
	if err != nil {
		return err
	}
	if err := h.Store.RecordAccess(r.Context(), "export", kind, r.URL.RawQuery, len(rows)); err != nil {
		return err
	}
	lang := server.Lang(r)
	attachment(w, fmt.Sprintf("%s-%s.%s", i18n.T(lang, exportTitles[kind]), h.today(), format), format)
	sw, err := sheet.NewWriter(w, format, header)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if err := sw.Row(row...); err != nil {
			return err
		}
	}
	return sw.Close()
}

// downloadTypes are the media types of the formats offered for download.
var downloadTypes = map[string]string{
	sheet.FormatCSV:  "text/csv; charset=utf-8",
	sheet.FormatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"docx":           "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// attachment sets the headers of a download; the name is UTF-8 (RFC 6266),
// with an ASCII fallback for old clients.
func attachment(w http.ResponseWriter, name, format string) {
	w.Header().Set("Content-Type", downloadTypes[format])
	w.Header().Set("Content-Disposition", "attachment; filename=\"export."+format+"\"; filename*=UTF-8''"+url.PathEscape(name))
}

// exportList writes every row a list's filters select. find returns them;
// cells turns one into the spreadsheet's columns.
func exportList[T any](h *Handler, w http.ResponseWriter, r *http.Request, kind string, header []string,
	find func() ([]T, int, error), cells func(T) []any) error {
	items, _, err := find()
	if err != nil {
		return err
	}
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = cells(it)
	}
	return h.export(w, r, kind, header, rows)
}

func (h *Handler) handleEnterpriseExport(w http.ResponseWriter, r *http.Request) error {
	f := enterpriseFilter(r.URL.Query())
	f.Limit = store.All
	return exportList(h, w, r, "enterprises", sheet.EnterpriseHeader(),
		func() ([]*lianggao.Enterprise, int, error) { return h.Store.FindEnterprises(r.Context(), f) }, sheet.EnterpriseCells)
}

func (h *Handler) handleProjectExport(w http.ResponseWriter, r *http.Request) error {
	f := projectFilter(r.URL.Query())
	f.Limit = store.All
	return exportList(h, w, r, "projects", sheet.ProjectHeader(),
		func() ([]*lianggao.Project, int, error) { return h.Store.FindProjects(r.Context(), f) },
		func(p *lianggao.Project) []any { return sheet.ProjectCells(p, p.EnterpriseCode) })
}

func (h *Handler) handleMeterExport(w http.ResponseWriter, r *http.Request) error {
	f := meterFilter(r.URL.Query())
	f.Limit = store.All
	return exportList(h, w, r, "meters", sheet.MeterHeader(),
		func() ([]*lianggao.Meter, int, error) { return h.Store.FindMeters(r.Context(), f) },
		func(m *lianggao.Meter) []any { return sheet.MeterCells(m, m.EnterpriseCode) })
}

// handlePersonExport exports people: personal data, so it needs both the
// right to read people and the right to export.
func (h *Handler) handlePersonExport(w http.ResponseWriter, r *http.Request) error {
	if err := mayExport(r); err != nil {
		return err
	}
	f := personFilter(r.URL.Query())
	f.Limit = store.All
	return exportList(h, w, r, "people", sheet.PersonHeader(),
		func() ([]*lianggao.Person, int, error) { return h.Store.FindPeople(r.Context(), f) }, sheet.PersonCells)
}
