package planner

import (
	"cmp"
	"iter"
	"math"
	"math/bits"
	"slices"
)

// partitioner searches the partitions of the cities into the labelled groups.
//
// A set of cities is a bitmask: bit i stands for the i-th city in code order.
// Groups are filled one after the other in the fill order (see fillOrder), so
// the cities still free when group g is filled are a set S of exactly rest[g]
// cities, and one table entry per set S holds what the later groups can make
// of it: the least possible largest workload (optimum) or the number of ways
// to fill them within a bound (count). Because rest[g] strictly decreases with
// g, the size of S tells which group it belongs to, and one table serves all.
//
// The last groups of the fill order all have the same size (the run). Which of
// them takes which block changes no workload, so the search fills them as
// unlabelled blocks, each taking the lowest free city, and multiplies by the
// run's r! orders of labels at the end. For 16 cities in groups of 4, 3, 3, 3,
// 3 a pass visits about 0.5 million (set, subset) pairs, instead of the 1.5
// million without the run or the 672,672,000 assignments.
type partitioner struct {
	n     int
	codes []string // cities in code order
	loads []int    // enterprises per city, by city index
	depts []string // groups in fill order
	sizes []int    // cities per group, by group index
	rest  []int    // rest[g] = sizes[g] + … + sizes[last]; rest[len(sizes)] = 0
	run   int      // the index of the first group of the run
	perms uint64   // r!, the labellings of the run; 0 if it overflows
	table []uint64 // indexed by a set of free cities
}

// newPartitioner prepares the search for valid, normalized inputs.
func newPartitioner(in AssignmentInputs) *partitioner {
	p := &partitioner{n: len(in.Cities), table: make([]uint64, 1<<len(in.Cities))}
	for _, c := range in.Cities {
		p.codes = append(p.codes, c.Code)
		p.loads = append(p.loads, c.Enterprises)
	}
	for _, g := range fillOrder(in.Groups) {
		p.depts = append(p.depts, g.Department)
		p.sizes = append(p.sizes, g.Cities)
	}
	k := len(p.sizes)
	p.rest = make([]int, k+1)
	for g := k - 1; g >= 0; g-- {
		p.rest[g] = p.rest[g+1] + p.sizes[g]
	}
	for p.run = k - 1; p.run > 0 && p.sizes[p.run-1] == p.sizes[k-1]; p.run-- {
	}
	p.perms = labellings(k - p.run)
	return p
}

// fillOrder sorts the groups by how many groups share their size, then by
// size from large to small, then by department: the most numerous size comes
// last and forms the run, which gives the largest saving.
func fillOrder(groups []GroupSpec) []GroupSpec {
	same := map[int]int{}
	for _, g := range groups {
		same[g.Cities]++
	}
	return slices.SortedFunc(slices.Values(groups), func(a, b GroupSpec) int {
		return cmp.Or(cmp.Compare(same[a.Cities], same[b.Cities]),
			cmp.Compare(b.Cities, a.Cities), cmp.Compare(a.Department, b.Department))
	})
}

// full is the set of all cities.
func (p *partitioner) full() uint32 { return 1<<p.n - 1 }

// labellings returns r!, the number of ways to label the run's blocks, or 0
// when it does not fit in 64 bits.
func labellings(r int) uint64 {
	f := uint64(1)
	for i := 2; i <= r; i++ {
		hi, lo := bits.Mul64(f, uint64(i))
		if hi != 0 {
			return 0
		}
		f = lo
	}
	return f
}

// choices yields the city sets group g may take from the free set: all its
// subsets of the group's size, or within the run only those holding the
// lowest free city.
func (p *partitioner) choices(g int, free uint32) iter.Seq2[uint32, int] {
	var fixed uint32
	if g >= p.run {
		fixed = free & -free
	}
	return p.subsets(free, fixed, p.sizes[g])
}

// optimum returns the least possible largest workload over all assignments.
// table[S] becomes the best largest workload of the groups filled from S:
// the least, over the choices T of the current group, of the larger of T's
// workload and table[S∖T].
func (p *partitioner) optimum() int {
	p.table[0] = 0
	for g := len(p.sizes) - 1; g >= 0; g-- {
		for set := range masks(p.n, p.rest[g]) {
			best := uint64(math.MaxUint64)
			for sub, load := range p.choices(g, set) {
				best = min(best, max(uint64(load), p.table[set&^sub]))
			}
			p.table[set] = best
		}
	}
	return int(p.table[p.full()])
}

