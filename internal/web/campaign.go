package web

import "lianggao/internal/server"

// campaignRoutes are the pages of the semi-annual campaign (mechanism 1).
func (h *Handler) campaignRoutes() []server.Route {
	return nil
}
