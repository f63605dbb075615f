package store_test

import (
	"context"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure a token acts with the scope and permissions it names, never more
// than its user holds, and stops at revocation and expiry.
func TestTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
		u := &lianggao.User{Username: "gateway", Name: "市专班", Roles: []lianggao.Role{lianggao.RoleTaskForce}, Region: "370100"}
		if err := s.CreateUser(sys, u, "long-password"); err != nil {
			t.Fatal(err)
		}
		mine := mustEnterprise(t, s, "370102", 1)
		other := mustEnterprise(t, s, "370202", 2)
		if _, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Permissions: []lianggao.Permission{lianggao.PermRegistryWrite}}); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("a permission the user lacks: %v", err)
		}
		if _, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Region: "370200"}); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("a region outside the user's: %v", err)
		}
		secret, tk, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Region: "370102",
			Permissions: []lianggao.Permission{lianggao.PermFigureWrite, lianggao.PermRegistryRead}})
		if err != nil {
			t.Fatal(err)
		}
		if tk.ExpiresAt.Sub(tk.CreatedAt) != store.DefaultTokenLifetime {
			t.Fatalf("lifetime %v", tk.ExpiresAt.Sub(tk.CreatedAt))
		}
		a, err := s.TokenActor(context.Background(), secret)
		if err != nil {
			t.Fatal(err)
		}
		if a.Can(lianggao.PermRegistryExport) || !a.Can(lianggao.PermFigureWrite) || a.Region != "370102" {
			t.Fatalf("token actor %+v", a)
		}
		ctx := lianggao.NewContext(context.Background(), a)
		if _, err := s.FindEnterpriseByID(ctx, mine.ID); err != nil {
			t.Fatalf("own county: %v", err)
		}
		if _, err := s.FindEnterpriseByID(ctx, other.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Fatalf("outside the token's region: %v", err)
		}
		if _, err := s.TokenActor(context.Background(), secret+"x"); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
			t.Fatalf("forged token: %v", err)
		}
		owner := lianggao.NewContext(context.Background(), u.Actor())
		list, err := s.FindTokens(owner)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("tokens: %+v %v", list, err)
		}
		if err := s.RevokeToken(owner, tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenActor(context.Background(), secret); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
			t.Fatalf("revoked token: %v", err)
		}
	})
}

// Ensure an expired token is refused.
func TestTokenExpiry(t *testing.T) {
	now := storetest.Now
	s := storetest.OpenClock(t, "sqlite", func() time.Time { return now })
	sys := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	u := &lianggao.User{Username: "gw", Name: "gw", Roles: []lianggao.Role{lianggao.RoleEnterprise}, Region: "370102"}
	if err := s.CreateUser(sys, u, "long-password"); err != nil {
		t.Fatal(err)
	}
	secret, _, err := s.CreateToken(sys, store.TokenRequest{UserID: u.ID, Lifetime: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(25 * time.Hour)
	if _, err := s.TokenActor(context.Background(), secret); lianggao.ErrorCode(err) != lianggao.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
}
