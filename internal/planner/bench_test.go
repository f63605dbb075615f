package planner

import "testing"

// BenchmarkAssignAndPlan draws the assignment and plans the visits of the
// demo province: 16 cities, 3,000 enterprises, 200 inspectors, 21 working days.
func BenchmarkAssignAndPlan(b *testing.B) {
	in := shandongInputs()
	first, err := Assign(in, testSeed(0))
	if err != nil {
		b.Fatal(err)
	}
	visits := shandongVisits(first) // the staff and targets do not depend on the draw
	for i := 0; b.Loop(); i++ {
		a, err := Assign(in, testSeed(i))
		if err != nil {
			b.Fatal(err)
		}
		visits.Groups = a.Groups
		plan, err := PlanVisits(visits)
		if err != nil || plan.Shortfall != nil {
			b.Fatal(err, plan.Shortfall)
		}
	}
}

// BenchmarkPlanVisits plans the visits alone.
func BenchmarkPlanVisits(b *testing.B) {
	a, err := Assign(shandongInputs(), testSeed(0))
	if err != nil {
		b.Fatal(err)
	}
	visits := shandongVisits(a)
	for b.Loop() {
		if _, err := PlanVisits(visits); err != nil {
			b.Fatal(err)
		}
	}
}
