package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"lianggao"
	"lianggao/internal/i18n"
)

// Problem is an RFC 9457 problem document with the platform's list of
// problems, one shape for forms, imports and ingestion.
type Problem struct {
	Type   string        `json:"type"`
	Title  string        `json:"title"`
	Status int           `json:"status"`
	Code   string        `json:"code"`
	Detail string        `json:"detail"`
	Errors []ProblemItem `json:"errors,omitempty"`
}

// ProblemItem is one problem: its line (of a file or batch) and field.
type ProblemItem struct {
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewProblem builds the problem document of err in the language.
func NewProblem(lang string, status int, err error) Problem {
	p := Problem{Type: "about:blank", Title: i18n.T(lang, statusKey(status)), Status: status,
		Code: lianggao.ErrorCode(err), Detail: i18n.Error(lang, err)}
	var e *lianggao.Error
	if !errors.As(err, &e) {
		return p
	}
	if e.Field != "" || e.Line > 0 {
		p.Errors = append(p.Errors, ProblemItem{Line: e.Line, Field: e.Field, Code: e.Key, Message: i18n.Problem(lang, e)})
	}
	for _, pe := range e.Problems {
		p.Errors = append(p.Errors, ProblemItem{Line: pe.Line, Field: pe.Field, Code: pe.Key, Message: i18n.Problem(lang, pe)})
	}
	return p
}

func statusKey(status int) string {
	switch status {
	case 400, 401, 403, 404, 409, 413:
		return "status." + strconv.Itoa(status)
	}
	return "status.500"
}

// WriteProblem writes err as application/problem+json.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, err error) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(NewProblem(Lang(r), status, err))
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
