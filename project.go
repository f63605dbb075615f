package lianggao

import (
	"context"
	"regexp"
	"slices"
	"strings"
)

// Project list stages (拟建、在建、存量).
const (
	StagePlanned           = "planned"
	StageUnderConstruction = "under_construction"
	StageExisting          = "existing"
)

// Project statuses, in the order a project normally passes through them.
const (
	ProjectPlanned           = "planned"
	ProjectApproved          = "approved"
	ProjectUnderConstruction = "under_construction"
	ProjectTrialRun          = "trial_run"
	ProjectOperating         = "operating"
	ProjectStopped           = "stopped"
	ProjectClosed            = "closed"
)

// ProjectTransitions lists, for each status, the statuses a project may move to.
// A project stopped may resume; any project not yet operating may be abandoned.
var ProjectTransitions = map[string][]string{
	ProjectPlanned:           {ProjectApproved, ProjectClosed},
	ProjectApproved:          {ProjectUnderConstruction, ProjectClosed},
	ProjectUnderConstruction: {ProjectTrialRun, ProjectStopped, ProjectClosed},
	ProjectTrialRun:          {ProjectOperating, ProjectStopped, ProjectClosed},
	ProjectOperating:         {ProjectStopped, ProjectClosed},
	ProjectStopped:           {ProjectOperating, ProjectClosed},
	ProjectClosed:            {},
}

// Permit kinds a project needs.
var PermitKinds = []string{"energy_review", "eia", "approval", "pollutant_permit", "offset_plan", "capacity_replacement"}

// Project is a two-high project of an enterprise, on the project list or off it.
type Project struct {
	ID                int64     `json:"id"`
	EnterpriseID      int64     `json:"enterprise_id"`
	EnterpriseName    string    `json:"enterprise_name,omitempty"`
	EnterpriseCode    string    `json:"enterprise_credit_code,omitempty"`
	Code              string    `json:"code"` // national investment project code
	Name              string    `json:"name"`
	ListStage         string    `json:"list_stage"`
	Listed            bool      `json:"listed"`
	Status            string    `json:"status"`
	DesignedEnergyTce float64   `json:"designed_energy_tce"`
	DesignedCoalT     float64   `json:"designed_coal_t"`
	County            string    `json:"county"`
	City              string    `json:"city"`
	Permits           []*Permit `json:"permits,omitempty"`
	Version           int64     `json:"version"`
}

// Permit is one approval a project holds.
type Permit struct {
	Kind      string `json:"kind"`
	Number    string `json:"number"`
	Authority string `json:"authority"`
	IssuedOn  Date   `json:"issued_on"`
}

// projectCodePattern matches the national investment project code
// (year-region-industry-type-serial), e.g. 2021-370102-26-03-012345.
var projectCodePattern = regexp.MustCompile(`^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$`)

// Validate checks the project's own fields.
func (p *Project) Validate() error {
	p.Code = strings.TrimSpace(p.Code)
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Code == "":
		return FieldError("code", "required")
	case !projectCodePattern.MatchString(p.Code):
		return FieldError("code", "project_code.invalid", p.Code)
	case p.Name == "":
		return FieldError("name", "required")
	case p.ListStage != StagePlanned && p.ListStage != StageUnderConstruction && p.ListStage != StageExisting:
		return FieldError("list_stage", "enum.invalid", p.ListStage)
	case p.DesignedEnergyTce < 0:
		return FieldError("designed_energy_tce", "number.negative")
	case p.DesignedCoalT < 0:
		return FieldError("designed_coal_t", "number.negative")
	}
	if p.Status == "" {
		p.Status = ProjectPlanned
	}
	if _, ok := ProjectTransitions[p.Status]; !ok {
		return FieldError("status", "enum.invalid", p.Status)
	}
	for _, pm := range p.Permits {
		if !slices.Contains(PermitKinds, pm.Kind) {
			return FieldError("permit", "enum.invalid", pm.Kind)
		}
	}
	return nil
}

// CanMove reports whether a project may go from status from to status to.
func CanMove(from, to string) bool {
	return slices.Contains(ProjectTransitions[from], to)
}

// ProjectFilter selects projects.
type ProjectFilter struct {
	Query         string
	City, County  string
	EnterpriseID  int64
	ListStage     string
	Listed        *bool
	Status        string
	Offset, Limit int
}

// ProjectService manages the project list within the actor's scope.
type ProjectService interface {
	// FindProjectByID returns ENOTFOUND outside the actor's scope.
	FindProjectByID(ctx context.Context, id int64) (*Project, error)
	FindProjects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	// CreateProject returns ECONFLICT for a project code already registered.
	CreateProject(ctx context.Context, p *Project) error
	// MoveProject changes a project's status; an illegal transition is EINVALID.
	MoveProject(ctx context.Context, id int64, to, reason string) (*Project, error)
	ProjectHistory(ctx context.Context, id int64) ([]*Revision, error)
}
