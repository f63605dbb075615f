package monitor

import (
	"math"
	"slices"

	"lianggao"
)

// Series is one indicator's daily values from one source; a day without a
// figure is absent, which is not the same as zero.
type Series map[lianggao.Date]float64

// Figures holds an enterprise's series by indicator and then by source.
type Figures map[string]map[string]Series

// dense lays a series out over the days of s, NaN where absent, so that
// windows are slices.
func dense(x Series, s span) []float64 {
	out := make([]float64, s.days())
	for i := range out {
		out[i] = math.NaN()
	}
	for d, v := range x {
		if n := dayNumber(d); s.contains(n) {
			out[n-s.lo] = v
		}
	}
	return out
}

// extent returns the days from the earliest to the latest figure of the
// series, ok false when all are empty.
func extent(xs ...Series) (s span, ok bool) {
	for _, x := range xs {
		for d := range x {
			n := dayNumber(d)
			if !ok {
				s, ok = span{n, n}, true
			}
			s.lo, s.hi = min(s.lo, n), max(s.hi, n)
		}
	}
	return s, ok
}

func present(v float64) bool { return !math.IsNaN(v) }

// sum adds the present values of v[i:j] and counts them.
func sum(v []float64, i, j int) (total float64, n int) {
	for _, x := range v[max(i, 0):min(j, len(v))] {
		if present(x) {
			total += x
			n++
		}
	}
	return total, n
}

// quantile returns the q-quantile (0…1) of the present values, by the
// nearest rank; NaN when there are none.
func quantile(v []float64, q float64) float64 {
	xs := presentValues(v)
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	return xs[min(len(xs)-1, int(q*float64(len(xs))))]
}

func presentValues(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if present(x) {
			out = append(out, x)
		}
	}
	return out
}

// median returns the median of xs (which it sorts), NaN when empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// medianMAD returns the median and the median absolute deviation of xs.
func medianMAD(xs []float64) (med, mad float64) {
	med = median(xs)
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - med)
	}
	return med, median(dev)
}

// robustZ is the modified z-score of Iglewicz and Hoaglin,
// 0.6745·(x − median)/MAD, with the MAD floored at minRel·|median| so
// that a very even history does not turn a trifling change into an alarm.
func robustZ(x, med, mad, minRel float64) float64 {
	mad = max(mad, minRel*math.Abs(med))
	if mad == 0 {
		return 0
	}
	return 0.6745 * (x - med) / mad
}

// relDiff is |a − b| over the larger magnitude: symmetric, at most 2, and
// defined when one of them is zero.
func relDiff(a, b float64) float64 {
	m := max(math.Abs(a), math.Abs(b))
	if m == 0 {
		return 0
	}
	return math.Abs(a-b) / m
}

// running marks the days a plant ran: output at least share × its typical
// daily output (the upper quartile, which stays at the running level as long
// as the plant stood still less than three quarters of the time). Ratios
// over days a plant stood still say nothing about its rates.
func running(output []float64, share float64) []bool {
	level := quantile(output, 0.75)
	out := make([]bool, len(output))
	for i, x := range output {
		out[i] = present(x) && level > 0 && x >= share*level
	}
	return out
}

// round4 keeps evidence readable and JSON short: four significant figures,
// and whole numbers beyond that — a rate of 0.08123 t/t, an output of
// 16,425 t.
func round4(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	scale := math.Pow10(max(0, 3-int(math.Floor(math.Log10(math.Abs(x))))))
	return math.Round(x*scale) / scale
}
