// Package server holds the one route table through which HTML pages and the
// JSON API register, with the policy of every route, the middleware that
// turns a session into an Actor, and the single place where errors become
// HTTP answers.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"lianggao"
	"lianggao/internal/i18n"
)

// HandlerFunc is a handler that returns its error instead of writing it, so
// that errors are rendered in one place.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Policy says who may call a route.
type Policy struct {
	Public bool                // no sign-in needed
	Perm   lianggao.Permission // needed permission; "" means any signed-in user
	// Reachable while the user must still change their password (the
	// password page itself, sign-out).
	PasswordChange bool
}

// Public is the policy of routes anyone may call.
var Public = Policy{Public: true}

// SignedIn is the policy of routes any signed-in user may call.
var SignedIn = Policy{}

// Passwordless is the policy of the routes a user who must change their
// password may still use.
var Passwordless = Policy{PasswordChange: true}

// Need returns the policy requiring a permission.
func Need(p lianggao.Permission) Policy { return Policy{Perm: p} }

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string
	Policy  Policy
	API     bool  // answers JSON (problem+json on error) rather than HTML
	MaxBody int64 // request body limit in bytes; 0 means DefaultMaxBody
	Handler HandlerFunc
}

// DefaultMaxBody bounds request bodies of routes that do not set their own.
const DefaultMaxBody = 1 << 20

// PasswordPage is where a user who must change their password is sent.
const PasswordPage = "/account/password"

// SessionCookie is the name of the session cookie.
const SessionCookie = "lianggao_session"

// LangCookie holds the chosen language.
const LangCookie = "lang"

// Sessions resolves a session cookie to its user and an API token to the
// actor it acts as.
type Sessions interface {
	SessionUser(ctx context.Context, token string) (*lianggao.User, error)
	TokenActor(ctx context.Context, secret string) (*lianggao.Actor, error)
}

// Server serves the route table.
type Server struct {
	Routes   []Route
	Sessions Sessions
	Log      *slog.Logger
	// SecureCookies marks cookies Secure: under TLS or behind a TLS proxy.
	SecureCookies bool
	// RenderError renders an error as an HTML page.
	RenderError func(w http.ResponseWriter, r *http.Request, status int, err error)
	// Ready is checked by /healthz; it is set once data is committed and the
	// server listens.
	Ready atomic.Bool
	// Ping checks the database for /readyz.
	Ping func(ctx context.Context) error
}

// Handler builds the mux from the route table, wrapped in the middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	for _, rt := range s.Routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	mux.Handle("/", s.wrap(Route{Policy: Public, Handler: func(w http.ResponseWriter, r *http.Request) error {
		return lianggao.Errorf(lianggao.ENOTFOUND, "notfound.page")
	}}))
	cop := http.NewCrossOriginProtection()
	var h http.Handler = mux
	h = s.withSession(h)
	h = cop.Handler(h)
	h = s.withRecover(h)
	h = s.withRequest(h)
	return h
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if !s.Ready.Load() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if !s.Ready.Load() || s.Ping == nil || s.Ping(ctx) != nil {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// wrap applies a route's policy and body limit and renders its error.
func (s *Server) wrap(rt Route) http.Handler {
	limit := rt.MaxBody
	if limit == 0 {
		limit = DefaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		a := lianggao.ActorFrom(r.Context())
		var err error
		switch {
		case !rt.Policy.Public && a == nil:
			if !rt.API && r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			err = lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
		case a != nil && a.MustChangePassword && !rt.Policy.Public && !rt.Policy.PasswordChange:
			if !rt.API && r.Method == http.MethodGet {
				http.Redirect(w, r, PasswordPage, http.StatusSeeOther)
				return
			}
			err = lianggao.Errorf(lianggao.EFORBIDDEN, "password.change_required")
		case rt.Policy.Perm != "" && !a.Can(rt.Policy.Perm):
			err = lianggao.Errorf(lianggao.EFORBIDDEN, "forbidden")
		default:
			err = rt.Handler(w, r)
		}
		if err != nil {
			s.Error(w, r, rt.API, err)
		}
	})
}

// Status maps an error code to an HTTP status.
func Status(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch lianggao.ErrorCode(err) {
	case lianggao.EINVALID:
		return http.StatusBadRequest
	case lianggao.ENOTFOUND:
		return http.StatusNotFound
	case lianggao.EFORBIDDEN:
		return http.StatusForbidden
	case lianggao.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case lianggao.ECONFLICT:
		return http.StatusConflict
	case lianggao.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Error writes err as problem+json or as an HTML page. Internal errors are
// logged with the request id and shown without details.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, api bool, err error) {
	status := Status(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = lianggao.Errorf(lianggao.ETOOLARGE, "file.too_large", mbe.Limit>>20)
	}
	if status == http.StatusInternalServerError {
		s.Log.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path,
			"request_id", lianggao.RequestFrom(r.Context()).ID)
	}
	if api || s.RenderError == nil {
		WriteProblem(w, r, status, err)
		return
	}
	s.RenderError(w, r, status, err)
}

// withRequest gives every request an id (kept from X-Request-Id when sane)
// and the client's address, and logs it when done.
func (s *Server) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		client, _, _ := net.SplitHostPort(r.RemoteAddr)
		ctx := lianggao.NewRequestContext(r.Context(), lianggao.Request{ID: id, Client: client})
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		s.Log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)), slog.String("request_id", id))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()))
				WriteProblem(w, r, http.StatusInternalServerError, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withSession puts the signed-in user's Actor on the context and sets the
// security headers every answer carries.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		ctx := r.Context()
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			// A machine client: a bad token is refused outright rather than
			// treated as nobody, so a misconfigured gateway fails loudly.
			a, err := s.Sessions.TokenActor(ctx, strings.TrimSpace(bearer))
			if err != nil {
				WriteProblem(w, r, Status(err), err)
				return
			}
			ctx = lianggao.NewContext(ctx, a)
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && s.Sessions != nil {
			if u, err := s.Sessions.SessionUser(ctx, c.Value); err == nil {
				ctx = lianggao.NewContext(ctx, u.Actor())
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Lang returns the request's language: Chinese unless the user chose
// English with the switch. The browser's Accept-Language is not followed:
// officials often work on machines set up in English, and the platform's
// language of record is Chinese.
func Lang(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil {
		return i18n.Lang(c.Value)
	}
	return i18n.ZH
}

// SetSession writes the session cookie.
func (s *Server) SetSession(w http.ResponseWriter, token string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge.Seconds())})
}

// ClearSession removes the session cookie.
func (s *Server) ClearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}
