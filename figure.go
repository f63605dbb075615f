package lianggao

import (
	"context"
	"time"
)

// Figure sources: who reported a value. One indicator can hold several sources'
// values side by side; their differences are what expose misreporting.
var FigureSources = []string{"enterprise", "stationed", "inspection", "grid", "tax", "stats", "energy_online", "cems"}

// Figure is one value of one indicator for one enterprise and day from one
// source. A corrected value is a new revision; earlier ones are kept.
type Figure struct {
	EnterpriseID int64     `json:"enterprise_id"`
	Date         Date      `json:"date"`
	Indicator    string    `json:"indicator"`
	Source       string    `json:"source"`
	Value        float64   `json:"value"`
	Revision     int       `json:"revision"`
	BatchID      int64     `json:"batch_id"`
	RecordedAt   time.Time `json:"recorded_at"`
}

// FigureFilter selects figures of one enterprise.
type FigureFilter struct {
	EnterpriseID int64
	Indicators   []string
	Source       string
	From, To     Date
}

// FigureService stores and reads figures within the actor's scope.
type FigureService interface {
	// PutFigures writes a batch in one transaction: unchanged values are
	// skipped, changed ones become new revisions. It returns the batch id.
	PutFigures(ctx context.Context, source string, figs []*Figure) (int64, error)
	// FindFigures returns the current revision of each figure, by date.
	FindFigures(ctx context.Context, f FigureFilter) ([]*Figure, error)
	// FigureRevisions returns every revision of one figure, oldest first.
	FigureRevisions(ctx context.Context, enterpriseID int64, d Date, indicator, source string) ([]*Figure, error)
}
