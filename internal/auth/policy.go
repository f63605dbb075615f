package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"lianggao"
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// minPasswordClasses of the four character classes (lower case, upper case,
// digit, other) a password must mix: the usual 等保 complexity rule.
const minPasswordClasses = 3

// commonPasswordList holds passwords found at the top of leaked password
// lists, Chinese sites' especially, one a line in lower case. Many are shorter
// than MinPasswordLength and are refused as short anyway; they are kept so
// that the list stays right if the length rule changes.
//
//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is commonPasswordList as a set.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for _, p := range strings.Fields(commonPasswordList) {
		set[p] = true
	}
	return set
}()

// CheckPassword reports whether password may be chosen by the user named
// username. It returns nil or an EINVALID error on the field "password" with
// one of the message keys password.short (argument: the minimum length),
// password.username, password.common or password.classes (argument: the
// number of classes needed), the first rule broken in that order.
func CheckPassword(username, password string) error {
	lower := strings.ToLower(password)
	user := strings.ToLower(strings.TrimSpace(username))
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return lianggao.FieldError("password", "password.short", MinPasswordLength)
	case user != "" && strings.Contains(lower, user):
		return lianggao.FieldError("password", "password.username")
	case commonPasswords[lower]:
		return lianggao.FieldError("password", "password.common")
	case charClasses(password) < minPasswordClasses:
		return lianggao.FieldError("password", "password.classes", minPasswordClasses)
	}
	return nil
}

// charClasses returns how many of lower case, upper case, digit and other
// characters s contains.
func charClasses(s string) int {
	var seen [4]bool
	for _, r := range s {
		switch {
		case unicode.IsLower(r):
			seen[0] = true
		case unicode.IsUpper(r):
			seen[1] = true
		case unicode.IsDigit(r):
			seen[2] = true
		default:
			seen[3] = true
		}
	}
	n := 0
	for _, ok := range seen {
		if ok {
			n++
		}
	}
	return n
}
