package sheet

import (
	"bytes"
	"testing"

	"lianggao"
	"lianggao/internal/config"
)

// FuzzReadEnterprises feeds arbitrary bytes as an uploaded CSV through the
// reader and the enterprise parser: no panic, and every refusal is an input
// problem, never an internal error.
func FuzzReadEnterprises(f *testing.F) {
	f.Add([]byte("统一社会信用代码,企业名称,所在县（区）代码,行业代码\n914403001922038216,甲,370102,cement\n"))
	f.Add([]byte("\xef\xbb\xbf统一社会信用代码,企业名称\n\"unterminated"))
	f.Add([]byte("\xcd\xb3\xd2\xbb,\xc6\xf3\xd2\xb5\n1,2\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	p := config.Default()
	f.Fuzz(func(t *testing.T, b []byte) {
		tbl, err := Read(bytes.NewReader(b), "upload.csv", 1<<20)
		if err == nil {
			_, _, err = ParseEnterprises(tbl, p)
		}
		if code := lianggao.ErrorCode(err); err != nil && code != lianggao.EINVALID && code != lianggao.ETOOLARGE {
			t.Fatalf("refused as %s: %v", code, err)
		}
	})
}
