package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"lianggao/internal/planner"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure the published inputs and the plan let anyone replay the draw byte
// for byte and check the commitment, and that a county officer's plan holds
// only the county's visits.
func TestCampaignPlanReplays(t *testing.T) {
	ts, s, cookies, ents := apiServer(t)
	ents = append(ents, storetest.SeedProvince(t, s, 2)...)
	c := storetest.SeedCampaign(t, s, true)

	inputs := get(t, ts.URL+"/api/v1/campaigns/"+c.Code+"/assignment-inputs", cookies["admin"])
	var plan store.Plan
	if err := json.Unmarshal(get(t, ts.URL+"/api/v1/campaigns/"+c.Code+"/plan", cookies["admin"]), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.Campaign != c.Code || plan.Commitment != c.Commitment || len(plan.Seed) != 64 || len(plan.Groups) != 5 {
		t.Fatalf("plan: %s %s seed %q, %d groups", plan.Campaign, plan.Commitment, plan.Seed, len(plan.Groups))
	}
	replayed, err := planner.Replay(inputs, plan.Seed, plan.Commitment)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSuffix(replayed, []byte("\n")), plan.Assignment) {
		t.Errorf("replay differs:\n%s\n%s", replayed, plan.Assignment)
	}
	tasks := 0
	for _, g := range plan.Groups {
		tasks += len(g.Tasks)
	}
	if tasks != c.Targets {
		t.Errorf("%d tasks for %d targets", tasks, c.Targets)
	}

	var county store.Plan
	json.Unmarshal(get(t, ts.URL+"/api/v1/campaigns/"+c.Code+"/plan", cookies["county"]), &county)
	inCounty := map[string]bool{}
	for _, e := range ents {
		inCounty[e.CreditCode] = e.County == "370102"
	}
	seen := 0
	for _, g := range county.Groups {
		for _, task := range g.Tasks {
			seen++
			if !inCounty[task.CreditCode] {
				t.Errorf("county officer of 370102 sees the visit of %s", task.CreditCode)
			}
		}
	}
	if seen != 3 {
		t.Errorf("county officer sees %d visits, want the county's 3", seen)
	}
	if res, _ := http.Get(ts.URL + "/api/v1/campaigns/" + c.Code + "/plan"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed out: %d", res.StatusCode)
	}
	if code, _ := call(t, "GET", ts.URL+"/api/v1/campaigns/2031H1/plan", cookies["admin"], ""); code != http.StatusNotFound {
		t.Errorf("unknown campaign: %d", code)
	}
}

func get(t *testing.T, url, cookie string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Cookie", cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return b
}
