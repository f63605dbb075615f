// Package cryptosuite is the platform's one entry point to cryptography:
// hashing, keyed hashing, authenticated encryption and signatures, with the
// Chinese national algorithms (suite "gm": SM3, HMAC-SM3, SM4-GCM, SM2, as a
// GB/T 39786-2021 assessment expects) or international ones (suite "intl":
// SHA-256, HMAC-SHA256, AES-256-GCM, Ed25519).
//
// Every value the package prints names its algorithm ("sm3:…", "sm4-gcm:…",
// "sm2:…"), and every check reads that name rather than the suite's: a
// deployment that changes suite keeps reading and verifying what it wrote
// before, as long as its master key stays the same.
package cryptosuite

import (
	"errors"
	"fmt"
	"strings"
)

// Algorithm names, as printed before the colon of a value.
const (
	algSM3        = "sm3"
	algSHA256     = "sha256"
	algHMACSM3    = "hmac-sm3"
	algHMACSHA256 = "hmac-sha256"
	algSM4GCM     = "sm4-gcm"
	algAES256GCM  = "aes256-gcm"
	algSM2        = "sm2"
	algEd25519    = "ed25519"
)

// Suite is a named set of algorithms bound to a set of keys. It is immutable
// and safe for concurrent use.
type Suite struct {
	name string
	hash string // digest algorithm of Hash
	mac  string // digest algorithm of MAC
	aead string // algorithm of Seal
	sig  string // algorithm of Sign
	keys *Keys
}

// suites holds the suites by name, without keys.
var suites = map[string]Suite{
	"gm":   {name: "gm", hash: algSM3, mac: algHMACSM3, aead: algSM4GCM, sig: algSM2},
	"intl": {name: "intl", hash: algSHA256, mac: algHMACSHA256, aead: algAES256GCM, sig: algEd25519},
}

// New returns the suite called name, "gm" or "intl", using keys k.
func New(name string, k *Keys) (*Suite, error) {
	s, ok := suites[name]
	if !ok {
		return nil, fmt.Errorf("cryptosuite: unknown suite %q (want \"gm\" or \"intl\")", name)
	}
	if k == nil || k.signing == nil {
		return nil, errors.New("cryptosuite: no keys (make them with NewKeys, LoadKeyFile or KeysFromEnv)")
	}
	s.keys = k
	return &s, nil
}

// Name returns the suite's name, "gm" or "intl".
func (s *Suite) Name() string { return s.name }

// cut splits a printed value into its algorithm and payload; what names the
// kind of value for the error.
func cut(v, what string) (alg, payload string, err error) {
	alg, payload, ok := strings.Cut(v, ":")
	if !ok || alg == "" {
		return "", "", fmt.Errorf("cryptosuite: %s has no algorithm prefix", what)
	}
	return alg, payload, nil
}
