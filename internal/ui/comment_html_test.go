package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
)

// The comments kept between renders of a page (comment_html.go) never
// show what a comment showed before: after each change to a comment the
// page rendered again on the server that keeps them is, byte for byte,
// the page of the server that keeps none, for a reader without cookies
// (the cached page) and for the post's author (rendered whole).
func TestKeptCommentsFollowChanges(t *testing.T) {
	e := newHolesEnv(t)
	ctx := context.Background()
	ra := newRichArticle(t, e)
	path, first, rita, admin := news.PostPath(ra.post), ra.first, ra.rita, ra.admin
	sam, err := e.accounts.ByHandle(ctx, "sam")
	if err != nil {
		t.Fatal(err)
	}
	author := e.browser()
	author.signIn("harbor")
	expire(author, e.srv.URL, "headline_fresh")
	readers := map[string]*browser{"no cookies": e.browser(), "author": author}
	same := func(step string) {
		t.Helper()
		for name, b := range readers {
			for range 2 { // the second render takes its comments from the memo
				if name == "no cookies" {
					e.cache.Delete(path)
				}
				got, want := b.get(path), b.getFrom(e.full.URL, path)
				wantStatus(t, got, http.StatusOK)
				g, w := tokenRe.ReplaceAllString(got.body, "TOKEN"), tokenRe.ReplaceAllString(want.body, "TOKEN")
				if g != w {
					at := firstDiff(g, w)
					t.Fatalf("%s, %s: the page differs from the one rendered without kept comments at byte %d:\nkept: %q\nnone: %q",
						step, name, at, around(g, at), around(w, at))
				}
			}
		}
	}
	same("before any change")
	steps := []struct {
		name   string
		change func() error
		shows  string
	}{
		{"edited", func() error { _, err := e.comments.Edit(ctx, sam, first.ID, "Edited by Sam."); return err }, "Edited by Sam."},
		{"liked", func() error {
			_, err := e.comments.Like(ctx, admin, news.Reader{AccountID: admin.ID}, first.ID, true)
			return err
		}, ""},
		{"pinned", func() error { _, err := e.comments.Pin(ctx, admin, first.ID, true); return err }, `class="pinned-mark"`},
		{"replied", func() error {
			_, err := e.comments.Post(ctx, rita, discussion.Input{PostID: ra.post.ID, ParentID: first.ID, Body: "One more reply.", IP: "192.0.2.7"})
			return err
		}, "One more reply."},
		{"unpinned", func() error { _, err := e.comments.Pin(ctx, admin, first.ID, false); return err }, ""},
		{"deleted", func() error { return e.comments.Delete(ctx, admin, first.ID) }, "Comment deleted"},
	}
	for _, s := range steps {
		before := readers["author"].get(path).body
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		same(s.name)
		after := readers["author"].get(path).body
		if after == before || !strings.Contains(after, s.shows) {
			t.Fatalf("%s: the author's page does not show the change", s.name)
		}
	}
}

// Readers rendering pages from the same kept comments at once, while
// likes change them, each get a whole page (run with -race).
func TestKeptCommentsConcurrently(t *testing.T) {
	e := newHolesEnv(t)
	ctx := context.Background()
	ra := newRichArticle(t, e)
	path := news.PostPath(ra.post)
	author := e.browser()
	author.signIn("harbor")
	expire(author, e.srv.URL, "headline_fresh")
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 6 {
		b := e.browser()
		if i%2 == 0 {
			b = author
		}
		wg.Go(func() {
			for range 10 {
				req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
				res, err := b.c.Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "First, from Sam.") ||
					!strings.HasSuffix(strings.TrimSpace(string(body)), "</html>") {
					errs <- fmt.Sprintf("status %d, %d bytes", res.StatusCode, len(body))
					return
				}
			}
		})
	}
	for i := range 10 {
		if _, err := e.comments.Like(ctx, ra.admin, news.Reader{AccountID: ra.admin.ID}, ra.first.ID, i%2 == 0); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
