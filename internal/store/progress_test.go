package store_test

import (
	"testing"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure the progress tables count what happened to the tasks: visits with
// and without proof of presence, a task whose day passed unvisited, one
// checked in today, a finding; by group, city, county and industry, in the
// actor's scope, with the enterprises not yet visited.
func TestCampaignProgress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		c, tasks := drawnTasks(t, s)
		admin := storetest.Admin()
		proven := inspect(t, s, tasks[0], lianggao.TaskSubmitted, false, true)
		inspect(t, s, tasks[1], lianggao.TaskSubmitted, true, true) // flagged: outside the radius
		inspect(t, s, tasks[2], lianggao.TaskSubmitted, false, false)
		storetest.Exec(t, s, `UPDATE inspection_tasks SET day = '2026-11-20' WHERE id = ?`, tasks[3].ID)
		storetest.Exec(t, s, `UPDATE inspection_tasks SET day = '2026-11-28', state = ? WHERE id = ?`, lianggao.TaskCheckedIn, tasks[4].ID)
		findOnInspection(t, s, c, tasks[0], proven, "metering")

		// What each task should count as, from what was done to it.
		want := map[string]*store.ProgressRow{}
		add := func(prefix, key string, task int) {
			r := want[prefix+key]
			if r == nil {
				r = &store.ProgressRow{Key: key}
				want[prefix+key] = r
			}
			r.Tasks++
			switch task {
			case 0:
				r.Submitted++
				r.Proven++
				r.Findings++
			case 1, 2:
				r.Submitted++
			case 3:
				r.Overdue++
			default:
				r.Scheduled++
			}
		}
		for i, task := range tasks {
			add("", "total", i)
			add("group:", task.Department, i)
			add("city:", task.City, i)
			add("county:", task.County, i)
			add("industry:", task.Industry, i)
		}
		p, err := s.CampaignProgress(admin, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		check := func(prefix string, rows []*store.ProgressRow) {
			t.Helper()
			n := 0
			for _, r := range rows {
				w := want[prefix+r.Key]
				if w == nil {
					t.Errorf("unexpected row %s%s", prefix, r.Key)
					continue
				}
				n++
				if *r != *w {
					t.Errorf("%s%s: %+v, want %+v", prefix, r.Key, *r, *w)
				}
			}
			for k := range want {
				if len(k) > len(prefix) && k[:len(prefix)] == prefix {
					n--
				}
			}
			if n != 0 {
				t.Errorf("%s rows: %d missing", prefix, -n)
			}
		}
		if p.Total != *want["total"] {
			t.Errorf("total %+v, want %+v", p.Total, *want["total"])
		}
		check("group:", p.ByGroup)
		check("city:", p.ByCity)
		check("county:", p.ByCounty)
		check("industry:", p.ByIndustry)
		if r := p.Total.ProofRate(); r < 0.33 || r > 0.34 {
			t.Errorf("proof rate %v, want 1/3", r)
		}
		if p.UnvisitedTotal != len(tasks)-3 || len(p.Unvisited) != len(tasks)-3 || p.Unvisited[0].ID != tasks[3].ID {
			t.Errorf("not yet visited: %d of %d, first %d", len(p.Unvisited), p.UnvisitedTotal, p.Unvisited[0].ID)
		}
		for _, u := range p.Unvisited {
			if u.ID == tasks[0].ID || u.ID == tasks[1].ID || u.ID == tasks[2].ID {
				t.Errorf("visited task %d listed as not visited", u.ID)
			}
		}

		city := tasks[0].City
		cp, err := s.CampaignProgress(storetest.As(lianggao.RoleTaskForce, city), c.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantCity := *want["city:"+city]
		wantCity.Key = "total"
		if cp.Total != wantCity || len(cp.ByCity) != 1 || cp.ByCity[0].Key != city {
			t.Errorf("city officer's progress %+v, want %+v", cp.Total, wantCity)
		}
		if _, err := s.CampaignProgress(storetest.As(lianggao.RoleEnterprise, tasks[0].County), c.Code); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("enterprise reporter reading progress: %v", err)
		}
	})
}
