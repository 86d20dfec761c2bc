package loadgen

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/headline/headline/internal/news"
)

// Shapes of engagement.
const (
	likesZipf       = 1.0     // likes and views per post, by popularity rank
	commentLikeZipf = 1.0     // likes per comment, by popularity rank
	maxPostLikes    = 100_000 // the most liked post's likes, as the hot post's comments
	maxCommentLikes = 50_000
	// likedComments is how many comments can be liked at all: the ranks
	// of the comment likes curve (8 bytes each in the plan).
	likedComments  = 1_000_000
	likeGuestShare = 0.30 // likes by guests
	viewGuestShare = 0.60 // views by guests: most readers do not sign in
	sharesPerLikes = 10   // a post gets about one share per ten likes
)

// likePlan spreads a phase's rows over items (posts, or comments) by a
// popularity curve: item[k] gets counts[k] rows, rows starts[k] onwards.
type likePlan struct {
	items  []int64 // post indexes, or comment numbers
	counts []int64
	starts []int64
	total  int64
}

func newLikePlan(items []int64, total int64, s float64, limit int64) *likePlan {
	lp := &likePlan{}
	for k, n := range allocate(total, len(items), s, limit) {
		if n > 0 {
			lp.items = append(lp.items, items[k])
			lp.counts = append(lp.counts, n)
			lp.starts = append(lp.starts, lp.total)
			lp.total += n
		}
	}
	return lp
}

// planLikes plans post likes, views and comment likes. Posts are ranked
// once, the hot post first and the other visible posts in random order, so
// that the most liked posts are also the most viewed (and shared).
func (g *Generator) planLikes() {
	var ranked []int64
	r := newItemRand(g.cfg.Seed)
	for j := 1; j < g.cfg.Posts; j++ {
		if g.postStatus(r, j) == statusPublished {
			ranked = append(ranked, int64(j))
		}
	}
	newRand(g.cfg.Seed, streamPlan+200).Shuffle(len(ranked), func(a, b int) { ranked[a], ranked[b] = ranked[b], ranked[a] })
	if g.cfg.Posts > 0 {
		ranked = append([]int64{0}, ranked...)
	}
	g.postLikes = newLikePlan(ranked, int64(g.cfg.Likes()), likesZipf, maxPostLikes)
	g.views = newLikePlan(ranked, int64(g.cfg.ViewCount()), likesZipf, maxPostLikes)
	// Comments are ranked by a stride through their numbers: a
	// permutation of a million of them without a table of ten million.
	n := int64(g.cfg.Comments)
	comments := make([]int64, min(n, likedComments))
	stride := int64(1_000_003)
	for n > 0 && n%stride == 0 {
		stride += 2
	}
	for k := range comments {
		comments[k] = (int64(k)*stride + 7) % n
	}
	g.clikes = newLikePlan(comments, int64(g.cfg.CLikes()), commentLikeZipf, maxCommentLikes)
}

// genLikes generates the count rows of one item from since to now: a
// reader each, distinct accounts (at most half the site) or guests with
// ids of their own, calling emit until it returns false.
func (g *Generator) genLikes(r *itemRand, stream uint64, rank int, count int64, guests float64, since time.Time,
	emit func(rd news.Reader, at time.Time) bool) bool {
	r.at(stream, rank)
	seen := map[int]bool{}
	for range count {
		var rd news.Reader
		if r.Float64() < guests || len(seen) >= g.cfg.Accounts/2 {
			rd.GuestID = "lg" + strconv.FormatUint(r.Uint64(), 36)
		} else {
			a := r.IntN(g.cfg.Accounts)
			for seen[a] {
				a = r.IntN(g.cfg.Accounts)
			}
			seen[a] = true
			rd.AccountID = g.accountID(a)
		}
		at := since.Add(time.Duration(r.Float64() * float64(g.cfg.Now.Sub(since))))
		if !emit(rd, at.UTC().Truncate(time.Microsecond)) {
			return false
		}
	}
	return true
}

