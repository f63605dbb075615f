package cryptosuite

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// testMaster is the master key of the tests: bytes 0x00 to 0x1f.
func testMaster() []byte {
	m := make([]byte, MasterKeySize)
	for i := range m {
		m[i] = byte(i)
	}
	return m
}

func testKeys(t testing.TB, master []byte) *Keys {
	t.Helper()
	k, err := NewKeys(master)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testSuite returns the suite called name with the keys of testMaster.
func testSuite(t testing.TB, name string) *Suite {
	t.Helper()
	s, err := New(name, testKeys(t, testMaster()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// otherSuite returns the suite called name with keys of another master key.
func otherSuite(t testing.TB, name string) *Suite {
	t.Helper()
	s, err := New(name, testKeys(t, bytes.Repeat([]byte{0xa5}, MasterKeySize)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var suiteNames = []string{"gm", "intl"}

func TestNew(t *testing.T) {
	for _, name := range suiteNames {
		if got := testSuite(t, name).Name(); got != name {
			t.Errorf("Name() = %q, want %q", got, name)
		}
	}
	if _, err := New("sm", testKeys(t, testMaster())); err == nil || !strings.Contains(err.Error(), `"sm"`) {
		t.Errorf("New(\"sm\") error = %v, want one naming \"sm\"", err)
	}
	for _, k := range []*Keys{nil, new(Keys)} {
		if _, err := New("gm", k); err == nil {
			t.Errorf("New with keys %v: no error", k)
		}
	}
}

// TestDerivationPinned pins what the test master key derives to. The values
// were computed by this package and cross-checked with an independent
// HKDF (RFC 5869) over Python's hashlib (SM3 and SHA-256 from OpenSSL 3.0),
// the pyca/cryptography Ed25519 and AES-GCM, and a textbook SM2 scalar
// multiplication. If this test fails, every deployed key has changed:
// nothing sealed, MACed or signed before could be read or checked.
func TestDerivationPinned(t *testing.T) {
	tests := []struct {
		suite, pub, mac, sealed string
	}{
		{"gm",
			"sm2:048d3805e077c6c58278450b52d1083a02b2044af3aca330e5b8fd1fee4b77a9c2" +
				"bfd70e70a1376449a713770d0c154ce41c6d2c28408ebad48a663a7993facdf7",
			"hmac-sm3:d03f6c0170d3d597a0a42fb9510f84393b1d624b75456142846091e19cb504d9",
			"sm4-gcm:l2uVwnAiu+4rBKr0zrBIPVYkwPQE5GkL7M0KZ1IwwiUVEA=="},
		{"intl",
			"ed25519:af93d5e6487ab40ef70209068839be32220b80b89f5e46e79e8c22f36619e40e",
			"hmac-sha256:518bc1c42f0be734f2af6ff93507d80eb978e6d56300012c2e0923827c2a0914",
			"aes256-gcm:TOKQriUimha42D1bbfrA6xVLW4uvyaQet/Zx4wa9rSTMqQ=="},
	}
	for _, tt := range tests {
		s := testSuite(t, tt.suite)
		if got := s.PublicKey(); got != tt.pub {
			t.Errorf("%s PublicKey() = %s, want %s", tt.suite, got, tt.pub)
		}
		if got := s.MAC([]byte("abc")).String(); got != tt.mac {
			t.Errorf("%s MAC(abc) = %s, want %s", tt.suite, got, tt.mac)
		}
		if got, err := s.Open(tt.sealed, []byte("v1")); err != nil || string(got) != "pinned" {
			t.Errorf("%s Open(pinned) = %q, %v", tt.suite, got, err)
		}
	}
}

// TestSM2KeyRange checks the ends of the mapping to [1, n-2].
func TestSM2KeyRange(t *testing.T) {
	// n-2 and n-3 of the SM2 curve (GB/T 32918.5-2017), as 40-byte seeds.
	nMinus2 := unhex(t, "0000000000000000 FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121")
	nMinus3 := unhex(t, "0000000000000000 FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54120")
	tests := []struct {
		name       string
		seed       []byte
		wantD, bad string // wantD in hex; empty to check only that a key results
	}{
		{"zero seed gives 1", make([]byte, 40), "1", ""},
		{"n-2 wraps to 1", nMinus2, "1", ""},
		{"n-3 gives n-2, the largest", nMinus3, "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121", ""},
		{"all ones", bytes.Repeat([]byte{0xff}, 40), "", ""},
	}
	for _, tt := range tests {
		k, err := sm2Key(tt.seed)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if tt.wantD != "" && k.D.Text(16) != tt.wantD {
			t.Errorf("%s: d = %s, want %s", tt.name, k.D.Text(16), tt.wantD)
		}
	}
}

func TestSealOpen(t *testing.T) {
	for _, name := range suiteNames {
		s := testSuite(t, name)
		for _, plain := range []string{"", "身份证号 370102199001011234", strings.Repeat("x", 5000)} {
			sealed, err := s.Seal([]byte(plain), []byte("person.id_number:42"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(sealed, s.aead+":") {
				t.Errorf("%s: sealed value %.20s… lacks prefix %s:", name, sealed, s.aead)
			}
			got, err := s.Open(sealed, []byte("person.id_number:42"))
			if err != nil || string(got) != plain {
				t.Errorf("%s: Open = %.20q…, %v", name, got, err)
			}
		}
		a, _ := s.Seal([]byte("same"), nil)
		b, _ := s.Seal([]byte("same"), nil)
		if a == b {
			t.Errorf("%s: two seals of the same plaintext are equal: the nonce is not random", name)
		}
	}
}

// TestOpenAcrossSuites checks that a deployment can change suite and still
// open what it sealed before, in both directions.
func TestOpenAcrossSuites(t *testing.T) {
	k := testKeys(t, testMaster())
	for _, from := range suiteNames {
		for _, to := range suiteNames {
			sealer, _ := New(from, k)
			opener, _ := New(to, k)
			sealed, err := sealer.Seal([]byte("secret"), []byte("ctx"))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := opener.Open(sealed, []byte("ctx")); err != nil || string(got) != "secret" {
				t.Errorf("sealed by %s, opened by %s: %q, %v", from, to, got, err)
			}
		}
	}
}

func TestOpenRejects(t *testing.T) {
	aad := []byte("enterprise:7")
	for _, name := range suiteNames {
		s := testSuite(t, name)
		// 9 bytes of plaintext make 37 sealed bytes, whose base64 ends in "==".
		sealed, err := s.Seal([]byte("plaintext"), aad)
		if err != nil {
			t.Fatal(err)
		}
		alg, payload, _ := strings.Cut(sealed, ":")
		raw, _ := b64.DecodeString(payload)
		twin := payload[:len(payload)-3] + sibling(payload[len(payload)-3]) + "=="
		if lax, err := base64.StdEncoding.DecodeString(twin); err != nil || !bytes.Equal(lax, raw) {
			t.Fatalf("%s: test broken: %q is not a second encoding of the sealed bytes", name, twin)
		}
		other := "sm4-gcm"
		if alg == other {
			other = "aes256-gcm"
		}
		tests := []struct {
			name    string
			opener  *Suite
			sealed  string
			aad     []byte
			wantErr error // nil: any error
		}{
			{"byte of nonce flipped", s, alg + ":" + b64.EncodeToString(flip(raw, 0)), aad, ErrOpen},
			{"byte of ciphertext flipped", s, alg + ":" + b64.EncodeToString(flip(raw, 14)), aad, ErrOpen},
			{"byte of tag flipped", s, alg + ":" + b64.EncodeToString(flip(raw, len(raw)-1)), aad, ErrOpen},
			{"wrong aad", s, sealed, []byte("enterprise:8"), ErrOpen},
			{"no aad", s, sealed, nil, ErrOpen},
			{"wrong key", otherSuite(t, name), sealed, aad, ErrOpen},
			{"last byte cut", s, alg + ":" + b64.EncodeToString(raw[:len(raw)-1]), aad, ErrOpen},
			{"cut to the nonce", s, alg + ":" + b64.EncodeToString(raw[:12]), aad, ErrOpen},
			{"empty payload", s, alg + ":", aad, ErrOpen},
			{"other algorithm named", s, other + ":" + payload, aad, ErrOpen},
			{"unknown algorithm", s, "des-cbc:" + payload, aad, nil},
			{"no prefix", s, payload, aad, nil},
			{"not base64", s, alg + ":" + payload[:8] + "*" + payload[9:], aad, nil},
			{"second encoding of the same bytes", s, alg + ":" + twin, aad, nil},
		}
		for _, tt := range tests {
			got, err := tt.opener.Open(tt.sealed, tt.aad)
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("%s, %s: Open = %q, %v; want error %v", name, tt.name, got, err, tt.wantErr)
			}
		}
	}
}

// flip returns a copy of b with byte i inverted.
func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0xff
	return c
}

// sibling returns the base64 character that differs from c in its lowest
// bit: before "==" padding only c's top two bits carry data, so both decode
// to the same bytes unless the decoder is strict.
func sibling(c byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	return string(alphabet[strings.IndexByte(alphabet, c)^1])
}

func TestMACAndCheck(t *testing.T) {
	msg := []byte("seq=1;actor=admin;action=enterprise.update")
	for _, name := range suiteNames {
		s := testSuite(t, name)
		d := s.MAC(msg)
		if d.Alg != s.mac || len(d.Sum) != 32 {
			t.Errorf("%s: MAC = %s", name, d)
		}
		if again := s.MAC(msg); !bytes.Equal(again.Sum, d.Sum) {
			t.Errorf("%s: MAC is not deterministic", name)
		}
		if o := otherSuite(t, name).MAC(msg); bytes.Equal(o.Sum, d.Sum) {
			t.Errorf("%s: MAC does not depend on the key", name)
		}
		if h := s.Hash(msg); bytes.Equal(h.Sum, d.Sum) {
			t.Errorf("%s: MAC equals the unkeyed hash", name)
		}
		parsed, err := ParseDigest(d.String())
		if err != nil {
			t.Fatal(err)
		}
		for _, checker := range suiteNames {
			if err := testSuite(t, checker).Check(msg, parsed); err != nil {
				t.Errorf("%s MAC checked by %s: %v", name, checker, err)
			}
		}
		if err := s.Check(append(msg, '.'), d); err != ErrMismatch {
			t.Errorf("%s: Check of altered data = %v, want ErrMismatch", name, err)
		}
		if err := otherSuite(t, name).Check(msg, d); err != ErrMismatch {
			t.Errorf("%s: Check with another key = %v, want ErrMismatch", name, err)
		}
		if err := s.Check(msg, Digest{Alg: "md5", Sum: d.Sum}); err == nil {
			t.Errorf("%s: Check accepted an unknown algorithm", name)
		}
	}
}

func TestParseDigestRejects(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	for _, s := range []string{
		sum,                      // no algorithm
		"md5:" + sum,             // unknown algorithm
		"sm3:" + sum[:62],        // short
		"sm3:" + sum + "ab",      // long
		"sm3:" + sum[:62] + "zz", // not hex
		"",
	} {
		if d, err := ParseDigest(s); err == nil {
			t.Errorf("ParseDigest(%q) = %v, want error", s, d)
		}
	}
}

func TestSignVerify(t *testing.T) {
	msg := []byte("2026 annual energy report of enterprise 91370000MA3C8X1234")
	for _, name := range suiteNames {
		s := testSuite(t, name)
		sig, err := s.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sig, s.sig+":") {
			t.Errorf("%s: signature %.20s… lacks prefix %s:", name, sig, s.sig)
		}
		for _, verifier := range suiteNames {
			if err := testSuite(t, verifier).Verify(msg, sig); err != nil {
				t.Errorf("%s signature verified by %s: %v", name, verifier, err)
			}
		}
		if err := VerifyWithPublic(s.PublicKey(), msg, sig); err != nil {
			t.Errorf("%s: VerifyWithPublic: %v", name, err)
		}
		alg, payload, _ := strings.Cut(sig, ":")
		raw, _ := b64.DecodeString(payload)
		bad := []struct {
			what     string
			verifier func(msg []byte, sig string) error
			msg      []byte
			sig      string
		}{
			{"altered message", s.Verify, append(bytes.Clone(msg), '!'), sig},
			{"altered signature", s.Verify, msg, alg + ":" + b64.EncodeToString(flip(raw, len(raw)-1))},
			{"another key", otherSuite(t, name).Verify, msg, sig},
			{"another public key", func(m []byte, g string) error {
				return VerifyWithPublic(otherSuite(t, name).PublicKey(), m, g)
			}, msg, sig},
		}
		for _, b := range bad {
			if err := b.verifier(b.msg, b.sig); err != ErrBadSignature {
				t.Errorf("%s, %s: %v, want ErrBadSignature", name, b.what, err)
			}
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	gm, intl := testSuite(t, "gm"), testSuite(t, "intl")
	msg := []byte("m")
	sm2Sig, _ := gm.Sign(msg)
	edSig, _ := intl.Sign(msg)
	tests := []struct {
		name, pub, sig string
	}{
		{"sm2 signature, ed25519 key", intl.PublicKey(), sm2Sig},
		{"ed25519 signature, sm2 key", gm.PublicKey(), edSig},
		{"unknown algorithm", "rsa:00", "rsa:AA=="},
		{"key without prefix", strings.TrimPrefix(gm.PublicKey(), "sm2:"), sm2Sig},
		{"key not hex", "sm2:zz", sm2Sig},
		{"sm2 key not on the curve", gm.PublicKey()[:len(gm.PublicKey())-2] + "00", sm2Sig},
		{"short ed25519 key", intl.PublicKey()[:20], edSig},
		{"signature not base64", gm.PublicKey(), "sm2:***"},
		{"signature without prefix", gm.PublicKey(), strings.TrimPrefix(sm2Sig, "sm2:")},
	}
	for _, tt := range tests {
		err := VerifyWithPublic(tt.pub, msg, tt.sig)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if err := gm.Verify(msg, "rsa:AA=="); err == nil {
		t.Error("Verify accepted an unknown algorithm")
	}
}
