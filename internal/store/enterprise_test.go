package store_test

import (
	"testing"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure an enterprise can be created, found, listed, filtered and updated,
// with its previous state kept as a revision.
func TestEnterpriseLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		e := storetest.Enterprise("370102", 1)
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.City != "370100" {
			t.Fatalf("created %+v", e)
		}
		got, err := s.FindEnterpriseByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CreditCode != e.CreditCode || len(got.Capacities) != 1 || got.Capacities[0].Amount != 1.5e6 {
			t.Fatalf("found %+v", got)
		}
		other := storetest.Enterprise("370202", 2)
		other.Name = "青岛水泥厂"
		if err := s.CreateEnterprise(ctx, other); err != nil {
			t.Fatal(err)
		}
		list, total, err := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Query: "青岛"})
		if err != nil || total != 1 || list[0].ID != other.ID {
			t.Fatalf("search: %v %d %v", list, total, err)
		}
		list, total, _ = s.FindEnterprises(ctx, lianggao.EnterpriseFilter{City: "370100"})
		if total != 1 || list[0].ID != e.ID {
			t.Fatalf("city filter: %d", total)
		}
		name := "济南新名称水泥有限公司"
		up, err := s.UpdateEnterprise(ctx, e.ID, lianggao.EnterpriseUpdate{Name: &name, Reason: "更名"})
		if err != nil || up.Version != 2 || up.Name != name {
			t.Fatalf("update: %+v %v", up, err)
		}
		hist, err := s.EnterpriseHistory(ctx, e.ID)
		if err != nil || len(hist) != 1 || hist[0].Reason != "更名" || hist[0].Version != 1 {
			t.Fatalf("history: %+v %v", hist, err)
		}
		if _, err := s.VerifyAudit(ctx, ""); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
	})
}

// Ensure bad input names its field and writes nothing.
func TestEnterpriseInvalid(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		cases := map[string]func(*lianggao.Enterprise){
			"credit_code": func(e *lianggao.Enterprise) { e.CreditCode = e.CreditCode[:17] + "0" },
			"county":      func(e *lianggao.Enterprise) { e.County = "379999" },
			"industry":    func(e *lianggao.Enterprise) { e.Industry = "bakery" },
			"name":        func(e *lianggao.Enterprise) { e.Name = "  " },
		}
		for field, spoil := range cases {
			e := storetest.Enterprise("370102", 7)
			spoil(e)
			err := s.CreateEnterprise(ctx, e)
			var ae *lianggao.Error
			if !asError(err, &ae) || ae.Code != lianggao.EINVALID || ae.Field != field {
				t.Errorf("%s: got %v", field, err)
			}
		}
		e := storetest.Enterprise("370102", 8)
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		dup := storetest.Enterprise("370102", 8)
		if err := s.CreateEnterprise(ctx, dup); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("duplicate: %v", err)
		}
		if _, total, _ := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{}); total != 1 {
			t.Fatalf("want 1 enterprise written, have %d", total)
		}
	})
}

// Ensure a county officer cannot see or open another county's enterprise, and
// an enterprise reporter sees only its own.
func TestEnterpriseScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		admin := storetest.Admin()
		mine, theirs := storetest.Enterprise("370102", 1), storetest.Enterprise("370103", 2)
		for _, e := range []*lianggao.Enterprise{mine, theirs} {
			if err := s.CreateEnterprise(admin, e); err != nil {
				t.Fatal(err)
			}
		}
		county := storetest.As(lianggao.RoleCountySupervisor, "370102")
		if _, err := s.FindEnterpriseByID(county, theirs.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Fatalf("other county's enterprise: %v", err)
		}
		if _, err := s.FindEnterpriseByID(county, mine.ID); err != nil {
			t.Fatalf("own county's enterprise: %v", err)
		}
		list, total, err := s.FindEnterprises(county, lianggao.EnterpriseFilter{})
		if err != nil || total != 1 || list[0].ID != mine.ID {
			t.Fatalf("county list: %d %v", total, err)
		}
		city := storetest.As(lianggao.RoleTaskForce, "370100")
		if _, total, _ := s.FindEnterprises(city, lianggao.EnterpriseFilter{}); total != 2 {
			t.Fatalf("city sees %d, want 2", total)
		}
		qingdao := storetest.As(lianggao.RoleTaskForce, "370200")
		if _, total, _ := s.FindEnterprises(qingdao, lianggao.EnterpriseFilter{}); total != 0 {
			t.Fatalf("another city sees %d, want 0", total)
		}
		reporter := lianggao.NewContext(admin, &lianggao.Actor{UserID: 9, Username: "rep", Roles: []lianggao.Role{lianggao.RoleEnterprise},
			Region: "370102", EnterpriseID: mine.ID})
		if _, total, _ := s.FindEnterprises(reporter, lianggao.EnterpriseFilter{}); total != 1 {
			t.Fatalf("reporter sees %d, want 1", total)
		}
		// A county officer may not register an enterprise in another county.
		e := storetest.Enterprise("370103", 3)
		writer := storetest.As(lianggao.RoleDeptOfficer, "370102")
		if err := s.CreateEnterprise(writer, e); lianggao.ErrorCode(err) != lianggao.EINVALID {
			t.Fatalf("out-of-scope create: %v", err)
		}
		if err := s.CreateEnterprise(county, storetest.Enterprise("370102", 4)); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Fatalf("create without permission: %v", err)
		}
	})
}
