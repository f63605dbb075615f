package demo

import (
	"context"
	"fmt"

	"lianggao"
	"lianggao/internal/store"
)

// meterKinds are the serial prefix and the accuracy classes usual for each kind.
var meterKinds = map[string]struct {
	prefix  string
	classes []string
}{
	"electricity": {"DN", []string{"0.2S", "0.5S", "0.5S"}},
	"coal":        {"MC", []string{"0.5", "1.0"}},
	"gas":         {"QT", []string{"1.0", "1.5"}},
	"oil":         {"YL", []string{"0.2", "0.5"}},
	"steam":       {"ZQ", []string{"1.0", "1.5"}},
	"heat":        {"RL", []string{"2", "3"}},
	"water":       {"SB", []string{"2", "2", "1"}},
}

// steamUsers are the industries whose plants meter process steam.
var steamUsers = map[string]bool{
	"refining": true, "coal_power": true, "coal_chemical": true, "basic_chemicals": true,
	"fertilizer": true, "tyres": true, "coking": true,
}

// writeMeters fits the metered plants with meters and imports them in one go.
func (g *generator) writeMeters(ctx context.Context) error {
	r := newRNG(g.o.Seed, streamMeters)
	var rows []store.MeterImport
	for _, p := range g.plants {
		if !metered(p) {
			continue
		}
		for _, m := range g.meters(r, p, len(rows)) {
			rows = append(rows, store.MeterImport{Meter: m, CreditCode: p.CreditCode, Line: len(rows) + 1})
		}
	}
	if err := g.s.ImportMeters(ctx, rows, checksum(rows)); err != nil {
		return err
	}
	g.sum.Meters = len(rows)
	return nil
}

// metered tells whether a plant's meters are registered: those still
// standing of the key enterprises and of the key industries, whose metering
// is checked every month (R2.5).
func metered(p *plant) bool {
	return (p.Key || p.keyIndustry) && p.Status != lianggao.EnterpriseClosed
}

// meters draws a plant's instruments: incoming and sub-metering of
// electricity and water always, coal, steam, heat, oil and gas as the
// process needs. serial numbers the meters across the province.
func (g *generator) meters(r rng, p *plant, serial int) []*lianggao.Meter {
	kinds := []string{"electricity", "electricity", "water"}
	if r.chance(0.5) {
		kinds = append(kinds, "electricity")
	}
	if p.v.coal >= 0.05 {
		kinds = append(kinds, "coal")
	}
	if steamUsers[p.Industry] {
		kinds = append(kinds, "steam")
	}
	if p.Industry == "refining" {
		kinds = append(kinds, "oil", "oil")
	}
	if len(p.Capacities) > 1 && p.Industry == "coal_power" {
		kinds = append(kinds, "heat")
	}
	if r.chance(0.4) {
		kinds = append(kinds, "gas")
	}
	out := make([]*lianggao.Meter, len(kinds))
	for i, k := range kinds {
		out[i] = &lianggao.Meter{
			Kind:           k,
			Serial:         fmt.Sprintf("%s%d%06d", meterKinds[k].prefix, r.intBetween(2012, g.today.Year-1), serial+i+1),
			AccuracyClass:  pick(r, meterKinds[k].classes),
			CalibrationDue: g.calibrationDue(r),
			Online:         p.Status == lianggao.EnterpriseOperating && r.chance(0.97),
		}
	}
	// The first meter is the incoming electricity meter: a planted overdue
	// calibration concerns it.
	if pr := g.problem[p]; pr.Kind == KindMeterOverdue {
		out[0].CalibrationDue = pr.From
	}
	return out
}

// calibrationDue spreads due dates over the coming year, a few just overdue.
func (g *generator) calibrationDue(r rng) lianggao.Date {
	if r.chance(0.04) {
		return g.today.AddDays(-r.intBetween(1, 30))
	}
	return g.today.AddDays(r.intBetween(0, 365))
}
