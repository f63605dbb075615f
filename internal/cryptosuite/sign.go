package cryptosuite

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
)

// ErrBadSignature reports a signature that does not verify.
var ErrBadSignature = errors.New("cryptosuite: signature does not verify")

// sm2UID is the signer's distinguishing identifier, hashed into every SM2
// signature through Z_A (GB/T 32918.2-2016): the default ID of GB/T
// 35276-2017, which other SM2 implementations assume when none is agreed.
var sm2UID = []byte("1234567812345678")

// Sign signs msg with the suite's signing key and returns "sm2:"+base64(DER
// signature) or "ed25519:"+base64(signature).
func (s *Suite) Sign(msg []byte) (string, error) {
	k := s.keys.signing[s.sig]
	sig, err := k.signer.Sign(rand.Reader, msg, k.opts)
	if err != nil {
		return "", fmt.Errorf("cryptosuite: sign: %w", err)
	}
	return s.sig + ":" + b64.EncodeToString(sig), nil
}

// Verify checks sig over msg against this platform's own key for the
// algorithm sig names, of either suite. It returns ErrBadSignature if the
// signature does not verify.
func (s *Suite) Verify(msg []byte, sig string) error {
	alg, raw, err := parseSignature(sig)
	if err != nil {
		return err
	}
	// An unknown alg finds no key here and is reported by verify.
	return verify(alg, s.keys.signing[alg].public, msg, raw)
}

// PublicKey returns the suite's verification key in the form VerifyWithPublic
// reads: "sm2:04"+hex(X|Y) (uncompressed point) or "ed25519:"+hex(key). It is
// not secret: give it to whoever must check the platform's signatures.
func (s *Suite) PublicKey() string {
	return s.sig + ":" + hex.EncodeToString(s.keys.signing[s.sig].public)
}

// VerifyWithPublic checks sig over msg against pub, a key printed by
// PublicKey, without the master key. It returns ErrBadSignature if the
// signature does not verify.
func VerifyWithPublic(pub string, msg []byte, sig string) error {
	keyAlg, payload, err := cut(pub, "public key")
	if err != nil {
		return err
	}
	key, err := hex.DecodeString(payload)
	if err != nil {
		return fmt.Errorf("cryptosuite: %s public key is not hex", keyAlg)
	}
	alg, raw, err := parseSignature(sig)
	if err != nil {
		return err
	}
	if alg != keyAlg {
		return fmt.Errorf("cryptosuite: %s signature cannot be checked with a %s key", alg, keyAlg)
	}
	return verify(alg, key, msg, raw)
}

// parseSignature splits a printed signature into its algorithm and bytes.
func parseSignature(sig string) (alg string, raw []byte, err error) {
	alg, payload, err := cut(sig, "signature")
	if err != nil {
		return "", nil, err
	}
	raw, err = b64.DecodeString(payload)
	if err != nil {
		return "", nil, fmt.Errorf("cryptosuite: %s signature is not base64: %w", alg, err)
	}
	return alg, raw, nil
}

// verify checks the signature raw of algorithm alg over msg against the
// public key pub, encoded as PublicKey prints it.
func verify(alg string, pub, msg, raw []byte) error {
	var ok bool
	switch alg {
	case algSM2:
		key, err := sm2.NewPublicKey(pub)
		if err != nil {
			return fmt.Errorf("cryptosuite: sm2 public key: %w", err)
		}
		ok = sm2.VerifyASN1WithSM2(key, sm2UID, msg, raw)
	case algEd25519:
		// ed25519.Verify panics on a key of the wrong length.
		if len(pub) != ed25519.PublicKeySize {
			return fmt.Errorf("cryptosuite: ed25519 public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
		}
		ok = ed25519.Verify(pub, msg, raw)
	default:
		return fmt.Errorf("cryptosuite: unknown signature algorithm %q", alg)
	}
	if !ok {
		return ErrBadSignature
	}
	return nil
}
