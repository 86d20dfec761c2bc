package ui_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// holesEnv is one site served twice over one watched store: with the page
// cache (pages filled in per reader) and without (every page rendered).
type holesEnv struct {
	*env
	cache   *pagecache.Cache
	full    *httptest.Server
	eng     *engagement.Service
	follows *following.Service
	mod     *moderation.Service
	notify  *notify.Service
	worker  *notify.Worker
}

func newHolesEnv(t testing.TB) *holesEnv {
	t.Helper()
	return newHolesEnvOver(t, func(st news.Store) news.Store { return st })
}

// newHolesEnvOver is newHolesEnv with the services' store wrapped.
func newHolesEnvOver(t testing.TB, wrap func(news.Store) news.Store) *holesEnv {
	t.Helper()
	raw, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	// After the migration's watermark (wall time), so new posts notify.
	clk := &clock{t: time.Now().UTC().Truncate(time.Second).Add(time.Hour)}
	raw.Now = clk.Now
	cache := pagecache.New(8<<20, time.Hour)
	// As serve has it: sessions kept in the page cache.
	st := wrap(pagecache.WatchKeepingSessions(raw, cache, cache))
	log := slog.New(slog.DiscardHandler)
	mod := moderation.New(st, clk.Now, log)
	e := &env{t: t, clock: clk, accounts: accounts.New(st, clk.Now), posts: publishing.New(st, clk.Now),
		comments: discussion.New(st, clk.Now).WithModeration(mod)}
	he := &holesEnv{env: e, cache: cache, eng: engagement.New(st, clk.Now), follows: following.New(st, clk.Now), mod: mod,
		worker: &notify.Worker{Store: raw, Now: clk.Now, Log: log}}
	e.engagement, he.notify = he.eng, notify.New(st)
	serve := func(pages *pagecache.Cache) *httptest.Server {
		h, err := ui.New(ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Now: clk.Now, Log: log,
			Following: he.follows, Engagement: he.eng, Notify: notify.New(st), Moderation: mod, Pages: pages,
			BaseURL: "https://news.example"})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv
	}
	e.srv, he.full = serve(cache), serve(nil)
	return he
}

// richArticle is a post with everything a reader can have on its page:
// Rita's likes (of comments and of the post), her own comment, her held
// comment, her follow of the author and her unread notifications; a
// guest's like (and so their cookie) and held comment.
type richArticle struct {
	post        *news.Post
	first, held *news.Comment
	admin, rita *news.Account
	guest       *browser
}

