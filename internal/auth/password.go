// Package auth holds passwords (argon2id) and session tokens.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultParams follow RFC 9106's second recommended option (64 MiB, 3 passes).
var DefaultParams = Params{MemoryKiB: 64 * 1024, Time: 3, Threads: 2}

// CheapParams are for tests only.
var CheapParams = Params{MemoryKiB: 64, Time: 1, Threads: 1}

// Hasher hashes and verifies passwords. At most a few hashes run at once, so
// that a burst of sign-ins cannot take all memory (64 MiB each).
type Hasher struct {
	params Params
	sem    chan struct{}
}

// NewHasher returns a hasher allowing concurrency hashes at once.
func NewHasher(p Params, concurrency int) *Hasher {
	return &Hasher{params: p, sem: make(chan struct{}, max(concurrency, 1))}
}

// Hash returns the PHC string of password with a fresh salt.
func (h *Hasher) Hash(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	h.sem <- struct{}{}
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, 32)
	<-h.sem
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.MemoryKiB, h.params.Time, h.params.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// Verify reports whether password matches the PHC string, using the
// parameters stored in it.
func (h *Hasher) Verify(phc, password string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	h.sem <- struct{}{}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	<-h.sem
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a random session or API token and the hash under which it
// is stored: the database never holds a usable token.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
