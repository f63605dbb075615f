package planner

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"lianggao"
)

// brute enumerates every labelled assignment of a small instance: the
// optimum and the keys of the assignments within the bound.
func brute(in AssignmentInputs) (opt int, acceptable map[string]bool) {
	in = in.normalized()
	group := make([]int, len(in.Cities))
	type outcome struct {
		key   string
		worst int
	}
	var all []outcome
	var walk func(city int, left []int)
	walk = func(city int, left []int) {
		if city == len(in.Cities) {
			a := make([]AssignedGroup, len(in.Groups))
			for g := range a {
				a[g] = AssignedGroup{Department: in.Groups[g].Department, Cities: []string{}}
			}
			for c, g := range group {
				a[g].Cities = append(a[g].Cities, in.Cities[c].Code)
				a[g].Workload += in.Cities[c].Enterprises
			}
			all = append(all, outcome{key(a), worstOf(a)})
			return
		}
		for g := range left {
			if left[g] > 0 {
				left[g]--
				group[city] = g
				walk(city+1, left)
				left[g]++
			}
		}
	}
	left := make([]int, len(in.Groups))
	for g, s := range in.Groups {
		left[g] = s.Cities
	}
	walk(0, left)
	opt = math.MaxInt
	for _, o := range all {
		opt = min(opt, o.worst)
	}
	acceptable = map[string]bool{}
	for _, o := range all {
		if o.worst*100 <= opt*(100+TolerancePercent) {
			acceptable[o.key] = true
		}
	}
	return opt, acceptable
}

// key identifies an assignment given in department order.
func key(groups []AssignedGroup) string {
	var b strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&b, "%s:%s;", g.Department, strings.Join(g.Cities, ","))
	}
	return b.String()
}

func worstOf(groups []AssignedGroup) int {
	w := 0
	for _, g := range groups {
		w = max(w, g.Workload)
	}
	return w
}

// checkAssignment verifies the properties every assignment must have.
func checkAssignment(t *testing.T, in AssignmentInputs, seed []byte, a *Assignment) {
	t.Helper()
	loads := map[string]int{}
	for _, c := range in.Cities {
		loads[c.Code] = c.Enterprises
	}
	sizes := map[string]int{}
	for _, g := range in.Groups {
		sizes[g.Department] = g.Cities
	}
	seen := map[string]string{}
	var depts []string
	for _, g := range a.Groups {
		depts = append(depts, g.Department)
		if len(g.Cities) != sizes[g.Department] {
			t.Fatalf("group %s has %d cities, want %d", g.Department, len(g.Cities), sizes[g.Department])
		}
		if !slices.IsSorted(g.Cities) {
			t.Fatalf("group %s: cities not sorted: %v", g.Department, g.Cities)
		}
		w := 0
		for _, c := range g.Cities {
			if other, dup := seen[c]; dup {
				t.Fatalf("city %s in groups %s and %s", c, other, g.Department)
			}
			seen[c] = g.Department
			w += loads[c]
		}
		if w != g.Workload || w > a.Bound {
			t.Fatalf("group %s: workload %d (sum %d), bound %d", g.Department, g.Workload, w, a.Bound)
		}
	}
	switch {
	case len(seen) != len(in.Cities) || len(depts) != len(in.Groups):
		t.Fatalf("%d cities in %d groups, want %d in %d", len(seen), len(depts), len(in.Cities), len(in.Groups))
	case !slices.IsSorted(depts):
		t.Fatalf("groups not in department order: %v", depts)
	case a.Bound != a.Optimum*105/100 || a.Draw >= a.Acceptable:
		t.Fatalf("optimum %d bound %d draw %d of %d", a.Optimum, a.Bound, a.Draw, a.Acceptable)
	case a.Commitment != Commitment(seed, in) || a.Seed != hex.EncodeToString(seed):
		t.Fatalf("commitment %s or seed %s does not match", a.Commitment, a.Seed)
	}
}

