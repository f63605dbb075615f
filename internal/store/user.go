package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"lianggao"
	"lianggao/internal/auth"
)

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{1,31}$`)

// CreateUser creates an account. Only the system administrator (or the
// platform itself) creates accounts, and nobody grants a role whose scope is
// wider than their own.
func (s *Store) CreateUser(ctx context.Context, u *lianggao.User, password string) error {
	a, err := actorOf(ctx, lianggao.PermUserManage)
	if err != nil {
		return err
	}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	if a.UserID != lianggao.SystemActor.UserID {
		// A person creating an account gives it no roles and no scope (the
		// security administrator does), and its first sign-in asks for a
		// new password.
		if len(u.Roles) > 0 || u.Region != "" {
			return lianggao.FieldError("roles", "roles.by_security_admin")
		}
		u.MustChangePassword, u.MFAExempt = true, false
	}
	switch {
	case !usernamePattern.MatchString(u.Username):
		return lianggao.FieldError("username", "username.invalid")
	case len(password) < 8:
		return lianggao.FieldError("password", "password.short", 8)
	}
	for _, r := range u.Roles {
		if !lianggao.ValidRole(r) {
			return lianggao.FieldError("roles", "enum.invalid", string(r))
		}
	}
	if _, ok := s.profile.Region(u.Region); !ok && u.Region != "" && u.Region != lianggao.SystemActor.Region {
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
			person_id, disabled, created_at, must_change_password, mfa_exempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Username, u.Name, hash, joinRoles(u.Roles), u.Region, ent, person, false, t.now, u.MustChangePassword, u.MFAExempt)
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
	COALESCE(u.person_id, 0), u.disabled, u.created_at, u.must_change_password, u.mfa_exempt, u.totp_secret IS NOT NULL`

func scanUser(sc interface{ Scan(...any) error }, u *lianggao.User, extra ...any) error {
	var roles string
	err := sc.Scan(append([]any{&u.ID, &u.Username, &u.Name, &roles, &u.Region, &u.EnterpriseID, &u.PersonID,
		&u.Disabled, &u.CreatedAt, &u.MustChangePassword, &u.MFAExempt, &u.TOTP}, extra...)...)
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

// FindUsers returns every account, for the system administrator and the demo listing.
func (s *Store) FindUsers(ctx context.Context) ([]*lianggao.User, error) {
	if _, err := actorOf(ctx, lianggao.PermUserRead); err != nil {
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

// FindUserByName returns an account by user name, for the administrators.
func (s *Store) FindUserByName(ctx context.Context, username string) (*lianggao.User, error) {
	if _, err := actorOf(ctx, lianggao.PermUserRead); err != nil {
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

// SetUserRoles gives an account its roles and scope. It is the security
// administrator's act; administrator roles are not granted here (only from
// the command line), nobody changes their own roles, and every change
// is audited with the roles before and after.
func (s *Store) SetUserRoles(ctx context.Context, id int64, roles []lianggao.Role, region string, enterpriseID int64) error {
	a, err := actorOf(ctx, lianggao.PermRoleAssign)
	if err != nil {
		return err
	}
	if a.UserID == id {
		return lianggao.FieldError("roles", "roles.self")
	}
	for _, r := range roles {
		switch {
		case !lianggao.ValidRole(r):
			return lianggao.FieldError("roles", "enum.invalid", string(r))
		case slices.Contains(lianggao.AdminRoles, r):
			return lianggao.FieldError("roles", "roles.admin", string(r))
		}
	}
	if _, ok := s.profile.Region(region); !ok {
		return lianggao.FieldError("region", "region.unknown", region)
	}
	if slices.Contains(roles, lianggao.RoleEnterprise) != (enterpriseID != 0) {
		return lianggao.FieldError("enterprise", "roles.enterprise")
	}
	before, err := s.findUser(ctx, id)
	if err != nil {
		return err
	}
	if hasAdminRole(before) {
		return lianggao.FieldError("roles", "roles.admin", joinRoles(before.Roles))
	}
	return s.update(ctx, func(t *tx) error {
		var ent any
		if enterpriseID != 0 {
			ent = enterpriseID
		}
		if _, err := t.exec(ctx, `UPDATE users SET roles = ?, region_code = ?, enterprise_id = ? WHERE id = ?`,
			joinRoles(roles), region, ent, id); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "user.roles", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]any{"roles": before.Roles, "region": before.Region, "enterprise_id": before.EnterpriseID},
			After:  map[string]any{"roles": roles, "region": region, "enterprise_id": enterpriseID}})
	})
}

func hasAdminRole(u *lianggao.User) bool {
	for _, r := range u.Roles {
		if slices.Contains(lianggao.AdminRoles, r) {
			return true
		}
	}
	return false
}

// SetUserDisabled disables or re-enables an account (the system
// administrator's act); disabling also ends its sessions.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	a, err := actorOf(ctx, lianggao.PermUserManage)
	if err != nil {
		return err
	}
	if a.UserID == id {
		return lianggao.FieldError("disabled", "user.self")
	}
	return s.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("user")
		}
		if disabled {
			if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, auditEntry{Action: "user.disable", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"disabled": disabled}})
	})
}

