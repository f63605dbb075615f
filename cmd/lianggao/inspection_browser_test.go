package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"lianggao/internal/demo"
)

// Ensure an inspector on a phone opens today's work, checks in at the
// enterprise's position, uploads a photo, types a figure that survives a
// reload (the draft is kept in the browser), adds a finding, confirms the
// submission and sees the locked record with its signature.
func TestBrowserInspection(t *testing.T) {
	b := newBrowser(t, 3*time.Minute)
	r := start(t, "demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	base := "http://" + r.addr

	photo := filepath.Join(t.TempDir(), "site.png")
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(3, 3, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// A phone's photo is large: noise does not compress, so this PNG is a few
	// megabytes, and the page re-encodes it as a JPEG before the upload.
	large := filepath.Join(t.TempDir(), "large.png")
	noise := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range noise.Pix {
		noise.Pix[i] = byte(rnd.IntN(256))
	}
	buf.Reset()
	if err := png.Encode(&buf, noise); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(large, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// The submission asks for confirmation; the browser accepts it as the
	// inspector would.
	ctx := b.ctx
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted, Origin: base})
			return err
		}),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		signIn(base+"/tasks", "inspector", demo.Password),
		chromedp.WaitVisible(css(".task-card a")),
		chromedp.Click(css(".task-card a")),
		chromedp.WaitVisible(css("#checkin-button")),
	)
	if err != nil {
		t.Fatalf("open the first task: %v\n%s", err, pageText(ctx))
	}
	site := run(t, ctx, chromedp.Evaluate[map[string]string](`({...document.getElementById("task-summary").dataset})`))
	lat, errLat := strconv.ParseFloat(site["lat"], 64)
	lon, errLon := strconv.ParseFloat(site["lon"], 64)
	if errLat != nil || errLon != nil || site["task"] == "" {
		t.Fatalf("task summary %v", site)
	}
	accuracy := 15.0
	// A few metres from the enterprise, as a phone at the gate would be.
	lat += 0.0002
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
				Latitude: &lat, Longitude: &lon, Accuracy: &accuracy})
			return err
		}),
		chromedp.SendKeys(css("#registration-id"), "DJ-2026-0001"),
		chromedp.Click(css("#checkin-button")),
		chromedp.WaitVisible(css("#photo-input")),
	)
	if err != nil {
		t.Fatalf("check in: %v\n%s", err, pageText(ctx))
	}
	if text := pageText(ctx); !strings.Contains(text, "签到时间") || strings.Contains(text, "超出签到范围") {
		t.Fatalf("after check-in:\n%s", text)
	}
	verified := css("#figures tbody tr:first-child input[name=fig_verified]")
	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(css("#photo-input"), []string{photo, large}),
		chromedp.Click(css("#photo-form button[type=submit]")),
		chromedp.WaitVisible(css("#photo-list img")),
		chromedp.WaitVisible(verified),
		chromedp.SendKeys(verified, "123456"),
	)
	if err != nil {
		t.Fatalf("photo and a figure: %v\n%s", err, pageText(ctx))
	}
	if names := run(t, ctx, chromedp.Text(css("#photo-list"))); !strings.Contains(names, "site.png") || !strings.Contains(names, "large.jpg") {
		t.Errorf("photos kept: %q, want site.png as chosen and large.png re-encoded as large.jpg", names)
	}
	if status := run(t, ctx, chromedp.Text(css("#draft-status"))); !strings.Contains(status, "草稿已保存在本机") {
		t.Errorf("draft status %q", status)
	}
	// A reload (a lost connection, a closed tab) keeps what was typed.
	err = chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(verified))
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	if v := run(t, ctx, chromedp.Value(verified)); v != "123456" {
		t.Fatalf("after a reload the verified figure is %q, want the draft's 123456", v)
	}
	last := "#findings .finding-row:last-child "
	err = chromedp.Do(ctx,
		chromedp.Click(css("#items input[type=checkbox]")),
		chromedp.Click(css("#add-finding")),
		chromedp.SetValue(css(last+"select[name=f_category]"), "metering"),
		chromedp.SendKeys(css(last+"textarea[name=f_description]"), "主要耗能设备计量器具超期未检定"),
		chromedp.SendKeys(css(last+"input[name=f_evidence]"), "检定证书复印件"),
		chromedp.Click(css("#submit-inspection")),
		chromedp.WaitVisible(css("#signature")),
	)
	if err != nil {
		t.Fatalf("submit: %v\n%s", err, pageText(ctx))
	}
	sig := strings.TrimSpace(run(t, ctx, chromedp.Text(css("#signature"))))
	text := pageText(ctx)
	if !strings.Contains(sig, ":") || len(sig) < 40 || !strings.Contains(text, "已锁定") ||
		!strings.Contains(text, "主要耗能设备计量器具超期未检定") || !strings.Contains(text, "123,456") {
		t.Fatalf("locked record: signature %q\n%s", sig, text)
	}
	if run(t, ctx, chromedp.Evaluate[bool](`localStorage.getItem("lianggao.inspection.`+site["task"]+`") === null`)) != true {
		t.Error("the draft is still kept after the submission")
	}
}
