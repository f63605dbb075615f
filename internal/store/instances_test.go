package store_test

import (
	"context"
	"sync"
	"testing"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure two app instances writing at once on one database keep one audit
// chain: the head row is locked by every writer.
func TestTwoInstancesOneChain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		instances := []*store.Store{s, storetest.Reopen(t, s)}
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := storetest.Enterprise("370102", 1000+i)
				errs <- instances[i%2].CreateEnterprise(storetest.Admin(), e)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.VerifyAudit(context.Background(), "")
		if err != nil || n != 40 {
			t.Fatalf("chain after concurrent writes: %d entries, %v", n, err)
		}
		if _, total, _ := instances[1].FindEnterprises(storetest.Admin(), lianggao.EnterpriseFilter{}); total != 40 {
			t.Fatalf("%d enterprises", total)
		}
	})
}
