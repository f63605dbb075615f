package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"lianggao"
	"lianggao/internal/auth"
)

// Sessions end after this long without a request, and in any case after
// sessionMaxAge. A session waiting for its second factor lasts pendingMaxAge.
const (
	sessionIdle   = 2 * time.Hour
	sessionMaxAge = 12 * time.Hour
	pendingMaxAge = 10 * time.Minute
)

// CreateSession starts a session for a user and returns its token; only the
// token's hash is stored. A pending session is not signed in until its
// second factor is checked (CompleteTOTP or EnrollTOTP).
func (s *Store) CreateSession(ctx context.Context, userID int64, pending bool) (string, error) {
	token, hash := auth.NewToken()
	err := s.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, mfa_done)
			VALUES (?, ?, ?, ?, ?, ?)`, hash, userID, t.now, t.now, t.now.Add(sessionMaxAge), !pending)
		return err
	})
	return token, err
}

// SessionUser returns the user of a live, fully signed-in session. The idle
// timer is refreshed at most once a minute, so that reading pages does not
// queue behind writes.
func (s *Store) SessionUser(ctx context.Context, token string) (*lianggao.User, error) {
	u, lastSeen, err := s.sessionUser(ctx, token, true, sessionIdle)
	if err != nil {
		return nil, err
	}
	if s.now().UTC().Sub(lastSeen) > time.Minute {
		err = s.update(ctx, func(t *tx) error {
			_, err := t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, t.now, auth.HashToken(token))
			return err
		})
	}
	return u, err
}

// PendingUser returns the user of a session still waiting for its second factor.
func (s *Store) PendingUser(ctx context.Context, token string) (*lianggao.User, error) {
	u, _, err := s.sessionUser(ctx, token, false, pendingMaxAge)
	return u, err
}

func (s *Store) sessionUser(ctx context.Context, token string, done bool, idle time.Duration) (*lianggao.User, time.Time, error) {
	u := &lianggao.User{}
	var lastSeen, expires time.Time
	err := scanUser(s.queryRowRead(ctx, `SELECT `+userColumns+`, s.last_seen_at, s.expires_at FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.mfa_done = ?`, auth.HashToken(token), done),
		u, &lastSeen, &expires)
	now := s.now().UTC()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, lastSeen, lianggao.Errorf(lianggao.EUNAUTHORIZED, "session.expired")
	case err != nil:
		return nil, lastSeen, err
	case u.Disabled || now.After(expires) || now.Sub(lastSeen) > idle:
		return nil, lastSeen, lianggao.Errorf(lianggao.EUNAUTHORIZED, "session.expired")
	}
	return u, lastSeen, nil
}

// DeleteSession ends a session (sign-out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, auth.HashToken(token))
		if err != nil {
			return err
		}
		a := lianggao.ActorFrom(ctx)
		if a == nil {
			return nil
		}
		return s.audit(ctx, t, auditEntry{Action: "session.signout", ObjectType: "user", ObjectID: strconv.FormatInt(a.UserID, 10)})
	})
}
