package lianggao

import (
	"regexp"
	"slices"
	"time"
)

// Campaign states (R1.3): the DRC opens a campaign as a draft, staffs the
// five groups, draws the assignment, runs the inspections, collects the
// reports and closes it.
const (
	CampaignDraft      = "draft"
	CampaignStaffing   = "staffing"
	CampaignAssigned   = "assigned"
	CampaignInProgress = "in_progress"
	CampaignReporting  = "reporting"
	CampaignClosed     = "closed"
)

// CampaignTransitions lists, for each state, the states a campaign may move
// to. Only a staffed campaign is drawn (staffing → assigned is the draw, not a
// move); a drawn campaign may go back to staffing for a redraw, with a reason.
var CampaignTransitions = map[string][]string{
	CampaignDraft:      {CampaignStaffing},
	CampaignStaffing:   {},
	CampaignAssigned:   {CampaignInProgress, CampaignStaffing},
	CampaignInProgress: {CampaignReporting},
	CampaignReporting:  {CampaignClosed},
	CampaignClosed:     {},
}

// CampaignStates lists the states in their order.
var CampaignStates = []string{CampaignDraft, CampaignStaffing, CampaignAssigned, CampaignInProgress, CampaignReporting, CampaignClosed}

// CanMoveCampaign reports whether a campaign may go from state from to state to.
func CanMoveCampaign(from, to string) bool {
	return slices.Contains(CampaignTransitions[from], to)
}

var campaignCode = regexp.MustCompile(`^20[0-9]{2}H[12]$`)

// ValidCampaignCode reports whether code names a half year, like 2026H1.
func ValidCampaignCode(code string) bool { return campaignCode.MatchString(code) }

// Campaign is one semi-annual comprehensive inspection (全面检查).
type Campaign struct {
	ID               int64     `json:"id"`
	Code             string    `json:"code"`
	Name             string    `json:"name"`
	State            string    `json:"state"`
	Starts           Date      `json:"starts"`
	Ends             Date      `json:"ends"` // the last day of the window
	StaffingDeadline Date      `json:"staffing_deadline"`
	ReportDue        Date      `json:"report_due"`
	Targets          int       `json:"targets"` // enterprises on the frozen target list
	Commitment       string    `json:"commitment,omitempty"`
	Seed             string    `json:"seed,omitempty"` // revealed after the draw
	UpdatedAt        time.Time `json:"updated_at"`
}

// Roles of a joint group's members (R1.2), in the order of the composition.
const (
	MemberLeader     = "leader"
	MemberProvincial = "provincial"
	MemberLocal      = "local"
	MemberFourInto   = "four_into"
	MemberExpert     = "expert"
)

// MemberRoles lists the member roles in the profile's composition order.
var MemberRoles = []string{MemberLeader, MemberProvincial, MemberLocal, MemberFourInto, MemberExpert}

// InspectionGroupMember is a person on a joint group (InspectionGroup) of a campaign.
type InspectionGroupMember struct {
	PersonID       int64  `json:"person_id"`
	Name           string `json:"name"`
	Department     string `json:"department"` // the group: its lead department
	Role           string `json:"role"`
	HomeRegion     string `json:"home_region"`
	CertNumber     string `json:"cert_number,omitempty"`
	CertValidUntil Date   `json:"cert_valid_until,omitempty"`
}

// Inspection task states.
const (
	TaskScheduled = "scheduled"
	TaskCheckedIn = "checked_in"
	TaskSubmitted = "submitted"
)

// InspectionTask is one enterprise to inspect on site, by a team, on a day.
type InspectionTask struct {
	ID             int64   `json:"id"`
	CampaignID     int64   `json:"campaign_id"`
	EnterpriseID   int64   `json:"enterprise_id"`
	CreditCode     string  `json:"credit_code"`
	EnterpriseName string  `json:"enterprise_name"`
	Industry       string  `json:"industry"`
	County         string  `json:"county"`
	City           string  `json:"city"`
	Department     string  `json:"department"`
	Day            Date    `json:"day"`
	Team           []int64 `json:"team"`
	State          string  `json:"state"`
}

