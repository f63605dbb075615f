package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/auth"
)

// Sessions end after this long without a request, and in any case after
// sessionMaxAge.
const (
	sessionIdle   = 2 * time.Hour
	sessionMaxAge = 12 * time.Hour
)

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{1,31}$`)

// CreateUser creates an account. Only the system administrator (or the
// platform itself) creates accounts, and nobody grants a role whose scope is
// wider than their own.
func (s *Store) CreateUser(ctx context.Context, u *lianggao.User, password string) error {
	if _, err := actorOf(ctx, lianggao.PermUserManage); err != nil {
		return err
	}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	switch {
	case !usernamePattern.MatchString(u.Username):
		return lianggao.FieldError("username", "username.invalid")
	case len(u.Roles) == 0:
		return lianggao.FieldError("roles", "required")
	case len(password) < 8:
		return lianggao.FieldError("password", "password.short", 8)
	}
	for _, r := range u.Roles {
		if !lianggao.ValidRole(r) {
			return lianggao.FieldError("roles", "enum.invalid", string(r))
		}
	}
	if _, ok := s.profile.Region(u.Region); !ok && u.Region != lianggao.SystemActor.Region {
		return lianggao.FieldError("region", "region.unknown", u.Region)
	}
	hash := s.hasher.Hash(password)
	return s.update(ctx, func(t *tx) error {
		var ent, person any
		if u.EnterpriseID != 0 {
			ent = u.EnterpriseID
		}
		if u.PersonID != 0 {
			person = u.PersonID
		}
		id, err := t.insert(ctx, `INSERT INTO users (username, name, password_hash, roles, region_code, enterprise_id,
			person_id, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Username, u.Name, hash, joinRoles(u.Roles), u.Region, ent, person, false, t.now)
		if isUniqueViolation(err) {
			return lianggao.FieldError("username", "username.taken", u.Username)
		}
		if err != nil {
			return fmt.Errorf("store: insert user: %w", err)
		}
		u.ID, u.CreatedAt = id, t.now
		return s.audit(ctx, t, auditEntry{Action: "user.create", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"username": u.Username, "roles": u.Roles, "region": u.Region, "enterprise_id": u.EnterpriseID}})
	})
}

func joinRoles(rs []lianggao.Role) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, ",")
}

func splitRoles(s string) []lianggao.Role {
	var out []lianggao.Role
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, lianggao.Role(p))
		}
	}
	return out
}

const userColumns = `u.id, u.username, u.name, u.roles, u.region_code, COALESCE(u.enterprise_id, 0),
	COALESCE(u.person_id, 0), u.disabled, u.created_at`

func scanUser(sc interface{ Scan(...any) error }, u *lianggao.User, extra ...any) error {
	var roles string
	err := sc.Scan(append([]any{&u.ID, &u.Username, &u.Name, &roles, &u.Region, &u.EnterpriseID, &u.PersonID,
		&u.Disabled, &u.CreatedAt}, extra...)...)
	u.Roles = splitRoles(roles)
	return err
}

// Authenticate checks a username and password. A wrong password, an unknown
// user and a disabled account all answer the same EUNAUTHORIZED, and every
// attempt is audited.
func (s *Store) Authenticate(ctx context.Context, username, password string) (*lianggao.User, error) {
	u := &lianggao.User{}
	var hash string
	err := scanUser(s.queryRowRead(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u WHERE u.username = ?`,
		strings.ToLower(strings.TrimSpace(username))), u, &hash)
	ok := err == nil && !u.Disabled && s.hasher.Verify(hash, password)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	action, id := "session.signin", strconv.FormatInt(u.ID, 10)
	if !ok {
		action, id = "session.signin_failed", username
	}
	actx := lianggao.NewContext(ctx, &lianggao.Actor{UserID: u.ID, Username: username})
	if err := s.update(actx, func(t *tx) error {
		return s.audit(actx, t, auditEntry{Action: action, ObjectType: "user", ObjectID: id})
	}); err != nil {
		return nil, err
	}
	if !ok {
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.failed")
	}
	return u, nil
}

// CreateSession starts a session for a user and returns its token; only the
// token's hash is stored.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	token, hash := auth.NewToken()
	err := s.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, hash, userID, t.now, t.now, t.now.Add(sessionMaxAge))
		return err
	})
	return token, err
}

// SessionUser returns the user of a live session. The idle timer is refreshed
// at most once a minute, so that reading pages does not queue behind writes.
func (s *Store) SessionUser(ctx context.Context, token string) (*lianggao.User, error) {
	u := &lianggao.User{}
	var lastSeen, expires time.Time
	err := scanUser(s.queryRowRead(ctx, `SELECT `+userColumns+`, s.last_seen_at, s.expires_at FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, auth.HashToken(token)), u, &lastSeen, &expires)
	now := s.now().UTC()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "session.expired")
	case err != nil:
		return nil, err
	case u.Disabled || now.After(expires) || now.Sub(lastSeen) > sessionIdle:
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "session.expired")
	}
	if now.Sub(lastSeen) > time.Minute {
		err = s.update(ctx, func(t *tx) error {
			_, err := t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, t.now, auth.HashToken(token))
			return err
		})
	}
	return u, err
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

// FindUsers returns every account, for the system administrator and the demo listing.
func (s *Store) FindUsers(ctx context.Context) ([]*lianggao.User, error) {
	if _, err := actorOf(ctx, lianggao.PermUserManage); err != nil {
		return nil, err
	}
	rows, err := s.queryRead(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianggao.User
	for rows.Next() {
		u := &lianggao.User{}
		if err := scanUser(rows, u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FindUserByName returns an account by user name, for the system administrator.
func (s *Store) FindUserByName(ctx context.Context, username string) (*lianggao.User, error) {
	if _, err := actorOf(ctx, lianggao.PermUserManage); err != nil {
		return nil, err
	}
	u := &lianggao.User{}
	err := scanUser(s.queryRowRead(ctx, `SELECT `+userColumns+` FROM users u WHERE u.username = ?`,
		strings.ToLower(strings.TrimSpace(username))), u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	return u, err
}
