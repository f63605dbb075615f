package cryptosuite

import (
	"strings"
	"testing"
)

// BenchmarkMAC measures one keyed hash of a ~300-byte audit entry, the cost
// that dominates verifying the audit chain: 1,000,000 entries must verify in
// under 10 s with gm, so ns/op must stay well under 10,000.
func BenchmarkMAC(b *testing.B) {
	entry := []byte(strings.Repeat("seq=123456;at=2026-11-28T10:00:00Z;actor=admin;", 7)[:300])
	for _, name := range suiteNames {
		s := testSuite(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(entry)))
			b.ReportAllocs()
			for b.Loop() {
				s.MAC(entry)
			}
		})
	}
}
