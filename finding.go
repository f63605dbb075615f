package lianggao

// FindingFilter selects findings on the problem list; zero fields do not
// filter.
type FindingFilter struct {
	Campaign                                 string // the campaign's code
	City, County, Category, Severity, Source string
	// Open keeps the findings not yet dealt with: no rectification verified
	// and no referral decision recorded.
	Open          bool
	Offset, Limit int
}

// FindingSources are where findings come from.
var FindingSources = []string{"inspection", "alert"}

// Closed reports whether a finding has been dealt with: a rectification of
// it was verified, or the body it was referred to returned a decision. A
// proposed quota cut alone does not close it.
func (f *Finding) Closed() bool {
	for _, d := range f.Dispositions {
		if d.Kind != DispositionQuotaCut && d.Done() {
			return true
		}
	}
	return false
}

// Done reports whether a disposition has reached its end: a rectification
// verified, a referral decided. A quota cut is done once recorded.
func (d *Disposition) Done() bool {
	switch d.Kind {
	case DispositionRectification:
		return !d.VerifiedAt.IsZero()
	case DispositionReferral:
		return d.Decision != ""
	}
	return true
}