// TestAssignShandong draws 2,000 assignments for the profile's groups and
// cities. The optimum is known: the average workload, 3,000 / 5 = 600, is a
// lower bound and the search must reach it. The search is done once (as
// Assign does it, through a drawer); every 20th seed also goes through Assign
// and must give the same bytes.
func TestAssignShandong(t *testing.T) {
	in := shandongInputs()
	n := 2000
	if testing.Short() {
		n = 200
	}
	d, err := NewDrawer(in)
	if err != nil {
		t.Fatal(err)
	}
	if d.opt != 600 || d.bound != 630 {
		t.Fatalf("optimum %d bound %d, want 600 and 630", d.opt, d.bound)
	}
	distinct := map[string]bool{}
	for i := range n {
		seed := testSeed(i)
		a := d.assign(seed)
		checkAssignment(t, in, seed, a)
		if i%20 == 0 {
			b, err := Assign(in, seed)
			if err != nil || !bytes.Equal(a.JSON(), b.JSON()) {
				t.Fatalf("seed %d: Assign gives %v\n%s%s", i, err, b.JSON(), a.JSON())
			}
		}
		distinct[key(a.Groups)] = true
	}
	// About 2.4 million assignments are acceptable: a uniform draw almost never repeats.
	if len(distinct) < n*99/100 {
		t.Errorf("%d distinct assignments in %d draws", len(distinct), n)
	}
	t.Logf("%d acceptable assignments, %d distinct in %d draws", d.total, len(distinct), n)
}

// randomProvince makes a small random instance with shuffled input order.
func randomProvince(r *rand.Rand) AssignmentInputs {
	n := 2 + r.IntN(8) // 2…9 cities
	k := 1 + r.IntN(min(n, 4))
	in := AssignmentInputs{Campaign: fmt.Sprint("c", r.IntN(100))}
	sizes := make([]int, k)
	for i := range sizes {
		sizes[i] = 1
	}
	for range n - k {
		sizes[r.IntN(k)]++
	}
	for i, s := range sizes {
		in.Groups = append(in.Groups, GroupSpec{Department: fmt.Sprint("d", r.IntN(100), "-", i), Cities: s})
	}
	for i := range n {
		load := r.IntN(300)
		if r.IntN(4) == 0 {
			load = 100 // ties
		}
		in.Cities = append(in.Cities, CityLoad{Code: fmt.Sprintf("%06d", 370100+100*i), Enterprises: load})
	}
	r.Shuffle(len(in.Cities), func(i, j int) { in.Cities[i], in.Cities[j] = in.Cities[j], in.Cities[i] })
	return in
}

// TestAssignMatchesBruteForce compares the optimum and the number of
// acceptable assignments with exhaustive enumeration on 200 small provinces,
// and checks that the drawn assignment is one of the acceptable ones.
func TestAssignMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		in := randomProvince(r)
		opt, acceptable := brute(in)
		seed := testSeed(i)
		a, err := Assign(in, seed)
		if err != nil {
			t.Fatal(err)
		}
		checkAssignment(t, in, seed, a)
		if a.Optimum != opt || a.Acceptable != uint64(len(acceptable)) || !acceptable[key(a.Groups)] {
			t.Fatalf("%s: optimum %d, %d acceptable, drew %s; brute force: %d, %d",
				in.Canonical(), a.Optimum, a.Acceptable, key(a.Groups), opt, len(acceptable))
		}
	}
}

// TestRanksAreABijection decodes every rank of small instances: each gives a
// different acceptable assignment, so a uniform rank is a uniform assignment.
func TestRanksAreABijection(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		in := randomProvince(r)
		_, acceptable := brute(in)
		p := newPartitioner(in.normalized())
		bound := p.optimum() * 105 / 100
		total, err := p.count(bound)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for rank := range total {
			k := key(p.assign(bound, rank))
			if got[k] || !acceptable[k] {
				t.Fatalf("%s: rank %d gives %s again or unacceptable", in.Canonical(), rank, k)
			}
			got[k] = true
		}
		if len(got) != len(acceptable) {
			t.Fatalf("%s: %d ranks for %d acceptable assignments", in.Canonical(), len(got), len(acceptable))
		}
	}
}

