package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
	"lianggao/internal/store"
)

// handleAccount shows the signed-in user's own account: password, sign-out
// everywhere and API tokens.
func (h *Handler) handleAccount(w http.ResponseWriter, r *http.Request) error {
	return h.renderAccount(w, r, http.StatusOK, nil)
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, extra map[string]any) error {
	tokens, err := h.Store.FindTokens(r.Context())
	if err != nil {
		return err
	}
	lang := server.Lang(r)
	data := map[string]any{"Tokens": tokens, "Perms": lianggao.ActorFrom(r.Context()).Permissions()}
	for k, v := range extra {
		data[k] = v
	}
	return h.render(w, r, status, "account", &page{Title: i18n.T(lang, "account.title"), Nav: "account", Data: data})
}

func (h *Handler) handlePasswordPage(w http.ResponseWriter, r *http.Request) error {
	lang := server.Lang(r)
	return h.render(w, r, http.StatusOK, "password", &page{Title: i18n.T(lang, "account.password"), Nav: "account"})
}

func (h *Handler) handlePasswordChange(w http.ResponseWriter, r *http.Request) error {
	current, next := r.PostFormValue("current"), r.PostFormValue("password")
	if next != r.PostFormValue("confirm") {
		return h.passwordFailed(w, r, lianggao.FieldError("confirm", "password.mismatch"))
	}
	if err := h.Store.ChangePassword(r.Context(), current, next); err != nil {
		return h.passwordFailed(w, r, err)
	}
	http.Redirect(w, r, "/account?changed=1", http.StatusSeeOther)
	return nil
}

// passwordFailed shows the form again with the problem next to its field.
func (h *Handler) passwordFailed(w http.ResponseWriter, r *http.Request, err error) error {
	if lianggao.ErrorCode(err) != lianggao.EINVALID {
		return err
	}
	lang := server.Lang(r)
	return h.render(w, r, http.StatusBadRequest, "password", &page{Title: i18n.T(lang, "account.password"), Nav: "account",
		Data: map[string]any{"Errors": fieldErrors(lang, err)}})
}

// fieldErrors maps each field to its message, for showing beside the field.
func fieldErrors(lang string, err error) map[string]string {
	out := map[string]string{}
	for _, p := range server.NewProblem(lang, 400, err).Errors {
		out[p.Field] = p.Message
	}
	return out
}

func (h *Handler) handleSignoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	a := lianggao.ActorFrom(r.Context())
	if err := h.Store.EndSessions(r.Context(), a.UserID); err != nil {
		return err
	}
	h.Server.ClearSession(w)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// handleTokenCreate issues a token for the user, narrowed to the permissions
// ticked, and shows its secret once.
func (h *Handler) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return lianggao.FieldError("name", "form.invalid")
	}
	a := lianggao.ActorFrom(r.Context())
	req := store.TokenRequest{UserID: a.UserID, Name: r.PostFormValue("name"), Permissions: []lianggao.Permission{}}
	for _, p := range r.PostForm["perm"] {
		req.Permissions = append(req.Permissions, lianggao.Permission(p))
	}
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
	if err != nil {
		return h.renderAccount(w, r, http.StatusBadRequest, map[string]any{
			"Errors": fieldErrors(server.Lang(r), lianggao.FieldError("expires", "token.lifetime"))})
	}
	req.Lifetime = time.Duration(days) * 24 * time.Hour
	secret, _, err := h.Store.CreateToken(r.Context(), req)
	if lianggao.ErrorCode(err) == lianggao.EINVALID {
		return h.renderAccount(w, r, http.StatusBadRequest, map[string]any{"Errors": fieldErrors(server.Lang(r), err)})
	}
	if err != nil {
		return err
	}
	return h.renderAccount(w, r, http.StatusOK, map[string]any{"Secret": secret})
}

func (h *Handler) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := h.Store.RevokeToken(r.Context(), pathID(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
