package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Debian Chromium for one test. Without chromium
// the test is skipped with the reason, except in CI (CI=true), where the
// browser is installed by .ci/run and its absence is a failure.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run should have installed Debian's chromium package")
		}
		t.Skip("skipping browser test: chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first Run starts the browser; it must not carry a timeout, or the
	// timeout would stop the whole browser (see chromedp.Run).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return tctx
}

// TestBrowserGuestComment is what a reader does: open a demo article, fill
// the classic guest form, submit it, and see the comment on the page.
func TestBrowserGuestComment(t *testing.T) {
	ctx := newBrowser(t)
	s := startSite(t, "--demo")

	// The demo article nobody has commented on yet, found as an app would.
	articlePath := ""
	_, list := apiDo(t, "GET", s.URL+"/api/v1/posts?limit=50", "", nil)
	posts, _ := list["posts"].([]any)
	for _, p := range posts {
		p := p.(map[string]any)
		if p["comments_count"].(float64) == 0 {
			u, _ := url.Parse(p["url"].(string))
			articlePath = u.EscapedPath()
			break
		}
	}
	if articlePath == "" {
		t.Fatalf("the demo has no article without comments; posts: %v", posts)
	}
	const comment = "Browser test comment: the lantern festival photos are lovely."
	form := func(name string) chromedp.CSS { return chromedp.CSS(`#respond [name="` + name + `"]`) }
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+articlePath),
		chromedp.WaitVisible(chromedp.CSS(`#respond`)),
	); err != nil {
		t.Fatalf("article page: %v", err)
	}
	respond, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#respond`)))
	if err != nil {
		t.Fatalf("read the form: %v", err)
	}
	empty, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#comments`)))
	if err != nil || !strings.Contains(empty, "No comments yet. Why don't you start the discussion?") {
		t.Errorf("an article without comments says %q (%v)", empty, err)
	}
	for _, want := range []string{"Leave a Reply", "Your email address will not be published. Required fields are marked *", "Name *", "Email *", "Website", "Comment *"} {
		if !strings.Contains(respond, want) {
			t.Errorf("comment form lacks %q; its text:\n%s", want, respond)
		}
	}
	shown := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(form("name"), "Lena Browser"),
		chromedp.SendKeys(form("email"), "lena.browser@example.com"),
		chromedp.SendKeys(form("website"), "https://lena.example.org"),
		chromedp.SendKeys(form("body"), comment),
	); err != nil {
		t.Fatalf("fill the guest form: %v", err)
	}
	// A person takes longer than the site's minimum fill time (3 s by
	// default) to write a comment; a form sent sooner is held as a robot's.
	time.Sleep(time.Until(shown.Add(3100 * time.Millisecond)))
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#respond [type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[id^="comment-"]`)),
	); err != nil {
		t.Fatalf("submit the guest form: %v", err)
	}
	section, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#comments`)))
	if err != nil {
		t.Fatalf("read the comments: %v", err)
	}
	if !strings.Contains(section, comment) || !strings.Contains(section, "Lena Browser") {
		t.Errorf("comment not shown after submitting; comments section:\n%s", section)
	}
	if strings.Contains(section, "lena.browser@example.com") {
		t.Error("the guest's email is shown on the page")
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "#comment-") {
		t.Errorf("after posting, the browser is at %q (%v); want the new comment's anchor", loc, err)
	}
}