// TestAssignUniform draws many times on tiny instances and checks with a
// chi-square statistic that every acceptable assignment comes up about
// equally often.
func TestAssignUniform(t *testing.T) {
	loads := []int{10, 10, 10, 10, 12, 13}
	for _, sizes := range [][]int{{2, 2, 2}, {3, 2, 1}, {1, 2, 3}, {2, 1, 1, 1, 1}} {
		in := AssignmentInputs{Campaign: "tiny"}
		for g, s := range sizes {
			in.Groups = append(in.Groups, GroupSpec{Department: fmt.Sprint("g", g), Cities: s})
		}
		for c, l := range loads {
			in.Cities = append(in.Cities, CityLoad{Code: fmt.Sprint("c", c), Enterprises: l})
		}
		_, acceptable := brute(in)
		draws := 200 * len(acceptable)
		counts := map[string]int{}
		for i := range draws {
			a, err := Assign(in, testSeed(i))
			if err != nil {
				t.Fatal(err)
			}
			counts[key(a.Groups)]++
		}
		expect := float64(draws) / float64(len(acceptable))
		chi2 := 0.0
		for k := range acceptable {
			d := float64(counts[k]) - expect
			chi2 += d * d / expect
		}
		df := float64(len(acceptable) - 1)
		// Mean df, standard deviation √(2 df): six of them is far out in the tail.
		if len(counts) != len(acceptable) || chi2 > df+6*math.Sqrt(2*df) {
			t.Errorf("sizes %v: %d of %d assignments drawn, chi-square %.1f with %v degrees of freedom",
				sizes, len(counts), len(acceptable), chi2, df)
		}
		t.Logf("sizes %v: %d acceptable, %d draws, chi-square %.1f (df %v)", sizes, len(acceptable), draws, chi2, df)
	}
}

// TestAssignReproducible checks that the same seed and inputs give the same
// bytes whatever the input order, and that Replay gives them from the
// published inputs after checking the commitment.
func TestAssignReproducible(t *testing.T) {
	in := shandongInputs()
	seed := testSeed(42)
	a, err := Assign(in, seed)
	if err != nil {
		t.Fatal(err)
	}
	shuffled := in
	shuffled.Cities = slices.Clone(in.Cities)
	shuffled.Groups = slices.Clone(in.Groups)
	slices.Reverse(shuffled.Cities)
	slices.Reverse(shuffled.Groups)
	b, err := Assign(shuffled, seed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.JSON(), b.JSON()) || !bytes.Equal(in.Canonical(), shuffled.Canonical()) {
		t.Fatalf("input order changes the outcome:\n%s%s", a.JSON(), b.JSON())
	}
	published := in.Canonical()
	commitment := Commitment(seed, in)
	out, err := Replay(published, hex.EncodeToString(seed), strings.ToUpper(commitment))
	if err != nil || !bytes.Equal(out, a.JSON()) {
		t.Fatalf("replay: %v\n%s%s", err, out, a.JSON())
	}
	if _, err := Replay(published, hex.EncodeToString(testSeed(43)), commitment); err == nil {
		t.Fatal("replay with another seed passed the commitment check")
	}
	if _, err := Replay(bytes.TrimSuffix(published, []byte("\n")), hex.EncodeToString(seed), ""); err == nil {
		t.Fatal("replay accepted inputs that are not canonical")
	}
	// Another seed gives (almost surely) another assignment.
	c, _ := Assign(in, testSeed(43))
	if key(c.Groups) == key(a.Groups) {
		t.Error("two seeds gave the same assignment")
	}
}