// TaskFilter selects inspection tasks; zero fields do not filter.
type TaskFilter struct {
	Department, City, County, Industry, State string
	Day                                       Date
	Mine                                      bool // only tasks whose team holds the actor
	Offset, Limit                             int
}

// Finding severities and dispositions (R1.8).
var (
	FindingSeverities = []string{"minor", "major", "serious"}
	FindingCategories = []string{"overproduction", "energy_use", "coal_use", "emissions", "misreporting", "metering",
		"project_procedures", "other"}
	DispositionKinds = []string{DispositionRectification, DispositionReferral, DispositionQuotaCut}
	QuotaKinds       = []string{"output", "energy_tce", "coal_t"}
)

// Disposition kinds: how a finding is dealt with.
const (
	DispositionRectification = "rectification"
	DispositionReferral      = "referral"
	DispositionQuotaCut      = "quota_cut"
)

// Finding is a problem on the problem list, with where it came from.
type Finding struct {
	ID             int64          `json:"id"`
	Source         string         `json:"source"` // inspection, alert, …
	SourceID       int64          `json:"source_id"`
	CampaignID     int64          `json:"campaign_id,omitempty"`
	EnterpriseID   int64          `json:"enterprise_id"`
	CreditCode     string         `json:"credit_code"`
	EnterpriseName string         `json:"enterprise_name"`
	County         string         `json:"county"`
	City           string         `json:"city"`
	Category       string         `json:"category"`
	Description    string         `json:"description"`
	Evidence       string         `json:"evidence"`
	Severity       string         `json:"severity"`
	CreatedAt      time.Time      `json:"created_at"`
	Dispositions   []*Disposition `json:"dispositions,omitempty"`
}

// Validate checks a finding's own fields.
func (f *Finding) Validate() error {
	switch {
	case !slices.Contains(FindingCategories, f.Category):
		return FieldError("category", "enum.invalid", f.Category)
	case f.Description == "":
		return FieldError("description", "required")
	case !slices.Contains(FindingSeverities, f.Severity):
		return FieldError("severity", "enum.invalid", f.Severity)
	}
	return nil
}

