package lianggao

import (
	"context"
	"slices"
	"strings"
)

// Person kinds.
const (
	PersonOfficial     = "official"
	PersonProfessional = "professional"
	PersonExpert       = "expert"
	PersonFourInto     = "four_into"
)

// PersonKinds lists the kinds of people.
var PersonKinds = []string{PersonOfficial, PersonProfessional, PersonExpert, PersonFourInto}

// Person is someone who takes part in supervision: an official of a department
// line at province, city or county level, a hired professional, an expert or a
// Four-Into team member.
type Person struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Department     string `json:"department"` // drc, iit, eco, amr, stats; "" for experts without a line
	Region         string `json:"region"`     // where they work: the province, a city or a county
	HomeRegion     string `json:"home_region"`
	Phone          string `json:"phone"`
	CertNumber     string `json:"cert_number"`
	CertValidUntil Date   `json:"cert_valid_until"`
	Kind           string `json:"kind"`
}

// Validate checks the person's own fields.
func (p *Person) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		return FieldError("name", "required")
	case !slices.Contains(PersonKinds, p.Kind):
		return FieldError("kind", "enum.invalid", p.Kind)
	case RegionLevel(p.Region) == "":
		return FieldError("region", "region.unknown", p.Region)
	case p.HomeRegion != "" && RegionLevel(p.HomeRegion) == "":
		return FieldError("home_region", "region.unknown", p.HomeRegion)
	case p.CertNumber != "" && p.CertValidUntil.IsZero():
		return FieldError("cert_valid_until", "required")
	}
	if p.HomeRegion == "" {
		p.HomeRegion = p.Region
	}
	return nil
}

// CertValid reports whether the person holds an enforcement certificate valid on day d.
func (p *Person) CertValid(d Date) bool {
	return p.CertNumber != "" && !p.CertValidUntil.Before(d)
}

// MaskedPhone shows the first three and last four digits only.
func (p *Person) MaskedPhone() string {
	if len(p.Phone) < 8 {
		return p.Phone
	}
	return p.Phone[:3] + "****" + p.Phone[len(p.Phone)-4:]
}

// PersonFilter selects people.
type PersonFilter struct {
	Query         string
	Department    string
	Region        string // within this region's subtree
	Kind          string
	Offset, Limit int
}

// SupervisionGroup is one of the project supervision groups (专项督导组), each
// with a jurisdiction region.
type SupervisionGroup struct {
	ID      int64          `json:"id"`
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Region  string         `json:"region"`
	Members []*GroupMember `json:"members,omitempty"`
	Size    int            `json:"size"`
}

// GroupMember is a person in a supervision group.
type GroupMember struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Role     string `json:"role"` // leader or member
}

// PersonService manages people and supervision groups within the actor's scope.
type PersonService interface {
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	CreatePerson(ctx context.Context, p *Person) error
	FindSupervisionGroups(ctx context.Context, region string) ([]*SupervisionGroup, error)
	// FindSupervisionGroupByID returns ENOTFOUND outside the actor's scope.
	FindSupervisionGroupByID(ctx context.Context, id int64) (*SupervisionGroup, error)
}