// TestCanonicalFormat pins the published encodings byte for byte.
func TestCanonicalFormat(t *testing.T) {
	in := AssignmentInputs{Campaign: "2026H1",
		Groups: []GroupSpec{{Department: "iit", Cities: 1}, {Department: "drc", Cities: 2}},
		Cities: []CityLoad{{Code: "370300", Enterprises: 5}, {Code: "370100", Enterprises: 3}, {Code: "370200", Enterprises: 4}}}
	want := `{"algorithm":"enterprises-minmax-5pct-chacha8/1","campaign":"2026H1",` +
		`"cities":[{"code":"370100","enterprises":3},{"code":"370200","enterprises":4},{"code":"370300","enterprises":5}],` +
		`"groups":[{"cities":2,"department":"drc"},{"cities":1,"department":"iit"}]}` + "\n"
	if got := string(in.Canonical()); got != want {
		t.Fatalf("canonical inputs:\n%s\nwant\n%s", got, want)
	}
	seed := bytes.Repeat([]byte{7}, SeedSize)
	a, err := Assign(in, seed)
	if err != nil {
		t.Fatal(err)
	}
	// drc takes two cities, iit one: the pairs weigh 3+4 = 7, 3+5 = 8 and
	// 4+5 = 9 against the single city's 5, 4 and 3. The optimum is 7, the
	// bound ⌊7 × 1.05⌋ = 7, and only the first assignment is acceptable.
	wantA := `{"acceptable":1,"algorithm":"enterprises-minmax-5pct-chacha8/1","bound":7,"campaign":"2026H1",` +
		`"commitment":"` + Commitment(seed, in) + `","draw":0,` +
		`"groups":[{"cities":["370100","370200"],"department":"drc","workload":7},{"cities":["370300"],"department":"iit","workload":5}],` +
		`"optimum":7,"seed":"` + strings.Repeat("07", SeedSize) + `"}` + "\n"
	if got := string(a.JSON()); got != wantA {
		t.Fatalf("assignment:\n%s\nwant\n%s", got, wantA)
	}
	parsed, err := ParseInputs([]byte(want))
	if err != nil || !bytes.Equal(parsed.Canonical(), []byte(want)) {
		t.Fatalf("parse canonical inputs: %v", err)
	}
}

// TestAssignInvalid checks that bad inputs give an EINVALID error, not a panic.
func TestAssignInvalid(t *testing.T) {
	good := func() AssignmentInputs {
		return AssignmentInputs{Campaign: "2026H1",
			Groups: []GroupSpec{{Department: "drc", Cities: 2}, {Department: "iit", Cities: 1}},
			Cities: []CityLoad{{Code: "370100", Enterprises: 1}, {Code: "370200", Enterprises: 2}, {Code: "370300", Enterprises: 3}}}
	}
	many := good()
	many.Cities = nil
	for i := range MaxCities + 1 {
		many.Cities = append(many.Cities, CityLoad{Code: fmt.Sprint(370100 + i), Enterprises: 1})
	}
	many.Groups = []GroupSpec{{Department: "drc", Cities: MaxCities + 1}}
	tests := []struct {
		name   string
		change func(*AssignmentInputs)
		seed   []byte
		want   string
	}{
		{"short seed", func(*AssignmentInputs) {}, []byte{1, 2, 3}, "seed"},
		{"no seed", func(*AssignmentInputs) {}, nil, "seed"},
		{"sizes too small", func(in *AssignmentInputs) { in.Groups[0].Cities = 1 }, nil, "take 2 cities in all"},
		{"sizes too large", func(in *AssignmentInputs) { in.Groups[0].Cities = 3 }, nil, "take 4 cities in all"},
		{"huge size", func(in *AssignmentInputs) { in.Groups[0].Cities = math.MaxInt }, nil, "in all"},
		{"empty group", func(in *AssignmentInputs) { in.Groups[1].Cities = 0 }, nil, "at least one city"},
		{"negative group", func(in *AssignmentInputs) { in.Groups[1].Cities = -1 }, nil, "at least one city"},
		{"no groups", func(in *AssignmentInputs) { in.Groups = nil }, nil, "groups: none"},
		{"no cities", func(in *AssignmentInputs) { in.Cities = nil }, nil, "cities: 0"},
		{"duplicate city", func(in *AssignmentInputs) { in.Cities[2].Code = "370100" }, nil, "appears twice"},
		{"duplicate department", func(in *AssignmentInputs) { in.Groups[1].Department = "drc" }, nil, "appears twice"},
		{"negative load", func(in *AssignmentInputs) { in.Cities[0].Enterprises = -1 }, nil, "enterprises"},
		{"odd campaign", func(in *AssignmentInputs) { in.Campaign = `a"b` }, nil, "campaign"},
		{"no campaign", func(in *AssignmentInputs) { in.Campaign = "" }, nil, "campaign"},
		{"odd city", func(in *AssignmentInputs) { in.Cities[0].Code = "济南" }, nil, "code"},
		{"unknown algorithm", func(in *AssignmentInputs) { in.Algorithm = "other" }, nil, "algorithm"},
		{"too many cities", func(in *AssignmentInputs) { *in = many }, nil, "want 1 to 22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.change(&in)
			seed := tt.seed
			if seed == nil && tt.want != "seed" {
				seed = testSeed(1)
			}
			a, err := Assign(in, seed)
			var e *lianggao.Error
			if err == nil || !errors.As(err, &e) || e.Code != lianggao.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an invalid error mentioning %q", a, err, tt.want)
			}
		})
	}
}

