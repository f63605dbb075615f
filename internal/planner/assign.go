package planner

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
)

// AlgorithmV1 names the assignment method of this package: a group's workload
// is the number of target enterprises in its cities; the optimum is the least
// possible largest workload; the draw is uniform among the assignments whose
// largest workload is at most 105% of the optimum, by rank, with ChaCha8.
// A changed method gets a new name, so that old assignments still replay.
const AlgorithmV1 = "enterprises-minmax-5pct-chacha8/1"

// TolerancePercent is how far above the optimum an acceptable assignment's
// largest workload may be, in percent (AlgorithmV1).
const TolerancePercent = 5

// SeedSize is the length in bytes of an assignment seed.
const SeedSize = 32

// MaxCities bounds the number of cities: the exact search keeps one entry per
// subset of cities (2^22 entries of 8 bytes is 32 MiB).
const MaxCities = 22

// maxEnterprises bounds one city's count so that sums never overflow.
const maxEnterprises = 1_000_000_000

// AssignmentInputs is everything the city-to-group assignment depends on
// besides the seed. Its canonical encoding is published before the draw.
type AssignmentInputs struct {
	Algorithm string      `json:"algorithm"` // "" means AlgorithmV1
	Campaign  string      `json:"campaign"`  // e.g. 2026H1
	Cities    []CityLoad  `json:"cities"`
	Groups    []GroupSpec `json:"groups"`
}

// CityLoad is a city and its number of target enterprises.
type CityLoad struct {
	Code        string `json:"code"`
	Enterprises int    `json:"enterprises"`
}

// GroupSpec is a joint group, named by its lead department, and how many
// cities it takes.
type GroupSpec struct {
	Cities     int    `json:"cities"`
	Department string `json:"department"`
}

// Canonical returns the inputs' canonical encoding, the exact bytes that are
// published and hashed into the commitment: compact JSON (no spaces), keys in
// alphabetical order at every level —
//
//	{"algorithm":A,"campaign":C,"cities":[{"code":X,"enterprises":N},…],"groups":[{"cities":K,"department":D},…]}
//
// followed by one newline (0x0A). Cities are in ascending code order and
// groups in ascending department order (byte order); an empty algorithm is
// written as AlgorithmV1; integers are decimal without sign or leading zeros.
// Valid inputs hold only the characters A–Z a–z 0–9 . _ - in their strings,
// so no string needs escaping.
func (in AssignmentInputs) Canonical() []byte {
	b, err := json.Marshal(in.normalized())
	if err != nil {
		// Strings, ints and slices of them always marshal.
		panic("planner: marshal inputs: " + err.Error())
	}
	return append(b, '\n')
}

// normalized returns a copy with the default algorithm and sorted lists.
func (in AssignmentInputs) normalized() AssignmentInputs {
	if in.Algorithm == "" {
		in.Algorithm = AlgorithmV1
	}
	in.Cities = slices.SortedFunc(slices.Values(in.Cities), func(a, b CityLoad) int { return cmp.Compare(a.Code, b.Code) })
	in.Groups = slices.SortedFunc(slices.Values(in.Groups), func(a, b GroupSpec) int { return cmp.Compare(a.Department, b.Department) })
	return in
}

// ParseInputs reads published inputs. It accepts only the canonical encoding,
// so that the bytes a commitment covers are the bytes the assignment uses.
func ParseInputs(b []byte) (AssignmentInputs, error) {
	var in AssignmentInputs
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, invalid("inputs: %v", err)
	}
	if err := in.validate(); err != nil {
		return in, err
	}
	if !bytes.Equal(in.Canonical(), b) {
		return in, invalid("inputs: not in canonical form (compact JSON, sorted, one trailing newline)")
	}
	return in, nil
}

