package i18n

import (
	"io/fs"
	"lianggao/internal/monitor"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// keyUse matches the message keys the code passes to the error helpers.
var keyUse = regexp.MustCompile(`(?:Errorf\([^,()]+,|FieldError\([^,()]+,|\.Add\([^,()]+,[^,()]+,|\.fail\([^,()]+,|T\([a-z]+,)\s*"([a-z_]+(?:\.[a-z_0-9]+)*)"`)

// Ensure every message key used in the code has a text, so nobody ever sees
// a raw key.
func TestEveryUsedKeyHasText(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
			n++
			if !Has(m[1]) {
				t.Errorf("%s: key %q has no text", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Fatalf("found only %d key uses; the pattern no longer matches the code", n)
	}
}

// Ensure every key the monitoring package emits (as constants, which the
// scan above cannot see) has a text.
func TestMonitorKeysHaveText(t *testing.T) {
	for _, k := range append(monitor.MessageKeys(), monitor.ReadingMessageKeys()...) {
		if !Has(k) {
			t.Errorf("%s has no text", k)
		}
	}
}