// TestParseInputsRejects checks the strict reading of published inputs.
func TestParseInputsRejects(t *testing.T) {
	for _, s := range []string{
		"", "{}", "not json",
		`{"algorithm":"enterprises-minmax-5pct-chacha8/1","campaign":"x","cities":[{"code":"a","enterprises":1}],"groups":[{"cities":1,"department":"d"}],"extra":1}` + "\n",
		`{"campaign":"x","algorithm":"enterprises-minmax-5pct-chacha8/1","cities":[{"code":"a","enterprises":1}],"groups":[{"cities":1,"department":"d"}]}` + "\n",
	} {
		if _, err := ParseInputs([]byte(s)); err == nil {
			t.Errorf("ParseInputs(%q) accepted", s)
		}
	}
}

// TestAssignPinned pins one published draw on the demo province byte for
// byte: a change of method that would break old replays fails here (a new
// method needs a new algorithm name).
func TestAssignPinned(t *testing.T) {
	want := `{"acceptable":2392080,"algorithm":"enterprises-minmax-5pct-chacha8/1","bound":630,"campaign":"2026H1",` +
		`"commitment":"01e3a707dc56ab0f6be895f2c29b79da21fcee5d6a16254cb7d6300364e519cc","draw":648017,"groups":[` +
		`{"cities":["370300","370600","371700"],"department":"amr","workload":610},` +
		`{"cities":["370500","371000","371100","371400"],"department":"drc","workload":560},` +
		`{"cities":["371300","371500","371600"],"department":"eco","workload":590},` +
		`{"cities":["370200","370700","370900"],"department":"iit","workload":620},` +
		`{"cities":["370100","370400","370800"],"department":"stats","workload":620}],` +
		`"optimum":600,"seed":"` + strings.Repeat("5a", SeedSize) + `"}` + "\n"
	out, err := Replay(shandongInputs().Canonical(), strings.Repeat("5a", SeedSize),
		"01e3a707dc56ab0f6be895f2c29b79da21fcee5d6a16254cb7d6300364e519cc")
	if err != nil || string(out) != want {
		t.Fatalf("replay: %v\n%s", err, out)
	}
}

// FuzzAssign feeds arbitrary group sizes and loads: Assign either refuses
// them or returns a valid assignment, never panics.
func FuzzAssign(f *testing.F) {
	f.Add([]byte{4, 3, 3}, []byte{250, 180, 32, 150, 230, 170, 30, 220, 140, 60})
	f.Add([]byte{0, 1}, []byte{1})
	f.Add([]byte{1, 1, 1}, []byte{0, 0, 0})
	f.Fuzz(func(t *testing.T, sizes, loads []byte) {
		if len(loads) > 12 || len(sizes) > 12 {
			return // keeps each run short; the search itself is tested above
		}
		in := AssignmentInputs{Campaign: "fuzz"}
		for i, s := range sizes {
			in.Groups = append(in.Groups, GroupSpec{Department: fmt.Sprint("g", i), Cities: int(s%8) - 1})
		}
		for i, l := range loads {
			in.Cities = append(in.Cities, CityLoad{Code: fmt.Sprint("c", i%11), Enterprises: int(l) - 5})
		}
		seed := testSeed(len(sizes))
		if a, err := Assign(in, seed); err == nil {
			checkAssignment(t, in, seed, a)
		}
	})
}
