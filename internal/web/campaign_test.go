package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lianggao/internal/store/storetest"
)

// Ensure the DRC takes a campaign from opening to the draw through the
// pages: a bad target list names its line and changes nothing, the groups
// are filled, the commitment is shown before the seed, and the draw plans a
// visit for every target.
func TestCampaignPages(t *testing.T) {
	a := newApp(t)
	storetest.SeedProvince(t, a.store, 1)
	admin := a.client("admin")
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		res, err := admin.PostForm(a.url+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := post("/campaigns", url.Values{"code": {"2026H2"}}); code != http.StatusSeeOther {
		t.Fatalf("open: %d", code)
	}
	if code, body := post("/campaigns", url.Values{"code": {"2026H2"}}); code != http.StatusBadRequest || !strings.Contains(body, "已开启") {
		t.Errorf("open twice: %d", code)
	}
	bad := storetest.CreditCode("370100", 1) + "\n" + storetest.CreditCode("370100", 4242)
	if code, body := post("/campaigns/2026H2/targets", url.Values{"credit_codes": {bad}}); code != http.StatusBadRequest ||
		!strings.Contains(body, storetest.CreditCode("370100", 4242)) {
		t.Errorf("bad target list: %d", code)
	}
	if _, body := a.get(admin, "/campaigns/2026H2"); !strings.Contains(body, `id="campaign-targets">0<`) {
		t.Error("a refused list changed the targets")
	}
	for _, step := range []string{"targets", "members/propose", "commit"} {
		if code, body := post("/campaigns/2026H2/"+step, nil); code != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step, code, body)
		}
	}
	_, body := a.get(admin, "/campaigns/2026H2")
	if !strings.Contains(body, `id="commitment"`) || strings.Contains(body, `id="seed"`) {
		t.Fatal("before the draw the commitment shows and the seed does not")
	}
	if code, body := post("/campaigns/2026H2/draw", nil); code != http.StatusSeeOther {
		t.Fatalf("draw: %d %s", code, body)
	}
	_, body = a.get(admin, "/campaigns/2026H2")
	if !regexp.MustCompile(`id="seed">[0-9a-f]{64}<`).MatchString(body) || !strings.Contains(body, `id="covered"`) {
		t.Errorf("after the draw: seed and full coverage expected")
	}
	if _, home := a.get(admin, "/"); !regexp.MustCompile(`>18</span><span class="tile-label">2026H2 全面检查任务<`).MatchString(home) {
		t.Errorf("the workbench does not show the campaign's 18 visits:\n%s", home[strings.Index(home, "tiles"):])
	}
	county := a.client("county")
	if code, _ := a.get(county, "/campaigns/2026H2"); code != http.StatusOK {
		t.Errorf("county officer reading: %d", code)
	}
	res, _ := county.PostForm(a.url+"/campaigns/2026H2/replan", nil)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("county officer replanning: %d", res.StatusCode)
	}
}
