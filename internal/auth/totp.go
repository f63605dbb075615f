package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Time-based one-time passwords (RFC 6238) on HOTP (RFC 4226), with the
// parameters every authenticator app supports: HMAC-SHA1, 6 digits, 30 s.
const (
	totpDigits = 6
	totpPeriod = 30 // seconds
)

// ErrTOTPSecret reports a TOTP secret that is not base32 or is shorter than
// the 128 bits RFC 4226 requires.
var ErrTOTPSecret = errors.New("auth: malformed TOTP secret")

// b32 is base32 without padding: authenticator apps and otpauth URIs omit it.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a fresh secret of 160 bits (RFC 4226's recommended
// length), base32 encoded in upper case without padding.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return b32.EncodeToString(b)
}

// TOTPCode returns the 6-digit code of secret at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(totpStep(t)), totpDigits), nil
}

// VerifyTOTP reports whether code is valid for secret at time t, and the time
// step it matched. The current step and one step either side are accepted, to
// allow for clock drift between server and phone. A step not after lastStep is
// refused so that each code works once (RFC 6238 §5.2): the caller stores the
// returned step and passes it as lastStep next time (0 for a new secret).
// Spaces in the code are ignored, as apps show "123 456".
func VerifyTOTP(secret, code string, t time.Time, lastStep int64) (step int64, ok bool) {
	key, err := decodeSecret(secret)
	code = strings.Join(strings.Fields(code), "")
	if err != nil || !isDigits(code, totpDigits) {
		return 0, false
	}
	now := totpStep(t)
	for s := now - 1; s <= now+1; s++ {
		want := hotp(key, uint64(s), totpDigits)
		if s > lastStep && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// TOTPURI returns the otpauth:// URI (Google Authenticator key URI format)
// that an authenticator app reads from a QR code.
func TOTPURI(issuer, account, secret string) string {
	label, query := uriEscape(account), "secret="+uriEscape(secret)
	if issuer != "" {
		label = uriEscape(issuer) + ":" + label
		query += "&issuer=" + uriEscape(issuer)
	}
	return fmt.Sprintf("otpauth://totp/%s?%s&algorithm=SHA1&digits=%d&period=%d", label, query, totpDigits, totpPeriod)
}

// uriEscape percent-encodes all but RFC 3986's unreserved characters. The
// net/url escapers do not fit: PathEscape keeps ':' (the label's separator)
// and QueryEscape turns spaces into '+', which some apps show literally.
func uriEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// decodeSecret accepts a secret as people copy it: any case, spaces, padding.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	key, err := b32.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(key) < 16 {
		return nil, ErrTOTPSecret
	}
	return key, nil
}

// totpStep returns the number of periods since the Unix epoch.
func totpStep(t time.Time) int64 {
	return t.Unix() / totpPeriod
}

// hotp returns the RFC 4226 code of key at counter with the given number of
// digits (at most 9, so that the modulus fits 31 bits).
func hotp(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	mac.Write(binary.BigEndian.AppendUint64(nil, counter))
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f // dynamic truncation, RFC 4226 §5.3
	bin := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
