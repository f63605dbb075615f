package store_test

import (
	"sync"
	"testing"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure a batch large enough to be staged (COPY into a temporary table on
// PostgreSQL) behaves as a small one: a resend changes nothing, a changed
// value keeps the earlier revision with its batch and time, a key named
// twice keeps its last line, a bad line writes nothing, and every batch
// leaves one audit entry.
func TestLargeFigureBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		ents := []*lianggao.Enterprise{mustEnterprise(t, s, "370102", 1), mustEnterprise(t, s, "370103", 2)}
		first := lianggao.Date{Year: 2024, Month: 1, Day: 1}
		var lines []store.FigureLine
		for i := range 3000 { // 2 enterprises × 2 indicators × 2 sources × 375 days
			lines = append(lines, store.FigureLine{Line: i + 2, CreditCode: ents[i%2].CreditCode, Date: first.AddDays(i / 8),
				Indicator: []string{"elec_kwh", "coal_t"}[i/2%2], Source: []string{"enterprise", "grid"}[i/4%2], Value: float64(1000 + i)})
		}
		send := func(lines []store.FigureLine, want int) *store.BatchResult {
			t.Helper()
			res, err := s.IngestFigures(ctx, lines, "sum")
			if err != nil || res.Lines != len(lines) || res.Changed != want {
				t.Fatalf("batch of %d lines: %+v %v, want %d changed", len(lines), res, err, want)
			}
			return res
		}
		one := send(lines, 3000)
		send(lines, 0)
		count := func() int {
			n := 0
			for _, e := range ents {
				figs, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID})
				if err != nil {
					t.Fatal(err)
				}
				n += len(figs)
			}
			return n
		}
		if n := count(); n != 3000 {
			t.Fatalf("%d figures stored, want 3000", n)
		}

		l := lines[10]
		before, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: ents[0].ID, Indicators: []string{l.Indicator},
			Source: l.Source, From: l.Date, To: l.Date})
		if err != nil || len(before) != 1 || before[0].Value != l.Value {
			t.Fatalf("figure before the change: %+v %v", before, err)
		}
		changed := append([]store.FigureLine(nil), lines...)
		changed[10].Value = 1
		three := send(changed, 1)
		revs, err := s.FigureRevisions(ctx, ents[0].ID, l.Date, l.Indicator, l.Source)
		if err != nil || len(revs) != 2 || revs[0].Value != l.Value || revs[0].BatchID != one.ID ||
			!revs[0].RecordedAt.Equal(before[0].RecordedAt) || revs[1].Value != 1 || revs[1].Revision != 2 || revs[1].BatchID != three.ID {
			t.Fatalf("revisions after a change: %+v %v", revs, err)
		}

		// The same key three times, twice with a new value: the last line
		// wins, and the figure's earlier value stays a revision.
		twice := append(append([]store.FigureLine(nil), changed...), changed[10], changed[10])
		twice[len(twice)-2].Value, twice[len(twice)-2].Line = 2, len(twice)
		twice[len(twice)-1].Value, twice[len(twice)-1].Line = 3, len(twice)+1
		send(twice, 1)
		revs, err = s.FigureRevisions(ctx, ents[0].ID, l.Date, l.Indicator, l.Source)
		if err != nil || len(revs) != 3 || revs[1].Value != 1 || revs[2].Value != 3 {
			t.Fatalf("revisions after a key thrice: %+v %v", revs, err)
		}

		bad := append(append([]store.FigureLine(nil), lines...), store.FigureLine{Line: 9999, CreditCode: storetest.CreditCode("370100", 99999),
			Date: first, Indicator: "elec_kwh", Value: 1, Source: "enterprise"})
		bad[0].Value = 7
		var ae *lianggao.Error
		if _, err := s.IngestFigures(ctx, bad, "bad"); !asError(err, &ae) || len(ae.Problems) != 1 || ae.Problems[0].Line != 9999 {
			t.Fatalf("a batch with an unknown enterprise: %v", err)
		}
		if got, _ := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: ents[0].ID, Indicators: []string{lines[0].Indicator},
			Source: lines[0].Source, From: first, To: first}); len(got) != 1 || got[0].Value != lines[0].Value {
			t.Fatalf("a rejected batch wrote: %+v", got)
		}

		_, n, err := s.FindAuditEntries(storetest.As(lianggao.RoleAuditAdmin, "370000"), store.AuditFilter{Action: "figure.batch", Limit: 100})
		if err != nil || n != 4 {
			t.Fatalf("%d audit entries for 4 batches stored: %v", n, err)
		}
	})
}

// Ensure two senders of the same new figures at once both succeed and the
// figures are stored once: on PostgreSQL the second copy meets the first's
// keys and falls back to the upsert.
func TestConcurrentFigureBatches(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		e := mustEnterprise(t, s, "370102", 1)
		first := lianggao.Date{Year: 2024, Month: 1, Day: 1}
		var lines []store.FigureLine
		for i := range 3000 {
			lines = append(lines, store.FigureLine{Line: i + 2, CreditCode: e.CreditCode, Date: first.AddDays(i / 2),
				Indicator: []string{"elec_kwh", "coal_t"}[i%2], Source: "enterprise", Value: float64(i)})
		}
		var wg sync.WaitGroup
		changed := make([]int, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				res, err := s.IngestFigures(ctx, lines, "same")
				if err == nil {
					changed[i] = res.Changed
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || changed[0]+changed[1] != 3000 {
			t.Fatalf("two senders at once: changed %v, errors %v", changed, errs)
		}
		figs, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID})
		if err != nil || len(figs) != 3000 {
			t.Fatalf("%d figures stored, want 3000: %v", len(figs), err)
		}
	})
}
