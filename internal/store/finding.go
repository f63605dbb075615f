package store

import (
	"context"

	"lianggao"
)

// insertFinding puts a finding on the problem list inside the caller's
// transaction; the city and county are copied from the enterprise so that
// the list is scoped by one indexed column, as alerts are.
func insertFinding(ctx context.Context, t *tx, f *lianggao.Finding) error {
	if err := f.Validate(); err != nil {
		return err
	}
	var campaign any
	if f.CampaignID != 0 {
		campaign = f.CampaignID
	}
	f.CreatedAt = t.now
	var err error
	f.ID, err = t.insert(ctx, `INSERT INTO findings (source, source_id, campaign_id, enterprise_id, city_code, county_code,
		category, description, evidence, severity, created_at)
		SELECT ?, ?, ?, e.id, e.city_code, e.county_code, ?, ?, ?, ?, ? FROM enterprises e WHERE e.id = ?`,
		f.Source, f.SourceID, campaign, f.Category, f.Description, f.Evidence, f.Severity, t.now, f.EnterpriseID)
	return err
}
