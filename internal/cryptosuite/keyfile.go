package cryptosuite

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// EnvKey is the environment variable from which deployments without a key
// file read the master key, in hex.
const EnvKey = "LIANGGAO_KEY"

// keyFileComment opens every key file, to tell whoever finds it what it is.
const keyFileComment = "# lianggao master key (internal/cryptosuite): 32 random bytes in hex. " +
	"Whoever reads it can decrypt and sign as the platform: keep it mode 0600. " +
	"Back it up: without it, sealed data cannot be read."

// GenerateKeyFile writes a new random master key to path, readable by its
// owner only. It refuses to overwrite an existing file: losing a master key
// loses every value sealed with it.
func GenerateKeyFile(path string) error {
	master := make([]byte, MasterKeySize)
	if _, err := rand.Read(master); err != nil {
		return fmt.Errorf("cryptosuite: generate key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cryptosuite: key file: %w", err)
	}
	_, err = fmt.Fprintf(f, "%s\n%x\n", keyFileComment, master)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("cryptosuite: key file: %w", err)
	}
	return nil
}

// LoadKeyFile reads a key file written by GenerateKeyFile: comment lines
// starting with '#' and one line of 64 hex digits. It refuses a file that
// group or others may read or write.
func LoadKeyFile(path string) (*Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cryptosuite: key file: %w", err)
	}
	defer f.Close()
	if err := checkPrivate(f); err != nil {
		return nil, fmt.Errorf("cryptosuite: key file %s: %w", path, err)
	}
	text, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("cryptosuite: key file: %w", err)
	}
	k, err := keysFromText(string(text))
	if err != nil {
		return nil, fmt.Errorf("cryptosuite: key file %s: %w", path, err)
	}
	return k, nil
}

// checkPrivate fails if f's permissions let anyone but its owner in. Windows
// has no such bits (Go reports 0666 there), so it is not checked.
func checkPrivate(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return fmt.Errorf("mode %04o lets group or others in; run chmod 600", perm)
	}
	return nil
}

// keysFromText derives the keys from a key file's text.
func keysFromText(text string) (*Keys, error) {
	var key []string
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			key = append(key, line)
		}
	}
	if len(key) != 1 {
		return nil, fmt.Errorf("want one line of %d hex digits besides '#' comments, found %d", 2*MasterKeySize, len(key))
	}
	return keysFromHex(key[0])
}

// KeysFromEnv derives the keys from the master key held in hex in the
// environment variable name, usually EnvKey.
func KeysFromEnv(name string) (*Keys, error) {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return nil, fmt.Errorf("cryptosuite: environment variable %s is not set", name)
	}
	k, err := keysFromHex(v)
	if err != nil {
		return nil, fmt.Errorf("cryptosuite: environment variable %s: %w", name, err)
	}
	return k, nil
}

// keysFromHex derives the keys from a master key in hex. Its errors do not
// quote the text, which is secret.
func keysFromHex(s string) (*Keys, error) {
	master, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("master key is not hexadecimal")
	}
	return newKeys(master)
}
