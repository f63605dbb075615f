package api

import (
	"net/http"

	"lianggao/internal/server"
)

// handleReadings takes a batch of meter readings at 15-minute resolution
// as NDJSON or CSV, validates it whole as a stream and stores it all or
// nothing (R6.1), as handleReports does for figures.
func (h *Handler) handleReadings(w http.ResponseWriter, r *http.Request) error {
	format, err := batchFormat(r)
	if err != nil {
		return err
	}
	res, err := h.Jobs.IngestReadings(r.Context(), h.Store, r.Body, format, h.now())
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, res)
}
