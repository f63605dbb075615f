package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/auth"
)

// DefaultTokenLifetime is how long an API token lives unless told otherwise.
const DefaultTokenLifetime = 90 * 24 * time.Hour

// Token is an API token for a machine client, as listed (never its secret).
type Token struct {
	ID           int64
	UserID       int64
	Username     string
	Name         string
	Permissions  []lianggao.Permission
	Region       string
	EnterpriseID int64
	CreatedAt    time.Time
	ExpiresAt    time.Time
	RevokedAt    *time.Time
	LastUsedAt   *time.Time
}

// TokenRequest asks for a token; zero fields take the user's own scope and
// permissions and the default lifetime. A token can only narrow them.
type TokenRequest struct {
	UserID       int64
	Name         string
	Permissions  []lianggao.Permission
	Region       string
	EnterpriseID int64
	Lifetime     time.Duration
}

// CreateToken issues a token for a user and returns its secret, shown once;
// only its hash is stored. A user may issue tokens for themself; the system
// administrator for anyone.
func (s *Store) CreateToken(ctx context.Context, req TokenRequest) (string, *Token, error) {
	a := lianggao.ActorFrom(ctx)
	if a == nil {
		return "", nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	if a.UserID != req.UserID && !a.Can(lianggao.PermUserManage) {
		return "", nil, forbidden()
	}
	u, err := s.findUser(ctx, req.UserID)
	if err != nil {
		return "", nil, err
	}
	if req.Lifetime == 0 {
		req.Lifetime = DefaultTokenLifetime
	}
	tk, err := narrowToken(u, req)
	if err != nil {
		return "", nil, err
	}
	secret, hash := auth.NewToken()
	err = s.update(ctx, func(t *tx) error {
		tk.CreatedAt, tk.ExpiresAt = t.now, t.now.Add(req.Lifetime)
		var ent any
		if tk.EnterpriseID != 0 {
			ent = tk.EnterpriseID
		}
		tk.ID, err = t.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, permissions, region_code, enterprise_id,
			created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			tk.UserID, tk.Name, hash, joinPerms(tk.Permissions), tk.Region, ent, tk.CreatedAt, tk.ExpiresAt)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "token.create", ObjectType: "token", ObjectID: strconv.FormatInt(tk.ID, 10),
			After: map[string]any{"user": u.Username, "name": tk.Name, "permissions": tk.Permissions, "region": tk.Region,
				"enterprise_id": tk.EnterpriseID, "expires_at": tk.ExpiresAt}})
	})
	return secret, tk, err
}

// narrowToken checks that a requested token asks for no more than its user holds.
func narrowToken(u *lianggao.User, req TokenRequest) (*Token, error) {
	ua := u.Actor()
	held := ua.Permissions()
	tk := &Token{UserID: u.ID, Username: u.Username, Name: strings.TrimSpace(req.Name), Permissions: req.Permissions,
		Region: req.Region, EnterpriseID: req.EnterpriseID}
	if tk.Name == "" {
		tk.Name = "api"
	}
	if tk.Permissions == nil {
		tk.Permissions = held
	}
	for _, p := range tk.Permissions {
		if !slices.Contains(held, p) {
			return nil, lianggao.FieldError("permissions", "token.permission", string(p))
		}
	}
	if tk.Region == "" {
		tk.Region = u.Region
	}
	if tk.Region != u.Region && !inScope(ua, tk.Region) {
		return nil, lianggao.FieldError("region", "region.out_of_scope", tk.Region)
	}
	if u.EnterpriseID != 0 {
		tk.EnterpriseID = u.EnterpriseID
	}
	if req.Lifetime < time.Hour || req.Lifetime > 366*24*time.Hour {
		return nil, lianggao.FieldError("expires", "token.lifetime")
	}
	return tk, nil
}

