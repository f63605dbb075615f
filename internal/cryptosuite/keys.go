package cryptosuite

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"math/big"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// MasterKeySize is the length in bytes of the master secret.
const MasterKeySize = 32

// Keys holds the keys of both suites, all derived from one master secret: one
// secret is all a deployment keeps safe, and a change of suite needs no new
// key. Keys is immutable and safe for concurrent use.
type Keys struct {
	mac     map[string][]byte      // HMAC keys by digest algorithm
	aead    map[string]cipher.AEAD // by sealing algorithm
	signing map[string]signingKey  // by signature algorithm
}

// signingKey is a private key, the options its Sign method takes, and its
// public key encoded as Suite.PublicKey prints it.
type signingKey struct {
	signer crypto.Signer
	opts   crypto.SignerOpts
	public []byte
}

// kdfInfo prefixes the HKDF info of every derived key; the algorithm name
// follows, so that no two keys share a label. Changing it changes every key.
const kdfInfo = "lianggao/cryptosuite/v1/"

// NewKeys derives the keys of both suites from a 32-byte master secret with
// HKDF (RFC 5869): those of gm with HMAC-SM3, those of intl with HMAC-SHA256,
// so that each suite's keys come from its own family of algorithms.
func NewKeys(master []byte) (*Keys, error) {
	k, err := newKeys(master)
	if err != nil {
		return nil, fmt.Errorf("cryptosuite: %w", err)
	}
	return k, nil
}

// newKeys is NewKeys with errors that leave the package prefix to the caller.
func newKeys(master []byte) (*Keys, error) {
	if len(master) != MasterKeySize {
		return nil, fmt.Errorf("master key is %d bytes, want %d (%d hex digits)",
			len(master), MasterKeySize, 2*MasterKeySize)
	}
	k := &Keys{mac: map[string][]byte{}, aead: map[string]cipher.AEAD{}, signing: map[string]signingKey{}}
	if err := k.deriveGM(master); err != nil {
		return nil, fmt.Errorf("gm keys: %w", err)
	}
	if err := k.deriveIntl(master); err != nil {
		return nil, fmt.Errorf("intl keys: %w", err)
	}
	return k, nil
}

// deriveGM derives the HMAC-SM3 key, the SM4 key and the SM2 private key.
func (k *Keys) deriveGM(master []byte) error {
	d := deriver{newHash: sm3.New, master: master}
	// 40 bytes for SM2: see sm2Key.
	macKey, encKey, seed := d.key(algHMACSM3, 32), d.key(algSM4GCM, 16), d.key(algSM2, 40)
	if d.err != nil {
		return d.err
	}
	aead, err := newGCM(sm4.NewCipher, encKey)
	if err != nil {
		return err
	}
	priv, err := sm2Key(seed)
	if err != nil {
		return err
	}
	k.mac[algHMACSM3] = macKey
	k.aead[algSM4GCM] = aead
	k.signing[algSM2] = signingKey{signer: priv, opts: sm2.NewSM2SignerOption(true, sm2UID), public: sm2Public(priv)}
	return nil
}

// deriveIntl derives the HMAC-SHA256 key, the AES-256 key and the Ed25519
// private key.
func (k *Keys) deriveIntl(master []byte) error {
	d := deriver{newHash: sha256.New, master: master}
	macKey, encKey, seed := d.key(algHMACSHA256, 32), d.key(algAES256GCM, 32), d.key(algEd25519, ed25519.SeedSize)
	if d.err != nil {
		return d.err
	}
	aead, err := newGCM(aes.NewCipher, encKey)
	if err != nil {
		return err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	k.mac[algHMACSHA256] = macKey
	k.aead[algAES256GCM] = aead
	// crypto.Hash(0) selects pure Ed25519 (RFC 8032 §5.1), not Ed25519ph.
	k.signing[algEd25519] = signingKey{signer: priv, opts: crypto.Hash(0), public: priv.Public().(ed25519.PublicKey)}
	return nil
}

// deriver derives labelled keys from the master secret, keeping the first
// error so that a run of derivations needs one check.
type deriver struct {
	newHash func() hash.Hash
	master  []byte
	err     error
}

// key derives n bytes labelled with the algorithm alg.
func (d *deriver) key(alg string, n int) []byte {
	if d.err != nil {
		return nil
	}
	var b []byte
	b, d.err = hkdf.Key(d.newHash, d.master, nil, kdfInfo+alg, n)
	return b
}

// newGCM wraps the block cipher made by newCipher from key in GCM with the
// standard 12-byte nonce and 16-byte tag.
func newGCM(newCipher func([]byte) (cipher.Block, error), key []byte) (cipher.AEAD, error) {
	block, err := newCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sm2Key maps 40 derived bytes to a private key d in [1, n-2], the range
// GB/T 32918.1-2016 requires: d = seed mod (n-2) + 1. Reducing 64 bits
// more than n has leaves a bias below 2^-64 (the method of FIPS 186-5 §A.2.1,
// which maps to [1, n-1]). big.Int is not constant-time, which matters little
// here: this runs once per process, on a secret an attacker cannot vary.
func sm2Key(seed []byte) (*sm2.PrivateKey, error) {
	nMinus2 := new(big.Int).Sub(sm2.P256().Params().N, big.NewInt(2))
	d := new(big.Int).SetBytes(seed)
	d.Mod(d, nMinus2).Add(d, big.NewInt(1))
	return sm2.NewPrivateKeyFromInt(d)
}

// sm2Public encodes the public key of priv as the uncompressed point 04|X|Y,
// the form GB/T 32918.1-2016 defines and other SM2 tools read.
func sm2Public(priv *sm2.PrivateKey) []byte {
	pub := append([]byte{4}, priv.X.FillBytes(make([]byte, 32))...)
	return append(pub, priv.Y.FillBytes(make([]byte, 32))...)
}

// Format prints Keys without its contents, so that a stray %v in a log line
// cannot leak them. Its receiver is a value so that it covers Keys and *Keys.
func (Keys) Format(f fmt.State, _ rune) {
	io.WriteString(f, "cryptosuite.Keys{redacted}")
}
