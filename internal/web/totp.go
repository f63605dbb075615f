package web

import (
	"net/http"
	"strings"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/i18n"
	"lianggao/internal/server"
)

// totpIssuer is how authenticator apps label the platform's codes.
const totpIssuer = "两高行业监督检查平台"

// pendingSession returns the cookie and user of a session waiting for its
// second factor.
func (h *Handler) pendingSession(r *http.Request) (string, *lianggao.User, error) {
	c, err := r.Cookie(server.SessionCookie)
	if err != nil {
		return "", nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "session.expired")
	}
	u, err := h.Store.PendingUser(r.Context(), c.Value)
	return c.Value, u, err
}

// enrollAAD binds a secret on its way through the enrollment form to the
// session, so a form cannot be replayed into another sign-in.
func enrollAAD(session string) []byte { return []byte("totp-enroll:" + auth.HashToken(session)) }

// handleTOTPPage asks for the code, or, for a user who has none yet, shows
// a new secret to add to an authenticator app.
func (h *Handler) handleTOTPPage(w http.ResponseWriter, r *http.Request) error {
	session, u, err := h.pendingSession(r)
	if err != nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	return h.renderTOTP(w, r, http.StatusOK, session, u, "", "")
}

func (h *Handler) renderTOTP(w http.ResponseWriter, r *http.Request, status int, session string, u *lianggao.User, secret, problem string) error {
	lang := server.Lang(r)
	data := map[string]any{"Next": safeNext(r.FormValue("next")), "Error": problem}
	if !u.TOTP {
		if secret == "" {
			secret = auth.NewTOTPSecret()
		}
		sealed, err := h.Store.Seal([]byte(secret), enrollAAD(session))
		if err != nil {
			return err
		}
		data["Secret"], data["Sealed"] = groupsOf4(secret), sealed
		data["URI"] = auth.TOTPURI(totpIssuer, u.Username, secret)
	}
	return h.render(w, r, status, "totp", &page{Title: i18n.T(lang, "totp.title"), Data: data})
}

// handleTOTP checks the code (and, when enrolling, proves the app holds the
// secret); guesses are throttled like passwords.
func (h *Handler) handleTOTP(w http.ResponseWriter, r *http.Request) error {
	session, u, err := h.pendingSession(r)
	if err != nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	lang := server.Lang(r)
	account, addr := "totp:"+u.Username, lianggao.RequestFrom(r.Context()).Client
	if wait := h.Throttle.Check(account, addr); wait > 0 {
		return h.renderTOTP(w, r, http.StatusTooManyRequests, session, u, "",
			i18n.T(lang, "signin.locked", int(wait.Minutes())+1))
	}
	code := r.PostFormValue("code")
	var secret string
	if u.TOTP {
		err = h.Store.CompleteTOTP(r.Context(), session, code)
	} else {
		plain, oerr := h.Store.Open(r.PostFormValue("sealed"), enrollAAD(session))
		if oerr != nil {
			return lianggao.Errorf(lianggao.EINVALID, "totp.enroll_expired")
		}
		secret = string(plain)
		err = h.Store.EnrollTOTP(r.Context(), session, secret, code)
	}
	if lianggao.ErrorCode(err) == lianggao.EUNAUTHORIZED {
		h.Throttle.Fail(account, addr)
		return h.renderTOTP(w, r, http.StatusUnauthorized, session, u, secret, i18n.Error(lang, err))
	}
	if err != nil {
		return err
	}
	h.Throttle.Succeed(account)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// groupsOf4 spaces a secret for reading aloud or typing.
func groupsOf4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
