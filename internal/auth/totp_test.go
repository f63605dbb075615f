package auth

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcKey is the SHA-1 key of RFC 4226 Appendix D and RFC 6238 Appendix B.
var rfcKey = []byte("12345678901234567890")

// Ensure HOTP matches RFC 4226 Appendix D.
func TestHOTPVectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := hotp(rfcKey, uint64(i), 6); got != w {
			t.Errorf("counter %d: %s, want %s", i, got, w)
		}
	}
}

// Ensure TOTP matches the SHA-1 rows of RFC 6238 Appendix B, and that the
// 6-digit code of the exported API is their last six digits.
func TestTOTPVectors(t *testing.T) {
	secret := b32.EncodeToString(rfcKey)
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		at := time.Unix(v.unix, 0)
		if got := hotp(rfcKey, uint64(totpStep(at)), 8); got != v.code {
			t.Errorf("t=%d: %s, want %s", v.unix, got, v.code)
		}
		got, err := TOTPCode(secret, at)
		if err != nil || got != v.code[2:] {
			t.Errorf("TOTPCode t=%d: %q %v, want %s", v.unix, got, err, v.code[2:])
		}
	}
}

// Ensure new secrets are 160-bit, unpadded upper-case base32 and differ.
func TestNewTOTPSecret(t *testing.T) {
	a, b := NewTOTPSecret(), NewTOTPSecret()
	if a == b || len(a) != 32 || strings.ToUpper(a) != a || strings.Contains(a, "=") {
		t.Fatalf("secrets %q %q", a, b)
	}
	if _, err := decodeSecret(a); err != nil {
		t.Fatal(err)
	}
}

// Ensure one step of drift either way is accepted and two are not.
func TestVerifyTOTPDrift(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_700_000_010, 0)
	step := totpStep(now)
	for drift, accept := range map[time.Duration]bool{
		-60 * time.Second: false,
		-30 * time.Second: true,
		0:                 true,
		30 * time.Second:  true,
		60 * time.Second:  false,
	} {
		code, _ := TOTPCode(secret, now.Add(drift))
		got, ok := VerifyTOTP(secret, code, now, 0)
		if ok != accept || ok && got != step+int64(drift/(30*time.Second)) {
			t.Errorf("drift %v: step %d ok %v", drift, got, ok)
		}
	}
}

// Ensure a code works once, and an older one is refused after a newer one.
func TestVerifyTOTPReplay(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_700_000_010, 0)
	code, _ := TOTPCode(secret, now)
	last, ok := VerifyTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("first use refused")
	}
	if _, ok := VerifyTOTP(secret, code, now.Add(10*time.Second), last); ok {
		t.Error("replay accepted")
	}
	next, _ := TOTPCode(secret, now.Add(30*time.Second))
	last, ok = VerifyTOTP(secret, next, now, last)
	if !ok {
		t.Fatal("next step refused")
	}
	prev, _ := TOTPCode(secret, now.Add(-30*time.Second))
	if _, ok := VerifyTOTP(secret, prev, now, last); ok {
		t.Error("older step accepted after a newer one")
	}
}

// Ensure codes are accepted with spaces and a secret in any form people copy.
func TestVerifyTOTPLenient(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_700_000_010, 0)
	code, _ := TOTPCode(secret, now)
	spaced := " " + code[:3] + " " + code[3:] + " "
	copied := strings.ToLower(secret[:16] + " " + secret[16:])
	if _, ok := VerifyTOTP(copied, spaced, now, 0); !ok {
		t.Fatal("spaced code or copied secret refused")
	}
}

// Ensure malformed secrets and codes are errors or refusals, never matches.
func TestTOTPMalformed(t *testing.T) {
	now := time.Unix(1_700_000_010, 0)
	for _, bad := range []string{"", "not base32!", "ABCDEFGH", "GEZDGNBV"} {
		if _, err := TOTPCode(bad, now); !errors.Is(err, ErrTOTPSecret) {
			t.Errorf("secret %q: %v", bad, err)
		}
		if _, ok := VerifyTOTP(bad, "123456", now, 0); ok {
			t.Errorf("secret %q verified", bad)
		}
	}
	secret := NewTOTPSecret()
	code, _ := TOTPCode(secret, now)
	for _, bad := range []string{"", code[:5], code + "0", "12345a", "１２３４５６", "-12345"} {
		if _, ok := VerifyTOTP(secret, bad, now, 0); ok {
			t.Errorf("code %q verified", bad)
		}
	}
}

// Ensure the URI percent-encodes a Chinese issuer, spaces and the label's
// colon, and parses back to what went in.
func TestTOTPURI(t *testing.T) {
	const issuer = "两高行业监督检查平台"
	uri := TOTPURI(issuer, "zhang san:1", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	want := "otpauth://totp/%E4%B8%A4%E9%AB%98"
	if !strings.HasPrefix(uri, want) || strings.ContainsAny(uri, " +") || strings.Count(uri, ":") != 2 {
		t.Fatalf("uri %s", uri)
	}
	for _, c := range uri {
		if c > 0x7e {
			t.Fatalf("non-ASCII in %s", uri)
		}
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/"+issuer+":zhang san:1" ||
		q.Get("issuer") != issuer || q.Get("secret") != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("parsed %#v %v", u, q)
	}
	if got := TOTPURI("", "a@b", "ABC"); got != "otpauth://totp/a%40b?secret=ABC&algorithm=SHA1&digits=6&period=30" {
		t.Errorf("no issuer: %s", got)
	}
}
