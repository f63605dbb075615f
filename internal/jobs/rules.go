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
	"lianggao/internal/monitor"
	"lianggao/internal/store"
)

// warmup is how far before the period the figures are read: the rules
// compare a period with the weeks before it.
const warmup = 120

// RunRules evaluates every rule for the enterprises in the actor's scope
// over [from, to] and returns the findings, merged per enterprise: those
// that report figures and those whose meters are registered. Given ids, it
// checks only those enterprises (the ones a batch touched). Everything is
// read first, in a few queries for the whole province; the checks then run
// on every core.
func RunRules(ctx context.Context, s *store.Store, from, to lianggao.Date, now time.Time, ids ...int64) ([]monitor.Finding, error) {
	in, err := gather(ctx, s, from.AddDays(-warmup), to, ids)
	if err != nil {
		return nil, err
	}
	p := s.Profile()
	var products []*lianggao.Product
	for _, ind := range p.DomainIndustries() {
		products = append(products, ind.Products...)
	}
	c := monitor.Context{From: from, To: to, Now: now, Loc: p.Location(), Catalogue: monitor.NewCatalogue(products),
		Coefficients: monitor.GBT2589()}
	params := p.Rules

	var mu sync.Mutex
	var out []monitor.Finding
	var firstErr error
	work := make(chan *lianggao.Enterprise)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				fs, err := monitor.Check(in.enterprise(e, c), c, params)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out = append(out, fs...)
				mu.Unlock()
			}
		}()
	}
	for _, e := range in.ents {
		work <- e
	}
	close(work)
	wg.Wait()
	return out, firstErr
}

// inputs is what the rules read, for every enterprise at once.
type inputs struct {
	ents       []*lianggao.Enterprise
	figures    map[int64][]*lianggao.Figure
	capacities map[int64][]lianggao.Capacity
	meters     map[int64][]*lianggao.Meter
	readings   map[int64]map[string]time.Time
}

func gather(ctx context.Context, s *store.Store, from, to lianggao.Date, ids []int64) (*inputs, error) {
	in := &inputs{meters: map[int64][]*lianggao.Meter{}}
	ents, _, err := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Limit: store.All})
	if err != nil {
		return nil, err
	}
	in.ents = ents
	if len(ids) > 0 {
		in.ents = slices.DeleteFunc(ents, func(e *lianggao.Enterprise) bool { return !slices.Contains(ids, e.ID) })
	}
	if in.figures, err = s.FiguresBetween(ctx, from, to, ids); err != nil {
		return nil, err
	}
	if in.capacities, err = s.CapacitiesInScope(ctx); err != nil {
		return nil, err
	}
	meters, _, err := s.FindMeters(ctx, lianggao.MeterFilter{Limit: store.All})
	if err != nil {
		return nil, err
	}
	for _, m := range meters {
		in.meters[m.EnterpriseID] = append(in.meters[m.EnterpriseID], m)
	}
	in.readings, err = s.LastReadingsInScope(ctx)
	return in, err
}

// enterprise assembles what the rules need of one enterprise.
func (in *inputs) enterprise(e *lianggao.Enterprise, c monitor.Context) *monitor.Enterprise {
	// Receipt times: a figure's first arrival is not kept apart from its
	// revisions yet, so days count as received with no time, and lateness
	// is not judged.
	me := &monitor.Enterprise{CreditCode: e.CreditCode, Figures: monitor.Figures{}, Received: map[lianggao.Date]time.Time{}}
	for _, f := range in.figures[e.ID] {
		bySource := me.Figures[f.Indicator]
		if bySource == nil {
			bySource = map[string]monitor.Series{}
			me.Figures[f.Indicator] = bySource
		}
		if bySource[f.Source] == nil {
			bySource[f.Source] = monitor.Series{}
		}
		bySource[f.Source][f.Date] = f.Value
		if f.Source != monitor.DefaultSource {
			continue
		}
		me.Received[f.Date] = time.Time{}
		// An enterprise reports every day from its own first report on.
		if me.Since.IsZero() || f.Date.Before(me.Since) {
			me.Since = f.Date
		}
	}
	// The main product is the one whose output the enterprise reports daily.
	for ind := range me.Figures {
		if p, ok := strings.CutPrefix(ind, "output:"); ok {
			me.Product = p
		}
	}
	for _, cap := range in.capacities[e.ID] {
		if cap.Product == me.Product && e.OutputControlled {
			me.Plans = []monitor.OutputPlan{monitor.CapacityPlan(cap.Product, cap.Amount, c.From.AddDays(-warmup).Year, c.To.Year)}
		}
	}
	for _, m := range in.meters[e.ID] {
		// A meter that never sent a reading has no known start, so it is not
		// judged silent; one that did is judged from its last reading.
		me.Meters = append(me.Meters, monitor.MeterStatus{Serial: m.Serial, Online: m.Online, CalibrationDue: m.CalibrationDue,
			LastReading: in.readings[e.ID][m.Serial]})
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
