package lianggao

import (
	"errors"
	"fmt"
)

// Error codes. They are machine-readable and stable; the text a person reads is
// produced at the edge from the message key, in the reader's language.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	ETOOLARGE     = "too_large"
	EINTERNAL     = "internal"
)

// Error is an application error: a code, a message key with its arguments and,
// for bad input, the field and line it concerns. A rejected file or batch carries
// one Error per problem in Problems.
type Error struct {
	Code     string
	Key      string
	Args     []any
	Field    string
	Line     int
	Problems []*Error
}

// Error returns a developer-facing description; people see the translated key.
func (e *Error) Error() string {
	s := e.Code + ": " + e.Key
	if e.Field != "" {
		s += " field=" + e.Field
	}
	if e.Line > 0 {
		s += fmt.Sprintf(" line=%d", e.Line)
	}
	if len(e.Args) > 0 {
		s += fmt.Sprintf(" %v", e.Args)
	}
	if n := len(e.Problems); n > 0 {
		s += fmt.Sprintf(" (%d problems, first: %s)", n, e.Problems[0].Error())
	}
	return s
}

// Errorf returns an application error with the given code, message key and arguments.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// FieldError returns an EINVALID error for one field.
func FieldError(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Key: key, Args: args, Field: field}
}

// ErrorCode returns the code of an application error, or EINTERNAL for anything
// else: low-level details are logged, never shown.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// Problems collects validation errors for one record, one file or one batch.
// Max bounds how many are kept; the count goes on.
type Problems struct {
	Max   int
	List  []*Error
	Count int
}

// Add records a problem at a line and field.
func (p *Problems) Add(line int, field, key string, args ...any) {
	p.Count++
	if p.Max > 0 && len(p.List) >= p.Max {
		return
	}
	p.List = append(p.List, &Error{Code: EINVALID, Key: key, Args: args, Field: field, Line: line})
}

// AddError records an application error (its field kept) at a line.
func (p *Problems) AddError(line int, err *Error) {
	p.Count++
	if p.Max > 0 && len(p.List) >= p.Max {
		return
	}
	e := *err
	e.Line = line
	p.List = append(p.List, &e)
}

// Err returns nil when nothing was recorded, else one EINVALID error holding them all.
func (p *Problems) Err(key string) error {
	if p.Count == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: key, Args: []any{p.Count}, Problems: p.List}
}
