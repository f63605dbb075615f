package sheet

import (
	"testing"

	"lianggao"
)

func TestParseDate(t *testing.T) {
	june := lianggao.Date{Year: 2026, Month: 6, Day: 1}
	tests := []struct {
		in   string
		want lianggao.Date
		ok   bool
	}{
		{"2026-06-01", june, true},
		{"2026/6/1", june, true},
		{"2026.6.1", june, true},
		{"2026年6月1日", june, true},
		{"2026-06-01 00:00", june, true},
		{"20260601", june, true},
		{"46174", june, true}, // Excel's serial
		{"2026-02-30", lianggao.Date{}, false},
		{"20260230", lianggao.Date{}, false},
		{"2026", lianggao.Date{}, false}, // a year is no date
		{"-46174", lianggao.Date{}, false},
		{"06-01-26", lianggao.Date{}, false},
		{"明年", lianggao.Date{}, false},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
