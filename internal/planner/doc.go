// Package planner plans the semi-annual comprehensive inspection campaign
// (R1.4, R1.6, R7.1): which joint group inspects which cities (Assign), and
// who visits which enterprise on which day (PlanVisits).
//
// It is pure: no I/O, no database, no clock and no global state. Everything —
// the seed, the working days, the staff — is passed in, and the same inputs
// always give the same output, byte for byte, so that anyone can replay a
// published assignment.
//
// Invalid inputs give a *lianggao.Error with code EINVALID and key
// "planner.invalid" whose only argument is an English explanation; nothing
// here panics on bad input.
//
// # The assignment, step by step (AlgorithmV1)
//
// This is what Assign does, spelled out for anyone who wants to check a
// published assignment with their own program.
//
//  1. Inputs: the canonical inputs (see AssignmentInputs.Canonical). City i
//     is the i-th in code order and stands for bit i of a set of cities; the
//     workload of a set is the sum of its cities' enterprises.
//  2. Fill order: the groups sorted by how many groups share their size
//     (ascending), then size (descending), then department. The run is the
//     longest tail of that order whose groups all have the same size; r is
//     its length.
//  3. Optimum: the least, over all assignments of the cities to the groups
//     with the given sizes, of the largest workload. Bound: ⌊optimum × 105 ÷
//     100⌋. An assignment is acceptable if no workload exceeds the bound.
//  4. Choices: filling the groups in fill order, the free set S starts as all
//     cities; a group outside the run may take any subset of S of its size,
//     a group of the run only those holding the lowest city of S. W(S) is the
//     number of ways to fill the remaining groups from S by such choices
//     with every workload within the bound (W(∅) = 1). The number of
//     acceptable assignments is N = W(all) × r!.
//  5. Draw: ChaCha8 as in math/rand/v2 (C2SP chacha8rand) seeded with the 32
//     seed bytes; read 64-bit outputs x until x ≥ 2^64 mod N; the rank is
//     R = x mod N.
//  6. Decoding: q = R div r!, π = R mod r!. For each group in fill order, go
//     through its choices T in increasing numeric order, skipping those whose
//     workload exceeds the bound; if q < W(S∖T) take T, else subtract
//     W(S∖T) from q and go on. Then π, as a Lehmer code, relabels the run: its
//     blocks in order of their lowest city, f = (r−1)!, the run's first group
//     (in fill order) takes block number π div f, and so on with the remaining
//     blocks, π mod f and (r−2)!.
//
// Each acceptable assignment has exactly one rank, so a uniform rank gives a
// uniform assignment among the acceptable ones.
package planner

import (
	"fmt"

	"lianggao"
)

// invalid returns the error for a rejected input.
func invalid(format string, args ...any) error {
	return lianggao.Errorf(lianggao.EINVALID, "planner.invalid", fmt.Sprintf(format, args...))
}
