package ui_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/ranking"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// socialEnv is the UI with every social service over one SQLite file.
type socialEnv struct {
	*env
	store  *sqlite.Store
	eng    *engagement.Service
	worker *notify.Worker
}

func newSocialEnv(t *testing.T) *socialEnv {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// After the migration's watermark (wall time), so new posts notify.
	clk := &clock{t: time.Now().UTC().Truncate(time.Second).Add(time.Hour)}
	st.Now = clk.Now
	e := &env{t: t, clock: clk, accounts: accounts.New(st, clk.Now), posts: publishing.New(st, clk.Now),
		comments: discussion.New(st, clk.Now)}
	se := &socialEnv{env: e, store: st, eng: engagement.New(st, clk.Now),
		worker: &notify.Worker{Store: st, Now: clk.Now, Log: slog.New(slog.DiscardHandler)}}
	h, err := ui.New(ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler), Following: following.New(st, clk.Now), Ranking: ranking.New(st, clk.Now),
		Engagement: se.eng, Notify: notify.New(st), BaseURL: "https://news.example"})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return se
}

func (e *socialEnv) publishTagged(author *news.Account, title string, tags ...string) *news.Post {
	e.t.Helper()
	p, err := e.posts.Publish(context.Background(), author, publishing.Input{Title: title, Body: "Body of " + title, Tags: tags,
		SourceName: "Wire", SourceURL: "https://wire.example/1"})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func TestFollowFromProfileWithoutJS(t *testing.T) {
	e := newSocialEnv(t)
	e.account("harbor", "The Daily Harbor", news.RolePublisher)
	e.account("reader", "Reader", news.RoleReader)
	guest := e.browser()
	page := guest.get("/@harbor")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `href="/signin?next=%2F%40harbor"`) || !contains(page.body, "Follow") {
		t.Fatalf("guest profile lacks the sign-in follow link:\n%s", page.body)
	}
	wantStatus(t, guest.post("/@harbor/follow", url.Values{"follow": {"1"}}), http.StatusUnauthorized)

	b := e.browser()
	b.signIn("reader")
	page = b.get("/@harbor")
	if !strings.Contains(page.body, `action="/@harbor/follow"`) || !strings.Contains(page.body, `name="follow" value="1"`) {
		t.Fatalf("profile lacks the follow form:\n%s", page.body)
	}
	for range 2 { // following twice is a no-op
		r := b.post("/@harbor/follow", url.Values{"follow": {"1"}, "back": {"/@harbor"}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.Location() != "/@harbor" {
			t.Fatalf("follow redirected to %q", r.Location())
		}
	}
	page = b.get("/@harbor")
	if !contains(page.body, "1 followers") || !strings.Contains(page.body, `name="follow" value="0"`) {
		t.Fatalf("after following, profile:\n%s", text(page.body))
	}
	// JSON for app.js: the new state and counts.
	r := b.post("/@harbor/follow", url.Values{"follow": {"0"}}, "Accept", "application/json")
	wantStatus(t, r, http.StatusOK)
	var st struct {
		Following      bool  `json:"following"`
		FollowersCount int64 `json:"followers_count"`
	}
	if err := json.Unmarshal([]byte(r.body), &st); err != nil || st.Following || st.FollowersCount != 0 {
		t.Fatalf("unfollow JSON = %s (%v)", r.body, err)
	}
	// Unfollowing again, yourself, nobody: a no-op, 422 and 404.
	wantStatus(t, b.post("/@harbor/follow", url.Values{"follow": {"0"}}), http.StatusSeeOther)
	wantStatus(t, b.post("/@reader/follow", url.Values{"follow": {"1"}}), http.StatusUnprocessableEntity)
	wantStatus(t, b.post("/@nobody/follow", url.Values{"follow": {"1"}}), http.StatusNotFound)
	r = b.post("/@reader/follow", url.Values{"follow": {"1"}}, "Accept", "application/json")
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "yourself") {
		t.Fatalf("following yourself as JSON: %d %s", r.StatusCode, r.body)
	}
	// Off-site back addresses are not followed.
	r = b.post("/@harbor/follow", url.Values{"follow": {"1"}, "back": {"//evil.example/"}})
	if r.Location() != "/@harbor" {
		t.Fatalf("off-site back led to %q", r.Location())
	}
	lists := b.get("/@harbor/followers")
	wantStatus(t, lists, http.StatusOK)
	if !contains(lists.body, "Reader @reader") {
		t.Fatalf("followers page:\n%s", text(lists.body))
	}
	wantStatus(t, b.get("/@reader/following"), http.StatusOK)
	wantStatus(t, b.get("/@harbor/followers?cursor=bad"), http.StatusUnprocessableEntity)
	wantStatus(t, b.get("/@nobody/followers"), http.StatusNotFound)
}

func TestFollowingTimelineAndNotificationsPages(t *testing.T) {
	e := newSocialEnv(t)
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	other := e.account("other", "Other Desk", news.RolePublisher)
	e.account("reader", "Reader", news.RoleReader)
	guest := e.browser()
	r := guest.get("/following")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/signin") {
		t.Fatalf("guest /following: %d %s", r.StatusCode, r.Location())
	}
	b := e.browser()
	b.signIn("reader")
	wantStatus(t, b.post("/@harbor/follow", url.Values{"follow": {"1"}}), http.StatusSeeOther)
	e.publishTagged(harbor, "Port reopens", "ports")
	e.publishTagged(other, "Unrelated story")
	page := b.get("/following")
	wantStatus(t, page, http.StatusOK)
	if !contains(page.body, "Port reopens") || contains(page.body, "Unrelated story") {
		t.Fatalf("timeline:\n%s", text(page.body))
	}
	wantStatus(t, b.get("/following?cursor=bogus"), http.StatusUnprocessableEntity)

	e.clock.Add(time.Minute)
	if err := e.worker.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	home := b.get("/")
	if !strings.Contains(home.body, `class="unread-badge"`) || !strings.Contains(home.body, `href="/following"`) {
		t.Fatalf("header lacks the badge or Following link:\n%s", home.body)
	}
	notes := b.get("/notifications")
	wantStatus(t, notes, http.StatusOK)
	if !contains(notes.body, "The Daily Harbor published Port reopens") {
		t.Fatalf("notifications page:\n%s", text(notes.body))
	}
	wantStatus(t, b.post("/notifications/read", url.Values{"up_to": {"nope"}}), http.StatusUnprocessableEntity)
	wantStatus(t, b.post("/notifications/read", url.Values{}), http.StatusSeeOther)
	if home := b.get("/"); strings.Contains(home.body, `class="unread-badge"`) {
		t.Fatal("badge still shown after marking all read")
	}
	r = guest.get("/notifications")
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("guest /notifications: %d", r.StatusCode)
	}
}

