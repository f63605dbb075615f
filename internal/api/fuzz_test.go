package api

import (
	"errors"
	"strings"
	"testing"

	"lianggao"
)

// FuzzDecodeEnterprise feeds arbitrary bodies to the JSON decoder and the
// domain's validation: they must never panic, and what they refuse they
// refuse as invalid input, never as an internal error.
func FuzzDecodeEnterprise(f *testing.F) {
	f.Add(`{"credit_code":"914403001922038216","name":"甲","county":"370102","industry":"cement"}`)
	f.Add(`{"location":{"lat":36.6,"lon":117.0},"datum":"gcj02"}`)
	f.Add(`{"credit_code": 5}`)
	f.Add(`{} {}`)
	f.Add(`{"capacities":[{"product":"clinker","amount":-1}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		e, err := decodeEnterprise(strings.NewReader(body))
		if err != nil {
			if lianggao.ErrorCode(err) != lianggao.EINVALID {
				t.Fatalf("decode error %v is not EINVALID", err)
			}
			return
		}
		var ae *lianggao.Error
		if err := e.Validate(); err != nil && (!errors.As(err, &ae) || ae.Field == "") {
			t.Fatalf("validation error %v names no field", err)
		}
	})
}
