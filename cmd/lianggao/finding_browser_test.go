package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianggao/internal/demo"
)

// Ensure a problem goes round the problem list in the browser: a DRC
// officer escalates an alert to the list, finds it there, orders a
// rectification and, after being asked to confirm, verifies it with
// evidence, which closes the finding; the list exports; the campaign's
// progress shows the five groups and who is not yet visited.
func TestBrowserFindings(t *testing.T) {
	b := newBrowser(t, 3*time.Minute)
	r := start(t, "demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	base := "http://" + r.addr
	ctx := b.ctx
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v\n%s", what, err, pageText(ctx))
		}
	}
	do("sign in",
		signIn(base+"/alerts?status=new", "drc", demo.Password),
		chromedp.WaitVisible(css("#alert-table")),
	)
	// Open the alert by its address: a navigation is waited for until the
	// page has loaded, so the form below is the new page's.
	alertLink := run(t, ctx, chromedp.AttributeValue(css("#alert-table tbody tr:first-child a"), "href")).Value
	do("open an alert", chromedp.Navigate(base+alertLink), chromedp.WaitVisible(css("#reason")))
	alert := run(t, ctx, chromedp.Location())
	do("escalate it to the problem list",
		chromedp.SetValue(css("#to"), "escalated"),
		chromedp.SetValue(css("#verdict"), "finding"),
		chromedp.SendKeys(css("#reason"), "数据异常明显，列入问题清单督办"),
		chromedp.Click(css(`form[action$="/move"] button[type=submit]`)),
		// The page after the escalation links the alert to its finding;
		// waiting for something on the new page, not for a node of the old
		// one to go, does not race the navigation.
		appears("#alert-finding"),
	)
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#to option[value="escalated"]').length`)); n != 0 {
		t.Errorf("an escalated alert can still be escalated")
	}
	do("follow the alert to its finding",
		chromedp.Click(css("#alert-finding")),
		chromedp.WaitVisible(css("#form-rectification")),
	)
	if src := run(t, ctx, chromedp.AttributeValue(css("#finding-source"), "href")).Value; !strings.HasSuffix(alert, src) {
		t.Errorf("the finding's source %q is not the alert %s", src, alert)
	}
	finding := run(t, ctx, chromedp.Location())
	do("order a rectification",
		chromedp.SendKeys(css("#r-owner"), "企业主要负责人"),
		chromedp.SetValue(css("#r-deadline"), "2027-01-31"),
		chromedp.SendKeys(css("#r-description"), "核实并补正报送数据，完善计量与统计制度"),
		chromedp.Click(css("#form-rectification button")),
		chromedp.WaitVisible(css("#disposition-table")),
	)
	if state := run(t, ctx, chromedp.Text(css("#finding-state"))); state != "处置中" {
		t.Errorf("after ordering: state %q", state)
	}
	do("verify it with evidence",
		chromedp.SendKeys(css("#disposition-table textarea[name=evidence]"), "已补正数据，见整改报告及现场照片"),
		chromedp.Click(css(`#disposition-table form[action$="/verify"] button`)),
		chromedp.WaitVisible(css("#finding-state.green")),
	)
	if state := run(t, ctx, chromedp.Text(css("#finding-state"))); state != "已办结" {
		t.Errorf("after verifying: state %q", state)
	}
	if asked := strings.Join(b.confirmed(), "\n"); !strings.Contains(asked, "处置记录提交后不能删除") || !strings.Contains(asked, "核验通过后整改即办结") {
		t.Errorf("no confirmation before ordering or verifying; asked:\n%s", asked)
	}
	do("find it on the closed list",
		chromedp.Navigate(base+"/findings"),
		chromedp.WaitVisible(css("#finding-table")),
	)
	first := run(t, ctx, chromedp.AttributeValue(css("#finding-table tbody tr:first-child a"), "href")).Value
	if rows := run(t, ctx, chromedp.Text(css("#finding-table tbody tr:first-child"))); !strings.HasSuffix(finding, first) || !strings.Contains(rows, "已办结") {
		t.Errorf("the newest finding (%s) is not first and closed on the list:\n%s", first, rows)
	}
	do("export the list", chromedp.Click(css("#export-findings")))
	if x, _ := os.ReadFile(waitForDownload(t, b.downloads)); !bytes.HasPrefix(x, []byte("PK")) {
		t.Errorf("the export is not an xlsx")
	}
	do("open the campaign's progress",
		chromedp.Navigate(base+"/campaigns/2026H2/progress"),
		chromedp.WaitVisible(css("#progress-group")),
	)
	groups := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#progress-group tbody tr").length`))
	unvisited := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#unvisited-table tbody tr").length`))
	if groups != 5 || unvisited == 0 {
		t.Errorf("progress: %d group rows, %d not yet visited", groups, unvisited)
	}
}
