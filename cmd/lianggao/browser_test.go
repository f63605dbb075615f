package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserRun is a headless Chromium driving one test.
type browserRun struct {
	ctx       context.Context
	downloads string // where downloaded files land

	mu      sync.Mutex
	dialogs []string // the messages of the confirmations accepted so far
}

// newBrowser starts Chromium for the test (skipping without one unless CI
// is set). Downloads are allowed into a temporary directory, and every
// confirmation dialog is accepted, as a person who means it would, and its
// message recorded so the test can check it was asked.
func newBrowser(t *testing.T, timeout time.Duration) *browserRun {
	t.Helper()
	chromium := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	b := &browserRun{ctx: ctx, downloads: t.TempDir()}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: b.downloads})
		return err
	}))
	if err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return b
}

// confirmed returns the confirmation messages accepted so far.
func (b *browserRun) confirmed() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.dialogs...)
}

// signIn signs out whoever was signed in, opens url and signs in there as
// user with password; the caller waits for the page it expects.
func signIn(url, user, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{})
			return err
		}),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
	)
}

// appears waits until an element matching the CSS selector is on the page.
// It asks the page itself, again and again, so a form submission that
// replaces the document meanwhile only costs a retry — a query holding a node
// of the old document would fail instead.
func appears(selector string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		js := fmt.Sprintf("document.querySelector(%q) !== null", selector)
		for {
			if found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && found {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s never appeared: %w", selector, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}
