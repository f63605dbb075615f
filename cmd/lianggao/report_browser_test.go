package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianggao/internal/demo"
)

// Ensure the reports go round in the browser: the DRC starts the campaign
// and opens reporting; the DRC group's leader edits, saves and submits the
// group's report and exports it as a Word document; the DRC accepts it and
// the four others, compiles the joint report; the five departments'
// officers countersign it in turn; the DRC sends it up with an approval
// request, and the page shows the five signatures.
func TestBrowserReports(t *testing.T) {
	b := newBrowser(t, 4*time.Minute)
	r := start(t, "demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	base := "http://" + r.addr
	ctx := b.ctx
	const code = "2026H2"
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v\n%s", what, err, pageText(ctx))
		}
	}
	// signInAs signs in as user (a demo account) on the way to path.
	signInAs := func(user, path string) {
		t.Helper()
		do("sign in as "+user, signIn(base+path, user, demo.Password), chromedp.WaitVisible(css("main h1")))
	}
	// waitText waits until the element's text holds want, across the
	// navigation a form's submission starts.
	waitText := func(sel, want string) chromedp.Action[chromedp.Void] {
		expr := `(document.querySelector(` + quote(sel) + `) || {textContent: ""}).textContent.includes(` + quote(want) + `)`
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			deadline := time.Now().Add(30 * time.Second)
			for {
				ok, err := chromedp.Evaluate[bool](expr)(ctx, tg)
				if err == nil && ok {
					return nil
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("%s never held %q (%v)", sel, want, err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}

	signInAs("admin", "/campaigns/"+code)
	do("start the campaign", chromedp.Click(css("#move-in_progress")), chromedp.WaitVisible(css("#move-reporting")))
	do("open reporting", chromedp.Click(css("#move-reporting")),
		// Wait for the new page's next step, not for the old button to go,
		// which races the navigation.
		appears("#move-closed"))

	report := "/campaigns/" + code + "/reports/drc"
	signInAs("leader", report)
	do("edit the DRC's report",
		chromedp.WaitVisible(css("#report-form")),
		chromedp.SetValue(css("#section-causes"), "部分企业能源计量管理制度不健全。\n\n地方日常监管存在薄弱环节。"),
		chromedp.Click(css("#report-save")),
		chromedp.WaitVisible(css(".notice.success")),
	)
	if causes := run(t, ctx, chromedp.Value(css("#section-causes"))); !strings.Contains(causes, "能源计量管理制度不健全") {
		t.Fatalf("the saved text is not shown: %q", causes)
	}
	do("submit", chromedp.Click(css("#report-submit")), waitText("#report-state", "已报送"))
	do("export", chromedp.Click(css("#export-docx")))
	file := waitForDownload(t, b.downloads)
	title := "山东省发展改革委检查组关于2026年下半年两高企业全面检查情况的报告"
	if doc := docxText(t, file); !strings.Contains(doc, title) || !strings.Contains(doc, "能源计量管理制度不健全") {
		t.Fatalf("the document %s lacks the title or the edited text", file)
	}

	signInAs("admin", report)
	do("accept the DRC's report", chromedp.Click(css("#report-accept")), waitText("#report-state", "已接收"))
	for _, d := range []string{"iit", "eco", "amr", "stats"} {
		do("draft, submit and accept "+d,
			chromedp.Navigate(base+"/campaigns/"+code+"/reports/"+d),
			chromedp.WaitVisible(css("#report-submit")),
			chromedp.Click(css("#report-submit")),
			chromedp.WaitVisible(css("#report-accept")),
			chromedp.Click(css("#report-accept")),
			waitText("#report-state", "已接收"),
		)
	}
	do("compile the joint report",
		chromedp.Navigate(base+"/campaigns/"+code+"/joint"),
		chromedp.Click(css("#joint-compile")),
		chromedp.WaitVisible(css("#countersign-table")),
	)
	for _, d := range []string{"drc", "iit", "eco", "amr", "stats"} {
		signInAs(d, "/campaigns/"+code+"/joint")
		do(d+" countersigns",
			chromedp.Click(css("#sign-"+d+" #countersign")),
			waitText("#sign-"+d, "签名有效"),
		)
	}
	signInAs("admin", "/campaigns/"+code+"/joint")
	do("send up the joint report",
		chromedp.SetValue(css("#request"), "省人民政府：\n\n现将2026年下半年两高企业全面检查情况报告如下。\n\n妥否，请批示。"),
		chromedp.Click(css("#joint-submit")),
		chromedp.WaitVisible(css("#request-text")),
	)
	signs := run(t, ctx, chromedp.Text(css("#countersign-table tbody")))
	if n := strings.Count(signs, "签名有效"); n != 5 {
		t.Fatalf("%d valid signatures shown, want 5:\n%s", n, signs)
	}
	if state := run(t, ctx, chromedp.Text(css("#joint-state"))); !strings.Contains(state, "已报送") {
		t.Errorf("joint report state: %s", state)
	}
	asked := strings.Join(b.confirmed(), "\n")
	for _, want := range []string{"确定报送？", "确定接收？", "确定汇编？", "确定会签？"} {
		if !strings.Contains(asked, want) {
			t.Errorf("no confirmation %q was asked", want)
		}
	}
}

// quote writes s as a JavaScript string literal.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// docxText returns word/document.xml of a downloaded .docx.
func docxText(t *testing.T, file string) string {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatalf("%s is not a docx: %v", file, err)
	}
	defer z.Close()
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return string(b)
}
