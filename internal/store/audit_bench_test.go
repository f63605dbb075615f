package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/auth"
	"lianggao/internal/config"
	"lianggao/internal/cryptosuite"
)

// benchStore opens a migrated SQLite store with the gm suite in a temp dir.
func benchStore(b *testing.B) *Store {
	b.Helper()
	keys, err := cryptosuite.NewKeys([]byte(strings.Repeat("k", 32)))
	if err != nil {
		b.Fatal(err)
	}
	suite, _ := cryptosuite.New("gm", keys)
	dir := b.TempDir()
	s, err := Open(context.Background(), Config{DataDir: dir, Profile: config.Default(), Password: auth.CheapParams, Suite: suite})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchEnterprise(n int) *lianggao.Enterprise {
	body := fmt.Sprintf("91370100%09d", n)
	c, _ := lianggao.CreditCodeCheck(body)
	return &lianggao.Enterprise{CreditCode: body + string(c), Name: fmt.Sprintf("企业%d", n), County: "370102",
		City: "370100", Industry: "cement", Status: lianggao.EnterpriseOperating}
}

// BenchmarkAuditOverhead writes an enterprise with its audit entry and
// without, alternately in one run, and reports the ratio (target ≤ 1.5).
func BenchmarkAuditOverhead(b *testing.B) {
	s := benchStore(b)
	ctx := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	var bare, audited time.Duration
	n := 0
	for b.Loop() {
		n++
		// Alternate which goes first, so neither gains from a warmed cache.
		if n%2 == 0 {
			bare += timeBare(b, s, ctx, benchEnterprise(2*n))
			audited += timeAudited(b, s, ctx, benchEnterprise(2*n+1))
		} else {
			audited += timeAudited(b, s, ctx, benchEnterprise(2*n+1))
			bare += timeBare(b, s, ctx, benchEnterprise(2*n))
		}
	}
	b.ReportMetric(float64(bare.Microseconds())/float64(n), "µs/bare")
	b.ReportMetric(float64(audited.Microseconds())/float64(n), "µs/audited")
	b.ReportMetric(float64(audited)/float64(bare), "ratio")
}

// timeBare times the write CreateEnterprise makes, its checks included,
// without the audit entry.
func timeBare(b *testing.B, s *Store, ctx context.Context, e *lianggao.Enterprise) time.Duration {
	start := time.Now()
	err := s.checkEnterprise(lianggao.SystemActor, e)
	if err == nil {
		err = s.update(ctx, func(t *tx) error { return insertEnterprise(ctx, t, e) })
	}
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func timeAudited(b *testing.B, s *Store, ctx context.Context, e *lianggao.Enterprise) time.Duration {
	start := time.Now()
	if err := s.CreateEnterprise(ctx, e); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkVerifyAudit1M verifies a chain of 1,000,000 entries with the gm
// suite (target < 10 s a run). The chain is built directly, in bulk.
func BenchmarkVerifyAudit1M(b *testing.B) {
	s := benchStore(b)
	const n = 1_000_000
	buildChain(b, s, n)
	for b.Loop() {
		got, err := s.VerifyAudit(context.Background(), "")
		if err != nil || got != n {
			b.Fatalf("verified %d: %v", got, err)
		}
	}
}

// buildChain writes n chained entries and the head in one transaction.
func buildChain(b *testing.B, s *Store, n int) {
	b.Helper()
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := s.update(ctx, func(t *tx) error {
		prev := ""
		const chunk = 500
		for start := 1; start <= n; start += chunk {
			var q strings.Builder
			var args []any
			for seq := start; seq < start+chunk && seq <= n; seq++ {
				r := AuditRecord{Seq: int64(seq), At: at.Add(time.Duration(seq) * time.Second), ActorID: 7, Actor: "inspector7",
					Action: "enterprise.update", ObjectType: "enterprise", ObjectID: fmt.Sprint(seq % 3000),
					Before: `{"name":"淄博鑫源水泥有限公司","status":"operating","version":3}`,
					After:  `{"name":"淄博鑫源水泥有限公司","status":"stopped","version":4}`, RequestID: "0123456789abcdef",
					Client: "10.1.2.3", PrevHash: prev}
				d := s.suite.MAC(r.encode())
				r.Alg, r.Hash = d.Alg, fmt.Sprintf("%x", d.Sum)
				if q.Len() > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, r.Seq, r.At, r.ActorID, r.Actor, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After,
					r.RequestID, r.Client, r.Alg, r.PrevHash, r.Hash)
				prev = r.Hash
			}
			if _, err := t.exec(ctx, `INSERT INTO audit_entries (seq, at, actor_id, actor, action, object_type, object_id,
				before_data, after_data, request_id, client, alg, prev_hash, hash) VALUES `+q.String(), args...); err != nil {
				return err
			}
		}
		return nil // the trigger has moved the head along
	})
	if err != nil {
		b.Fatal(err)
	}
}
