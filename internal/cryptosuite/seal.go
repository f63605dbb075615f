package cryptosuite

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrOpen reports a sealed value that does not authenticate: a wrong key,
// wrong associated data, or a value altered or cut since it was sealed.
var ErrOpen = errors.New("cryptosuite: cannot open sealed value (wrong key, wrong associated data, or tampered)")

// b64 decodes strictly, so that a value has one encoding only: with the
// lenient decoder, changing the unused low bits of the last character would
// give a different string that opens to the same plaintext.
var b64 = base64.StdEncoding.Strict()

// Seal encrypts and authenticates plaintext, and authenticates aad (the
// context the value belongs to, e.g. a table, column and row id, so that a
// sealed value copied elsewhere does not open). It returns
// "sm4-gcm:"+base64(nonce|ciphertext|tag), or "aes256-gcm:…" for intl.
//
// The 12-byte nonce is random, so a master key should seal fewer than 2^32
// values per suite (NIST SP 800-38D §8.3).
func (s *Suite) Seal(plaintext, aad []byte) (string, error) {
	aead := s.keys.aead[s.aead]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("cryptosuite: nonce: %w", err)
	}
	return s.aead + ":" + b64.EncodeToString(aead.Seal(nonce, nonce, plaintext, aad)), nil
}

// Open decrypts a value sealed by either suite with the same master key and
// the same aad. It returns ErrOpen if the value does not authenticate.
func (s *Suite) Open(sealed string, aad []byte) ([]byte, error) {
	alg, payload, err := cut(sealed, "sealed value")
	if err != nil {
		return nil, err
	}
	aead, ok := s.keys.aead[alg]
	if !ok {
		return nil, fmt.Errorf("cryptosuite: unknown sealing algorithm %q", alg)
	}
	b, err := b64.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("cryptosuite: sealed value is not base64: %w", err)
	}
	n := aead.NonceSize()
	if len(b) < n+aead.Overhead() {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrOpen, len(b))
	}
	plaintext, err := aead.Open(nil, b[:n], b[n:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plaintext, nil
}
