package planner

// validate checks the assignment inputs; they need not be sorted.
func (in AssignmentInputs) validate() error {
	if in.Algorithm != "" && in.Algorithm != AlgorithmV1 {
		return invalid("algorithm: %q is unknown, want %q", in.Algorithm, AlgorithmV1)
	}
	if !validCode(in.Campaign) {
		return invalid("campaign: %q, "+codeRule, in.Campaign)
	}
	if err := validateCities(in.Cities); err != nil {
		return err
	}
	return validateGroups(in.Groups, len(in.Cities))
}

func validateCities(cities []CityLoad) error {
	if len(cities) == 0 || len(cities) > MaxCities {
		return invalid("cities: %d, want 1 to %d", len(cities), MaxCities)
	}
	seen := map[string]bool{}
	for i, c := range cities {
		switch {
		case !validCode(c.Code):
			return invalid("cities[%d].code: %q, "+codeRule, i, c.Code)
		case seen[c.Code]:
			return invalid("cities[%d].code: %s appears twice", i, c.Code)
		case c.Enterprises < 0 || c.Enterprises > maxEnterprises:
			return invalid("cities[%d].enterprises: %d, want 0 to %d", i, c.Enterprises, maxEnterprises)
		}
		seen[c.Code] = true
	}
	return nil
}

func validateGroups(groups []GroupSpec, cities int) error {
	if len(groups) == 0 {
		return invalid("groups: none")
	}
	seen := map[string]bool{}
	sum := 0
	for i, g := range groups {
		switch {
		case !validCode(g.Department):
			return invalid("groups[%d].department: %q, "+codeRule, i, g.Department)
		case seen[g.Department]:
			return invalid("groups[%d].department: %s appears twice", i, g.Department)
		case g.Cities < 1:
			return invalid("groups[%d].cities: %d, every group takes at least one city", i, g.Cities)
		}
		seen[g.Department] = true
		sum += min(g.Cities, MaxCities+1) // clamped so that absurd sizes cannot overflow the sum
	}
	if sum != cities {
		return invalid("groups: the groups take %d cities in all, but there are %d", sum, cities)
	}
	return nil
}

// codeRule says what validCode accepts.
const codeRule = "want 1 to 64 letters, digits, '.', '_' or '-'"

// validCode reports whether s is a non-empty code of letters, digits, '.',
// '_' and '-': such strings never need escaping in JSON, which keeps the
// canonical encoding simple to reproduce elsewhere.
func validCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range []byte(s) {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}
