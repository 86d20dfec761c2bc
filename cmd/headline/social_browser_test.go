package main

import (
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
