package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
)

// BenchmarkArticlePageFilled is the CPU of one article page of 50 threads
// of 4 comments (200 comments, the hot page of `headline bench`), served in
// process: to a reader without cookies and to a signed-in reader from the
// page cache, and to the signed-in reader rendered whole (no cache), as
// every signed-in page was before holes. first-view is the signed-in
// reader whose state for the page is not kept: their first view of it,
// or their first after a write on the post changed the page (the kept
// state is dropped before each request; the session stays kept).
//
//	go test -run '^$' -bench ArticlePageFilled -benchtime 2s ./internal/ui/
func BenchmarkArticlePageFilled(b *testing.B) {
	e := newHolesEnv(b)
	ctx := context.Background()
	st := newStormThreads(b, e, func(i, j int, c *news.Comment, st *stormThreads) {
		if (i+j)%7 == 0 {
			if _, err := e.comments.Like(ctx, st.rita, news.Reader{AccountID: st.rita.ID}, c.ID, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	post, rita := st.post, st.rita
	if _, err := e.follows.Follow(ctx, rita, "harbor"); err != nil {
		b.Fatal(err)
	}
	br := e.browser()
	br.signIn("rita")
	session := "headline_session=" + cookie(b, br, e.srv.URL, "headline_session")
	path := news.PostPath(post)
	// As ui keeps a reader's state (fill.go keptState); checked below, as
	// with a key that no longer matches the first view would measure the
	// filled one.
	stateKey := "reader\x00" + news.Reader{AccountID: rita.ID}.Key() + "\x00" + path
	for _, c := range []struct {
		name, cookie string
		h            http.Handler
		forget       bool
	}{
		{"no-cookies/cached", "", e.srv.Config.Handler, false},
		{"signed-in/filled", session, e.srv.Config.Handler, false},
		{"signed-in/first-view", session, e.srv.Config.Handler, true},
		{"signed-in/rendered", session, e.full.Config.Handler, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.forget {
					e.cache.Delete(stateKey)
				}
				req := httptest.NewRequest("GET", path, nil)
				if c.cookie != "" {
					req.Header.Set("Cookie", c.cookie)
				}
				w := &countingWriter{h: http.Header{}}
				c.h.ServeHTTP(w, req)
				if w.code != http.StatusOK || w.n < 50_000 {
					b.Fatalf("%d, %d bytes", w.code, w.n)
				}
				if _, kept := e.cache.Peek(stateKey); c.forget && !kept {
					b.Fatal("the reader's state is not kept under the key the benchmark drops")
				}
			}
		})
	}
}

// stormThreads is the hot page of the benchmarks: a post by harbor with
// 50 threads of 4 comments, one thread in ten by rita and the rest by sam,
// with the rate limits off; each is given to onComment as it is written.
type stormThreads struct {
	post      *news.Post
	rita, sam *news.Account
}

func newStormThreads(b *testing.B, e *holesEnv, onComment func(i, j int, c *news.Comment, st *stormThreads)) *stormThreads {
	b.Helper()
	ctx := context.Background()
	harbor := e.account("harbor", "The Daily Harbor", news.RolePublisher)
	admin := e.account("root", "Root", news.RoleAdmin)
	st := &stormThreads{rita: e.account("rita", "Rita Reader", news.RoleReader), sam: e.account("sam", "Sam Reader", news.RoleReader)}
	s, _, _ := e.mod.Settings(ctx, 0)
	s.CommentsPerMinute, s.CommentsPerMinuteIP, s.LikesPerMinute, s.LikesPerMinuteIP = 0, 0, 0, 0
	if err := e.mod.SaveSettings(ctx, admin, 0, s); err != nil {
		b.Fatal(err)
	}
	st.post = e.publish(harbor, "Storm warning", "Rain all week.")
	for i := range 50 {
		writer := st.sam
		if i%10 == 0 {
			writer = st.rita
		}
		parent := int64(0)
		for j := range 4 {
			c, err := e.comments.Post(ctx, writer, discussion.Input{PostID: st.post.ID, ParentID: parent, IP: "192.0.2.7",
				Body: fmt.Sprintf("Comment %d.%d on the storm.", i, j)})
			if err != nil {
				b.Fatal(err)
			}
			if j == 0 {
				parent = c.ID
			}
			onComment(i, j, c, st)
		}
	}
	return st
}

// countingWriter is a ResponseWriter that keeps only the status and the
// size: a recorder's growing buffer would cost more than a cached page.
type countingWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *countingWriter) Header() http.Header  { return w.h }
func (w *countingWriter) WriteHeader(code int) { w.code = code }
func (w *countingWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}

// BenchmarkArticlePageRerendered is the CPU of rendering the hot page of
// BenchmarkArticlePageFilled again on a server with the page cache, where
// the comments rendered before are kept (comment_html.go): dropped is the
// page rendered for the cache and served to a reader without cookies, as
// after a write on the post dropped it; liked is the same after a like
// changed one comment's count (the like is not timed); author is the
// post's author, whose page is always rendered whole (needsRender).
// BenchmarkArticlePageFilled/signed-in/rendered is the same render on a
// server without the cache, so with nothing kept.
//
//	go test -run '^$' -bench ArticlePageRerendered -benchtime 2s ./internal/ui/
func BenchmarkArticlePageRerendered(b *testing.B) {
	e := newHolesEnv(b)
	ctx := context.Background()
	var liked int64
	st := newStormThreads(b, e, func(i, j int, c *news.Comment, _ *stormThreads) {
		if i == 25 && j == 2 {
			liked = c.ID
		}
	})
	post, sam := st.post, st.sam
	br := e.browser()
	br.signIn("harbor")
	session := "headline_session=" + cookie(b, br, e.srv.URL, "headline_session")
	path := news.PostPath(post)
	on := false
	for _, c := range []struct {
		name, cookie string
		before       func()
	}{
		{"dropped", "", func() { e.cache.Delete(path) }},
		{"liked", "", func() {
			on = !on
			if _, err := e.comments.Like(ctx, sam, news.Reader{AccountID: sam.ID}, liked, on); err != nil {
				b.Fatal(err)
			}
			if _, kept := e.cache.Peek(path); kept {
				b.Fatal("the like did not drop the page")
			}
		}},
		{"author", session, nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.before != nil {
					b.StopTimer()
					c.before()
					b.StartTimer()
				}
				req := httptest.NewRequest("GET", path, nil)
				if c.cookie != "" {
					req.Header.Set("Cookie", c.cookie)
				}
				w := &countingWriter{h: http.Header{}}
				e.srv.Config.Handler.ServeHTTP(w, req)
				if w.code != http.StatusOK || w.n < 50_000 {
					b.Fatalf("%d, %d bytes", w.code, w.n)
				}
				if _, kept := e.cache.Peek(path); c.cookie == "" && !kept {
					b.Fatal("the page was not kept")
				}
			}
		})
	}
}
