package lianggao

import (
	"context"
	"slices"
	"strings"
)

// Meter kinds: what a metering instrument measures.
var MeterKinds = []string{"electricity", "coal", "gas", "oil", "steam", "heat", "water"}

// Meter is a metering instrument fitted at an enterprise.
type Meter struct {
	ID             int64  `json:"id"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name,omitempty"`
	EnterpriseCode string `json:"enterprise_credit_code,omitempty"`
	Kind           string `json:"kind"`
	Serial         string `json:"serial"`
	CalibrationDue Date   `json:"calibration_due"`
	AccuracyClass  string `json:"accuracy_class"`
	Online         bool   `json:"online"`
}

// Validate checks the meter's own fields.
func (m *Meter) Validate() error {
	m.Serial = strings.TrimSpace(m.Serial)
	switch {
	case m.Serial == "":
		return FieldError("serial", "required")
	case !slices.Contains(MeterKinds, m.Kind):
		return FieldError("kind", "enum.invalid", m.Kind)
	}
	return nil
}

// MeterFilter selects meters.
type MeterFilter struct {
	EnterpriseID  int64
	City, County  string
	Kind          string
	Overdue       bool // calibration due before today
	Offset, Limit int
}

// MeterService manages metering instruments within the actor's scope.
type MeterService interface {
	FindMeters(ctx context.Context, f MeterFilter) ([]*Meter, int, error)
	// CreateMeter returns ECONFLICT for a serial already registered at the enterprise.
	CreateMeter(ctx context.Context, m *Meter) error
}