// EndSessions signs a user out everywhere: their own act, or the system
// administrator's.
func (s *Store) EndSessions(ctx context.Context, userID int64) error {
	a := lianggao.ActorFrom(ctx)
	if a == nil {
		return lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	if a.UserID != userID && !a.Can(lianggao.PermUserManage) {
		return forbidden()
	}
	return s.update(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "session.signout_all", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10)})
	})
}

// FindUserByID returns an account, for the administrators.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*lianggao.User, error) {
	if _, err := actorOf(ctx, lianggao.PermUserRead); err != nil {
		return nil, err
	}
	return s.findUser(ctx, id)
}

// ChangePassword replaces the actor's own password after checking the
// current one and the password policy; other sessions end.
func (s *Store) ChangePassword(ctx context.Context, current, next string) error {
	a := lianggao.ActorFrom(ctx)
	if a == nil || a.TokenID != 0 {
		return lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	var hash string
	if err := s.queryRowRead(ctx, `SELECT password_hash FROM users WHERE id = ?`, a.UserID).Scan(&hash); err != nil {
		return err
	}
	if !s.hasher.Verify(hash, current) {
		return lianggao.FieldError("current", "password.wrong")
	}
	if err := auth.CheckPassword(a.Username, next); err != nil {
		return err
	}
	if next == current {
		return lianggao.FieldError("password", "password.same")
	}
	newHash := s.hasher.Hash(next)
	return s.update(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ? WHERE id = ?`,
			newHash, false, t.now, a.UserID); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "user.password", ObjectType: "user", ObjectID: strconv.FormatInt(a.UserID, 10)})
	})
}

// ResetPassword gives an account a new random password, shown once to the
// system administrator; its first use asks for a new one, and the
// account's sessions end.
func (s *Store) ResetPassword(ctx context.Context, id int64) (string, error) {
	if _, err := actorOf(ctx, lianggao.PermUserManage); err != nil {
		return "", err
	}
	token, _ := auth.NewToken()
	password := token[:16]
	hash := s.hasher.Hash(password)
	err := s.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`, hash, true, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("user")
		}
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "user.reset_password", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10)})
	})
	return password, err
}

// LinkPerson links an account to a person of the register — which joint
// group they serve on, which department they sign for. It is the system
// administrator's act, audited with the link before and after.
func (s *Store) LinkPerson(ctx context.Context, userID, personID int64) error {
	if _, err := actorOf(ctx, lianggao.PermUserManage); err != nil {
		return err
	}
	before, err := s.findUser(ctx, userID)
	if err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET person_id = ? WHERE id = ? AND EXISTS (SELECT 1 FROM people WHERE id = ?)`,
			personID, userID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianggao.FieldError("person_id", "person.unknown", personID)
		}
		return s.audit(ctx, t, auditEntry{Action: "user.person", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
			Before: map[string]int64{"person_id": before.PersonID}, After: map[string]int64{"person_id": personID}})
	})
}
