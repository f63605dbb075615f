package web_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// Ensure the progress page counts the visits made, the overdue and the
// findings, in the reader's scope, lists who is not yet visited and exports
// the tables.
func TestProgressPage(t *testing.T) {
	a := newApp(t)
	storetest.SeedProvince(t, a.store, 1)
	c := storetest.SeedCampaign(t, a.store, true)
	tasks, _, err := a.store.FindTasks(storetest.Admin(), c.Code, lianggao.TaskFilter{Limit: store.All})
	if err != nil || len(tasks) < 3 {
		t.Fatalf("%d tasks (%v)", len(tasks), err)
	}
	// The Jinan task is visited with a photo; another city's is overdue.
	var jinan, other *lianggao.InspectionTask
	for _, task := range tasks {
		switch {
		case task.County == "370102" && jinan == nil:
			jinan = task
		case task.City != "370100" && other == nil:
			other = task
		}
	}
	at := storetest.Now.Add(-time.Hour)
	storetest.Exec(t, a.store, `INSERT INTO inspections (task_id, checked_in_at, checked_in_by, lat, lon, distance_m, outside_reason,
		flagged, registration_id, certificates, body, items, figures, submitted_at, submitted_by, signature)
		VALUES (?, ?, 1, 36.6, 117.0, 10, '', ?, 'R1', '', '', '[]', '[]', ?, 'inspector', '')`, jinan.ID, at, false, at)
	storetest.Exec(t, a.store, `INSERT INTO inspection_photos (inspection_id, name, content_type, size, sha256, data, created_at)
		SELECT id, 'site.jpg', 'image/jpeg', 3, 'abc', ?, ? FROM inspections WHERE task_id = ?`, []byte{1, 2, 3}, at, jinan.ID)
	storetest.Exec(t, a.store, `UPDATE inspection_tasks SET state = 'submitted' WHERE id = ?`, jinan.ID)
	storetest.Exec(t, a.store, `UPDATE inspection_tasks SET day = '2026-11-25' WHERE id = ?`, other.ID)
	storetest.Exec(t, a.store, `INSERT INTO findings (source, source_id, campaign_id, enterprise_id, city_code, county_code, category,
		description, evidence, severity, created_at) SELECT 'inspection', id, ?, ?, '370100', '370102', 'metering', '电表未检定', '', 'minor', ?
		FROM inspections WHERE task_id = ?`, c.ID, jinan.EnterpriseID, at, jinan.ID)

	admin := a.client("admin")
	code, body := a.get(admin, "/campaigns/"+c.Code+"/progress")
	if code != 200 {
		t.Fatalf("progress: %d", code)
	}
	for _, id := range []string{"progress-group", "progress-city", "progress-county", "progress-industry", "unvisited-table"} {
		if !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("progress page lacks %s", id)
		}
	}
	total := regexp.MustCompile(`(?s)id="progress-total">.*?</section>`).FindString(body)
	for _, want := range []string{">" + itoa(int64(len(tasks))) + "<", ">1（", "100.0%", `<span class="tag red">1</span>`} {
		if !strings.Contains(total, want) {
			t.Errorf("summary lacks %q:\n%s", want, total)
		}
	}
	if strings.Contains(body, `href="/tasks/`+itoa(jinan.ID)+`"`) || !strings.Contains(body, `href="/tasks/`+itoa(other.ID)+`"`) {
		t.Error("the not-yet-visited list is wrong")
	}

	county := a.client("county")
	_, body = a.get(county, "/campaigns/"+c.Code+"/progress")
	inCounty := 0
	for _, task := range tasks {
		if task.County == "370102" {
			inCounty++
			if visited := task.ID == jinan.ID; visited == strings.Contains(body, `href="/tasks/`+itoa(task.ID)+`"`) {
				t.Errorf("county officer's not-yet-visited list and task %d (visited %v)", task.ID, visited)
			}
		}
	}
	total = regexp.MustCompile(`(?s)id="progress-total">.*?</section>`).FindString(body)
	if !strings.Contains(total, `<dd class="num">`+itoa(int64(inCounty))+`</dd>`) || strings.Contains(body, `href="/tasks/`+itoa(other.ID)+`"`) {
		t.Errorf("county officer's progress is not confined to the county's %d tasks:\n%s", inCounty, total)
	}

	rows := a.sheetRows(admin, "/campaigns/"+c.Code+"/progress/export?format=xlsx")
	last := rows[len(rows)-1]
	if rows[0][0] != "分类" || last[0] != "合计" || last[2] != itoa(int64(len(tasks))) || last[3] != "1" || last[5] != "1" || last[8] != "1" {
		t.Errorf("progress export: %v … %v", rows[0], last)
	}
	rows = a.sheetRows(admin, "/campaigns/"+c.Code+"/progress/export?format=xlsx&part=unvisited")
	if len(rows) != len(tasks) || rows[1][0] != other.CreditCode || rows[1][7] != "逾期未检查" {
		t.Errorf("unvisited export: %d rows, first %v", len(rows), rows[1])
	}
}
