package store

import (
	"context"
	"strconv"

	"lianggao"
	"lianggao/internal/auth"
)

// totpAAD binds a sealed TOTP secret to its account, so it cannot be copied
// to another account's row.
func totpAAD(userID int64) []byte { return []byte("totp:" + strconv.FormatInt(userID, 10)) }

// EnrollTOTP sets up two-factor sign-in for the user of a pending session:
// the first code proves the authenticator app holds the secret. The secret
// is stored sealed with the crypto suite, and the session is signed in.
func (s *Store) EnrollTOTP(ctx context.Context, session, secret, code string) error {
	u, err := s.PendingUser(ctx, session)
	if err != nil {
		return err
	}
	step, ok := auth.VerifyTOTP(secret, code, s.now(), 0)
	if !ok {
		return s.totpFailed(ctx, u)
	}
	sealed, err := s.suite.Seal([]byte(secret), totpAAD(u.ID))
	if err != nil {
		return err
	}
	actx := lianggao.NewContext(ctx, u.Actor())
	return s.update(actx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE users SET totp_secret = ?, totp_step = ? WHERE id = ?`, sealed, step, u.ID); err != nil {
			return err
		}
		if err := completeSession(ctx, t, session); err != nil {
			return err
		}
		return s.audit(actx, t, auditEntry{Action: "user.totp_enroll", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
}

// CompleteTOTP checks the second factor of a pending session and signs it
// in. A code is accepted once: its time step is remembered.
func (s *Store) CompleteTOTP(ctx context.Context, session, code string) error {
	u, err := s.PendingUser(ctx, session)
	if err != nil {
		return err
	}
	var sealed string
	var last int64
	if err := s.queryRowRead(ctx, `SELECT totp_secret, totp_step FROM users WHERE id = ? AND totp_secret IS NOT NULL`, u.ID).
		Scan(&sealed, &last); err != nil {
		return lianggao.Errorf(lianggao.EUNAUTHORIZED, "totp.not_enrolled")
	}
	secret, err := s.suite.Open(sealed, totpAAD(u.ID))
	if err != nil {
		return err
	}
	step, ok := auth.VerifyTOTP(string(secret), code, s.now(), last)
	if !ok {
		return s.totpFailed(ctx, u)
	}
	actx := lianggao.NewContext(ctx, u.Actor())
	return s.update(actx, func(t *tx) error {
		// The step only moves forward, so two requests with one code cannot both pass.
		res, err := t.exec(ctx, `UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ?`, step, u.ID, step)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianggao.Errorf(lianggao.EUNAUTHORIZED, "totp.invalid")
		}
		if err := completeSession(ctx, t, session); err != nil {
			return err
		}
		return s.audit(actx, t, auditEntry{Action: "session.signin_totp", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
}

func completeSession(ctx context.Context, t *tx, session string) error {
	_, err := t.exec(ctx, `UPDATE sessions SET mfa_done = ?, last_seen_at = ? WHERE token_hash = ?`, true, t.now, auth.HashToken(session))
	return err
}

// totpFailed audits a wrong code and answers EUNAUTHORIZED.
func (s *Store) totpFailed(ctx context.Context, u *lianggao.User) error {
	actx := lianggao.NewContext(ctx, u.Actor())
	if err := s.update(actx, func(t *tx) error {
		return s.audit(actx, t, auditEntry{Action: "session.totp_failed", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	}); err != nil {
		return err
	}
	return lianggao.Errorf(lianggao.EUNAUTHORIZED, "totp.invalid")
}

// Seal encrypts a value with the crypto suite, bound to aad.
func (s *Store) Seal(plain, aad []byte) (string, error) { return s.suite.Seal(plain, aad) }

// Open decrypts a value sealed with Seal and the same aad.
func (s *Store) Open(sealed string, aad []byte) ([]byte, error) { return s.suite.Open(sealed, aad) }
