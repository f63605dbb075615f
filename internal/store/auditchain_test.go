package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// chainOf5 makes a store with five audit entries and a signed checkpoint
// after them, in a file.
func chainOf5(t *testing.T, s *store.Store) string {
	t.Helper()
	for i := 1; i <= 5; i++ {
		mustEnterprise(t, s, "370102", i)
	}
	file := filepath.Join(t.TempDir(), "checkpoints.log")
	if _, err := s.Checkpoint(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	if n, err := s.VerifyAudit(context.Background(), file); err != nil || n != 5 {
		t.Fatalf("fresh chain: %d entries, %v", n, err)
	}
	return file
}

func wantBreak(t *testing.T, s *store.Store, file, what string) {
	t.Helper()
	_, err := s.VerifyAudit(context.Background(), file)
	var br *store.AuditBreak
	if !errors.As(err, &br) {
		t.Errorf("%s: not detected (%v)", what, err)
	}
}

// Ensure changing any stored field of any entry is detected.
func TestAuditTamperField(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		for _, set := range []string{"at = ?", "actor_id = 99", "actor = 'someone'", "action = 'enterprise.delete'",
			"object_type = 'project'", "object_id = '77'", "before_data = '{}'", "after_data = '{}'", "request_id = 'x'",
			"client = '10.0.0.9'", "alg = 'hmac-sha256'", "prev_hash = 'ab'", "hash = 'cd'"} {
			t.Run(set, func(t *testing.T) {
				s := storetest.Open(t, s.Engine())
				file := chainOf5(t, s)
				if set == "at = ?" {
					storetest.Exec(t, s, "UPDATE audit_entries SET at = ? WHERE seq = 3", storetest.Now.Add(time.Second))
				} else {
					storetest.Exec(t, s, "UPDATE audit_entries SET "+set+" WHERE seq = 3")
				}
				wantBreak(t, s, file, set)
			})
		}
	})
}

// Ensure deleting an entry anywhere, the last included, reordering entries
// and recomputing the chain without the key are all detected.
func TestAuditTamperChain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		cases := map[string][]string{
			"delete a middle entry": {"DELETE FROM audit_entries WHERE seq = 2"},
			"delete the first":      {"DELETE FROM audit_entries WHERE seq = 1"},
			"delete the last":       {"DELETE FROM audit_entries WHERE seq = 5"},
			"delete the last and move the head back": {
				"DELETE FROM audit_entries WHERE seq = 5",
				"UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_entries WHERE seq = 4)",
				"DELETE FROM audit_checkpoints"},
			"reorder": {"UPDATE audit_entries SET seq = -seq WHERE seq IN (2, 3)",
				"UPDATE audit_entries SET seq = 3 WHERE seq = -2", "UPDATE audit_entries SET seq = 2 WHERE seq = -3"},
		}
		for name, stmts := range cases {
			t.Run(name, func(t *testing.T) {
				s := storetest.Open(t, s.Engine())
				file := chainOf5(t, s)
				for _, q := range stmts {
					storetest.Exec(t, s, q)
				}
				wantBreak(t, s, file, name)
			})
		}
		t.Run("recompute without the key", func(t *testing.T) {
			s := storetest.Open(t, s.Engine())
			file := chainOf5(t, s)
			// The forger rewrites entry 5 and re-hashes it with a plain hash.
			storetest.Exec(t, s, "UPDATE audit_entries SET actor = 'nobody', alg = 'sha256', hash = ? WHERE seq = 5",
				hex.EncodeToString(sha256.New().Sum(nil)))
			wantBreak(t, s, file, "plain-hash forgery")
		})
	})
}

// Ensure old entries can be sealed into a signed archive only after the
// retention period, and the chain still verifies across the seal.
func TestAuditSeal(t *testing.T) {
	now := storetest.Now
	s := storetest.OpenClock(t, "sqlite", func() time.Time { return now })
	for i := 1; i <= 3; i++ {
		mustEnterprise(t, s, "370102", i)
	}
	dir := t.TempDir()
	auditor := lianggao.NewContext(context.Background(), &lianggao.Actor{Username: "auditadmin", Roles: []lianggao.Role{lianggao.RoleAuditAdmin}})
	if _, err := s.SealAudit(auditor, now.Add(time.Hour), 6, dir); lianggao.ErrorCode(err) != lianggao.EINVALID {
		t.Fatalf("sealing within the retention period: %v", err)
	}
	if _, err := s.SealAudit(storetest.Admin(), now.Add(time.Hour), 6, dir); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
		t.Fatalf("sealing by a non-auditor: %v", err)
	}
	now = now.AddDate(0, 7, 0)
	path, err := s.SealAudit(auditor, storetest.Now.Add(time.Hour), 6, dir)
	if err != nil || path == "" {
		t.Fatalf("seal: %q %v", path, err)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
		t.Fatalf("archive: %v", err)
	}
	mustEnterprise(t, s, "370102", 9)
	if n, err := s.VerifyAudit(context.Background(), ""); err != nil || n != 2 {
		t.Fatalf("after the seal: %d entries, %v", n, err)
	}
	entries, _, _ := s.FindAuditEntries(auditor, store.AuditFilter{})
	if len(entries) != 2 || entries[1].Action != "audit.seal" {
		t.Fatalf("entries after the seal: %d", len(entries))
	}
}