// likesPhase is a phase of rows planned by lp: post likes, views or
// comment likes. target gives an item's id and the time its rows start.
func (g *Generator) likesPhase(name string, lp *likePlan, stream uint64, guests float64,
	target func(item int64) (int64, time.Time), load func(context.Context, news.BulkLoader, []news.BulkLike) error,
	count func(*Stats)) *phase {
	return &phase{
		name:  name,
		total: int(lp.total),
		produce: func(b *batcher, from int, skipped *Stats) error {
			r := newItemRand(g.cfg.Seed)
			for k, item := range lp.items {
				seq := lp.starts[k]
				if seq+lp.counts[k] <= int64(from) {
					for range lp.counts[k] {
						count(skipped)
					}
					continue
				}
				id, since := target(item)
				ok := g.genLikes(r, stream, k, lp.counts[k], guests, since, func(rd news.Reader, at time.Time) bool {
					defer func() { seq++ }()
					if seq < int64(from) {
						count(skipped)
						return true
					}
					o := b.slot()
					if o == nil {
						return false
					}
					o.seq, o.like = seq, news.BulkLike{ID: id, Reader: rd, At: at}
					return true
				})
				if !ok {
					return errStopped
				}
			}
			return nil
		},
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			list := make([]news.BulkLike, len(batch))
			for k := range batch {
				list[k] = batch[k].like
			}
			return load(ctx, bl, list)
		},
		count: func(s *Stats, _ *op) { count(s) },
	}
}

// postTarget is a post's id and publication time, for its likes and views.
func (g *Generator) postTarget() func(int64) (int64, time.Time) {
	r := newItemRand(g.cfg.Seed)
	var o op
	return func(j int64) (int64, time.Time) {
		g.genPost(r, int(j), &o)
		return g.postID(int(j)), o.post.PublishedAt
	}
}

// commentTarget is comment n's id and the time it was written.
func (g *Generator) commentTarget() func(int64) (int64, time.Time) {
	r := newItemRand(g.cfg.Seed)
	pl := g.plan
	var o op
	return func(n int64) (int64, time.Time) {
		k := sort.Search(len(pl.starts), func(k int) bool { return pl.starts[k] > n }) - 1
		g.genPost(r, int(pl.posts[k]), &o)
		return g.commentID(n), g.commentTime(o.post.PublishedAt, n-pl.starts[k], pl.counts[k])
	}
}

func (g *Generator) postLikesPhase() *phase {
	return g.likesPhase("likes", g.postLikes, streamPostLikes, likeGuestShare, g.postTarget(),
		func(ctx context.Context, bl news.BulkLoader, l []news.BulkLike) error {
			return bl.LoadPostLikes(ctx, l)
		}, func(s *Stats) { s.PostLikes++ })
}

func (g *Generator) viewsPhase() *phase {
	return g.likesPhase("views", g.views, streamViews, viewGuestShare, g.postTarget(),
		func(ctx context.Context, bl news.BulkLoader, l []news.BulkLike) error { return bl.LoadViews(ctx, l) }, func(s *Stats) { s.Views++ })
}

func (g *Generator) commentLikesPhase() *phase {
	return g.likesPhase("c-likes", g.clikes, streamCommentLikes, likeGuestShare, g.commentTarget(),
		func(ctx context.Context, bl news.BulkLoader, l []news.BulkLike) error {
			return bl.LoadCommentLikes(ctx, l)
		}, func(s *Stats) { s.CommentLikes++ })
}

// sharesPhase sets the shares of liked posts: about one share per ten
// likes, give or take one.
func (g *Generator) sharesPhase() *phase {
	lp := g.postLikes
	shares := func(r *itemRand, k int) int64 {
		return max(lp.counts[k]/sharesPerLikes+int64(r.at(streamShares, k).IntN(3))-1, 0)
	}
	return &phase{
		name:  "shares",
		total: len(lp.items),
		produce: func(b *batcher, from int, skipped *Stats) error {
			r := newItemRand(g.cfg.Seed)
			for k, j := range lp.items {
				n := shares(r, k)
				if k < from {
					skipped.Shares += int(n)
					continue
				}
				o := b.slot()
				if o == nil {
					return errStopped
				}
				o.like.ID, o.count = g.postID(int(j)), n
			}
			return nil
		},
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			m := make(map[int64]int64, len(batch))
			for k := range batch {
				m[batch[k].like.ID] = batch[k].count
			}
			return bl.SetShares(ctx, m)
		},
		count: func(s *Stats, o *op) { s.Shares += int(o.count) },
	}
}