func newRichArticle(t *testing.T, e *holesEnv) richArticle {
	t.Helper()
	ctx := context.Background()
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	admin := e.account("root", "Root", news.RoleAdmin)
	rita := e.account("rita", "Rita Reader", news.RoleReader)
	sam := e.account("sam", "Sam <Reader>", news.RoleReader)
	e.account("wire", "Wire Desk", news.RolePublisher)
	post := e.publish(harbor, "Storm warning", "Rain all week.")
	path := news.PostPath(post)

	s, _, _ := e.mod.Settings(ctx, 0)
	s.BlockedWords = []string{"casino"}
	if err := e.mod.SaveSettings(ctx, admin, 0, s); err != nil {
		t.Fatal(err)
	}
	comment := func(a *news.Account, in discussion.Input) *news.Comment {
		t.Helper()
		in.PostID, in.IP = post.ID, "192.0.2.7"
		c, err := e.comments.Post(ctx, a, in)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := comment(sam, discussion.Input{Body: "First, from Sam."})
	own := comment(rita, discussion.Input{Body: "Rita's own comment.", ParentID: first.ID})
	comment(sam, discussion.Input{Body: "A reply to Rita.", ParentID: own.ID})
	comment(nil, discussion.Input{Body: "A guest was here.", Name: "Gus", Email: "gus@example.org"})
	held := comment(rita, discussion.Input{Body: "Visit my casino!"})
	if held.Status == news.CommentPublished {
		t.Fatal("the blocklisted comment was published")
	}
	for _, id := range []int64{first.ID, own.ID} {
		if _, err := e.comments.Like(ctx, rita, news.Reader{AccountID: rita.ID}, id, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.eng.Like(ctx, news.Reader{AccountID: rita.ID}, post.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.follows.Follow(ctx, rita, "harbor"); err != nil {
		t.Fatal(err)
	}
	e.publish(harbor, "Storm passes", "Sun at last.") // notifies Rita, a follower
	e.clock.Add(time.Minute)
	if err := e.worker.Round(ctx); err != nil {
		t.Fatal(err)
	}

	// The guest: a cookie from liking a comment, and a held comment.
	guest := e.browser()
	wantStatus(t, guest.post("/c/"+itoa(first.ID)+"/like", url.Values{"like": {"1"}, "back": {path}}), http.StatusSeeOther)
	gid := cookie(t, guest, e.srv.URL, "headline_guest")
	comment(nil, discussion.Input{Body: "Guest casino link", Name: "Gus", Email: "gus@example.org", GuestID: gid})

	return richArticle{post: post, first: first, held: held, admin: admin, rita: rita, guest: guest}
}

// A cached article page filled in for a reader is, byte for byte, the page
// rendered whole for that reader: signed in with likes, an own comment, a
// held comment, a followed author and unread notifications; signed in with
// none of it; a publisher; a guest with a cookie (their likes, their held
// comment); a reader without cookies; the post's author and an admin (who
// are rendered whole). A template change that puts something a reader sees
// outside a hole fails here.
func TestFilledArticlePageIsTheFullRender(t *testing.T) {
	e := newHolesEnv(t)
	ctx := context.Background()
	ra := newRichArticle(t, e)
	path, admin, rita, held, first, guest := news.PostPath(ra.post), ra.admin, ra.rita, ra.held, ra.first, ra.guest
	readers := map[string]*browser{"guest with a cookie": guest, "no cookies": e.browser()}
	for _, h := range []string{"rita", "sam", "wire", "harbor", "root"} {
		b := e.browser()
		b.signIn(h)
		readers[h] = b
	}
	for _, b := range readers {
		expire(b, e.srv.URL, "headline_fresh") // as 10 s after signing in
	}
	if b := readers["rita"].get(path); !contains(b.body, "Your comment is awaiting moderation") ||
		!strings.Contains(b.body, `class="unread-badge"`) || !strings.Contains(b.body, ">Following</button>") ||
		strings.Count(b.body, "♥ Liked") != 3 || !strings.Contains(b.body, `class="edit-comment"`) {
		t.Fatalf("Rita's page lacks some of what is hers (held comment, badge, follow, 3 likes, edit link):\n%s", b.body)
	}
	same := func(name, q string, round int) {
		t.Helper()
		b := readers[name]
		hits := e.cache.Stats().Hits
		got := b.get(path + q)
		want := b.getFrom(e.full.URL, path+q)
		wantStatus(t, got, http.StatusOK)
		if g, w := tokenRe.ReplaceAllString(got.body, "TOKEN"), tokenRe.ReplaceAllString(want.body, "TOKEN"); g != w {
			at := firstDiff(g, w)
			t.Fatalf("%s%s, %s, round %d: the cached page filled in differs from the full render at byte %d:\ncached: %q\nfull:   %q",
				path, q, name, round, at, around(g, at), around(w, at))
		}
		// The author and the admin are rendered whole.
		if wholly := name == "harbor" || name == "root"; round == 1 && !wholly && e.cache.Stats().Hits == hits {
			t.Fatalf("%s: the second read was not served from the cache", name)
		}
	}
	for _, q := range []string{"", "?sort=new", "?sort=old&replyto=" + itoa(first.ID)} {
		for name := range readers {
			for round := range 2 { // a miss, then a hit (the reader's state kept too)
				same(name, q, round)
			}
		}
	}
	// Writes by others, or by Rita elsewhere (another device, another
	// instance), drop the state kept for her: her held comment approved,
	// her notifications read.
	if _, err := e.mod.Act(ctx, admin, []int64{held.ID}, moderation.ActionApprove); err != nil {
		t.Fatal(err)
	}
	same("rita", "", 2)
	if _, err := e.notify.MarkRead(ctx, rita, 0); err != nil {
		t.Fatal(err)
	}
	same("rita", "", 3)
	if b := readers["rita"].get(path); strings.Contains(b.body, "unread-badge") || contains(b.body, "awaiting moderation") {
		t.Fatal("Rita's page still shows her badge or her comment as held")
	}
}

// Right after a write, the writer's pages are rendered, not taken from the
// cache: on several instances the others hear of the write a moment later.
func TestWriterIsNotServedFromTheCacheRightAfterWriting(t *testing.T) {
	e := newHolesEnv(t)
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	e.account("rita", "Rita Reader", news.RoleReader)
	post := e.publish(harbor, "Storm warning", "Rain all week.")
	path := news.PostPath(post)
	rita := e.browser()
	rita.signIn("rita")
	expire(rita, e.srv.URL, "headline_fresh")
	rita.get(path)
	if hits := e.cache.Stats().Hits; rita.get(path) == nil || e.cache.Stats().Hits != hits+1 {
		t.Fatal("a signed-in reader who wrote nothing was not served from the cache")
	}
	r := rita.post(news.PostIDPath(post.ID)+"/like", url.Values{"like": {"1"}, "back": {path}})
	wantStatus(t, r, http.StatusSeeOther)
	if !strings.Contains(r.Header.Get("Set-Cookie"), "headline_fresh=1") {
		t.Fatalf("a write's answer does not mark the browser fresh: %q", r.Header.Get("Set-Cookie"))
	}
	hits := e.cache.Stats().Hits
	if page := rita.get(path); !strings.Contains(page.body, "♥ Liked") || e.cache.Stats().Hits != hits {
		t.Fatal("right after liking, the writer was served from the cache, or without their like")
	}
	expire(rita, e.srv.URL, "headline_fresh")
	rita.get(path) // the like dropped the page: this read stores it again
	if page := rita.get(path); !strings.Contains(page.body, "♥ Liked") || e.cache.Stats().Hits != hits+1 {
		t.Fatal("once the moment passed, the writer was not served from the cache with their like")
	}
}

// expire drops a cookie from b's jar, as its time running out would.
func expire(b *browser, base, name string) {
	u, _ := url.Parse(base)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: "", Path: "/", MaxAge: -1}})
}

func (b *browser) getFrom(base, path string) *resp {
	b.e.t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

func cookie(t testing.TB, b *browser, base, name string) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, c := range b.c.Jar.(*cookiejar.Jar).Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	t.Fatalf("no %s cookie", name)
	return ""
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func around(s string, at int) string {
	return s[max(0, at-120):min(len(s), at+120)]
}
