package lianggao

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// CheckIn is what a team sends on arrival: the phone's position (WGS-84),
// why it is outside the enterprise's radius if it is, the visit's
// registration (扫码入企) and the certificates shown.
type CheckIn struct {
	Position       Point  `json:"position"`
	Reason         string `json:"reason"`
	RegistrationID string `json:"registration_id"`
	Certificates   string `json:"certificates"`
}

// InspectionForm is the on-site record a team submits: the legal inspecting
// body, the published items inspected, the figures verified and the problems
// found. Submitting it signs and locks the inspection.
type InspectionForm struct {
	Body           string              `json:"body"`
	Items          []string            `json:"items"`
	RegistrationID string              `json:"registration_id,omitempty"` // replaces the check-in's when given
	Figures        []*InspectionFigure `json:"figures"`
	Findings       []*Finding          `json:"findings"`
}

// Indicators whose totals for the inspection period are compared on site
// (R1.5); the enterprise's main output ("output:<product>") comes besides.
const (
	IndicatorRevenue = "revenue_10k_cny"
	IndicatorTax     = "tax_10k_cny"
	IndicatorProfit  = "profit_10k_cny"
)

// InspectionIndicators lists the R1.5 indicators other than the output, in
// the order the form shows them.
var InspectionIndicators = []string{"energy_tce", "coal_t", "co2_t", "so2_kg", "nox_kg", "pm_kg", "water_m3", "elec_kwh",
	IndicatorRevenue, IndicatorTax, IndicatorProfit}

// InspectionMonths is the length of the inspection period: the calendar
// months before the campaign starts.
const InspectionMonths = 6

// MaxPhotoBytes bounds one photo taken on site.
const MaxPhotoBytes = 10 << 20

// IsMoneyIndicator reports whether an indicator is an amount of money, which
// may be negative (a loss).
func IsMoneyIndicator(ind string) bool {
	return ind == IndicatorRevenue || ind == IndicatorTax || ind == IndicatorProfit
}

// IsInspectionIndicator reports whether ind may be verified on site: one of
// InspectionIndicators or an output.
func IsInspectionIndicator(ind string) bool {
	p, ok := strings.CutPrefix(ind, "output:")
	return slices.Contains(InspectionIndicators, ind) || (ok && p != "")
}

// InspectionPeriod returns the first and last day of the period whose
// figures an inspection starting on starts verifies.
func InspectionPeriod(starts Date) (Date, Date) {
	t := starts.Time(time.UTC)
	return DateOf(t.AddDate(0, -InspectionMonths, 0)), starts.AddDays(-1)
}

// CityWork is what a city itself did to curb two-high projects during a
// campaign (R1.5), as a group recorded it.
type CityWork struct {
	City       string    `json:"city"`
	Summary    string    `json:"summary"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// signedInspection is the canonical form of a submitted inspection: every
// recorded fact, in a fixed order, with times in UTC to the microsecond
// (what both databases keep).
type signedInspection struct {
	ID             int64               `json:"id"`
	TaskID         int64               `json:"task_id"`
	CheckedInAt    string              `json:"checked_in_at"`
	Position       Point               `json:"position"`
	DistanceM      float64             `json:"distance_m"`
	OutsideReason  string              `json:"outside_reason"`
	Flagged        bool                `json:"flagged"`
	RegistrationID string              `json:"registration_id"`
	Certificates   string              `json:"certificates"`
	Body           string              `json:"body"`
	Items          []string            `json:"items"`
	Figures        []*InspectionFigure `json:"figures"`
	Findings       []signedFinding     `json:"findings"`
	Photos         []*Photo            `json:"photos"`
	SubmittedAt    string              `json:"submitted_at"`
	SubmittedBy    string              `json:"submitted_by"`
}

type signedFinding struct {
	ID          int64  `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
	Evidence    string `json:"evidence"`
	Severity    string `json:"severity"`
}

func canonicalTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
}

// SignedContent returns the bytes the platform signs when the inspection is
// submitted: everything recorded but the signature and the later
// amendments. Anyone holding the platform's public key can check a record.
func (in *Inspection) SignedContent() []byte {
	s := signedInspection{ID: in.ID, TaskID: in.TaskID, CheckedInAt: canonicalTime(in.CheckedInAt), Position: in.Position,
		DistanceM: in.DistanceM, OutsideReason: in.OutsideReason, Flagged: in.Flagged, RegistrationID: in.RegistrationID,
		Certificates: in.Certificates, Body: in.Body, Items: in.Items, Figures: in.Figures, Photos: in.Photos,
		SubmittedAt: canonicalTime(in.SubmittedAt), SubmittedBy: in.SubmittedBy, Findings: []signedFinding{}}
	for _, f := range in.Findings {
		s.Findings = append(s.Findings, signedFinding{ID: f.ID, Category: f.Category, Description: f.Description,
			Evidence: f.Evidence, Severity: f.Severity})
	}
	b, _ := json.Marshal(s) // plain data: it cannot fail
	return b
}
