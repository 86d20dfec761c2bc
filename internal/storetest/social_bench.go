package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/ranking"
)

// BenchSizes are the social benchmark fixture's sizes. The defaults are a
// site small enough for CI (-benchtime 1x runs in well under a minute on
// SQLite); the scale is
//
//	HEADLINE_BENCH_SOCIAL_ACCOUNTS=100000 HEADLINE_BENCH_SOCIAL_POSTS=1000000 \
//	HEADLINE_BENCH_SOCIAL_FOLLOWERS=100000 go test -run '^$' -bench Social ./internal/sqlite/
type BenchSizes struct {
	Accounts  int // accounts in all
	Posts     int // posts in all, over the last year
	Followers int // followers of the official account
	Follows   int // accounts the heavy reader follows
	FewFollow int // accounts the light reader follows
}

// BenchSizesFromEnv reads HEADLINE_BENCH_SOCIAL_{ACCOUNTS,POSTS,FOLLOWERS,FOLLOWS}.
func BenchSizesFromEnv() BenchSizes {
	n := func(name string, def int) int {
		if v, err := strconv.Atoi(os.Getenv("HEADLINE_BENCH_SOCIAL_" + name)); err == nil && v > 0 {
			return v
		}
		return def
	}
	sz := BenchSizes{Accounts: n("ACCOUNTS", 20_000), Posts: n("POSTS", 100_000), Followers: n("FOLLOWERS", 20_000),
		Follows: n("FOLLOWS", 5_000), FewFollow: 50}
	sz.Followers = min(sz.Followers, sz.Accounts-2)
	sz.Follows = min(sz.Follows, sz.Accounts-2)
	return sz
}

// BenchFixture is a loaded site and where the benchmarks start.
type BenchFixture struct {
	Sizes      BenchSizes
	Now        time.Time
	Official   *news.Account // Followers followers
	Reader     *news.Account // follows Follows accounts
	FewReader  *news.Account // follows FewFollow accounts
	DeepCursor *news.PostCursor
	Spare      []*news.Account // accounts nobody follows yet, for follow benchmarks
	Built      time.Duration
}

// benchBatch is the rows per Bulk transaction. Not more: in PostgreSQL each
// update of a row makes a new version that later updates in the same
// transaction walk past, so 10,000 follows of one account in one
// transaction cost quadratic time.
const benchBatch = 1000