// Disposition is one way a finding is dealt with: a rectification demand
// (owner, deadline, evidence, verification), a referral to the competent
// enforcement body (its decision number recorded when it returns) or a
// proposed cut of the enterprise's and its city's quota.
type Disposition struct {
	ID          int64     `json:"id"`
	FindingID   int64     `json:"finding_id"`
	Kind        string    `json:"kind"`
	Owner       string    `json:"owner,omitempty"`    // rectification: who must fix it; referral: the body
	Deadline    Date      `json:"deadline,omitempty"` // rectification
	Decision    string    `json:"decision,omitempty"` // referral: the returned decision number
	Quota       string    `json:"quota,omitempty"`    // quota cut: output, energy_tce, coal_t
	Amount      float64   `json:"amount,omitempty"`   // quota cut, in the quota's unit
	Evidence    string    `json:"evidence,omitempty"`
	VerifiedAt  time.Time `json:"verified_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	Description string    `json:"description,omitempty"`
}

// Validate checks a disposition's own fields.
func (d *Disposition) Validate() error {
	switch d.Kind {
	case DispositionRectification:
		if d.Owner == "" {
			return FieldError("owner", "required")
		}
		if d.Deadline.IsZero() {
			return FieldError("deadline", "required")
		}
	case DispositionReferral:
		if d.Owner == "" {
			return FieldError("owner", "required")
		}
	case DispositionQuotaCut:
		if !slices.Contains(QuotaKinds, d.Quota) {
			return FieldError("quota", "enum.invalid", d.Quota)
		}
		if d.Amount <= 0 {
			return FieldError("amount", "number.positive")
		}
	default:
		return FieldError("kind", "enum.invalid", d.Kind)
	}
	return nil
}

// Group report states (R1.7).
const (
	ReportDraft     = "draft"
	ReportSubmitted = "submitted"
	ReportReturned  = "returned"
	ReportAccepted  = "accepted"
)

// ReportTransitions lists, for each state, where a group report may go: the
// group submits its draft, the DRC accepts it or sends it back with a reason.
var ReportTransitions = map[string][]string{
	ReportDraft:     {ReportSubmitted},
	ReportReturned:  {ReportSubmitted},
	ReportSubmitted: {ReportAccepted, ReportReturned},
	ReportAccepted:  {},
}

// ReportSections are the sections of a group report, in order.
var ReportSections = []string{"basis", "overview", "problems", "causes", "demands"}

// GroupReport is a joint group's report on its campaign.
type GroupReport struct {
	ID          int64             `json:"id"`
	CampaignID  int64             `json:"campaign_id"`
	Department  string            `json:"department"`
	State       string            `json:"state"`
	Sections    map[string]string `json:"sections"`
	Reason      string            `json:"reason,omitempty"` // why it was sent back
	Version     int64             `json:"version"`
	SubmittedAt time.Time         `json:"submitted_at,omitzero"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// JointReport is the DRC's compilation of the accepted group reports,
// countersigned by the five departments and sent up with an approval request.
type JointReport struct {
	CampaignID   int64             `json:"campaign_id"`
	Body         string            `json:"body"`
	Request      string            `json:"request"` // the approval request (请示)
	FrozenAt     time.Time         `json:"frozen_at"`
	Countersigns map[string]string `json:"countersigns"` // department → signer's name
	SubmittedAt  time.Time         `json:"submitted_at,omitzero"`
}

// CheckinRadius is the default distance (metres) from the enterprise's
// position within which a check-in counts as on site.
const CheckinRadius = 1000

// Inspection is what a team saw and measured on site, with the proof that it
// was there. Submitting locks it; later corrections are amendments.
type Inspection struct {
	ID             int64               `json:"id"`
	TaskID         int64               `json:"task_id"`
	CheckedInAt    time.Time           `json:"checked_in_at"`
	Position       Point               `json:"position"`
	DistanceM      float64             `json:"distance_m"`
	OutsideReason  string              `json:"outside_reason,omitempty"` // required beyond the radius; such a check-in is flagged
	Flagged        bool                `json:"flagged"`
	RegistrationID string              `json:"registration_id"` // the visit's registration (扫码入企)
	Certificates   string              `json:"certificates"`    // certificate numbers shown
	Body           string              `json:"body"`            // the legal inspecting body
	Items          []string            `json:"items"`           // inspection item codes
	Figures        []*InspectionFigure `json:"figures"`
	Findings       []*Finding          `json:"findings"`
	Photos         []*Photo            `json:"photos"`
	SubmittedAt    time.Time           `json:"submitted_at,omitzero"`
	SubmittedBy    string              `json:"submitted_by,omitempty"`
	Signature      string              `json:"signature,omitempty"` // the platform's signature over the submitted record
	Amendments     []*Amendment        `json:"amendments,omitempty"`
}

// InspectionFigure is one indicator of the inspection period: the figure on
// record and the figure verified on site, with the document seen.
type InspectionFigure struct {
	Indicator string   `json:"indicator"`
	Recorded  *float64 `json:"recorded"`
	Verified  *float64 `json:"verified"`
	Document  string   `json:"document"`
}

// Difference returns (verified − recorded) ÷ recorded, and false when either
// figure is missing or the recorded one is zero.
func (f *InspectionFigure) Difference() (float64, bool) {
	if f.Recorded == nil || f.Verified == nil || *f.Recorded == 0 {
		return 0, false
	}
	return (*f.Verified - *f.Recorded) / *f.Recorded, true
}

// LargeDifference is the relative difference between the figure on record and
// the verified one that the form highlights.
const LargeDifference = 0.05

// Photo is a picture taken on site; the platform keeps its SHA-256.
type Photo struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Amendment corrects a submitted inspection without touching it: the reason
// and the change are kept beside the original.
type Amendment struct {
	ID        int64     `json:"id"`
	Reason    string    `json:"reason"`
	Change    string    `json:"change"`
	By        string    `json:"by"`
	CreatedAt time.Time `json:"created_at"`
}
