// Package jobs runs the platform's work that is not a request: for now the
// monitoring rules over the stored figures.
package jobs

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"lianggao"
	"lianggao/internal/config"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
)

// warmup is how far before the period the figures are read: the rules
// compare a period with the weeks before it.
const warmup = 120

// RunRules evaluates every rule for the enterprises in the actor's scope
// over [from, to] and returns the findings, merged per enterprise: those
// that report figures and those whose meters are registered. Given ids, it
// checks only those enterprises (the ones a batch touched). The registry,
// meters and capacities are read first, for those enterprises only; the
// figures are then read in chunks of enterprises, on every core, each
// chunk checked as soon as it has been read, so that reading and checking
// overlap and no chunk's figures outlive its checks.
func RunRules(ctx context.Context, s *store.Store, from, to lianggao.Date, now time.Time, ids ...int64) ([]monitor.Finding, error) {
	in, err := gather(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	p := s.Profile()
	c := monitor.Context{From: from, To: to, Now: now, Loc: p.Location(), Catalogue: p.Catalogue(),
		Coefficients: p.Coefficients}
	params := p.Rules

	workers := runtime.NumCPU()
	size := max(minChunk, (len(in.ents)+chunksPerWorker*workers-1)/(chunksPerWorker*workers))
	chunks := make(chan []*lianggao.Enterprise)
	var mu sync.Mutex
	var out []monitor.Finding
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for chunk := range chunks {
				fs, err := in.check(ctx, s, chunk, c, params)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out = append(out, fs...)
				mu.Unlock()
			}
		})
	}
	for chunk := range slices.Chunk(in.ents, size) {
		chunks <- chunk
	}
	close(chunks)
	wg.Wait()
	return out, firstErr
}

// Chunks: a worker takes a few, so that one slow chunk does not leave the
// other cores idle at the end, and each holds enough enterprises for its
// query to be worth its round trip.
const (
	chunksPerWorker = 4
	minChunk        = 16
)

// inputs is what the rules read besides the figures, for every enterprise
// at once.
type inputs struct {
	profile    *config.Profile
	ents       []*lianggao.Enterprise
	capacities map[int64][]lianggao.Capacity
	meters     map[int64][]monitor.MeterStatus
}

func gather(ctx context.Context, s *store.Store, ids []int64) (*inputs, error) {
	in := &inputs{profile: s.Profile()}
	var err error
	if len(ids) > 0 {
		in.ents, err = s.EnterprisesByID(ctx, ids)
	} else {
		in.ents, _, err = s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Limit: store.All})
	}
	if err != nil {
		return nil, err
	}
	if in.capacities, err = s.CapacitiesInScope(ctx, ids...); err != nil {
		return nil, err
	}
	in.meters, err = s.RuleMeters(ctx, ids)
	return in, err
}

// check reads one chunk's figures and runs the rules over its enterprises.
func (in *inputs) check(ctx context.Context, s *store.Store, chunk []*lianggao.Enterprise, c monitor.Context, p monitor.Params) ([]monitor.Finding, error) {
	ids := make([]int64, len(chunk))
	for i, e := range chunk {
		ids[i] = e.ID
	}
	figures, err := s.RuleFigures(ctx, c.From.AddDays(-warmup), c.To, ids)
	if err != nil {
		return nil, err
	}
	var out []monitor.Finding
	for _, e := range chunk {
		fs, err := monitor.Check(in.enterprise(e, figures[e.ID], c), c, p)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// enterprise assembles what the rules need of one enterprise.
func (in *inputs) enterprise(e *lianggao.Enterprise, figures monitor.Figures, c monitor.Context) *monitor.Enterprise {
	// A meter that never sent a reading has no known start, so it is not
	// judged silent; one that did is judged from its last reading.
	// Receipt times: a figure's first arrival is not kept apart from its
	// revisions yet, so days count as received with no time, and lateness
	// is not judged.
	me := &monitor.Enterprise{CreditCode: e.CreditCode, Figures: figures, Received: map[lianggao.Date]time.Time{},
		Meters: in.meters[e.ID]}
	if me.Figures == nil {
		me.Figures = monitor.Figures{}
	}
	for _, bySource := range me.Figures {
		for d := range bySource[monitor.DefaultSource] {
			me.Received[d] = time.Time{}
			// An enterprise reports every day from its own first report on.
			if me.Since.IsZero() || d.Before(me.Since) {
				me.Since = d
			}
		}
	}
	// The main product is the one whose output the enterprise reports daily.
	for ind := range me.Figures {
		if p, ok := strings.CutPrefix(ind, "output:"); ok {
			me.Product = p
		}
	}
	if b, ok := in.profile.Benchmark(me.Product); ok {
		me.Benchmarks = []monitor.Benchmark{b}
	}
	for _, cap := range in.capacities[e.ID] {
		if cap.Product == me.Product && e.OutputControlled {
			me.Plans = []monitor.OutputPlan{monitor.CapacityPlan(cap.Product, cap.Amount, c.From.AddDays(-warmup).Year, c.To.Year)}
		}
	}
	return me
}

// Alerts runs the rules over [from, to] and saves what they find as alerts.
func Alerts(ctx context.Context, s *store.Store, from, to lianggao.Date, now time.Time, ids ...int64) (*store.AlertRun, error) {
	findings, err := RunRules(ctx, s, from, to, now, ids...)
	if err != nil {
		return nil, err
	}
	return s.SaveFindings(ctx, findings)
}
