package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// newCachedEnv is newEnv with the page cache on, over a watched store, as
// serve wires it.
func newCachedEnv(t *testing.T) (*env, *pagecache.Cache, *clock) {
	t.Helper()
	raw, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	cache := pagecache.New(8<<20, time.Hour)
	st := pagecache.Watch(raw, cache)
	e := &env{t: t, clock: &clock{t: time.Now()}, accounts: accounts.New(st, nil), posts: publishing.New(st, nil), comments: discussion.New(st, nil)}
	e.engagement = engagement.New(st, nil)
	// Moderation on, as serve wires it, with a clock the test moves: the
	// guest form's signed time must be the reader's, not the cached page's.
	mclock := &clock{t: time.Now()}
	mod := moderation.New(st, mclock.Now, slog.New(slog.DiscardHandler))
	e.comments.WithModeration(mod)
	h, err := ui.New(ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Engagement: e.engagement,
		Log: slog.New(slog.DiscardHandler), Pages: cache, Moderation: mod})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e, cache, mclock
}

var formTokenRe = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// A reader without cookies gets the article page from the cache, and sees
// every write at once: a guest's comment, a like; a signed-in reader's page
// (their name, their likes) is never cached nor shown to anyone else.
func TestArticlePageCacheForReadersWithoutCookies(t *testing.T) {
	e, cache, mclock := newCachedEnv(t)
	pub := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	post := e.publish(pub, "Storm warning", "Rain all week.")
	path := news.PostPath(post)

	// A client with no cookie jar at all: every request comes without one.
	anon := func() string {
		t.Helper()
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		if _, err := io.Copy(&b, res.Body); err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
		return b.String()
	}
	first := anon()
	if !strings.Contains(first, "No comments yet") {
		t.Fatal("article page lacks its empty-discussion line")
	}
	mclock.Add(5 * time.Second)
	second := anon()
	tok1, tok2 := formTokenRe.FindStringSubmatch(first), formTokenRe.FindStringSubmatch(second)
	if tok1 == nil || tok2 == nil || tok1[1] == tok2[1] {
		t.Fatalf("guest form tokens %q and %q: want one each, signed when each reader got the page", tok1, tok2)
	}
	if strings.Replace(second, tok2[1], tok1[1], 1) != first {
		t.Fatal("a cached page differs from the page it was made from, beyond its form token")
	}
	if s := cache.Stats(); s.Stores != 1 || s.Hits != 1 {
		t.Fatalf("after two anonymous reads: %+v, want one page stored and one hit", s)
	}
	// Both reads were one reader's (same address, same browser): one view,
	// counted although the second came from the cache.
	views := func() int64 {
		t.Helper()
		if _, err := e.engagement.Views.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		st, err := e.engagement.Stats(context.Background(), post.ID)
		if err != nil {
			t.Fatal(err)
		}
		return st.Views
	}
	if n := views(); n != 1 {
		t.Fatalf("%d views after one reader without cookies read twice, want 1", n)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("User-Agent", "another browser")
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
	}
	if n := views(); n != 2 {
		t.Fatalf("%d views after a second reader without cookies, want 2", n)
	}

	guest := e.browser()
	mclock.Add(10 * time.Second) // the person reads and types
	r := guest.post(news.PostIDPath(post.ID)+"/comments", url.Values{"name": {"Ann Guest"}, "email": {"ann@example.org"},
		"body": {"Stay dry, everyone. 大家注意安全。"}, "form_token": {tok2[1]}})
	wantStatus(t, r, http.StatusSeeOther)
	if page := anon(); !strings.Contains(page, "大家注意安全。") || strings.Contains(page, "No comments yet") {
		t.Fatal("a reader without cookies does not see the comment just written")
	}

	reader := e.browser()
	e.account("rita", "Rita Reader", news.RoleReader)
	reader.signIn("rita")
	stored := cache.Stats().Stores
	mine := reader.get(path)
	if !strings.Contains(mine.body, "Rita Reader") && !strings.Contains(mine.body, "Sign out") {
		t.Fatal("the signed-in page does not show who is signed in")
	}
	if s := cache.Stats(); s.Stores != stored {
		t.Fatal("a signed-in reader's page was cached")
	}
	if strings.Contains(anon(), "Sign out") {
		t.Fatal("a reader without cookies was shown a signed-in page")
	}

	var c *news.Comment
	list, err := e.comments.List(context.Background(), nil, post.ID, discussion.Query{Sort: news.SortNew, Limit: 1})
	if err != nil || len(list.Comments) != 1 {
		t.Fatalf("list: %v", err)
	}
	c = list.Comments[0]
	before := anon()
	wantStatus(t, reader.post("/c/"+itoa(c.ID)+"/like", url.Values{"back": {path}}), http.StatusSeeOther)
	if after := anon(); after == before {
		t.Fatal("the cached page did not change after a like")
	}
}