// TokenActor returns the actor an API token acts as, or EUNAUTHORIZED for an
// unknown, expired or revoked token or a disabled user.
func (s *Store) TokenActor(ctx context.Context, secret string) (*lianggao.Actor, error) {
	u := &lianggao.User{}
	var id, ent int64
	var perms, region string
	var expires time.Time
	var revoked, lastUsed sql.NullTime
	err := scanUser(s.queryRowRead(ctx, `SELECT `+userColumns+`, k.id, k.permissions, k.region_code,
		COALESCE(k.enterprise_id, 0), k.expires_at, k.revoked_at, k.last_used_at
		FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.token_hash = ?`, auth.HashToken(secret)),
		u, &id, &perms, &region, &ent, &expires, &revoked, &lastUsed)
	now := s.now().UTC()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "token.invalid")
	case err != nil:
		return nil, err
	case u.Disabled || revoked.Valid || now.After(expires):
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "token.invalid")
	}
	if !lastUsed.Valid || now.Sub(lastUsed.Time) > time.Minute {
		if err := s.update(ctx, func(t *tx) error {
			_, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, t.now, id)
			return err
		}); err != nil {
			return nil, err
		}
	}
	a := u.Actor()
	a.Region, a.EnterpriseID, a.TokenID, a.Only = region, ent, id, splitPerms(perms)
	a.MustChangePassword = false // a machine client has no password to change
	return a, nil
}

// FindTokens lists the actor's own tokens, or everyone's for the system administrator.
func (s *Store) FindTokens(ctx context.Context) ([]*Token, error) {
	a := lianggao.ActorFrom(ctx)
	if a == nil {
		return nil, lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	w := &where{}
	if !a.Can(lianggao.PermUserManage) {
		w.add("k.user_id = ?", a.UserID)
	}
	rows, err := s.queryRead(ctx, `SELECT k.id, k.user_id, u.username, k.name, k.permissions, k.region_code,
		COALESCE(k.enterprise_id, 0), k.created_at, k.expires_at, k.revoked_at, k.last_used_at
		FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE `+w.String()+` ORDER BY k.id DESC`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Token
	for rows.Next() {
		tk := &Token{}
		var perms string
		var revoked, used sql.NullTime
		if err := rows.Scan(&tk.ID, &tk.UserID, &tk.Username, &tk.Name, &perms, &tk.Region, &tk.EnterpriseID,
			&tk.CreatedAt, &tk.ExpiresAt, &revoked, &used); err != nil {
			return nil, err
		}
		tk.Permissions = splitPerms(perms)
		if revoked.Valid {
			tk.RevokedAt = &revoked.Time
		}
		if used.Valid {
			tk.LastUsedAt = &used.Time
		}
		out = append(out, tk)
	}
	return out, rows.Err()
}

// RevokeToken ends a token at once: its owner or the system administrator may.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	a := lianggao.ActorFrom(ctx)
	if a == nil {
		return lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	return s.update(ctx, func(t *tx) error {
		w := &where{}
		w.add("id = ?", id)
		w.add("revoked_at IS NULL")
		if !a.Can(lianggao.PermUserManage) {
			w.add("user_id = ?", a.UserID)
		}
		res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE `+w.String(), append([]any{t.now}, w.args...)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("token")
		}
		return s.audit(ctx, t, auditEntry{Action: "token.revoke", ObjectType: "token", ObjectID: strconv.FormatInt(id, 10)})
	})
}

func joinPerms(ps []lianggao.Permission) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = string(p)
	}
	return strings.Join(parts, ",")
}

// splitPerms reads a token's permissions; an empty list stays non-nil, so it
// grants nothing rather than everything.
func splitPerms(s string) []lianggao.Permission {
	out := []lianggao.Permission{}
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, lianggao.Permission(p))
		}
	}
	return out
}

// findUser reads one account.
func (s *Store) findUser(ctx context.Context, id int64) (*lianggao.User, error) {
	u := &lianggao.User{}
	err := scanUser(s.queryRowRead(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id), u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find user: %w", err)
	}
	return u, nil
}
