package api

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"lianggao"
	"lianggao/internal/jobs"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// MaxReportBody bounds a batch of figures: a million lines of NDJSON.
const MaxReportBody = 256 << 20

// handleReports takes a batch of daily figures as NDJSON or CSV, validated
// whole as a stream and stored all or nothing (R6.1, R7.2). Sending the same
// batch again changes nothing.
func (h *Handler) handleReports(w http.ResponseWriter, r *http.Request) error {
	format, err := batchFormat(r)
	if err != nil {
		return err
	}
	res, err := h.Jobs.IngestFigures(r.Context(), h.Store, r.Body, format, h.now())
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, res)
}

// batchFormat reads a batch's format from its Content-Type: NDJSON or CSV.
func batchFormat(r *http.Request) (string, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-ndjson", "application/ndjson":
		return jobs.FormatNDJSON, nil
	case "text/csv":
		return jobs.FormatCSV, nil
	}
	return "", lianggao.Errorf(lianggao.EINVALID, "batch.media_type", mediaType)
}

// handleRulesRun re-evaluates the rules over a period synchronously and
// answers when its alerts are complete.
func (h *Handler) handleRulesRun(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		From lianggao.Date `json:"from"`
		To   lianggao.Date `json:"to"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return lianggao.Errorf(lianggao.EINVALID, "json.invalid", err.Error())
	}
	switch {
	case req.From.IsZero():
		return lianggao.FieldError("from", "required")
	case req.To.IsZero():
		return lianggao.FieldError("to", "required")
	case req.To.Before(req.From):
		return lianggao.FieldError("to", "period.reversed")
	}
	run, err := jobs.Alerts(r.Context(), h.Store, req.From, req.To, h.now())
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, run)
}

// handleAlerts lists alerts for machine clients, oldest first, a page at a
// time: the cursor is the last id seen.
func (h *Handler) handleAlerts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := lianggao.AlertFilter{Limit: 1000}
	var err error
	for _, p := range []struct {
		key string
		dst *lianggao.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.key); v != "" {
			if *p.dst, err = lianggao.ParseDate(v); err != nil {
				return lianggao.FieldError(p.key, "date.invalid", v)
			}
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > store.MaxAlertPage {
			return lianggao.FieldError("limit", "number.invalid", v)
		}
	}
	if v := q.Get("cursor"); v != "" {
		if f.After, err = strconv.ParseInt(v, 10, 64); err != nil || f.After < 0 {
			return lianggao.FieldError("cursor", "number.invalid", v)
		}
	}
	alerts, _, err := h.Store.FindAlerts(r.Context(), f)
	if err != nil {
		return err
	}
	type item struct {
		ID         int64         `json:"id"`
		CreditCode string        `json:"credit_code"`
		Rule       string        `json:"rule"`
		From       lianggao.Date `json:"from"`
		To         lianggao.Date `json:"to"`
		Severity   string        `json:"severity"`
		Status     string        `json:"status"`
	}
	out := struct {
		Alerts []item  `json:"alerts"`
		Next   *string `json:"next"`
	}{Alerts: []item{}}
	for _, a := range alerts {
		out.Alerts = append(out.Alerts, item{a.ID, a.CreditCode, a.Rule, a.From, a.To, a.Severity, a.Status})
	}
	if len(alerts) == f.Limit {
		next := strconv.FormatInt(alerts[len(alerts)-1].ID, 10)
		out.Next = &next
	}
	return server.WriteJSON(w, http.StatusOK, out)
}
