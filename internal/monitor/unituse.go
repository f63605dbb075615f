package monitor

import (
	"math"

	"lianggao"
)

// UnitUseParams are the thresholds of the unit-use rule.
type UnitUseParams struct {
	Z              float64 `toml:"z"`                // robust z-score beyond which a rate breaks away
	MinRelMAD      float64 `toml:"min_rel_mad"`      // floor of the history's MAD, as a share of its median
	PeerMinRelMAD  float64 `toml:"peer_min_rel_mad"` // floor of the peers' MAD, as a share of their median
	MinPeers       int     `toml:"min_peers"`        // fewer peers than this: no peer comparison
	HistoryDays    int     `toml:"history_days"`     // trailing history when no earlier year has the month
	MinHistoryDays int     `toml:"min_history_days"` // running days the history needs
	MinRunningDays int     `toml:"min_running_days"` // running days a month needs to be judged
	RunningShare   float64 `toml:"running_share"`    // a day runs when output ≥ this share of the typical day's
	// Seasons split the trailing history: a month in a season is compared
	// only with days of the same season. Check sets the heating season for
	// plants that supply heat, whose coal per unit of power rises in winter.
	Seasons []Season `toml:"-"`
}

// UnitUseInput is one use indicator against one product's output.
type UnitUseInput struct {
	Output  Series // output:<product>
	Use     Series // elec_kwh or coal_t
	Subject string // the use indicator's code, naming the finding
	// Peers holds, by first day of the month, the month's rates of the other
	// enterprises making the same product (MonthlyRates), self excluded.
	Peers    map[lianggao.Date][]float64
	From, To lianggao.Date
}

// UnitUse finds electricity or coal per unit of output breaking away, month
// by month, from the enterprise's own history and from its peers. A month's
// rate is Σ use ÷ Σ output over its running days. Against history, its
// robust z-score 0.6745·(rate − median)/MAD is taken over the daily rates of
// the same calendar month in earlier years or, failing enough of those, of
// the trailing HistoryDays (same season only); against peers, over the
// peers' rates that month. |z| > Z is a warning. Months already found to
// break away are left out of later months' history, so one bad spell does
// not make the return to normal look like another.
func UnitUse(in UnitUseInput, p UnitUseParams) []Finding {
	period := span{dayNumber(in.From), dayNumber(in.To)}
	ext, ok := extent(in.Output)
	if !ok || ext.lo > period.hi {
		return nil
	}
	u := newUnitUse(in.Output, in.Use, span{ext.lo, period.hi}, p)
	var fs []Finding
	for _, month := range months(u.all) {
		m, _ := month.clip(u.all)
		rate, ok := u.rate(m)
		if !ok {
			continue
		}
		if f, broke := u.againstHistory(m, rate, in.Subject); broke {
			u.flag(m)
			if m.overlaps(period) {
				fs = append(fs, f)
			}
		}
		if f, broke := u.againstPeers(m, rate, in.Subject, in.Peers[dateOf(month.lo)]); broke && m.overlaps(period) {
			fs = append(fs, f)
		}
	}
	return Merge(fs)
}

// MonthlyRates returns an enterprise's use per unit of output for each
// calendar month of its figures with enough running days, by the month's
// first day: what UnitUse compares with the peers' (Peers), so the caller
// gathers these for every enterprise making the same product.
func MonthlyRates(output, use Series, p UnitUseParams) map[lianggao.Date]float64 {
	out := map[lianggao.Date]float64{}
	ext, ok := extent(output)
	if !ok {
		return out
	}
	u := newUnitUse(output, use, ext, p)
	for _, m := range months(ext) {
		if rate, ok := u.rate(m); ok {
			out[dateOf(m.lo)] = rate
		}
	}
	return out
}

// unitUse holds one enterprise's output and use laid out over its days.
type unitUse struct {
	p        UnitUseParams
	all      span
	out, use []float64
	run      []bool
	flagged  []bool
}

func newUnitUse(output, use Series, all span, p UnitUseParams) *unitUse {
	out := dense(output, all)
	return &unitUse{p: p, all: all, out: out, use: dense(use, all), run: running(out, p.RunningShare),
		flagged: make([]bool, all.days())}
}

// usable reports whether day i (an index) has a running day's rate.
func (u *unitUse) usable(i int) bool {
	return u.run[i] && present(u.use[i]) && u.out[i] > 0
}

// rate is Σ use ÷ Σ output over the running days of m.
func (u *unitUse) rate(m span) (float64, bool) {
	var su, so float64
	n := 0
	m, _ = m.clip(u.all)
	for d := m.lo; d <= m.hi; d++ {
		if i := d - u.all.lo; u.usable(i) {
			su += u.use[i]
			so += u.out[i]
			n++
		}
	}
	return su / so, n >= u.p.MinRunningDays
}

func (u *unitUse) flag(m span) {
	for d := m.lo; d <= m.hi; d++ {
		u.flagged[d-u.all.lo] = true
	}
}

// history returns the daily rates m is compared with: those of the same
// calendar month in earlier years if there are enough, else those of the
// trailing days in m's season.
func (u *unitUse) history(m span) []float64 {
	var same []float64
	for d := u.all.lo; d < m.lo; d++ {
		if x := dateOf(d); x.Month == dateOf(m.lo).Month {
			same = u.appendRate(same, d)
		}
	}
	if len(same) >= u.p.MinHistoryDays {
		return same
	}
	season := seasonOf(m.lo+(m.hi-m.lo)/2, u.p.Seasons)
	var trailing []float64
	for d := max(u.all.lo, m.lo-u.p.HistoryDays); d < m.lo; d++ {
		if seasonOf(d, u.p.Seasons) == season {
			trailing = u.appendRate(trailing, d)
		}
	}
	return trailing
}

func (u *unitUse) appendRate(rates []float64, d int) []float64 {
	if i := d - u.all.lo; u.usable(i) && !u.flagged[i] {
		rates = append(rates, u.use[i]/u.out[i])
	}
	return rates
}

func (u *unitUse) againstHistory(m span, rate float64, subject string) (Finding, bool) {
	h := u.history(m)
	if len(h) < u.p.MinHistoryDays {
		return Finding{}, false
	}
	med, mad := medianMAD(h)
	z := robustZ(rate, med, mad, u.p.MinRelMAD)
	if math.Abs(z) <= u.p.Z {
		return Finding{}, false
	}
	return newFinding(RuleUnitUseHistory, subject, m, Warning, "alert.unit_use.history",
		map[string]float64{"rate": round4(rate), "median": round4(med), "mad": round4(mad), "z": round4(z),
			"change_pct": pct(rate, med)}), true
}

func (u *unitUse) againstPeers(m span, rate float64, subject string, peers []float64) (Finding, bool) {
	if len(peers) < u.p.MinPeers {
		return Finding{}, false
	}
	med, mad := medianMAD(append([]float64(nil), peers...))
	z := robustZ(rate, med, mad, u.p.PeerMinRelMAD)
	if math.Abs(z) <= u.p.Z {
		return Finding{}, false
	}
	return newFinding(RuleUnitUsePeers, subject, m, Warning, "alert.unit_use.peers",
		map[string]float64{"rate": round4(rate), "peer_median": round4(med), "peer_mad": round4(mad), "z": round4(z),
			"peers": float64(len(peers)), "change_pct": pct(rate, med)}), true
}
