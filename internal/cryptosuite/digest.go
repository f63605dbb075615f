package cryptosuite

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"
)

// ErrMismatch reports a digest that does not match its data.
var ErrMismatch = errors.New("cryptosuite: digest does not match")

// Digest is a hash or keyed hash together with the algorithm that made it, so
// that a stored digest can be checked after the deployment changes suite.
type Digest struct {
	Alg string // "sm3", "sha256", "hmac-sm3" or "hmac-sha256"
	Sum []byte
}

// String prints d as "alg:hex", e.g. "sm3:66c7f0…".
func (d Digest) String() string { return d.Alg + ":" + hex.EncodeToString(d.Sum) }

// digester is how one digest algorithm is computed.
type digester struct {
	newHash func() hash.Hash
	keyed   bool // HMAC with the key of the same name
}

// digests holds the digest algorithms by name. All of them are 32 bytes long.
var digests = map[string]digester{
	algSM3:        {newHash: sm3.New},
	algSHA256:     {newHash: sha256.New},
	algHMACSM3:    {newHash: sm3.New, keyed: true},
	algHMACSHA256: {newHash: sha256.New, keyed: true},
}

// ParseDigest reads a digest printed by Digest.String.
func ParseDigest(s string) (Digest, error) {
	alg, payload, err := cut(s, "digest")
	if err != nil {
		return Digest{}, err
	}
	if _, ok := digests[alg]; !ok {
		return Digest{}, fmt.Errorf("cryptosuite: unknown digest algorithm %q", alg)
	}
	sum, err := hex.DecodeString(payload)
	if err != nil || len(sum) != 32 {
		return Digest{}, fmt.Errorf("cryptosuite: %s digest is not 64 hex digits", alg)
	}
	return Digest{Alg: alg, Sum: sum}, nil
}

// Hash returns the suite's hash of b: SM3 or SHA-256.
func (s *Suite) Hash(b []byte) Digest { return s.keys.digest(s.hash, b) }

// MAC returns the suite's keyed hash of b: HMAC-SM3 or HMAC-SHA256.
func (s *Suite) MAC(b []byte) Digest { return s.keys.digest(s.mac, b) }

// Check recomputes d over b with the algorithm d names, of either suite, and
// returns ErrMismatch if the result differs. The comparison takes constant
// time, so that a forger cannot find a MAC byte by byte.
func (s *Suite) Check(b []byte, d Digest) error {
	if _, ok := digests[d.Alg]; !ok {
		return fmt.Errorf("cryptosuite: unknown digest algorithm %q", d.Alg)
	}
	if !hmac.Equal(s.keys.digest(d.Alg, b).Sum, d.Sum) {
		return ErrMismatch
	}
	return nil
}

// digest computes the digest algorithm alg, which must be known, over b.
func (k *Keys) digest(alg string, b []byte) Digest {
	d := digests[alg]
	var h hash.Hash
	if d.keyed {
		h = hmac.New(d.newHash, k.mac[alg])
	} else {
		h = d.newHash()
	}
	h.Write(b)
	return Digest{Alg: alg, Sum: h.Sum(nil)}
}
