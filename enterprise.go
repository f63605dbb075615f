package lianggao

import (
	"context"
	"strings"
	"time"
)

// Enterprise statuses.
const (
	EnterpriseOperating = "operating"
	EnterpriseStopped   = "stopped"
	EnterpriseClosed    = "closed"
)

// Enterprise is a two-high enterprise, found by its unified social credit code.
type Enterprise struct {
	ID               int64      `json:"id"`
	CreditCode       string     `json:"credit_code"`
	Name             string     `json:"name"`
	Address          string     `json:"address"`
	County           string     `json:"county"`
	City             string     `json:"city"`
	Industry         string     `json:"industry"`
	Location         Point      `json:"location"`
	Datum            string     `json:"datum"` // the datum the position was entered in; stored as WGS-84
	Key              bool       `json:"key"`
	OutputControlled bool       `json:"output_controlled"`
	Status           string     `json:"status"`
	Capacities       []Capacity `json:"capacities,omitempty"`
	Version          int64      `json:"version"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// Capacity is an enterprise's design capacity for one product, per year, in the product's unit.
type Capacity struct {
	Product string  `json:"product"`
	Amount  float64 `json:"amount"`
}

// Validate checks the enterprise's own fields; the store checks that the county
// and industry exist.
func (e *Enterprise) Validate() error {
	e.CreditCode = strings.ToUpper(strings.TrimSpace(e.CreditCode))
	e.Name = strings.TrimSpace(e.Name)
	switch {
	case e.CreditCode == "":
		return FieldError("credit_code", "required")
	case !ValidCreditCode(e.CreditCode):
		return FieldError("credit_code", "credit_code.invalid", e.CreditCode)
	case e.Name == "":
		return FieldError("name", "required")
	case RegionLevel(e.County) != LevelCounty:
		return FieldError("county", "county.unknown", e.County)
	case e.Industry == "":
		return FieldError("industry", "required")
	case e.Location != (Point{}) && !e.Location.Valid():
		return FieldError("location", "location.invalid")
	}
	if e.Status == "" {
		e.Status = EnterpriseOperating
	}
	switch e.Status {
	case EnterpriseOperating, EnterpriseStopped, EnterpriseClosed:
	default:
		return FieldError("status", "enum.invalid", e.Status)
	}
	for _, c := range e.Capacities {
		if c.Amount < 0 {
			return FieldError("capacity", "number.negative", c.Product)
		}
	}
	e.City = CityOf(e.County)
	return nil
}

// EnterpriseFilter selects enterprises; zero fields do not filter.
type EnterpriseFilter struct {
	Query            string // part of the name, or the start of the credit code
	City             string
	County           string
	Industry         string
	Key              *bool
	OutputControlled *bool
	Sort             string // name, credit_code, county, industry
	Desc             bool
	Offset, Limit    int
}

// EnterpriseUpdate changes an enterprise; nil fields are left alone.
type EnterpriseUpdate struct {
	Name             *string
	Address          *string
	Industry         *string
	Location         *Point
	Key              *bool
	OutputControlled *bool
	Status           *string
	Reason           string
}

// Revision is an earlier state of an enterprise or project, kept when it changed.
type Revision struct {
	Version   int64     `json:"version"`
	ChangedAt time.Time `json:"changed_at"`
	ChangedBy string    `json:"changed_by"`
	Reason    string    `json:"reason"`
	Data      string    `json:"data"` // the state before the change, as JSON
}

// EnterpriseService manages the enterprise registry within the actor's scope.
type EnterpriseService interface {
	// FindEnterpriseByID returns ENOTFOUND if the enterprise does not exist or
	// lies outside the actor's scope.
	FindEnterpriseByID(ctx context.Context, id int64) (*Enterprise, error)
	// FindEnterprises returns a page of enterprises and the total matching count.
	FindEnterprises(ctx context.Context, f EnterpriseFilter) ([]*Enterprise, int, error)
	// CreateEnterprise returns EINVALID for bad fields, ECONFLICT for a credit code
	// already registered and EFORBIDDEN without registry:write in the county.
	CreateEnterprise(ctx context.Context, e *Enterprise) error
	// UpdateEnterprise keeps the previous state as a revision.
	UpdateEnterprise(ctx context.Context, id int64, u EnterpriseUpdate) (*Enterprise, error)
	// EnterpriseHistory returns the revisions of an enterprise, newest first.
	EnterpriseHistory(ctx context.Context, id int64) ([]*Revision, error)
}
