package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFollowWithoutReload signs in, follows an account from its
// profile and checks that the button and the count change in place (the
// page is not reloaded: a marker set on window survives).
func TestBrowserFollowWithoutReload(t *testing.T) {
	ctx := newBrowser(t)
	s := startSite(t)
	s.cli(t, "correct horse battery\n", "account", "create", "--handle", "harbor", "--name", "The Daily Harbor", "--role", "publisher", "--official", "Newspaper")
	s.cli(t, "correct horse battery\n", "account", "create", "--handle", "lena", "--name", "Lena", "--role", "reader")

	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/signin?next=/@harbor"),
		chromedp.SendKeys(chromedp.CSS(`input[name="handle"]`), "lena"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "correct horse battery"),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.follow-form button`)),
		chromedp.Evaluate[chromedp.Void](`window.__noReload = "still here"`),
		chromedp.Click(chromedp.CSS(`form.follow-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.follow-form button[aria-pressed="true"]`)),
	); err != nil {
		t.Fatalf("follow in the browser: %v", err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__noReload || ""`))
	if err != nil {
		t.Fatal(err)
	}
	button, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`form.follow-form button`)))
	if err != nil {
		t.Fatal(err)
	}
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.followers-count`)))
	if err != nil {
		t.Fatal(err)
	}
	if marker != "still here" {
		t.Error("the page was reloaded to follow")
	}
	if strings.TrimSpace(button) != "Following" || strings.TrimSpace(count) != "1" {
		t.Errorf("after following: button %q, followers %q; want Following and 1", button, count)
	}
	_, acct := apiDo(t, http.MethodGet, s.URL+"/api/v1/accounts/harbor", "", nil)
	if acct["followers_count"] != 1.0 {
		t.Errorf("the server counts %v followers", acct["followers_count"])
	}
}

// TestBrowserLikeCommentWithoutReload: a guest likes a comment and takes
// the like back, in place; the server counts each; and after a reload
// (the guest now has a cookie, so the page is theirs, not the cached one)
// the page shows their like.
func TestBrowserLikeCommentWithoutReload(t *testing.T) {
	ctx := newBrowser(t)
	s := startSite(t)
	token := publisherToken(t, s, "", "harbor")
	code, post := apiDo(t, http.MethodPost, s.URL+"/api/v1/posts", token, map[string]any{"title": "Night buses", "body": "The board defends the network."})
	if code != http.StatusCreated {
		t.Fatalf("post: %d %v", code, post)
	}
	id := int64(post["id"].(float64))
	guestComment(t, s, id, "Keep the night buses.", "wei@example.com")
	page := post["url"].(string)
	likes := func() float64 {
		_, c := apiDo(t, http.MethodGet, fmt.Sprintf("%s/api/v1/posts/%d/comments", s.URL, id), "", nil)
		list, _ := c["comments"].([]any)
		if len(list) != 1 {
			t.Fatalf("comments: %v", c)
		}
		return list[0].(map[string]any)["likes"].(float64)
	}
	button := chromedp.CSS(`#comments form.like-form button`)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(button),
		chromedp.Evaluate[chromedp.Void](`window.__noReload = "still here"`),
		chromedp.Click(button),
		chromedp.WaitVisible(chromedp.CSS(`#comments form.like-form button[aria-pressed="true"]`)),
	); err != nil {
		t.Fatalf("like in the browser: %v", err)
	}
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#comments .like-count`)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(count) != "1" || likes() != 1 {
		t.Errorf("after liking: page shows %q, server counts %v; want 1 and 1", count, likes())
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(button),
		chromedp.WaitVisible(chromedp.CSS(`#comments form.like-form button[aria-pressed="false"]`)),
	); err != nil {
		t.Fatalf("unlike in the browser: %v", err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__noReload || ""`))
	if err != nil {
		t.Fatal(err)
	}
	if marker != "still here" {
		t.Error("the page was reloaded to like")
	}
	if n := likes(); n != 0 {
		t.Errorf("after taking the like back the server counts %v", n)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(button),
		chromedp.WaitVisible(chromedp.CSS(`#comments form.like-form button[aria-pressed="true"]`)),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#comments form.like-form button[aria-pressed="true"]`)),
	); err != nil {
		t.Fatalf("the reloaded page does not show the guest's like: %v", err)
	}
}
