package discussion_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// benchComments is the size of the big post: HEADLINE_BENCH_COMMENTS, by
// default 20,000 so that the package's benchmarks run in CI in seconds;
// the figures are taken with 100000.
func benchComments() int {
	if n, err := strconv.Atoi(os.Getenv("HEADLINE_BENCH_COMMENTS")); err == nil && n > 0 {
		return n
	}
	return 20_000
}

// bigPost is a post with n top-level comments (every tenth with likes,
// so top has ties and a spread) and one thread of 2,000 replies, written
// through store.Bulk: the same code and counters as one at a time.
type bigPost struct {
	svc    *discussion.Service
	post   *news.Post
	thread int64 // the comment with 2,000 replies
}

func newBigPost(b testing.TB, dir string, n int) *bigPost {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	bp := &bigPost{svc: discussion.New(st, nil)}
	err = st.Bulk(ctx, func(tx news.Store) error {
		a := &news.Account{Handle: "big", Name: "Big", Role: news.RolePublisher}
		if err := tx.CreateAccount(ctx, a, ""); err != nil {
			return err
		}
		bp.post = &news.Post{AuthorID: a.ID, Title: "Big", Slug: "big", Status: news.PostPublished, PublishedAt: time.Now().Add(-time.Hour)}
		if err := tx.CreatePost(ctx, bp.post); err != nil {
			return err
		}
		for i := range n {
			c := &news.Comment{PostID: bp.post.ID, AuthorName: "Guest", Email: "g@example.com", Body: "b", BodyHTML: "<p>comment " + strconv.Itoa(i) + "</p>", Status: news.CommentPublished}
			if err := tx.CreateComment(ctx, c); err != nil {
				return err
			}
			if i == 0 {
				bp.thread = c.ID
			}
			for j := range (i % 10) / 7 * (i % 13) { // a few comments with up to 12 likes
				if _, err := tx.LikeComment(ctx, c.ID, news.Reader{GuestID: "g" + strconv.Itoa(j)}); err != nil {
					return err
				}
			}
		}
		parent := bp.thread
		for i := range 2000 {
			c := &news.Comment{PostID: bp.post.ID, ParentID: parent, AuthorName: "R", Email: "r@example.com", Body: "r", BodyHTML: "<p>r</p>", Status: news.CommentPublished}
			if err := tx.CreateComment(ctx, c); err != nil {
				return err
			}
			if i%3 == 0 { // a mix of chains and siblings
				parent = c.ID
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return bp
}

// The big post is built once per run of the package's benchmarks (it
// takes seconds) in a folder TestMain removes.
var (
	bigDir   string
	bigCache *bigPost
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// sharedBigPost returns the big post; b.Loop starts the clock after it.
func sharedBigPost(b *testing.B) *bigPost {
	if bigCache == nil {
		dir, err := os.MkdirTemp("", "headline-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bigDir = dir
		bigCache = newBigPost(b, dir, benchComments())
	}
	return bigCache
}

// reportPercentiles runs op in b.Loop and reports the 50th and 99th
// percentiles of its latency.
func reportPercentiles(b *testing.B, op func() error) {
	ds := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkTopFirstPage: the first page (50 threads, sort top) of the big
// post, with each thread's first replies. Target p99 ≤ 5 ms.
func BenchmarkTopFirstPage(b *testing.B) {
	bp := sharedBigPost(b)
	reportPercentiles(b, func() error {
		_, err := bp.svc.Threads(b.Context(), nil, bp.post.ID, news.SortTop, "", 50)
		return err
	})
}

// BenchmarkDeepPage: a page 1,000 pages deep (20 a page, so past 20,000
// comments; the cursor of the last page when the post is smaller), in
// sorts top and old. Target p99 ≤ 5 ms.
func BenchmarkDeepPage(b *testing.B) {
	bp := sharedBigPost(b)
	for _, sort := range []news.CommentSort{news.SortTop, news.SortOld} {
		cursor := deepCursor(b, bp, sort, 1000, 20)
		b.Run(string(sort), func(b *testing.B) {
			reportPercentiles(b, func() error {
				_, err := bp.svc.List(b.Context(), nil, bp.post.ID, discussion.Query{Sort: sort, TopLevel: true, Cursor: cursor, Limit: 20})
				return err
			})
		})
	}
}

func deepCursor(b *testing.B, bp *bigPost, sort news.CommentSort, pages, size int) string {
	cursor := ""
	for range pages {
		p, err := bp.svc.List(b.Context(), nil, bp.post.ID, discussion.Query{Sort: sort, TopLevel: true, Cursor: cursor, Limit: size})
		if err != nil {
			b.Fatal(err)
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	return cursor
}

// BenchmarkPage50: a 50-comment page (flat, sort old) read from the
// database, no cache. Target p50 ≤ 1 ms.
func BenchmarkPage50(b *testing.B) {
	bp := sharedBigPost(b)
	reportPercentiles(b, func() error {
		_, err := bp.svc.List(b.Context(), nil, bp.post.ID, discussion.Query{Sort: news.SortOld, Limit: 50})
		return err
	})
}

// BenchmarkWholeThread: all 2,000 replies of one comment through cursor
// pages of 200. Target ≤ 30 ms.
func BenchmarkWholeThread(b *testing.B) {
	bp := sharedBigPost(b)
	reportPercentiles(b, func() error {
		n, cursor := 0, ""
		for {
			_, p, err := bp.svc.Replies(b.Context(), nil, bp.thread, cursor, 200)
			if err != nil {
				return err
			}
			n += len(p.Comments)
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if n != 2000 {
			return fmt.Errorf("read %d replies, want 2000", n)
		}
		return nil
	})
}
