package auth

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"lianggao"
)

// Ensure each rule refuses with its key, field and arguments.
func TestCheckPasswordRefused(t *testing.T) {
	for _, c := range []struct {
		username, password, key string
		args                    []any
	}{
		{"zhangsan", "", "password.short", []any{10}},
		{"zhangsan", "Xq7#vL2!p", "password.short", []any{10}},
		{"zhangsan", "两高平台密码Ab1", "password.short", []any{10}}, // 9 characters, 21 bytes
		{"zhangsan", "ZhangSan#2025x", "password.username", nil},
		{"zhangsan", "my-zhangsan-pw-X1", "password.username", nil},
		{" ZhangSan ", "x!zhangsan99Q", "password.username", nil},
		{"zhangsan", "P@ssw0rd123", "password.common", nil},
		{"zhangsan", "ADMIN@123456", "password.common", nil},
		{"zhangsan", "1qaz@WSX3edc", "password.common", nil},
		{"zhangsan", "Huawei@123", "password.common", nil},
		{"zhangsan", "correcthorsebattery", "password.classes", []any{3}},
		{"zhangsan", "Correcthorsebattery", "password.classes", []any{3}},
		{"zhangsan", "1234567890123", "password.classes", []any{3}},
	} {
		err := CheckPassword(c.username, c.password)
		var e *lianggao.Error
		if !errors.As(err, &e) || e.Code != lianggao.EINVALID || e.Field != "password" || e.Key != c.key || !slices.Equal(e.Args, c.args) {
			t.Errorf("CheckPassword(%q, %q) = %v, want %s %v", c.username, c.password, err, c.key, c.args)
		}
	}
}

// Ensure passwords following every rule are accepted.
func TestCheckPasswordAccepted(t *testing.T) {
	for _, p := range []string{
		"Xq7#vL2!pZ",
		"correct horse 7",
		"Sheng-Jian-Cha-2025",
		"两高行业平台Ab12",
		"tR8$mw3nq1",
	} {
		if err := CheckPassword("zhangsan", p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
	if err := CheckPassword("", "Xq7#vL2!pZ"); err != nil {
		t.Errorf("no user name: %v", err)
	}
}

// Ensure the common list is lower case, without duplicates, and about the
// size intended, so that case-insensitive lookups can find every entry.
func TestCommonPasswordList(t *testing.T) {
	lines := strings.Fields(commonPasswordList)
	if len(lines) < 100 || len(commonPasswords) != len(lines) {
		t.Fatalf("%d lines, %d distinct", len(lines), len(commonPasswords))
	}
	for _, p := range lines {
		if p != strings.ToLower(p) {
			t.Errorf("%q not lower case", p)
		}
	}
	for _, p := range []string{"123456", "a123456", "woaini1314", "qwerty", "password", "admin123", "abc123456", "1qaz2wsx", "p@ssw0rd", "aa123456"} {
		if !commonPasswords[p] {
			t.Errorf("%q missing", p)
		}
	}
}
