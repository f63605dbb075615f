package web

import (
	"net/http"
	"path/filepath"
	"strings"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/jobs"
	"lianggao/internal/server"
)

// MaxFigureUpload bounds an uploaded batch of figures: a million lines.
const MaxFigureUpload = 256 << 20

// uploadKinds are the batches the upload page takes: daily figures and
// meter readings, each through the same path as its API.
var uploadKinds = []string{"figures", "readings"}

func (h *Handler) handleUploadPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderUpload(w, r, http.StatusOK, nil)
}

func (h *Handler) renderUpload(w http.ResponseWriter, r *http.Request, status int, data map[string]any) error {
	lang := server.Lang(r)
	if data == nil {
		data = map[string]any{}
	}
	data["Kind"], data["Kinds"] = uploadKind(r), uploadKinds
	return h.render(w, r, status, "upload", &page{Title: i18n.T(lang, "upload.title"), Nav: "upload",
		Crumbs: []crumb{{i18n.T(lang, "nav.monitor"), ""}}, Data: data})
}

// uploadKind is what the page's path names: readings or, by default, figures.
func uploadKind(r *http.Request) string {
	if strings.HasSuffix(r.URL.Path, "/readings") {
		return "readings"
	}
	return "figures"
}

// handleUpload takes a file of daily figures or meter readings — the same
// batch the API takes, as .csv or .ndjson — and shows what it did or every
// problem by line.
func (h *Handler) handleUpload(w http.ResponseWriter, r *http.Request) error {
	file, hdr, err := formFile(r, MaxFigureUpload)
	if err != nil {
		return h.uploadFailed(w, r, err)
	}
	defer file.Close()
	format := jobs.FormatCSV
	switch strings.ToLower(filepath.Ext(hdr.Filename)) {
	case ".ndjson", ".jsonl", ".json":
		format = jobs.FormatNDJSON
	}
	ingest := h.Jobs.IngestFigures
	if uploadKind(r) == "readings" {
		ingest = h.Jobs.IngestReadings
	}
	res, err := ingest(r.Context(), h.Store, file, format, h.Now())
	if err != nil {
		return h.uploadFailed(w, r, err)
	}
	return h.renderUpload(w, r, http.StatusOK, map[string]any{"Result": res})
}
func (h *Handler) uploadFailed(w http.ResponseWriter, r *http.Request, err error) error {
	code := lianggao.ErrorCode(err)
	if code != lianggao.EINVALID && code != lianggao.ETOOLARGE {
		return err
	}
	lang := server.Lang(r)
	return h.renderUpload(w, r, server.Status(err), map[string]any{"Error": i18n.Error(lang, err), "Problems": problemsOf(lang, err)})
}
