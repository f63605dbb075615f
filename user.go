package lianggao

import (
	"context"
	"time"
)

// User is an account: a person or an enterprise's reporter, with roles and a scope.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	Name         string    `json:"name"`
	Roles        []Role    `json:"roles"`
	Region       string    `json:"region"`
	EnterpriseID int64     `json:"enterprise_id,omitempty"`
	PersonID     int64     `json:"person_id,omitempty"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	// MustChangePassword is set for accounts created with a password someone
	// else chose: the first sign-in asks for a new one.
	MustChangePassword bool `json:"must_change_password"`
	// MFAExempt spares the demo province's accounts two-factor sign-in.
	MFAExempt bool `json:"-"`
	// TOTP tells whether two-factor sign-in is set up.
	TOTP bool `json:"totp"`
}

// NeedsTOTP reports whether the user must sign in with a second factor:
// administrators always (unless a demo account), others once they enrolled.
func (u *User) NeedsTOTP() bool {
	if u.TOTP {
		return true
	}
	if u.MFAExempt {
		return false
	}
	for _, r := range u.Roles {
		if r == RoleSystemAdmin || r == RoleSecurityAdmin || r == RoleAuditAdmin {
			return true
		}
	}
	return false
}

// Actor returns the actor a signed-in user acts as.
func (u *User) Actor() *Actor {
	return &Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Roles: u.Roles, Region: u.Region, EnterpriseID: u.EnterpriseID, PersonID: u.PersonID,
		MustChangePassword: u.MustChangePassword}
}

// Session is a signed-in browser or client.
type Session struct {
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// AuthService signs people in and out.
type AuthService interface {
	// Authenticate returns EUNAUTHORIZED for an unknown user, a wrong password or a
	// disabled account, without saying which.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// CreateSession returns a new opaque session token for the user; a
	// pending session waits for the second factor.
	CreateSession(ctx context.Context, userID int64, pending bool) (string, error)
	// SessionUser returns the user of a live session, refreshing its idle timer,
	// or EUNAUTHORIZED.
	SessionUser(ctx context.Context, token string) (*User, error)
	DeleteSession(ctx context.Context, token string) error
}
