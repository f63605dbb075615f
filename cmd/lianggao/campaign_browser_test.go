package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianggao/internal/demo"
)

// Ensure the DRC opens a campaign and assigns it in the browser: it fixes
// the target list, fills the groups, publishes the commitment, draws, and
// the revealed seed with the published inputs gives the commitment.
func TestBrowserCampaignDraw(t *testing.T) {
	b := newBrowser(t, 3*time.Minute)
	r := start(t, "demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	base := "http://" + r.addr
	ctx := b.ctx
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		signIn(base+"/campaigns", "admin", demo.Password),
		chromedp.WaitVisible(css("#campaign-table")),
	)
	if err != nil {
		t.Fatalf("sign in: %v\n%s", err, r.out)
	}
	code := run(t, ctx, chromedp.Value(css("#code")))
	steps := []struct {
		name string
		do   []chromedp.Action[chromedp.Void]
	}{
		{"open", []chromedp.Action[chromedp.Void]{chromedp.Submit(css("#campaign-create")), chromedp.WaitVisible(css("#freeze-targets"))}},
		{"freeze", []chromedp.Action[chromedp.Void]{chromedp.Click(css("#freeze-targets")), chromedp.WaitVisible(css("#propose-members"))}},
		{"propose", []chromedp.Action[chromedp.Void]{chromedp.Click(css("#propose-members")), chromedp.WaitVisible(css("#commit"))}},
		{"commit", []chromedp.Action[chromedp.Void]{chromedp.Click(css("#commit")), chromedp.WaitVisible(css("#draw"))}},
	}
	for _, st := range steps {
		if err := chromedp.Do(ctx, st.do...); err != nil {
			t.Fatalf("%s: %v\n%s", st.name, err, pageText(ctx))
		}
	}
	if n := run(t, ctx, chromedp.Text(css("#campaign-targets"))); n != "3000" {
		t.Errorf("targets: %s, want every registered enterprise", n)
	}
	commitment := run(t, ctx, chromedp.Text(css("#commitment")))
	if err := chromedp.Do(ctx, chromedp.Click(css("#draw")), chromedp.WaitVisible(css("#seed"))); err != nil {
		t.Fatalf("draw: %v\n%s", err, pageText(ctx))
	}
	if got := len(b.confirmed()); got != 3 {
		t.Errorf("%d confirmations asked, want 3 (freeze, commit, draw)", got)
	}
	seed, err := hex.DecodeString(run(t, ctx, chromedp.Text(css("#seed"))))
	if err != nil || len(seed) != 32 {
		t.Fatalf("seed: %v", err)
	}
	inputs := run(t, ctx, chromedp.Evaluate[string](`fetch("/api/v1/campaigns/`+code+`/assignment-inputs").then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	sum := sha256.Sum256(append(seed, inputs...))
	if hex.EncodeToString(sum[:]) != commitment {
		t.Errorf("the seed and the published inputs do not give the commitment %s", commitment)
	}
	groups := run(t, ctx, chromedp.Text(css("#group-table tbody")))
	if strings.Count(groups, "市") < 16 {
		t.Errorf("the groups do not list the 16 cities:\n%s", groups)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css("#covered"))); err != nil {
		t.Errorf("the plan does not cover every enterprise:\n%s", pageText(ctx))
	}
}