func TestHeadlinesHomeAndLatest(t *testing.T) {
	e := newSocialEnv(t)
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	for _, title := range []string{"First story", "Second story", "Third story"} {
		e.publishTagged(harbor, title, "health")
		e.clock.Add(time.Minute)
	}
	b := e.browser()
	home := b.get("/")
	wantStatus(t, home, http.StatusOK)
	if !strings.Contains(home.body, `class="why"`) || !contains(home.body, "Third story") || !contains(home.body, "Trending in the last 24 hours") {
		t.Fatalf("home page:\n%s", text(home.body))
	}
	if !strings.Contains(home.body, `<link rel="alternate" type="application/atom&#43;xml" title="Headline (Atom)" href="/feed.atom">`) {
		t.Fatal("home page does not advertise the site feeds")
	}
	latest := b.get("/latest")
	wantStatus(t, latest, http.StatusOK)
	if !contains(latest.body, "First story") {
		t.Fatalf("latest:\n%s", text(latest.body))
	}
	wantStatus(t, b.get("/?cursor=forged"), http.StatusUnprocessableEntity)
	tag := b.get("/t/health")
	if !contains(tag.body, "Trending in #health today") || !strings.Contains(tag.body, `href="/t/health/feed.rss"`) {
		t.Fatalf("tag page:\n%s", text(tag.body))
	}
}

