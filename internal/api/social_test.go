package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/ranking"
	"github.com/headline/headline/internal/sqlite"
)

// socialEnv is an API with every social service, and the notification
// worker for the test to run by hand.
type socialEnv struct {
	*env
	worker *notify.Worker
}

func newSocialEnv(t *testing.T) *socialEnv {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	// After the migration's watermark (wall time), so new posts notify.
	clk := &clock{t: time.Now().UTC().Truncate(time.Second).Add(time.Hour)}
	store.Now = clk.Now
	acc := accounts.New(store, clk.Now)
	h := New(Deps{
		Accounts: acc, Posts: publishing.New(store, clk.Now), Comments: discussion.New(store, clk.Now),
		Log: slog.New(slog.DiscardHandler), BaseURL: testBase, Now: clk.Now,
		Following: following.New(store, clk.Now), Ranking: ranking.New(store, clk.Now),
		Engagement: engagement.New(store, clk.Now), Notify: notify.New(store),
	})
	e := &env{t: t, h: h, srv: h.(*server), clock: clk, accounts: acc}
	return &socialEnv{env: e, worker: &notify.Worker{Store: store, Now: clk.Now, Log: slog.New(slog.DiscardHandler)}}
}

func (e *socialEnv) publish(token, title string, tags ...string) int64 {
	e.t.Helper()
	body := map[string]any{"title": title, "body": "Text of " + title, "tags": tags}
	return num(e.t, e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/posts", Token: token, Body: jsonBody(e.t, body)}), "id")
}

func TestFollowAPI(t *testing.T) {
	e := newSocialEnv(t)
	paper := e.account("harbor", "publisher", publisherEmail, "Newspaper")
	reader := e.account("reader", "reader", readerEmail, "")

	follow := req{Method: "POST", Path: "/api/v1/accounts/Harbor/follow", Token: reader}
	got := e.must(http.StatusOK, follow)
	if got["changed"] != true || got["following"] != true {
		t.Fatalf("first follow = %v", got)
	}
	got = e.must(http.StatusOK, follow) // following twice: a no-op
	acct := got["account"].(map[string]any)
	if got["changed"] != false || num(t, acct, "followers_count") != 1 {
		t.Fatalf("second follow = %v, want unchanged with 1 follower", got)
	}
	me := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/me", Token: reader})
	if num(t, me, "following_count") != 1 {
		t.Fatalf("reader following_count = %v", me["following_count"])
	}
	// Bad input: yourself, unknown handle, no token.
	e.must(http.StatusUnprocessableEntity, req{Method: "POST", Path: "/api/v1/accounts/harbor/follow", Token: paper})
	e.must(http.StatusNotFound, req{Method: "POST", Path: "/api/v1/accounts/nobody/follow", Token: reader})
	e.must(http.StatusUnauthorized, req{Method: "POST", Path: "/api/v1/accounts/harbor/follow"})
	e.must(http.StatusNotFound, req{Method: "DELETE", Path: "/api/v1/accounts/nobody/follow", Token: reader})

	list := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/accounts/harbor/followers"})
	accts := list["accounts"].([]any)
	if len(accts) != 1 || accts[0].(map[string]any)["handle"] != "reader" || list["next_cursor"] != nil {
		t.Fatalf("followers = %v", list)
	}
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/accounts/harbor/followers?cursor=bogus"})
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/accounts/harbor/following?limit=0"})
	e.must(http.StatusNotFound, req{Method: "GET", Path: "/api/v1/accounts/nobody/following"})

	unfollow := req{Method: "DELETE", Path: "/api/v1/accounts/harbor/follow", Token: reader}
	if got := e.must(http.StatusOK, unfollow); got["changed"] != true || got["following"] != false {
		t.Fatalf("unfollow = %v", got)
	}
	got = e.must(http.StatusOK, unfollow) // unfollowing someone you do not follow
	if got["changed"] != false || num(t, got["account"].(map[string]any), "followers_count") != 0 {
		t.Fatalf("second unfollow = %v", got)
	}
}

func TestFollowListPages(t *testing.T) {
	e := newSocialEnv(t)
	e.account("star", "publisher", "", "")
	for i := range 5 {
		tok := e.account(fmt.Sprintf("fan%d", i), "reader", "", "")
		e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/accounts/star/follow", Token: tok})
		e.clock.Advance(time.Second)
	}
	seen := map[string]bool{}
	path := "/api/v1/accounts/star/followers?limit=2"
	for path != "" {
		page := e.must(http.StatusOK, req{Method: "GET", Path: path})
		for _, a := range page["accounts"].([]any) {
			h := a.(map[string]any)["handle"].(string)
			if seen[h] {
				t.Fatalf("%s listed twice", h)
			}
			seen[h] = true
		}
		path = ""
		if c, ok := page["next_cursor"].(string); ok {
			path = "/api/v1/accounts/star/followers?limit=2&cursor=" + c
		}
	}
	if len(seen) != 5 {
		t.Fatalf("paged through %d followers, want 5", len(seen))
	}
}

func TestFollowingFeedAndNotifications(t *testing.T) {
	e := newSocialEnv(t)
	paper := e.account("harbor", "publisher", publisherEmail, "Newspaper")
	other := e.account("other", "publisher", "", "")
	reader := e.account("reader", "reader", readerEmail, "")
	e.must(http.StatusUnauthorized, req{Method: "GET", Path: "/api/v1/feed/following"})
	e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/accounts/harbor/follow", Token: reader})
	var want []int64
	for i := range 5 {
		want = append([]int64{e.publish(paper, fmt.Sprintf("Harbor news %d", i), "ports")}, want...)
		e.publish(other, fmt.Sprintf("Other news %d", i))
		e.clock.Advance(time.Minute)
	}
	var got []int64
	path := "/api/v1/feed/following?limit=2"
	for path != "" {
		page := e.must(http.StatusOK, req{Method: "GET", Path: path, Token: reader})
		for _, p := range page["posts"].([]any) {
			got = append(got, num(t, p.(map[string]any), "id"))
		}
		path = ""
		if c, ok := page["next_cursor"].(string); ok {
			path = "/api/v1/feed/following?limit=2&cursor=" + c
			// A new post arriving while paging does not shift the pages.
			e.publish(paper, fmt.Sprintf("Late %d", len(got)))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("following feed = %v, want %v", got, want)
	}
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/following?cursor=x.y", Token: reader})

	// The worker tells the reader about harbor's posts, once each.
	e.clock.Advance(time.Minute)
	for range 2 {
		if err := e.worker.Round(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	notes := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/notifications?limit=50", Token: reader})
	items := notes["notifications"].([]any)
	if len(items) != 7 || num(t, notes, "unread") != 7 {
		t.Fatalf("reader has %d notifications (%v unread), want 7 posts", len(items), notes["unread"])
	}
	first := items[0].(map[string]any)
	if first["kind"] != "post" || first["actor"].(map[string]any)["handle"] != "harbor" || first["post"] == nil {
		t.Fatalf("newest notification = %v", first)
	}
	// The publisher was told about the follow.
	pn := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/notifications", Token: paper})
	if k := pn["notifications"].([]any)[0].(map[string]any)["kind"]; k != "follow" {
		t.Fatalf("publisher's notification kind %v, want follow", k)
	}
	marked := e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/notifications/read", Token: reader})
	if num(t, marked, "marked") != 7 {
		t.Fatalf("marked %v", marked)
	}
	e.must(http.StatusUnauthorized, req{Method: "GET", Path: "/api/v1/notifications"})
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/notifications?cursor=%25%25", Token: reader})
	e.must(http.StatusBadRequest, req{Method: "POST", Path: "/api/v1/notifications/read", Token: reader, Body: `{"upto": 3}`})
}

func TestPostLikesAndShares(t *testing.T) {
	e := newSocialEnv(t)
	paper := e.account("harbor", "publisher", "", "")
	reader := e.account("reader", "reader", "", "")
	id := e.publish(paper, "Liked")
	path := fmt.Sprintf("/api/v1/posts/%d/like", id)
	for i, wantChanged := range []bool{true, false} { // liking twice
		got := e.must(http.StatusOK, req{Method: "POST", Path: path, Token: reader})
		if got["changed"] != wantChanged || num(t, got, "likes") != 1 || got["liked"] != true {
			t.Fatalf("like %d = %v", i, got)
		}
	}
	post := e.must(http.StatusOK, req{Method: "GET", Path: fmt.Sprintf("/api/v1/posts/%d", id)})
	if num(t, post, "likes_count") != 1 {
		t.Fatalf("likes_count = %v", post["likes_count"])
	}
	for i, wantChanged := range []bool{true, false} { // unliking what you do not like
		got := e.must(http.StatusOK, req{Method: "DELETE", Path: path, Token: reader})
		if got["changed"] != wantChanged || num(t, got, "likes") != 0 {
			t.Fatalf("unlike %d = %v", i, got)
		}
	}
	e.must(http.StatusUnauthorized, req{Method: "POST", Path: path})
	e.must(http.StatusNotFound, req{Method: "POST", Path: "/api/v1/posts/999999/like", Token: reader})
	e.must(http.StatusNotFound, req{Method: "POST", Path: "/api/v1/posts/abc/like", Token: reader})
	draft := num(t, e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/posts", Token: paper,
		Body: `{"title":"Draft","body":"x","status":"draft"}`}), "id")
	e.must(http.StatusNotFound, req{Method: "POST", Path: fmt.Sprintf("/api/v1/posts/%d/like", draft), Token: reader})

	for want := int64(1); want <= 2; want++ {
		got := e.must(http.StatusOK, req{Method: "POST", Path: fmt.Sprintf("/api/v1/posts/%d/share", id)})
		if num(t, got, "shares") != want {
			t.Fatalf("shares = %v, want %d", got["shares"], want)
		}
	}
	e.must(http.StatusNotFound, req{Method: "POST", Path: "/api/v1/posts/999999/share"})
}

func TestHeadlinesAPI(t *testing.T) {
	e := newSocialEnv(t)
	reader := e.account("reader", "reader", "", "")
	other := e.account("other", "reader", "", "")
	var toks []string
	for i := range 6 {
		toks = append(toks, e.account(fmt.Sprintf("desk%d", i), "publisher", "", ""))
	}
	for i := range 60 {
		e.publish(toks[i%6], fmt.Sprintf("Story %d", i), "health")
		e.clock.Advance(time.Minute)
	}
	e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/accounts/desk3/follow", Token: reader})

	// The first page ranked just now (its posts as ranked) and the same
	// page read back from the reader's snapshot are the same page.
	pageOf := func(page map[string]any) []string {
		var out []string
		for _, p := range page["posts"].([]any) {
			p := p.(map[string]any)
			out = append(out, fmt.Sprint(p["id"], " ", p["reason"], " ", p["title"]))
		}
		return out
	}
	fresh := pageOf(e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/feed/headlines", Token: reader}))
	reused := pageOf(e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/feed/headlines", Token: reader}))
	if len(fresh) == 0 || fmt.Sprint(fresh) != fmt.Sprint(reused) {
		t.Fatalf("first page ranked now:\n%v\nread back from its snapshot:\n%v", fresh, reused)
	}

	seen := map[int64]bool{}
	path := "/api/v1/feed/headlines"
	var firstCursor string
	pages := 0
	for path != "" {
		page := e.must(http.StatusOK, req{Method: "GET", Path: path, Token: reader})
		perAuthor := map[string]int{}
		for _, p := range page["posts"].([]any) {
			p := p.(map[string]any)
			id := num(t, p, "id")
			if seen[id] {
				t.Fatalf("post %d shown twice", id)
			}
			seen[id] = true
			author := p["author"].(map[string]any)["handle"].(string)
			if perAuthor[author]++; perAuthor[author] > ranking.DefaultOptions.PerAuthor {
				t.Fatalf("page %d has more than %d posts by %s", pages, ranking.DefaultOptions.PerAuthor, author)
			}
			if p["reason"] == "" {
				t.Fatalf("post %d without a reason", id)
			}
			if author == "desk3" && p["reason"] != "You follow Name of desk3" {
				t.Fatalf("followed author's post reason %q", p["reason"])
			}
		}
		// A new post while paging changes nothing in this session.
		e.publish(toks[0], fmt.Sprintf("Breaking %d", pages), "health")
		pages++
		path = ""
		if c, ok := page["next_cursor"].(string); ok {
			if firstCursor == "" {
				firstCursor = c
			}
			path = "/api/v1/feed/headlines?cursor=" + c
		}
	}
	if len(seen) != 60 {
		t.Fatalf("headlines showed %d posts in %d pages, want all 60", len(seen), pages)
	}
	// Bad cursors: tampered, another reader's, a guest's use, expired.
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/headlines?cursor=tampered", Token: reader})
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/headlines?cursor=" + firstCursor, Token: other})
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/headlines?cursor=" + firstCursor})
	e.clock.Advance(2 * time.Hour)
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/headlines?cursor=" + firstCursor, Token: reader})

	guest := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/feed/headlines"})
	if len(guest["posts"].([]any)) == 0 {
		t.Fatal("guest headlines are empty")
	}
	trend := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/feed/trending?tag=health&limit=3"})
	if n := len(trend["posts"].([]any)); n != 3 {
		t.Fatalf("trending has %d posts, want 3", n)
	}
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/trending?tag=%20"})
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/feed/trending?limit=500"})
}
