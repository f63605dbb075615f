package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"net/http"

	"lianggao"
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
	return server.WriteJSON(w, http.StatusOK, res)
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
