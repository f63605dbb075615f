// Package i18n turns message keys into text in the reader's language:
// Simplified Chinese first, English second. Errors carry keys, never text,
// until they reach the edge.
package i18n

import (
	"errors"
	"fmt"
	"strings"

	"lianggao"
)

// Languages the platform speaks; the first is the default.
const (
	ZH = "zh-CN"
	EN = "en"
)

// Lang normalises a language tag to one the platform speaks.
func Lang(tag string) string {
	if strings.HasPrefix(strings.ToLower(tag), "en") {
		return EN
	}
	return ZH
}

// T returns the text of key in lang with args filled in. A key missing in
// English falls back to Chinese; a key missing everywhere shows as itself, so
// a gap is visible, not silent.
func T(lang, key string, args ...any) string {
	msg, ok := catalog[Lang(lang)][key]
	if !ok {
		msg, ok = catalog[ZH][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key has a Chinese text.
func Has(key string) bool {
	_, ok := catalog[ZH][key]
	return ok
}

// Error returns the text of an error for a person: an application error's
// message, prefixed by its field's label; anything else is "internal error".
func Error(lang string, err error) string {
	var e *lianggao.Error
	if !errors.As(err, &e) {
		return T(lang, "internal")
	}
	return Problem(lang, e)
}

// Problem returns the text of one problem, with its field's label.
func Problem(lang string, e *lianggao.Error) string {
	msg := T(lang, e.Key, e.Args...)
	if e.Field == "" {
		return msg
	}
	label := e.Field
	if Has("field." + e.Field) {
		label = T(lang, "field."+e.Field)
	}
	sep := "："
	if Lang(lang) == EN {
		sep = ": "
	}
	return label + sep + msg
}
