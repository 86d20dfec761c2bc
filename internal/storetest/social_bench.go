package storetest

import (
	"context"
	"encoding/json"
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
//
// On SQLite, HEADLINE_BENCH_SOCIAL_KEEP=/dir builds it once and reuses it
// (see sqlite's BenchmarkSocial, SaveBenchFixture, LoadBenchFixture).
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

// benchBatch is the rows per bulk-load transaction.
const benchBatch = 10_000

// BuildBenchFixture loads a site into st through news.BulkLoader, in
// batches, then sets every counter from the rows (Recount): the rows and
// counters single writes would make, at the speed of a bulk load, so that
// the scale (1,000,000 posts) builds in minutes.
func BuildBenchFixture(b *testing.B, st news.Store, sz BenchSizes) *BenchFixture {
	b.Helper()
	start := time.Now()
	ctx := context.Background()
	bl, ok := st.(news.BulkLoader)
	if !ok {
		b.Fatalf("%T has no bulk loader", st)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	fx := &BenchFixture{Sizes: sz, Now: time.Now().UTC().Truncate(time.Second)}
	next, err := bl.NextIDs(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, sz.Accounts)
	var accounts []*news.Account
	for i := range ids {
		ids[i] = next.Account + int64(i)
		a := &news.Account{ID: ids[i], Handle: fmt.Sprintf("b%d", i), Name: fmt.Sprintf("Bench %d", i), Role: news.RolePublisher,
			CreatedAt: fx.Now.Add(-400 * 24 * time.Hour)}
		if i == 0 {
			a.Official = "Newspaper"
		}
		accounts = append(accounts, a)
	}
	load(b, "accounts", accounts, func(part []*news.Account) error { return bl.LoadAccounts(ctx, part, "") })
	// Account 0 is official with Followers followers (accounts 2..); account
	// 1 is the heavy reader, following Follows random accounts; the last
	// account is the light reader.
	var follows []news.BulkFollow
	follow := func(who, whom int64) {
		follows = append(follows, news.BulkFollow{Follower: who, Followee: whom, At: fx.Now.Add(-time.Hour)})
	}
	for i := range sz.Followers {
		follow(ids[i+2], ids[0])
	}
	for _, f := range rng.Perm(sz.Accounts - 2)[:sz.Follows] {
		follow(ids[1], ids[f+2])
	}
	few := ids[len(ids)-1]
	for i := range sz.FewFollow {
		follow(few, ids[i+2])
	}
	load(b, "follows", follows, func(part []news.BulkFollow) error { return bl.LoadFollows(ctx, part) })
	load(b, "posts", benchPosts(rng, ids, next.Post, fx.Now, sz.Posts), func(part []*news.Post) error { return bl.LoadPosts(ctx, part) })
	if err := bl.Recount(ctx); err != nil {
		b.Fatalf("build fixture: recount: %v", err)
	}
	get := func(id int64) *news.Account {
		a, err := st.AccountByID(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		return a
	}
	fx.Official, fx.Reader, fx.FewReader = get(ids[0]), get(ids[1]), get(few)
	for _, id := range ids[len(ids)-40 : len(ids)-1] {
		fx.Spare = append(fx.Spare, get(id))
	}
	fx.DeepCursor = deepCursor(b, st, fx)
	fx.Built = time.Since(start)
	b.Logf("social fixture: %+v built in %v", sz, fx.Built.Round(time.Millisecond))
	return fx
}

// benchFixtureIDs is what a kept fixture file records next to the
// database: the sizes, the build time the posts' dates are relative to,
// and the ids of the accounts the benchmarks use.
type benchFixtureIDs struct {
	Sizes                       BenchSizes
	Now                         time.Time
	Official, Reader, FewReader int64
	Spare                       []int64
}

// SaveBenchFixture writes what LoadBenchFixture needs to find fx again in
// the same database, to path (JSON).
func SaveBenchFixture(fx *BenchFixture, path string) error {
	ids := benchFixtureIDs{Sizes: fx.Sizes, Now: fx.Now, Official: fx.Official.ID, Reader: fx.Reader.ID, FewReader: fx.FewReader.ID}
	for _, a := range fx.Spare {
		ids.Spare = append(ids.Spare, a.ID)
	}
	data, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// LoadBenchFixture reopens a fixture SaveBenchFixture recorded, in a store
// holding the database it was built in (or a copy of it).
func LoadBenchFixture(b *testing.B, st news.Store, path string) *BenchFixture {
	b.Helper()
	start := time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var ids benchFixtureIDs
	if err := json.Unmarshal(data, &ids); err != nil {
		b.Fatalf("%s: %v", path, err)
	}
	get := func(id int64) *news.Account {
		a, err := st.AccountByID(context.Background(), id)
		if err != nil {
			b.Fatal(err)
		}
		return a
	}
	fx := &BenchFixture{Sizes: ids.Sizes, Now: ids.Now, Official: get(ids.Official), Reader: get(ids.Reader), FewReader: get(ids.FewReader)}
	for _, id := range ids.Spare {
		fx.Spare = append(fx.Spare, get(id))
	}
	fx.DeepCursor = deepCursor(b, st, fx)
	fx.Built = time.Since(start)
	b.Logf("social fixture: %+v reopened from %s in %v", fx.Sizes, path, fx.Built.Round(time.Millisecond))
	return fx
}

// load writes rows benchBatch at a time.
func load[T any](b *testing.B, what string, rows []T, fn func([]T) error) {
	for lo := 0; lo < len(rows); lo += benchBatch {
		if err := fn(rows[lo:min(len(rows), lo+benchBatch)]); err != nil {
			b.Fatalf("build fixture: %s: %v", what, err)
		}
	}
}

// benchPosts makes n posts over the last year, by random authors, 1% of
// them by the official account ids[0], with ids from first.
func benchPosts(rng *rand.Rand, ids []int64, first int64, now time.Time, n int) []*news.Post {
	tags := []string{"health", "sport", "world", "city", "science", "arts", "money", "tech"}
	year := 365 * 24 * time.Hour
	posts := make([]*news.Post, n)
	for i := range posts {
		author := ids[rng.IntN(len(ids))]
		if i%100 == 0 {
			author = ids[0]
		}
		at := now.Add(-time.Duration(rng.Int64N(int64(year))))
		posts[i] = &news.Post{ID: first + int64(i), AuthorID: author, Title: fmt.Sprintf("Bench post %d", i), Slug: fmt.Sprintf("p%d", i),
			Summary: "A benchmark post.", BodyHTML: "<p>Body</p>", Lang: "en", Status: news.PostPublished, PublishedAt: at,
			Tags: []string{tags[i%len(tags)]}, CreatedAt: at, UpdatedAt: at}
	}
	return posts
}

// deepCursor walks up to 51 pages of 20 into the heavy reader's timeline
// and returns the cursor before the last full page it found, so the deep
// page is page 51 of a long timeline, or the last page of a short one (a
// small site where 5,000 of 100,000 accounts write few posts).
func deepCursor(b *testing.B, st news.Store, fx *BenchFixture) *news.PostCursor {
	var after *news.PostCursor
	var cursors []*news.PostCursor
	for range 51 {
		page, err := st.FollowingTimeline(context.Background(), fx.Reader.ID, fx.Now, after, 20)
		if err != nil {
			b.Fatalf("walk the timeline: %v", err)
		}
		if len(page) < 20 {
			break
		}
		last := page[len(page)-1]
		after = &news.PostCursor{Time: last.PublishedAt, ID: last.ID}
		cursors = append(cursors, after)
	}
	if len(cursors) < 2 {
		b.Fatalf("the heavy reader's timeline has %d full pages; give the fixture more posts", len(cursors))
	}
	b.Logf("deep timeline page: %d", len(cursors))
	return cursors[len(cursors)-2]
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
// lookup and one PostsByIDs. "reader-set-unkept" keeps no followed set in
// memory, so every call also reads the reader's 5,000 follows: the first
// ranking after the reader follows or unfollows someone, or on a new
// instance.
func benchHeadlines(b *testing.B, st news.Store, fx *BenchFixture) {
	ctx := context.Background()
	now := fx.Now
	for _, tc := range []struct {
		name   string
		viewer *news.Account
		reuse  time.Duration
		unkept bool
	}{{"guest", nil, 0, false}, {"reader", fx.Reader, 0, false}, {"reader-cached", fx.Reader, time.Hour, false},
		{"reader-set-unkept", fx.Reader, 0, true}} {
		b.Run(tc.name, func(b *testing.B) {
			svc := ranking.New(st, func() time.Time { return now })
			svc.O.Reuse = tc.reuse
			if tc.unkept {
				svc.O.FollowIDs = 0
			}
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
		// What a reader's ranking shares, once per 15 s an instance: the
		// candidates and the 1,500 posts under them.
		{"CandidatesAndBelow", func() error {
			_, err := st.Candidates(ctx, fx.Now.Add(-72*time.Hour), fx.Now, "", 2000)
			return err
		}},
		{"FollowedSet", func() error { _, err := st.FollowedSet(ctx, fx.Reader.ID); return err }},
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
