package sheet_test

import (
	"bytes"
	"testing"

	"lianggao/internal/sheet"
)

// BenchmarkParseEnterprises10k reads and checks a 10,000-row .xlsx, the
// size of a province's whole registry.
func BenchmarkParseEnterprises10k(b *testing.B) {
	rows := [][]string{enterpriseHeader}
	for n := range 10000 {
		rows = append(rows, enterpriseRow(n))
	}
	file := xlsxFile(b, toAny(rows))
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		t, err := sheet.Read(bytes.NewReader(file), "enterprises.xlsx", 32<<20)
		if err != nil {
			b.Fatal(err)
		}
		es, _, err := sheet.ParseEnterprises(t, profile)
		if err != nil || len(es) != 10000 {
			b.Fatalf("%d enterprises, %v", len(es), err)
		}
	}
}
