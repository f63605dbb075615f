package demo

import (
	"math"
	"math/rand/v2"
)

// Each step draws from its own stream of the seed, so that changing how one
// step draws leaves the others' output alone.
const (
	streamEnterprises uint64 = 0x6c69616e67 + iota
	streamProjects
	streamPeople
	streamGroups
	streamMeters
	streamFigures
	streamProblems
)

// rng is a seeded random source with the few draws the generator needs.
type rng struct{ *rand.Rand }

func newRNG(seed int64, stream uint64) rng {
	return rng{rand.New(rand.NewPCG(uint64(seed), stream))}
}

// between returns a uniform value in [lo, hi).
func (r rng) between(lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

// intBetween returns a uniform integer in [lo, hi].
func (r rng) intBetween(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// noise returns a multiplicative factor around 1 with standard deviation sd,
// clamped so that a rare draw never turns a quantity negative.
func (r rng) noise(sd float64) float64 {
	return max(0.5, min(1.5, 1+r.NormFloat64()*sd))
}

// weighted returns an index drawn with probability proportional to its weight.
func (r rng) weighted(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// pick returns a uniformly drawn element.
func pick[T any](r rng, list []T) T { return list[r.IntN(len(list))] }

// logBetween returns lo·(hi/lo)^u: capacities spread over orders of magnitude
// with many small plants and few large ones.
func logBetween(lo, hi, u float64) float64 { return lo * math.Pow(hi/lo, u) }
