package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// moderatedSite is a fresh site with a publisher's post, a moderator, and
// the post's address.
func moderatedSite(t *testing.T) (*site, string, float64) {
	t.Helper()
	s := startSite(t)
	s.cli(t, "correct horse battery\n", "account", "create", "--handle", "harbor", "--name", "The Daily Harbor", "--role", "publisher")
	s.cli(t, "correct horse battery\n", "account", "create", "--handle", "mia", "--name", "Mia Moderator", "--role", "moderator")
	fields := strings.Fields(s.cli(t, "", "token", "create", "--handle", "harbor"))
	token := fields[len(fields)-1]
	status, p := apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{"title": "Harbour news", "body": "The ferry runs again."})
	if status != http.StatusCreated {
		t.Fatalf("create post: %d %v", status, p)
	}
	u, _ := url.Parse(p["url"].(string))
	return s, u.EscapedPath(), p["id"].(float64)
}

// TestBrowserHeldCommentAndApproval: a guest posts a link-heavy comment
// and sees it awaiting moderation; another browser does not see it; a
// moderator approves it from /moderation and then everyone sees it.
func TestBrowserHeldCommentAndApproval(t *testing.T) {
	ctx := newBrowser(t)
	s, path, _ := moderatedSite(t)
	const body = "Timetables at https://a.example/1 https://b.example/2 https://c.example/3 and https://d.example/4"

	form := func(name string) chromedp.CSS { return chromedp.CSS(`#respond [name="` + name + `"]`) }
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(form("body"))); err != nil {
		t.Fatalf("article page: %v", err)
	}
	shown := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(form("name"), "Gus Guest"),
		chromedp.SendKeys(form("email"), "gus@example.com"),
		chromedp.SendKeys(form("body"), body),
	); err != nil {
		t.Fatalf("fill the form: %v", err)
	}
	// Slower than the minimum fill time, so only the links hold it.
	time.Sleep(time.Until(shown.Add(3100 * time.Millisecond)))
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#respond [type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#held-comments .awaiting-moderation`)),
	); err != nil {
		t.Fatalf("submit: %v", err)
	}
	held, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#held-comments`)))
	if err != nil || !strings.Contains(held, "Your comment is awaiting moderation.") || !strings.Contains(held, "https://d.example/4") {
		t.Fatalf("the writer's view of the held comment: %q (%v)", held, err)
	}

	other, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(other, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.CSS(`#comments`))); err != nil {
		t.Fatalf("another browser: %v", err)
	}
	seen, _ := chromedp.Run(other, chromedp.Text(chromedp.CSS(`#comments`)))
	if strings.Contains(seen, "d.example") || strings.Contains(seen, "awaiting moderation") {
		t.Fatalf("another browser sees the held comment:\n%s", seen)
	}

	mod, cancelMod := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancelMod()
	if err := chromedp.Do(mod,
		chromedp.Navigate(s.URL+"/signin?next=/moderation"),
		chromedp.SendKeys(chromedp.CSS(`input[name="handle"]`), "mia"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "correct horse battery"),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.queue-item input[name="ids"]`)),
	); err != nil {
		t.Fatalf("moderator's queue: %v", err)
	}
	queue, _ := chromedp.Run(mod, chromedp.Text(chromedp.CSS(`.queue-list`)))
	if !strings.Contains(queue, "4 links") || !strings.Contains(queue, "Gus Guest") {
		t.Fatalf("queue does not show the comment with its reason:\n%s", queue)
	}
	if err := chromedp.Do(mod,
		chromedp.Click(chromedp.CSS(`.queue-item input[name="ids"]`)),
		chromedp.Click(chromedp.CSS(`.bulk-actions button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.form-done`)),
	); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if err := chromedp.Do(other, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#comments .comment-body`))); err != nil {
		t.Fatalf("reload after approval: %v", err)
	}
	seen, _ = chromedp.Run(other, chromedp.Text(chromedp.CSS(`#comments`)))
	if !strings.Contains(seen, "https://d.example/4") || !strings.Contains(seen, "1 Comment") {
		t.Fatalf("after approval another browser sees:\n%s", seen)
	}

	// That reader reports it, without the page reloading (app.js), and
	// the report reaches the moderator's queue.
	if err := chromedp.Do(other,
		chromedp.Evaluate[chromedp.Void](`window.__noReload = "still here"`),
		chromedp.Click(chromedp.CSS(`#comments a.report-link`)),
		chromedp.SetValue(chromedp.CSS(`#comments .report-form select[name="reason"]`), "spam"),
		chromedp.Click(chromedp.CSS(`#comments .report-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#comments .report-done`)),
	); err != nil {
		t.Fatalf("report: %v", err)
	}
	if marker, err := chromedp.Run(other, chromedp.Evaluate[string](`window.__noReload || ""`)); err != nil || marker != "still here" {
		t.Errorf("the page was reloaded to report (%q, %v)", marker, err)
	}
	if err := chromedp.Do(mod, chromedp.Navigate(s.URL+"/moderation?status=reported"), chromedp.WaitVisible(chromedp.CSS(`.queue-item .reports`))); err != nil {
		t.Fatalf("reported queue: %v", err)
	}
	if reports, _ := chromedp.Run(mod, chromedp.Text(chromedp.CSS(`.queue-item .reports`))); strings.TrimSpace(reports) != "1 report" {
		t.Errorf("reported queue says %q, want 1 report", reports)
	}
}

// TestRateLimitOverHTTP posts comments from one IP faster than the site's
// limits allow, through the real server: one writer past 5 a minute, then
// many writers past 20 a minute from the IP, each a 429 with Retry-After.
func TestRateLimitOverHTTP(t *testing.T) {
	s, _, postID := moderatedSite(t)
	u := fmt.Sprintf("%s/api/v1/posts/%d/comments", s.URL, int64(postID))
	post := func(email, body string) *http.Response {
		b, _ := json.Marshal(map[string]string{"name": "Flo", "email": email, "body": body})
		res, err := http.Post(u, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	check429 := func(what string, res *http.Response) {
		t.Helper()
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("%s: status %d, want 429", what, res.StatusCode)
		}
		if n, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || n < 1 || n > 60 {
			t.Fatalf("%s: Retry-After %q, want 1..60 seconds", what, res.Header.Get("Retry-After"))
		}
	}
	// A window may roll over during the test; start at the top of one.
	if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 10*time.Second {
		time.Sleep(left)
	}
	n := 0
	for ; n < 5; n++ {
		if res := post("flo@example.com", fmt.Sprintf("comment %d", n)); res.StatusCode != http.StatusCreated {
			t.Fatalf("comment %d of one writer: %d", n, res.StatusCode)
		}
	}
	check429("6th comment of one writer in a minute", post("flo@example.com", "one more"))
	n++ // the refused one counts against the IP too
	for ; n < 20; n++ {
		if res := post(fmt.Sprintf("w%d@example.com", n), "hello"); res.StatusCode != http.StatusCreated {
			t.Fatalf("comment %d from the IP: %d", n, res.StatusCode)
		}
	}
	check429("21st comment from one IP in a minute", post("fresh@example.com", "flood"))
}
