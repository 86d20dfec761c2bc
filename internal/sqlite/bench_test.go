package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headline/headline/internal/loadgen"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
	"github.com/headline/headline/internal/sqlite"
)

// The benchmarks read and write one SQLite file made by loadgen: a hot post
// with HEADLINE_BENCH_COMMENTS comments (default 100,000) and
// HEADLINE_BENCH_POSTS posts (default 10,000) with a few comments each. The
// file is built once per process, in a temporary folder removed at exit;
// at the default size that takes about 40 s, all of it in the store's
// CreatePost and CreateComment.
//
// A smoke run (-benchtime 1x, as CI runs every benchmark once) measures
// nothing, so unless the variables are set it uses a site ten times
// smaller, built in a few seconds.
//
//	go test -run '^$' -bench . -benchtime 2s -count 5 ./internal/sqlite/
//	go test -run '^$' -bench . -benchtime 1x ./internal/sqlite/  # smoke
const (
	commentsEnv = "HEADLINE_BENCH_COMMENTS"
	postsEnv    = "HEADLINE_BENCH_POSTS"
	pageSize    = 50 // comments per page, as the API and the article page
	postPage    = 20 // posts per page, as the home page
	deepPages   = 1000
)

// fixture is the shared site and the positions the benchmarks start from.
type fixture struct {
	once      sync.Once // builds it
	err       error     // from building it
	dir, path string
	st        *sqlite.Store
	now       time.Time // the site's "now": every post published before it is visible
	comments  int       // on the hot post
	posts     int       // in all

	hot           int64   // the post with many comments
	commentsPages int     // how deep deepOld and deepNew are, in pages
	deepOld       int64   // AfterID of that page, oldest first
	deepNew       int64   // the same, newest first
	roots         []int64 // top-level comments with replies on the first page
	other         int64   // a quiet post the insert benchmarks comment on
	postsPages    int     // how deep deepPost is, in pages
	deepPost      *news.PostCursor
	postIDs       []int64 // posts for PostByID
	insertSeq     atomic.Int64
}

var fx fixture

func TestMain(m *testing.M) {
	code := m.Run()
	if fx.st != nil {
		fx.st.Close()
	}
	if fx.dir != "" {
		os.RemoveAll(fx.dir)
	}
	os.Exit(code)
}

// site returns the fixture, building it on first use.
func site(b *testing.B) *fixture {
	b.Helper()
	fx.once.Do(func() { fx.err = fx.build() })
	if fx.err != nil {
		b.Fatalf("build the benchmark site: %v", fx.err)
	}
	return &fx
}

func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s=%q: want a positive number", name, v)
	}
	return n, nil
}

func (f *fixture) build() (err error) {
	start := time.Now()
	comments, posts := 100_000, 10_000
	if bt := flag.Lookup("test.benchtime"); bt != nil && bt.Value.String() == "1x" {
		comments, posts = 10_000, 2_000
	}
	if f.comments, err = envInt(commentsEnv, comments); err != nil {
		return err
	}
	if f.posts, err = envInt(postsEnv, posts); err != nil {
		return err
	}
	if f.dir, err = os.MkdirTemp("", "headline-bench-"); err != nil {
		return err
	}
	f.path = filepath.Join(f.dir, "headline.db")
	ctx := context.Background()
	if f.st, err = sqlite.Open(ctx, f.path); err != nil {
		return err
	}
	f.now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg := loadgen.Config{Accounts: 2000, Posts: f.posts, Comments: f.comments + f.posts/2, HotComments: f.comments,
		Seed: 1, Days: 365, Now: f.now, Batch: 10_000}
	g, err := loadgen.New(cfg, f.st, nil)
	if err != nil {
		return err
	}
	rep, err := g.Run(ctx)
	if err != nil {
		return err
	}
	f.hot = rep.HotPostID
	if err := f.findPositions(ctx); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench site: %d comments on post %d, %d posts, built in %s; deep pages: comments %d, posts %d\n",
		f.comments, f.hot, f.posts, time.Since(start).Round(100*time.Millisecond), f.commentsPages, f.postsPages)
	return nil
}