func TestPostLikeShareAndViews(t *testing.T) {
	e := newSocialEnv(t)
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	p := e.publishTagged(harbor, "Liked story")
	path := news.PostPath(p)
	guest := e.browser()
	page := guest.get(path)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `class="post-like-form`) || !strings.Contains(page.body, `data-url="https://news.example`+path+`"`) {
		t.Fatalf("article lacks like and share:\n%s", page.body)
	}
	for range 2 { // a guest liking twice counts once
		r := guest.post(news.PostIDPath(p.ID)+"/like", url.Values{"like": {"1"}, "back": {path}})
		wantStatus(t, r, http.StatusSeeOther)
	}
	r := guest.post(news.PostIDPath(p.ID)+"/like", url.Values{"like": {"1"}}, "Accept", "application/json")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"likes":1`) {
		t.Fatalf("like JSON: %d %s", r.StatusCode, r.body)
	}
	r = guest.post(news.PostIDPath(p.ID)+"/share", url.Values{}, "Accept", "application/json")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"shares":1`) {
		t.Fatalf("share JSON: %d %s", r.StatusCode, r.body)
	}
	wantStatus(t, guest.post("/p/999999/like", url.Values{"like": {"1"}}), http.StatusNotFound)
	wantStatus(t, guest.post("/p/abc/share", url.Values{}), http.StatusNotFound)

	// Views: counted once per reader, at the flush, not on the request.
	other := e.browser()
	other.get(path)
	guest.get(path)
	before, _ := e.eng.Stats(context.Background(), p.ID)
	if before.Views != 0 {
		t.Fatalf("views counted before the flush: %d", before.Views)
	}
	if _, err := e.eng.Views.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, _ := e.eng.Stats(context.Background(), p.ID)
	// Readers without cookies count by a daily pseudonym of address and
	// browser: the first guest's view before it liked and the second
	// browser's (same address, same browser string) are one reader. The
	// first guest has had a guest id since liking and counts once more,
	// once for its two views since.
	if after.Views != 2 || after.Likes != 1 || after.Shares != 1 {
		t.Fatalf("stats after flush = %+v, want 2 views, 1 like, 1 share", after)
	}
}

func TestFeeds(t *testing.T) {
	e := newSocialEnv(t)
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	p := e.publishTagged(harbor, "Port reopens", "ports")
	b := e.browser()
	profile := b.get("/@harbor")
	if !strings.Contains(profile.body, `<link rel="alternate" type="application/rss&#43;xml" title="The Daily Harbor (RSS)" href="/@harbor/feed.rss">`) {
		t.Fatalf("profile does not advertise its feeds:\n%s", profile.body)
	}
	for _, path := range []string{"/@harbor/feed.atom", "/@harbor/feed.rss", "/@harbor/feed.json", "/t/ports/feed.atom", "/feed.rss", "/feed.json"} {
		r := b.get(path)
		wantStatus(t, r, http.StatusOK)
		f, err := gofeed.NewParser().ParseString(r.body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(f.Items) != 1 {
			t.Fatalf("%s: %d items", path, len(f.Items))
		}
		it := f.Items[0]
		if it.Title != "Port reopens" || it.Link != "https://news.example"+news.PostPath(p) ||
			it.GUID != "https://news.example/p/"+itoa(p.ID) || len(it.Authors) == 0 || it.Authors[0].Name != "The Daily Harbor" ||
			it.PublishedParsed == nil || !it.PublishedParsed.Equal(p.PublishedAt) {
			t.Fatalf("%s item = %+v", path, it)
		}
	}
	wantStatus(t, b.get("/@nobody/feed.atom"), http.StatusNotFound)
	if r := b.get("/t/nothing/feed.json"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"items": []`) {
		t.Fatalf("empty tag feed: %d %s", r.StatusCode, r.body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
