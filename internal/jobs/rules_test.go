package jobs_test

import (
	"testing"

	"lianggao"
	"lianggao/internal/demo"
	"lianggao/internal/jobs"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure the rules, run over a demo province's stored figures and meters,
// find the problems planted in it (recall ≥ 95%) without crying wolf
// (precision ≥ 80%).
func TestRulesFindDemoProblems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := lianggao.NewContext(t.Context(), lianggao.SystemActor)
		sum, err := demo.Generate(ctx, s, demo.Options{Seed: 7, Now: storetest.Now, Scale: 0.15})
		if err != nil {
			t.Fatal(err)
		}
		truth := make([]monitor.TruthItem, len(sum.Problems))
		for i, p := range sum.Problems {
			truth[i] = monitor.TruthItem{CreditCode: p.CreditCode, Kind: p.Kind, Indicator: p.Indicator, From: p.From, To: p.To}
		}
		to := lianggao.DateOf(storetest.Now).AddDays(-1)
		findings, err := jobs.RunRules(ctx, s, to.AddDays(-364), to, storetest.Now)
		if err != nil {
			t.Fatal(err)
		}
		precision, recall := monitor.Evaluate(findings, truth)
		t.Logf("%d planted problems, %d findings: precision %.2f, recall %.2f", len(truth), len(findings), precision, recall)
		if len(truth) < 5 || recall < 0.95 || precision < 0.8 {
			t.Fatalf("precision %.2f, recall %.2f on %d planted problems", precision, recall, len(truth))
		}
	})
}
