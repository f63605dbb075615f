package web

import (
	"net/http/httptest"
	"testing"
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
