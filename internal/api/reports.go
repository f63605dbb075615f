package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"

	"lianggao"
	"lianggao/internal/jobs"
	"lianggao/internal/monitor"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// MaxReportBody bounds a batch of figures: a million lines of NDJSON.
const MaxReportBody = 256 << 20

// handleReports takes a batch of daily figures as NDJSON or CSV, validates
// it whole as a stream and stores it all or nothing (R6.1, R7.2). Sending the
// same batch again changes nothing.
func (h *Handler) handleReports(w http.ResponseWriter, r *http.Request) error {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	p := h.parser()
	parse := p.ParseNDJSON
	switch mediaType {
	case "application/x-ndjson", "application/ndjson":
	case "text/csv":
		parse = p.ParseCSV
	default:
		return lianggao.Errorf(lianggao.EINVALID, "batch.media_type", mediaType)
	}
	sum := sha256.New()
	var lines []store.FigureLine
	probs, err := parse(io.TeeReader(r.Body, sum), func(row monitor.Row) error {
		lines = append(lines, store.FigureLine{Line: row.Line, CreditCode: row.CreditCode, Date: row.Date,
			Indicator: row.Indicator, Value: row.Value, Source: row.Source})
		return nil
	})
	if err != nil {
		return err
	}
	if err := probs.Err("batch.rejected"); err != nil {
		return err
	}
	res, err := h.Store.IngestFigures(r.Context(), lines, hex.EncodeToString(sum.Sum(nil)))
	if err != nil {
		return err
	}
	if res.Changed > 0 {
		h.afterBatch(r.Context(), res)
	}
	return server.WriteJSON(w, http.StatusOK, res)
}

// afterBatch runs the rules for the enterprises and days a batch touched, in
// the background: one job per batch, never per row. It keeps the request's
// actor, not its deadline.
func (h *Handler) afterBatch(ctx context.Context, res *store.BatchResult) {
	ctx = context.WithoutCancel(ctx)
	h.Jobs.Go(func() {
		run, err := jobs.Alerts(ctx, h.Store, res.From, res.To, h.now(), res.Enterprises...)
		if err != nil {
			h.Jobs.Logger().Error("rules after a batch", "batch", res.ID, "err", err)
			return
		}
		h.Jobs.Logger().Info("rules after a batch", "batch", res.ID, "created", run.Created, "extended", run.Extended)
	})
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

// parser validates against the profile's indicators, with today in the
// profile's zone as the latest date a figure may have.
func (h *Handler) parser() *monitor.Parser {
	p := h.Store.Profile()
	var products []*lianggao.Product
	for _, ind := range p.DomainIndustries() {
		products = append(products, ind.Products...)
	}
	return &monitor.Parser{Catalogue: monitor.NewCatalogue(products),
		Today: lianggao.DateOf(h.now().In(p.Location())), MaxLines: p.Reporting.MaxBatchLines}
}
