package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

// sessionMaxAge matches the store's absolute session lifetime; the cookie
// must not outlive it.
const sessionMaxAge = 12 * 60 * 60

func (h *Handler) handleSigninPage(w http.ResponseWriter, r *http.Request) error {
	if lianggao.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return h.render(w, r, http.StatusOK, "signin", &page{Title: i18n.T(server.Lang(r), "signin.title"),
		Data: map[string]any{"Next": r.URL.Query().Get("next")}})
}

// handleSignin checks the password, with failures throttled per account and
// per client address. A user who needs a second factor gets a pending
// session and the code page; the others are signed in.
func (h *Handler) handleSignin(w http.ResponseWriter, r *http.Request) error {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	addr := lianggao.RequestFrom(r.Context()).Client
	if wait := h.Throttle.Check(username, addr); wait > 0 {
		return h.signinFailed(w, r, http.StatusTooManyRequests, username, next,
			lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.locked", int(wait.Minutes())+1))
	}
	u, err := h.Store.Authenticate(r.Context(), username, password)
	if lianggao.ErrorCode(err) == lianggao.EUNAUTHORIZED {
		h.Throttle.Fail(username, addr)
		return h.signinFailed(w, r, http.StatusUnauthorized, username, next, err)
	}
	if err != nil {
		return err
	}
	h.Throttle.Succeed(username)
	pending := u.NeedsTOTP()
	token, err := h.Store.CreateSession(r.Context(), u.ID, pending)
	if err != nil {
		return err
	}
	h.Server.SetSession(w, token, sessionMaxAge*time.Second)
	if pending {
		next = "/signin/totp?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Handler) signinFailed(w http.ResponseWriter, r *http.Request, status int, username, next string, err error) error {
	lang := server.Lang(r)
	return h.render(w, r, status, "signin", &page{Title: i18n.T(lang, "signin.title"),
		Data: map[string]any{"Next": next, "Username": username, "Error": i18n.Error(lang, err)}})
}

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *Handler) handleSignout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(server.SessionCookie); err == nil {
		if err := h.Store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	h.Server.ClearSession(w)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// handleLang switches the language and returns to the page the user was on.
func (h *Handler) handleLang(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: server.LangCookie, Value: i18n.Lang(r.PathValue("lang")), Path: "/",
		MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: h.Server.SecureCookies})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
	return nil
}
