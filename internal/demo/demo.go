// Package demo generates the demo province: about 3,000 two-high enterprises
// of Shandong with their projects, meters and a year of daily figures, the
// staff and supervision groups, a dozen planted problems for the monitoring
// rules to find, and one account per role. The province is deterministic:
// the same seed and the same "now" give the same province.
package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"lianggao"
	"lianggao/internal/config"
	"lianggao/internal/store"
)

// SettingGenerated is the setting written last, holding the "now" the province
// was generated for; a store without it holds no complete demo province.
const SettingGenerated = "demo.generated"

// Options say which province to generate.
type Options struct {
	Seed int64
	// Now anchors every date: a year of figures ends the day before it, and
	// certificates and calibrations fall due around it. Zero means time.Now().
	Now time.Time
	// DataDir is where truth.json goes; "" writes none.
	DataDir string
	// Progress, when set, is called with the name of each step as it starts.
	Progress func(step string)
	// Scale multiplies the number of enterprises and projects, and so the
	// meters and figures; zero means 1, the full province. Staff, groups and
	// accounts are always full size. Tests use a small scale.
	Scale float64
}

// Summary counts what Generate wrote and lists the planted problems.
type Summary struct {
	Enterprises, Projects, Meters, Figures int
	People, Groups, GroupMembers, Users    int
	Problems                               []Problem
}

// generator holds the state shared by the steps of one Generate.
type generator struct {
	s       *store.Store
	profile *config.Profile
	o       Options
	today   lianggao.Date // Now's date in the profile's zone
	sum     Summary

	plants  []*plant
	people  []*lianggao.Person
	problem map[*plant]Problem // at most one per plant
}

// Generate writes the demo province into an empty store as the system actor,
// each step in one transaction where the store offers a bulk method. It sets
// SettingGenerated last, so a half-made province is detectable.
func Generate(ctx context.Context, s *store.Store, o Options) (*Summary, error) {
	ctx = lianggao.NewContext(ctx, lianggao.SystemActor)
	g, err := newGenerator(ctx, s, o)
	if err != nil {
		return nil, err
	}
	g.progress("enterprises")
	if err := g.writeEnterprises(ctx); err != nil {
		return nil, fmt.Errorf("demo: enterprises: %w", err)
	}
	// Hashing the accounts' passwords takes seconds of CPU while writing
	// figures keeps one core busy in the database, so the two overlap.
	g.progress("users")
	users := make(chan error, 1)
	go func() { users <- g.writeUsers(ctx) }()
	err = g.run(ctx)
	if uerr := <-users; err == nil && uerr != nil {
		err = fmt.Errorf("demo: users: %w", uerr)
	}
	if err != nil {
		return nil, err
	}
	g.progress("campaign")
	if err := g.writeCampaign(ctx); err != nil {
		return nil, fmt.Errorf("demo: campaign: %w", err)
	}
	g.sum.Users = len(Accounts())
	if err := s.PutSetting(ctx, SettingGenerated, g.o.Now.UTC().Format(time.RFC3339)); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return &g.sum, nil
}

// run runs the steps after the enterprises, in order.
func (g *generator) run(ctx context.Context) error {
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"projects", g.writeProjects},
		{"people", g.writePeople},
		{"supervision groups", g.writeGroups},
		{"problems", g.plantProblems},
		{"meters", g.writeMeters},
		{"figures", g.writeFigures},
		{"truth", g.writeTruth},
	}
	for _, st := range steps {
		g.progress(st.name)
		if err := st.run(ctx); err != nil {
			return fmt.Errorf("demo: %s: %w", st.name, err)
		}
	}
	return nil
}

// newGenerator checks the profile and the store and fills in the defaults.
func newGenerator(ctx context.Context, s *store.Store, o Options) (*generator, error) {
	p := s.Profile()
	if p.Province != "370000" {
		return nil, fmt.Errorf("demo: the demo province is Shandong (370000), not %s", p.Province)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	// A second province on top of the first would collide on every code.
	if _, n, err := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Limit: 1}); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	} else if n > 0 {
		return nil, lianggao.Errorf(lianggao.ECONFLICT, "demo.not_empty", n)
	}
	return &generator{s: s, profile: p, o: o, today: lianggao.DateOf(o.Now.In(p.Location()))}, nil
}

func (g *generator) progress(step string) {
	if g.o.Progress != nil {
		g.o.Progress(step)
	}
}

// scaled returns n times the scale, keeping at least three of each kind.
func (g *generator) scaled(n int) int {
	return max(3, int(float64(n)*g.o.Scale+0.5))
}

// checksum is the SHA-256 of the records as JSON: the import methods record
// the checksum of what they were given.
func checksum(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("demo: checksum: " + err.Error()) // the records are plain structs
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// lineNumbers returns 1…n, the "lines" of a generated import.
func lineNumbers(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