// count returns the number of assignments whose every workload is at most
// bound. table[S] becomes the number of ways to fill the groups from S within
// the bound (the run's blocks unlabelled), which unrank then reads.
func (p *partitioner) count(bound int) (uint64, error) {
	tooMany := invalid("cities: too many acceptable assignments to count in 64 bits")
	p.table[0] = 1
	for g := len(p.sizes) - 1; g >= 0; g-- {
		for set := range masks(p.n, p.rest[g]) {
			var ways, carry uint64
			for sub, load := range p.choices(g, set) {
				if load <= bound {
					if ways, carry = bits.Add64(ways, p.table[set&^sub], 0); carry != 0 {
						return 0, tooMany
					}
				}
			}
			p.table[set] = ways
		}
	}
	hi, total := bits.Mul64(p.table[p.full()], p.perms)
	if hi != 0 || p.perms == 0 {
		return 0, tooMany
	}
	return total, nil
}

// assign returns the groups of the assignment of rank r among those within
// the bound, in department order, after count(bound).
//
// r is read as q·r! + π with π < r!. q ranks the assignments with the run
// unlabelled: they are ordered by the first group's set (as a number), then
// the second's, and so on; for each choice T of the current group,
// table[S∖T] of them start with T, so skipping whole blocks finds the q-th in
// one pass. π is the Lehmer code of the labelling of the run's blocks (see
// label). Rank and assignment are in one-to-one correspondence, so a uniform
// rank gives a uniform assignment.
func (p *partitioner) assign(bound int, r uint64) []AssignedGroup {
	sets := p.unrank(bound, r/p.perms)
	p.label(sets[p.run:], r%p.perms)
	out := make([]AssignedGroup, len(sets))
	for g, set := range sets {
		out[g] = p.group(g, set)
	}
	slices.SortFunc(out, func(a, b AssignedGroup) int { return cmp.Compare(a.Department, b.Department) })
	return out
}

// unrank returns the sets, in fill order, of the q-th assignment with the run
// unlabelled.
func (p *partitioner) unrank(bound int, q uint64) []uint32 {
	sets := make([]uint32, len(p.sizes))
	free := p.full()
	for g := range p.sizes {
		for sub, load := range p.choices(g, free) {
			if load > bound {
				continue
			}
			if w := p.table[free&^sub]; q >= w {
				q -= w
				continue
			}
			sets[g] = sub
			break
		}
		free &^= sets[g]
	}
	return sets
}

// label reorders the run's blocks, given in order of their lowest city, by
// the permutation of Lehmer code pi < r!: with f = (r−1)!, the run's first
// group (in fill order) takes block pi div f among the r, and so on with the
// remaining blocks and pi mod f.
func (p *partitioner) label(blocks []uint32, pi uint64) {
	left := slices.Clone(blocks)
	f := p.perms
	for j := range blocks {
		f /= uint64(len(blocks) - j)
		i := pi / f
		pi %= f
		blocks[j] = left[i]
		left = slices.Delete(left, int(i), int(i)+1)
	}
}

// group describes group g (in fill order) holding the set of cities.
func (p *partitioner) group(g int, set uint32) AssignedGroup {
	a := AssignedGroup{Department: p.depts[g], Cities: []string{}}
	for i := range p.n {
		if set&(1<<i) != 0 {
			a.Cities = append(a.Cities, p.codes[i])
			a.Workload += p.loads[i]
		}
	}
	return a
}

// subsets yields the k-member subsets of set that contain fixed (a subset of
// set), in increasing numeric order, each with its workload. Gosper's hack
// steps through the subsets of positions 0…m−1 of the other members, which are
// then spread onto them.
func (p *partitioner) subsets(set, fixed uint32, k int) iter.Seq2[uint32, int] {
	return func(yield func(uint32, int) bool) {
		var pos [32]uint8
		m := 0
		for s := set &^ fixed; s != 0; s &= s - 1 {
			pos[m] = uint8(bits.TrailingZeros32(s))
			m++
		}
		base := 0
		for s := fixed; s != 0; s &= s - 1 {
			base += p.loads[bits.TrailingZeros32(s)]
		}
		for c := range masks(m, k-bits.OnesCount32(fixed)) {
			sub, load := fixed, base
			for ; c != 0; c &= c - 1 {
				i := pos[bits.TrailingZeros32(c)]
				sub |= 1 << i
				load += p.loads[i]
			}
			if !yield(sub, load) {
				return
			}
		}
	}
}

// masks yields the n-bit masks with k bits set, in increasing order
// (Gosper's hack: the next larger number with the same number of bits).
func masks(n, k int) iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		if k == 0 {
			yield(0)
			return
		}
		for c := uint64(1)<<k - 1; c < 1<<n; {
			if !yield(uint32(c)) {
				return
			}
			low := bits.TrailingZeros64(c)
			next := c + 1<<low
			c = next | (next^c)>>(low+2)
		}
	}
}
