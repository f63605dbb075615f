// Package jobs runs the platform's work that is not a request: for now the
// monitoring rules over the stored figures.
package jobs

import (
	"context"
	"runtime"
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
// checks only those enterprises (the ones a batch touched).
func RunRules(ctx context.Context, s *store.Store, from, to lianggao.Date, now time.Time, ids ...int64) ([]monitor.Finding, error) {
	ents, err := enterprisesFor(ctx, s, ids)
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
	params := monitor.DefaultParams()

	// Enterprises are independent: read and check them on every core.
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
				fs, err := checkOne(ctx, s, e, c, params)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out = append(out, fs...)
				mu.Unlock()
			}
		}()
	}
	for _, e := range ents {
		work <- e
	}
	close(work)
	wg.Wait()
	return out, firstErr
}

// checkOne gathers one enterprise's figures, plan and meters and runs the rules.
func checkOne(ctx context.Context, s *store.Store, e *lianggao.Enterprise, c monitor.Context, p monitor.Params) ([]monitor.Finding, error) {
	full, err := s.FindEnterpriseByID(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	figs, err := s.FindFigures(ctx, lianggao.FigureFilter{EnterpriseID: e.ID, From: c.From.AddDays(-warmup), To: c.To})
	if err != nil {
		return nil, err
	}
	// Receipt times: a figure's first arrival is not kept apart from its
	// revisions yet, so days count as received with no time, and lateness
	// is not judged.
	me := &monitor.Enterprise{CreditCode: e.CreditCode, Figures: monitor.Figures{}, Received: map[lianggao.Date]time.Time{}}
	for _, f := range figs {
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
	for _, cap := range full.Capacities {
		if cap.Product == me.Product && e.OutputControlled {
			me.Plans = []monitor.OutputPlan{monitor.CapacityPlan(cap.Product, cap.Amount, c.From.AddDays(-warmup).Year, c.To.Year)}
		}
	}
	meters, _, err := s.FindMeters(ctx, lianggao.MeterFilter{EnterpriseID: e.ID, Limit: store.All})
	if err != nil {
		return nil, err
	}
	last, err := s.LastReadings(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range meters {
		// A meter that never sent a reading has no known start, so it is not
		// judged silent; one that did is judged from its last reading.
		me.Meters = append(me.Meters, monitor.MeterStatus{Serial: m.Serial, Online: m.Online, CalibrationDue: m.CalibrationDue,
			LastReading: last[m.Serial]})
	}
	return monitor.Check(me, c, p)
}

func enterprisesFor(ctx context.Context, s *store.Store, ids []int64) ([]*lianggao.Enterprise, error) {
	if len(ids) == 0 {
		ents, _, err := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Limit: store.All})
		return ents, err
	}
	ents := make([]*lianggao.Enterprise, 0, len(ids))
	for _, id := range ids {
		e, err := s.FindEnterpriseByID(ctx, id)
		if err != nil {
			return nil, err
		}
		ents = append(ents, e)
	}
	return ents, nil
}

// Alerts runs the rules over [from, to] and saves what they find as alerts.
func Alerts(ctx context.Context, s *store.Store, from, to lianggao.Date, now time.Time, ids ...int64) (*store.AlertRun, error) {
	findings, err := RunRules(ctx, s, from, to, now, ids...)
	if err != nil {
		return nil, err
	}
	return s.SaveFindings(ctx, findings)
}
