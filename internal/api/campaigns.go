package api

import (
	"net/http"

	"lianggao/internal/server"
)

func (h *Handler) handleCampaigns(w http.ResponseWriter, r *http.Request) error {
	cs, err := h.Store.FindCampaigns(r.Context())
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, map[string]any{"campaigns": cs})
}

// handleAssignmentInputs serves the draw's canonical inputs byte for byte:
// these are the bytes the commitment covers and `lianggao campaign replay`
// reads.
func (h *Handler) handleAssignmentInputs(w http.ResponseWriter, r *http.Request) error {
	b, err := h.Store.AssignmentInputs(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(b)
	return err
}

func (h *Handler) handlePlan(w http.ResponseWriter, r *http.Request) error {
	p, err := h.Store.FindPlan(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, p)
}
