package cryptosuite

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sameKeys reports whether a and b are the same keys, by what they print and compute.
func sameKeys(t *testing.T, a, b *Keys) bool {
	t.Helper()
	for _, name := range suiteNames {
		sa, _ := New(name, a)
		sb, _ := New(name, b)
		if sa.PublicKey() != sb.PublicKey() || sa.MAC([]byte("x")).String() != sb.MAC([]byte("x")).String() {
			return false
		}
	}
	return true
}

func TestGenerateAndLoadKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	if err := GenerateKeyFile(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", fi.Mode().Perm())
	}
	text, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "# ") || len(lines[1]) != 64 {
		t.Fatalf("key file is not a comment and 64 hex digits:\n%s", text)
	}
	master, err := hex.DecodeString(lines[1])
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameKeys(t, loaded, testKeys(t, master)) {
		t.Error("loaded keys differ from the keys of the file's master key")
	}
	if err := GenerateKeyFile(path); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second GenerateKeyFile on the same path = %v, want it to refuse", err)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if err := GenerateKeyFile(other); err != nil {
		t.Fatal(err)
	}
	if k, _ := LoadKeyFile(other); sameKeys(t, k, loaded) {
		t.Error("two generated key files hold the same key")
	}
}

func TestLoadKeyFileRejects(t *testing.T) {
	good := hex.EncodeToString(testMaster())
	tests := []struct {
		name, text string
		mode       os.FileMode
		want       string // in the error
	}{
		{"readable by others", good, 0o644, "chmod 600"},
		{"writable by group", good, 0o620, "chmod 600"},
		{"short key", good[:32], 0o600, "16 bytes, want 32"},
		{"long key", good + "00", 0o600, "33 bytes, want 32"},
		{"garbage", "not a key at all, but a sentence", 0o600, "not hexadecimal"},
		{"odd hex", good[:63], 0o600, "not hexadecimal"},
		{"comment only", "# nothing else\n", 0o600, "found 0"},
		{"two keys", good + "\n" + good + "\n", 0o600, "found 2"},
	}
	for _, tt := range tests {
		if runtime.GOOS == "windows" && tt.mode != 0o600 {
			continue
		}
		path := filepath.Join(t.TempDir(), "k")
		if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tt.mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadKeyFile(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", tt.name, err, tt.want)
		}
		if err != nil && len(tt.text) > 20 && strings.Contains(err.Error(), tt.text[:20]) {
			t.Errorf("%s: error quotes the key file's text: %v", tt.name, err)
		}
	}
	if _, err := LoadKeyFile(filepath.Join(t.TempDir(), "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestLoadKeyFileAcceptsCRLFAndComments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	text := "# a comment\r\n\r\n  " + strings.ToUpper(hex.EncodeToString(testMaster())) + "  \r\n# another\r\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameKeys(t, k, testKeys(t, testMaster())) {
		t.Error("keys differ from those of the master key in the file")
	}
}

func TestKeysFromEnv(t *testing.T) {
	const name = "LIANGGAO_TEST_CRYPTOSUITE_KEY"
	good := hex.EncodeToString(testMaster())
	tests := []struct {
		value, want string // want: in the error; empty for success
	}{
		{good, ""},
		{" " + good + "\n", ""},
		{"", "is not set"},
		{good[:62], "31 bytes, want 32"},
		{"zz" + good[2:], "not hexadecimal"},
	}
	for _, tt := range tests {
		t.Setenv(name, tt.value)
		k, err := KeysFromEnv(name)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: %v", tt.value, err)
		case tt.want == "" && !sameKeys(t, k, testKeys(t, testMaster())):
			t.Errorf("%q: keys differ from NewKeys'", tt.value)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), name)):
			t.Errorf("%q: error %v, want one naming %s and saying %q", tt.value, err, name, tt.want)
		}
	}
}

func TestNewKeysRejectsLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := NewKeys(make([]byte, n)); err == nil {
			t.Errorf("NewKeys(%d bytes): no error", n)
		}
	}
}

// TestKeysRedacted checks that printing Keys, as a careless log line might,
// shows none of their bytes.
func TestKeysRedacted(t *testing.T) {
	k := testKeys(t, testMaster())
	secret := hex.EncodeToString(k.mac[algHMACSM3])
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		for _, v := range []any{k, *k} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprint(k.mac[algHMACSM3][:4])) {
				t.Errorf("%s of %T prints key bytes: %.60s…", verb, v, out)
			}
		}
	}
}
