package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"lianggao"
)

// Ensure every download format gets its media type and a UTF-8 name with
// an ASCII fallback.
func TestAttachmentHeaders(t *testing.T) {
	for format, ctype := range map[string]string{
		"csv":  "text/csv; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	} {
		w := httptest.NewRecorder()
		attachment(w, "水泥行业分析."+format, format)
		if got := w.Header().Get("Content-Type"); got != ctype {
			t.Errorf("%s: Content-Type %q", format, got)
		}
		want := `attachment; filename="export.` + format + `"; filename*=UTF-8''%E6%B0%B4%E6%B3%A5%E8%A1%8C%E4%B8%9A%E5%88%86%E6%9E%90.` + format
		if got := w.Header().Get("Content-Disposition"); got != want {
			t.Errorf("%s: Content-Disposition %q", format, got)
		}
	}
}

// Ensure an uploaded file over the route's limit is too large, whichever
// page takes it, and a form without a file needs one.
func TestFormFile(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "day.csv")
	fw.Write(bytes.Repeat([]byte("x"), 4<<10))
	mw.Close()
	post := func(limit int64) *http.Request {
		r := httptest.NewRequest("POST", "/upload/figures", bytes.NewReader(body.Bytes()))
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, limit)
		return r
	}
	if _, _, err := formFile(post(1<<10), 3<<20); lianggao.ErrorCode(err) != lianggao.ETOOLARGE {
		t.Fatalf("oversized: %v", err)
	}
	f, hdr, err := formFile(post(1<<20), 3<<20)
	if err != nil || hdr.Filename != "day.csv" {
		t.Fatalf("within the limit: %v", err)
	}
	f.Close()
	r := httptest.NewRequest("POST", "/upload/figures", nil)
	if _, _, err := formFile(r, 3<<20); lianggao.ErrorCode(err) != lianggao.EINVALID {
		t.Fatalf("no file: %v", err)
	}
}