// Commitment returns the hex SHA-256 of the seed bytes followed by the
// canonical inputs. Published before the draw, it binds the organizer to both.
func Commitment(seed []byte, in AssignmentInputs) string {
	h := sha256.New()
	h.Write(seed)
	h.Write(in.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// Assignment is the outcome of the draw: each group's cities and workload,
// with what is needed to check it.
type Assignment struct {
	Acceptable uint64          `json:"acceptable"` // assignments within the bound, the draw's range
	Algorithm  string          `json:"algorithm"`
	Bound      int             `json:"bound"` // the largest acceptable workload: ⌊optimum × 105 / 100⌋
	Campaign   string          `json:"campaign"`
	Commitment string          `json:"commitment"`
	Draw       uint64          `json:"draw"` // the rank drawn, in [0, acceptable)
	Groups     []AssignedGroup `json:"groups"`
	Optimum    int             `json:"optimum"` // the least possible largest workload
	Seed       string          `json:"seed"`    // hex
}

// AssignedGroup is one group's share of the cities.
type AssignedGroup struct {
	Cities     []string `json:"cities"` // ascending
	Department string   `json:"department"`
	Workload   int      `json:"workload"` // target enterprises in its cities
}

// JSON returns the assignment's canonical encoding: compact JSON with keys in
// alphabetical order (as in the struct), groups in department order, and one
// trailing newline. The replay command prints it and the API serves it.
func (a *Assignment) JSON() []byte {
	b, err := json.Marshal(a)
	if err != nil {
		panic("planner: marshal assignment: " + err.Error())
	}
	return append(b, '\n')
}

// Assign draws the assignment of cities to groups for the inputs and the
// 32-byte seed (see AlgorithmV1).
func Assign(in AssignmentInputs, seed []byte) (*Assignment, error) {
	d, err := NewDrawer(in)
	if err != nil {
		return nil, err
	}
	return d.Assign(seed)
}

// Drawer holds what the draw needs besides the seed: the search is done once
// for any number of seeds, as a check of many draws wants.
type Drawer struct {
	in    AssignmentInputs // normalized
	p     *partitioner     // its table filled by count
	opt   int
	bound int
	total uint64
}

// NewDrawer checks the inputs and searches the optimum and the acceptable
// assignments.
func NewDrawer(in AssignmentInputs) (*Drawer, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	d := &Drawer{in: in.normalized()}
	d.p = newPartitioner(d.in)
	d.opt = d.p.optimum()
	d.bound = d.opt * (100 + TolerancePercent) / 100
	var err error
	d.total, err = d.p.count(d.bound)
	return d, err
}

// Assign draws with a seed of SeedSize bytes, as the package's Assign does.
func (d *Drawer) Assign(seed []byte) (*Assignment, error) {
	if len(seed) != SeedSize {
		return nil, invalid("seed: %d bytes, want %d", len(seed), SeedSize)
	}
	return d.assign(seed), nil
}

func (d *Drawer) assign(seed []byte) *Assignment {
	draw := drawBelow(rand.NewChaCha8([SeedSize]byte(seed)), d.total)
	return &Assignment{
		Acceptable: d.total,
		Algorithm:  d.in.Algorithm,
		Bound:      d.bound,
		Campaign:   d.in.Campaign,
		Commitment: Commitment(seed, d.in),
		Draw:       draw,
		Groups:     d.p.assign(d.bound, draw),
		Optimum:    d.opt,
		Seed:       hex.EncodeToString(seed),
	}
}

// drawBelow returns a uniform integer in [0, n) by rejection: the first 64-bit
// output x with x ≥ 2^64 mod n gives x mod n. The accepted range holds an
// exact multiple of n values, so every residue is equally likely; spelling the
// method out (rather than relying on a library's) lets others replay it.
func drawBelow(src *rand.ChaCha8, n uint64) uint64 {
	low := -n % n // 2^64 mod n
	for {
		if x := src.Uint64(); x >= low {
			return x % n
		}
	}
}

// Replay checks the commitment (unless it is empty) and returns the
// assignment's JSON for published inputs and a hex seed: what
// `lianggao campaign replay` prints.
func Replay(inputs []byte, seedHex, commitment string) ([]byte, error) {
	seed, err := hex.DecodeString(seedHex)
	if err != nil {
		return nil, invalid("seed: not hex: %v", err)
	}
	in, err := ParseInputs(inputs)
	if err != nil {
		return nil, err
	}
	if got := Commitment(seed, in); commitment != "" && !strings.EqualFold(got, commitment) {
		return nil, invalid("commitment: the seed and inputs hash to %s, not %s", got, commitment)
	}
	a, err := Assign(in, seed)
	if err != nil {
		return nil, err
	}
	return a.JSON(), nil
}