// BuildBenchFixture loads a site into st through Bulk, in batches, with
// the same store code (and counters) as single writes.
func BuildBenchFixture(b *testing.B, st news.Store, sz BenchSizes) *BenchFixture {
	b.Helper()
	start := time.Now()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	fx := &BenchFixture{Sizes: sz, Now: time.Now().UTC().Truncate(time.Second)}
	ids := make([]int64, 0, sz.Accounts)
	batch := func(n int, fn func(tx news.Store, i int) error) {
		for lo := 0; lo < n; lo += benchBatch {
			err := st.Bulk(ctx, func(tx news.Store) error {
				for i := lo; i < min(n, lo+benchBatch); i++ {
					if err := fn(tx, i); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatalf("build fixture: %v", err)
			}
		}
	}
	batch(sz.Accounts, func(tx news.Store, i int) error {
		a := &news.Account{Handle: fmt.Sprintf("b%d", i), Name: fmt.Sprintf("Bench %d", i), Role: news.RolePublisher}
		if i == 0 {
			a.Official = "Newspaper"
		}
		ids = append(ids, 0)
		err := tx.CreateAccount(ctx, a, "")
		ids[i] = a.ID
		return err
	})
	get := func(id int64) *news.Account {
		a, err := st.AccountByID(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		return a
	}
	// Account 0 is official with Followers followers (accounts 2..); account
	// 1 is the heavy reader, following Follows random accounts; the last
	// account is the light reader.
	batch(sz.Followers, func(tx news.Store, i int) error {
		_, err := tx.Follow(ctx, ids[i+2], ids[0])
		return err
	})
	followees := rng.Perm(sz.Accounts - 2)[:sz.Follows]
	batch(sz.Follows, func(tx news.Store, i int) error {
		_, err := tx.Follow(ctx, ids[1], ids[followees[i]+2])
		return err
	})
	few := ids[len(ids)-1]
	batch(sz.FewFollow, func(tx news.Store, i int) error {
		_, err := tx.Follow(ctx, few, ids[i+2])
		return err
	})
	benchPosts(batch, rng, ids, fx.Now, sz.Posts)
	fx.Official, fx.Reader, fx.FewReader = get(ids[0]), get(ids[1]), get(few)
	for _, id := range ids[len(ids)-40 : len(ids)-1] {
		fx.Spare = append(fx.Spare, get(id))
	}
	fx.DeepCursor = deepCursor(b, st, fx)
	fx.Built = time.Since(start)
	b.Logf("social fixture: %+v built in %v", sz, fx.Built.Round(time.Millisecond))
	return fx
}

// benchPosts writes n posts over the last year, by random authors, 1% of
// them by the official account ids[0].
func benchPosts(batch func(int, func(news.Store, int) error), rng *rand.Rand, ids []int64, now time.Time, n int) {
	ctx := context.Background()
	tags := []string{"health", "sport", "world", "city", "science", "arts", "money", "tech"}
	year := 365 * 24 * time.Hour
	batch(n, func(tx news.Store, i int) error {
		author := ids[rng.IntN(len(ids))]
		if i%100 == 0 {
			author = ids[0]
		}
		at := now.Add(-time.Duration(rng.Int64N(int64(year))))
		p := &news.Post{AuthorID: author, Title: fmt.Sprintf("Bench post %d", i), Slug: fmt.Sprintf("p%d", i),
			Summary: "A benchmark post.", BodyHTML: "<p>Body</p>", Lang: "en", Status: news.PostPublished, PublishedAt: at,
			Tags: []string{tags[i%len(tags)]}}
		return tx.CreatePost(ctx, p)
	})
}

// deepCursor walks 50 pages of 20 into the heavy reader's timeline.
func deepCursor(b *testing.B, st news.Store, fx *BenchFixture) *news.PostCursor {
	var after *news.PostCursor
	for range 50 {
		page, err := st.FollowingTimeline(context.Background(), fx.Reader.ID, fx.Now, after, 20)
		if err != nil || len(page) == 0 {
			b.Fatalf("walk the timeline: %d posts, %v", len(page), err)
		}
		last := page[len(page)-1]
		after = &news.PostCursor{Time: last.PublishedAt, ID: last.ID}
	}
	return after
}

// latencies collects one duration per operation and reports p50 and p99
// (microseconds) next to ns/op.
type latencies []time.Duration

func (l *latencies) time(fn func()) {
	t := time.Now()
	fn()
	*l = append(*l, time.Since(t))
}

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	q := func(p float64) float64 { return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// RunSocialBenchmarks runs the benchmarks on a built fixture.
func RunSocialBenchmarks(b *testing.B, st news.Store, fx *BenchFixture) {
	ctx := context.Background()
	timeline := func(reader *news.Account, after *news.PostCursor) func(b *testing.B) {
		return func(b *testing.B) {
			var lat latencies
			for b.Loop() {
				lat.time(func() {
					page, err := st.FollowingTimeline(ctx, reader.ID, fx.Now, after, 21)
					if err != nil || len(page) == 0 {
						b.Fatalf("timeline: %d posts, %v", len(page), err)
					}
				})
			}
			lat.report(b)
		}
	}
	b.Run("TimelineFirstPage/follows=5000", timeline(fx.Reader, nil))
	b.Run("TimelineDeepPage/follows=5000", timeline(fx.Reader, fx.DeepCursor))
	b.Run("TimelineFirstPage/follows=50", timeline(fx.FewReader, nil))
	b.Run("HeadlinesFirstPage", func(b *testing.B) { benchHeadlines(b, st, fx) })
	b.Run("HeadlinesParts", func(b *testing.B) { benchHeadlineParts(b, st, fx) })
	b.Run("Publish/followers=official", func(b *testing.B) {
		var lat latencies
		i := 0
		for b.Loop() {
			i++
			p := &news.Post{AuthorID: fx.Official.ID, Title: "Breaking", Slug: fmt.Sprintf("breaking-%d-%d", time.Now().UnixNano(), i),
				BodyHTML: "<p>x</p>", Status: news.PostPublished, PublishedAt: fx.Now, Tags: []string{"world"}}
			lat.time(func() {
				if err := st.CreatePost(ctx, p); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	})
	b.Run("FollowUnfollow", func(b *testing.B) {
		var lat latencies
		i := 0
		for b.Loop() {
			who := fx.Spare[i%len(fx.Spare)]
			i++
			lat.time(func() {
				if _, err := st.Follow(ctx, who.ID, fx.Official.ID); err != nil {
					b.Fatal(err)
				}
			})
			lat.time(func() {
				if _, err := st.Unfollow(ctx, who.ID, fx.Official.ID); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	})
}

// benchHeadlines ranks anew on every call (no snapshot reuse): the cost of
// a reader's first page once a minute. The cached case is one snapshot
// lookup and one PostsByIDs.
func benchHeadlines(b *testing.B, st news.Store, fx *BenchFixture) {
	ctx := context.Background()
	now := fx.Now
	for _, tc := range []struct {
		name   string
		viewer *news.Account
		reuse  time.Duration
	}{{"guest", nil, 0}, {"reader", fx.Reader, 0}, {"reader-cached", fx.Reader, time.Hour}} {
		b.Run(tc.name, func(b *testing.B) {
			svc := ranking.New(st, func() time.Time { return now })
			svc.O.Reuse = tc.reuse
			if tc.reuse == 0 {
				svc.O.Reuse = -time.Hour // never reuse: every call ranks and saves
			}
			var lat latencies
			for b.Loop() {
				lat.time(func() {
					pg, err := svc.Headlines(ctx, tc.viewer, "")
					if err != nil || len(pg.Items) == 0 {
						b.Fatalf("headlines: %d items, %v", len(pg.Items), err)
					}
				})
			}
			lat.report(b)
		})
	}
}

// RunTimelineShape returns a benchmark of the first timeline page of the
// heavy (5,000 follows) or the light (50) reader, for a store whose query
// shape the caller has forced.
func RunTimelineShape(st news.Store, fx *BenchFixture) func(b *testing.B, heavy bool) {
	return func(b *testing.B, heavy bool) {
		reader := fx.FewReader
		if heavy {
			reader = fx.Reader
		}
		var lat latencies
		for b.Loop() {
			lat.time(func() {
				if _, err := st.FollowingTimeline(context.Background(), reader.ID, fx.Now, nil, 21); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	}
}

// benchHeadlineParts times the store calls a reader's ranking makes, to
// show where the first page's time goes.
func benchHeadlineParts(b *testing.B, st news.Store, fx *BenchFixture) {
	ctx := context.Background()
	cands, err := st.Candidates(ctx, fx.Now.Add(-72*time.Hour), fx.Now, "", 500)
	if err != nil {
		b.Fatal(err)
	}
	var authors []int64
	for _, c := range cands {
		authors = append(authors, c.Post.AuthorID)
	}
	parts := []struct {
		name string
		fn   func() error
	}{
		{"Candidates", func() error { _, err := st.Candidates(ctx, fx.Now.Add(-72*time.Hour), fx.Now, "", 500); return err }},
		{"FollowedPosts", func() error { _, err := st.FollowingTimeline(ctx, fx.Reader.ID, fx.Now, nil, 50); return err }},
		{"FollowingAmong", func() error { _, err := st.FollowingAmong(ctx, fx.Reader.ID, authors); return err }},
		{"ReaderTags", func() error { _, err := st.ReaderTags(ctx, news.Reader{AccountID: fx.Reader.ID}, 50); return err }},
		{"SaveSnapshot", func() error {
			return st.SaveSnapshot(ctx, news.FeedSnapshot{ID: rand.Int64N(1 << 62), AccountID: fx.Reader.ID, CreatedAt: fx.Now,
				Data: strings.Repeat("x", 12000)}, fx.Now.Add(-time.Hour))
		}},
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			var lat latencies
			for b.Loop() {
				lat.time(func() {
					if err := p.fn(); err != nil {
						b.Fatal(err)
					}
				})
			}
			lat.report(b)
		})
	}
}
