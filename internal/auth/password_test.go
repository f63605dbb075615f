package auth

import (
	"strings"
	"testing"
)

// Ensure a password verifies against its own hash only, salts differ, and a
// malformed hash never verifies.
func TestHashVerify(t *testing.T) {
	h := NewHasher(CheapParams, 2)
	a, b := h.Hash("secret-pass"), h.Hash("secret-pass")
	if a == b || !strings.HasPrefix(a, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hashes %q %q", a, b)
	}
	if !h.Verify(a, "secret-pass") || h.Verify(a, "secret-pasS") {
		t.Fatal("verify")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=x$c2FsdA$a2V5"} {
		if h.Verify(bad, "secret-pass") {
			t.Errorf("%q verified", bad)
		}
	}
}

// Ensure tokens are random and stored only as their hash.
func TestToken(t *testing.T) {
	t1, h1 := NewToken()
	t2, _ := NewToken()
	if t1 == t2 || len(t1) < 40 || HashToken(t1) != h1 || h1 == t1 {
		t.Fatal("tokens")
	}
}