// findPositions walks the lists once to find the cursors of the deep pages
// and the other ids the benchmarks use.
func (f *fixture) findPositions(ctx context.Context) error {
	var err error
	f.commentsPages = min(deepPages, f.comments/pageSize-2) // a full page (and one) after it
	if f.deepOld, err = f.commentAfter(ctx, news.SortOld, f.commentsPages*pageSize); err != nil {
		return err
	}
	if f.deepNew, err = f.commentAfter(ctx, news.SortNew, f.commentsPages*pageSize); err != nil {
		return err
	}
	top, err := f.st.ListComments(ctx, news.CommentFilter{PostID: f.hot, TopLevel: true, Limit: pageSize})
	if err != nil {
		return err
	}
	for _, c := range top {
		if c.RepliesCount > 0 {
			f.roots = append(f.roots, c.ID)
		}
	}
	home, err := f.st.ListPosts(ctx, news.PostFilter{Now: f.now, Limit: 100})
	if err != nil {
		return err
	}
	f.other = home[len(home)-1].ID
	for _, p := range home {
		f.postIDs = append(f.postIDs, p.ID)
	}
	f.postsPages, f.deepPost, err = f.postCursor(ctx)
	return err
}

// postCursor walks the home list to the page deepPages in, or to the
// deepest page that still has a full page after it, and returns its cursor.
func (f *fixture) postCursor(ctx context.Context) (int, *news.PostCursor, error) {
	var bounds []*news.PostCursor // the cursor after each full page
	var cur *news.PostCursor
	n := 0
	for len(bounds) < deepPages+1 {
		page, err := f.st.ListPosts(ctx, news.PostFilter{Now: f.now, After: cur, Limit: 100})
		if err != nil {
			return 0, nil, err
		}
		for _, p := range page {
			cur = &news.PostCursor{Time: p.PublishedAt, ID: p.ID}
			if n++; n%postPage == 0 {
				bounds = append(bounds, cur)
			}
		}
		if len(page) < 100 {
			break
		}
	}
	// bounds[k-1] is k pages in; keep a full page (and one more) after it.
	k := min(deepPages, (n-postPage-1)/postPage)
	if k < 1 {
		return 0, nil, fmt.Errorf("only %d visible posts: too few for a deep page", n)
	}
	return k, bounds[k-1], nil
}

// commentAfter returns the id of the n-th comment of the hot post in order
// sort, the AfterID of the page that follows it.
func (f *fixture) commentAfter(ctx context.Context, sort news.CommentSort, n int) (int64, error) {
	var after int64
	for seen := 0; seen < n; {
		page, err := f.st.ListComments(ctx, news.CommentFilter{PostID: f.hot, Sort: sort, AfterID: after, Limit: min(200, n-seen)})
		if err != nil {
			return 0, err
		}
		if len(page) == 0 {
			return 0, fmt.Errorf("the hot post has only %d comments, want %d", seen, n)
		}
		after, seen = page[len(page)-1].ID, seen+len(page)
	}
	return after, nil
}

func listComments(b *testing.B, st *sqlite.Store, f news.CommentFilter) {
	b.Helper()
	ctx := context.Background()
	for b.Loop() {
		got, err := st.ListComments(ctx, f)
		if err != nil || len(got) != f.Limit {
			b.Fatalf("ListComments: %d comments, %v", len(got), err)
		}
	}
}

// BenchmarkCommentsFirstPage is the first page of the hot post's comments
// as the API lists them (flat, limit+1), and the article page's first page
// of top-level comments.
func BenchmarkCommentsFirstPage(b *testing.B) {
	s := site(b)
	b.Run("old", func(b *testing.B) {
		listComments(b, s.st, news.CommentFilter{PostID: s.hot, Sort: news.SortOld, Limit: pageSize + 1})
	})
	b.Run("new", func(b *testing.B) {
		listComments(b, s.st, news.CommentFilter{PostID: s.hot, Sort: news.SortNew, Limit: pageSize + 1})
	})
	b.Run("top-level", func(b *testing.B) {
		listComments(b, s.st, news.CommentFilter{PostID: s.hot, TopLevel: true, Sort: news.SortOld, Limit: pageSize + 1})
	})
}

