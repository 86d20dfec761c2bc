package ui_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// failingState is a store whose ReaderState fails, as on a database
// error, and counts the calls.
type failingState struct {
	news.Store
	calls atomic.Int32
}

func (f *failingState) ReaderState(context.Context, news.ReaderStateQuery) (news.ReaderState, error) {
	f.calls.Add(1)
	return news.ReaderState{}, errors.New("reader state: disk I/O error")
}

// When the one read of a reader's state fails, its parts are read one by
// one, as a full render reads them: the filled page is still the full
// render, for a signed-in reader with everything of their own and for a
// guest with a cookie.
func TestReaderStateFailureReadsThePartsApart(t *testing.T) {
	fs := &failingState{}
	e := newHolesEnvOver(t, func(st news.Store) news.Store { fs.Store = st; return fs })
	ra := newRichArticle(t, e)
	path := news.PostPath(ra.post)
	rita := e.browser()
	rita.signIn("rita")
	for name, b := range map[string]*browser{"rita": rita, "guest with a cookie": ra.guest} {
		expire(b, e.srv.URL, "headline_fresh")
		for round := range 2 {
			calls := fs.calls.Load()
			got, want := b.get(path), b.getFrom(e.full.URL, path)
			wantStatus(t, got, http.StatusOK)
			if g, w := tokenRe.ReplaceAllString(got.body, "TOKEN"), tokenRe.ReplaceAllString(want.body, "TOKEN"); g != w {
				at := firstDiff(g, w)
				t.Fatalf("%s, round %d: the filled page differs from the full render at byte %d:\ncached: %q\nfull:   %q",
					name, round, at, around(g, at), around(w, at))
			}
			// The state read apart is kept: the second view reads nothing.
			if n := fs.calls.Load() - calls; n != int32(1-round) {
				t.Fatalf("%s, round %d: %d calls of ReaderState, want %d", name, round, n, 1-round)
			}
		}
	}
}

// With likes of posts, notifications and moderation off, a reader's
// state asks the store only for their follow and liked comments, and the
// filled page is still the full render, signed in or a guest; and so with
// follows off too (the article's actions once hid Base.Social from the
// site navigation, so the full render showed "Latest" and the filled
// page did not).
func TestFilledPageWithTheOptionalServicesOff(t *testing.T) {
	for _, withFollows := range []bool{true, false} {
		t.Run(fmt.Sprintf("follows %v", withFollows), func(t *testing.T) { testFilledPageWithServicesOff(t, withFollows) })
	}
}

func testFilledPageWithServicesOff(t *testing.T, withFollows bool) {
	raw, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	cache := pagecache.New(8<<20, time.Hour)
	st := pagecache.WatchKeepingSessions(raw, cache, cache)
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	e := &env{t: t, clock: clk, accounts: accounts.New(st, clk.Now), posts: publishing.New(st, clk.Now),
		comments: discussion.New(st, clk.Now)}
	follows := following.New(st, clk.Now)
	serve := func(pages *pagecache.Cache) *httptest.Server {
		d := ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Now: clk.Now,
			Log: slog.New(slog.DiscardHandler), Pages: pages}
		if withFollows {
			d.Following = follows
		}
		h, err := ui.New(d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv
	}
	e.srv = serve(cache)
	full := serve(nil)

	ctx := context.Background()
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	rita := e.account("rita", "Rita Reader", news.RoleReader)
	e.account("sam", "Sam Reader", news.RoleReader)
	post := e.publish(harbor, "Storm warning", "Rain all week.")
	path := news.PostPath(post)
	first, err := e.comments.Post(ctx, harbor, discussion.Input{PostID: post.ID, Body: "From the desk."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.comments.Post(ctx, rita, discussion.Input{PostID: post.ID, ParentID: first.ID, Body: "Rita's reply."}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.comments.Like(ctx, rita, news.Reader{AccountID: rita.ID}, first.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := follows.Follow(ctx, rita, "harbor"); err != nil {
		t.Fatal(err)
	}
	guest := e.browser()
	wantStatus(t, guest.post("/c/"+itoa(first.ID)+"/like", url.Values{"like": {"1"}, "back": {path}}), http.StatusSeeOther)
	readers := map[string]*browser{"guest with a cookie": guest, "no cookies": e.browser()}
	for _, h := range []string{"rita", "sam"} {
		b := e.browser()
		b.signIn(h)
		readers[h] = b
	}
	for name, b := range readers {
		expire(b, e.srv.URL, "headline_fresh")
		for round := range 2 {
			got, want := b.get(path), b.getFrom(full.URL, path)
			wantStatus(t, got, http.StatusOK)
			if g, w := tokenRe.ReplaceAllString(got.body, "TOKEN"), tokenRe.ReplaceAllString(want.body, "TOKEN"); g != w {
				at := firstDiff(g, w)
				t.Fatalf("%s, round %d: the filled page differs from the full render at byte %d:\ncached: %q\nfull:   %q",
					name, round, at, around(g, at), around(w, at))
			}
			if liked := strings.Count(got.body, "♥ Liked"); (name == "rita" || name == "guest with a cookie") && liked != 1 {
				t.Fatalf("%s: %d liked comments on the page, want 1", name, liked)
			}
			if name == "rita" && withFollows != strings.Contains(got.body, ">Following</button>") {
				t.Fatalf("rita's page with follows %v shows her follow of the author: %v", withFollows, !withFollows)
			}
		}
	}
}
