package lianggao

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// Alert statuses.
const (
	AlertNew       = "new"
	AlertTriaged   = "triaged"
	AlertEscalated = "escalated"
	AlertClosed    = "closed"
)

// AlertTransitions lists, for each status, where an alert may go. Triage
// needs a verdict and a reason; escalation makes it a finding or a special
// inspection source; closing needs a reason.
var AlertTransitions = map[string][]string{
	AlertNew:       {AlertTriaged, AlertEscalated, AlertClosed},
	AlertTriaged:   {AlertEscalated, AlertClosed},
	AlertEscalated: {AlertClosed},
	AlertClosed:    {},
}

// Triage verdicts (R6.3).
var TriageVerdicts = []string{"device_fault", "maintenance", "data_corrected", "suspected_misreporting", "violation"}

// Escalation targets: the problem list, or a source of a special inspection.
var EscalationTargets = []string{"finding", "special_inspection"}

// Alert is a problem the monitoring rules found, awaiting triage. Repeated
// findings of the same problem extend one alert rather than making new ones.
type Alert struct {
	ID             int64           `json:"id"`
	EnterpriseID   int64           `json:"enterprise_id"`
	CreditCode     string          `json:"credit_code"`
	EnterpriseName string          `json:"enterprise_name,omitempty"`
	County         string          `json:"county"`
	City           string          `json:"city"`
	Rule           string          `json:"rule"`
	Subject        string          `json:"subject,omitempty"` // the indicator or meter concerned
	From           Date            `json:"from"`
	To             Date            `json:"to"`
	Severity       string          `json:"severity"`
	Message        string          `json:"message"` // message key; the evidence fills it in
	Evidence       json.RawMessage `json:"evidence"`
	Status         string          `json:"status"`
	Verdict        string          `json:"verdict,omitempty"`
	Reason         string          `json:"reason,omitempty"`
	EscalatedTo    string          `json:"escalated_to,omitempty"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

// AlertFilter selects alerts; zero fields do not filter.
type AlertFilter struct {
	City, County, Industry, Rule, Status, Severity string
	EnterpriseID                                   int64
	From, To                                       Date // alerts whose period meets [From, To]
	After                                          int64
	Offset, Limit                                  int
}

// CanMoveAlert reports whether an alert may go from one status to another.
func CanMoveAlert(from, to string) bool { return slices.Contains(AlertTransitions[from], to) }

// AlertService stores and triages alerts within the actor's scope.
type AlertService interface {
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, int, error)
	// FindAlertByID returns ENOTFOUND outside the actor's scope.
	FindAlertByID(ctx context.Context, id int64) (*Alert, error)
	// MoveAlert triages, escalates or closes an alert; an illegal move or a
	// missing reason is EINVALID.
	MoveAlert(ctx context.Context, id int64, to, verdict, reason string) (*Alert, error)
}