// gatedStore holds every read of thread replies at a gate while it is
// shut, and counts them: one per render of an article page with replies.
// It counts the article lookups that came back too: a reader past theirs
// is a few function calls from joining a render.
type gatedStore struct {
	news.Store
	shut    atomic.Bool
	gate    chan struct{}
	calls   atomic.Int32
	lookups atomic.Int32
}

func (g *gatedStore) PostBySlug(ctx context.Context, authorID int64, slug string) (*news.Post, error) {
	p, err := g.Store.PostBySlug(ctx, authorID, slug)
	if g.shut.Load() {
		g.lookups.Add(1)
	}
	return p, err
}

func (g *gatedStore) ListThreadReplies(ctx context.Context, f news.ReplyFilter) ([]*news.Comment, error) {
	if g.shut.Load() {
		g.calls.Add(1)
		<-g.gate
	}
	return g.Store.ListThreadReplies(ctx, f)
}

// Readers who miss a dropped page at the same moment share one render
// rather than each rendering it: on a hot post every comment drops the
// page, and the herd of renders that followed cut its rate tenfold.
func TestConcurrentMissesShareOneRender(t *testing.T) {
	raw, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	cache := pagecache.New(8<<20, time.Hour)
	st := &gatedStore{Store: pagecache.Watch(raw, cache), gate: make(chan struct{})}
	e := &env{t: t, clock: &clock{t: time.Now()}, accounts: accounts.New(st, nil), posts: publishing.New(st, nil), comments: discussion.New(st, nil)}
	h, err := ui.New(ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Log: slog.New(slog.DiscardHandler), Pages: cache})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)

	pub := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	rita := e.account("rita", "Rita Reader", news.RoleReader)
	post := e.publish(pub, "Storm warning", "Rain all week.")
	ctx := context.Background()
	first, err := e.comments.Post(ctx, rita, discussion.Input{PostID: post.ID, Body: "Stay dry."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.comments.Post(ctx, pub, discussion.Input{PostID: post.ID, ParentID: first.ID, Body: "Thank you, Rita."}); err != nil {
		t.Fatal(err)
	}
	get := func() (int, string) {
		res, err := http.Get(e.srv.URL + news.PostPath(post))
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	const readers = 8
	st.shut.Store(true)
	misses := cache.Stats().Misses
	type answer struct {
		code int
		body string
	}
	answers := make(chan answer, readers)
	for range readers {
		go func() {
			code, body := get()
			answers <- answer{code, body}
		}()
	}
	// Every reader has missed the cache and looked the article up once
	// both are counted; from there to the render is a few calls without a
	// read, given a moment.
	deadline := time.Now().Add(10 * time.Second)
	for cache.Stats().Misses < misses+readers || st.lookups.Load() < readers || st.calls.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("readers did not all miss: %+v, %d lookups, %d renders", cache.Stats(), st.lookups.Load(), st.calls.Load())
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(st.gate)
	for range readers {
		a := <-answers
		if a.code != http.StatusOK || !strings.Contains(a.body, "Thank you, Rita.") {
			t.Fatalf("a reader got %d without the reply", a.code)
		}
	}
	if n := st.calls.Load(); n != 1 {
		t.Fatalf("%d concurrent misses of one page rendered it %d times, want once", readers, n)
	}
	if s := cache.Stats(); s.Stores != 1 {
		t.Fatalf("%d pages stored, want the one render", s.Stores)
	}
}
