package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// noScript turns JavaScript off in the page, as a reader who blocks it.
func noScript(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	return chromedp.Void{}, err
}

// TestBrowserDeletePost is what an author does with JavaScript off: open
// the edit page, press Delete without ticking the box (a confirmation page
// asks), tick it, and land on their profile, which says the post is gone.
func TestBrowserDeletePost(t *testing.T) {
	ctx := newBrowser(t)
	s := startSite(t)
	token := publisherToken(t, s, "", "desk")
	code, post := apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{"title": "Retracted story", "body": "Wrong facts."})
	if code != http.StatusCreated {
		t.Fatalf("create post: %d %v", code, post)
	}
	id := int64(post["id"].(float64))
	apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{"title": "Kept story", "body": "Fine."})
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := chromedp.Do(ctx,
		noScript,
		chromedp.Navigate(fmt.Sprintf("%s/signin?next=/p/%d/edit", s.URL, id)),
		chromedp.WaitVisible(css(`#f-handle`)),
		chromedp.SendKeys(css(`#f-handle`), "desk"),
		chromedp.SendKeys(css(`#f-password`), "correct horse battery"),
		chromedp.Click(css(`.form-page [type="submit"]`)),
		chromedp.WaitVisible(css(`#delete-post-form`)),
	); err != nil {
		t.Fatalf("sign in and open the edit page: %v", err)
	}
	// The box not ticked: the confirmation page asks.
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`#delete-post-form [type="submit"]`)),
		chromedp.WaitVisible(css(`.delete-post-page`)),
	); err != nil {
		t.Fatalf("delete without the box: %v", err)
	}
	asked, err := chromedp.Run(ctx, chromedp.Text(css(`.delete-post-page`)))
	if err != nil || !strings.Contains(asked, "Delete “Retracted story”?") || !strings.Contains(asked, "Tick “Yes, delete this post” to delete it.") {
		t.Fatalf("confirmation page says %q (%v)", asked, err)
	}
	if code, _ := get(t, post["url"].(string)); code != http.StatusOK {
		t.Fatal("the post went without the box ticked")
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`#d-confirm`)),
		chromedp.Click(css(`#delete-post-form [type="submit"]`)),
		chromedp.WaitVisible(css(`.form-done`)),
	); err != nil {
		t.Fatalf("delete with the box ticked: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	page, _ := chromedp.Run(ctx, chromedp.Text(css(`main`)))
	if !strings.HasSuffix(loc, "/@desk?deleted=1") || !strings.Contains(page, "The post was deleted.") ||
		strings.Contains(page, "Retracted story") || !strings.Contains(page, "Kept story") {
		t.Fatalf("after deleting, at %s:\n%s", loc, page)
	}
	if code := deletePost(t, fmt.Sprintf("%s/api/v1/posts/%d", s.URL, id), token); code != http.StatusNotFound {
		t.Fatalf("the post is still there: DELETE again = %d", code)
	}
}