// BenchmarkCommentsDeepPage is a page about 1,000 pages (50,000 comments)
// into the hot post's comments, continued by cursor: it must cost what the
// first page costs. (The depth is in the "bench site" line.)
func BenchmarkCommentsDeepPage(b *testing.B) {
	s := site(b)
	b.Run("old", func(b *testing.B) {
		listComments(b, s.st, news.CommentFilter{PostID: s.hot, Sort: news.SortOld, AfterID: s.deepOld, Limit: pageSize + 1})
	})
	b.Run("new", func(b *testing.B) {
		listComments(b, s.st, news.CommentFilter{PostID: s.hot, Sort: news.SortNew, AfterID: s.deepNew, Limit: pageSize + 1})
	})
}

// BenchmarkListRepliesForPage loads the replies under the first page of
// top-level comments, as the article page does (at most 500).
func BenchmarkListRepliesForPage(b *testing.B) {
	s := site(b)
	ctx := context.Background()
	for b.Loop() {
		got, err := s.st.ListReplies(ctx, s.hot, s.roots, 500)
		if err != nil || len(got) == 0 {
			b.Fatalf("ListReplies: %d replies, %v", len(got), err)
		}
	}
}

// newComment is a guest's comment on the quiet post, rendered as the
// discussion service renders it.
func newComment(s *fixture) *news.Comment {
	n := s.insertSeq.Add(1)
	body := "Benchmark comment number " + strconv.FormatInt(n, 10) + ". See https://example.com/a."
	return &news.Comment{PostID: s.other, AuthorName: "Bench Guest", Email: "guest@example.com", Body: body,
		BodyHTML: render.Comment(body), Status: news.CommentPublished, IP: "203.0.113.9", UserAgent: "bench"}
}

// BenchmarkInsertComment is one comment written and synced to disk
// (synchronous=FULL, its own transaction), as a reader's comment is.
func BenchmarkInsertComment(b *testing.B) {
	s := site(b)
	ctx := context.Background()
	for b.Loop() {
		if err := s.st.CreateComment(ctx, newComment(s)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInsertCommentParallel is comments written by many readers at
// once: SQLite has one writer, so this measures how writes queue.
func BenchmarkInsertCommentParallel(b *testing.B) {
	s := site(b)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.st.CreateComment(ctx, newComment(s)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func listPosts(b *testing.B, st *sqlite.Store, f news.PostFilter) {
	b.Helper()
	ctx := context.Background()
	for b.Loop() {
		got, err := st.ListPosts(ctx, f)
		if err != nil || len(got) != f.Limit {
			b.Fatalf("ListPosts: %d posts, %v", len(got), err)
		}
	}
}

// BenchmarkPostsHomePage is the home page's list: the newest visible posts.
func BenchmarkPostsHomePage(b *testing.B) {
	s := site(b)
	listPosts(b, s.st, news.PostFilter{Now: s.now, Limit: postPage + 1})
}

// BenchmarkPostsDeepPage is the home list deep in, by cursor: 1,000 pages
// or as deep as the site allows (474 pages at the default 10,000 posts).
// Keyset pages should cost what the first page costs.
func BenchmarkPostsDeepPage(b *testing.B) {
	s := site(b)
	listPosts(b, s.st, news.PostFilter{Now: s.now, After: s.deepPost, Limit: postPage + 1})
}

// BenchmarkPostByID is the article page's read of its post (with author and
// tags), over 100 different posts.
func BenchmarkPostByID(b *testing.B) {
	s := site(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.st.PostByID(ctx, s.postIDs[i%len(s.postIDs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
