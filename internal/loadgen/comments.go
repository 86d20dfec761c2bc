package loadgen

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/headline/headline/internal/news"
)

// commentPlan says how many comments each post gets. Posts are written in
// index order, all comments of one post before the next, so that a resumed
// run finds where it stopped from the posts' CommentsCount alone.
type commentPlan struct {
	posts  []int32 // indices of the posts that get comments, in order
	counts []int64 // comments of posts[k]
	starts []int64 // comments planned before posts[k]
	hot    int     // the hot post's index, -1 for none
}

// planComments gives the hot post (post 0) its comments and spreads the
// rest over the other visible posts by a Zipf law with a random ranking,
// capped at half the hot post's share so that it stays the hottest. Drafts
// and scheduled posts get none: nobody else can see them yet.
func (g *Generator) planComments() *commentPlan {
	pl := &commentPlan{hot: -1}
	total := int64(g.cfg.Comments)
	if total == 0 {
		return pl
	}
	r := newItemRand(g.cfg.Seed)
	var others []int32
	for j := 1; j < g.cfg.Posts; j++ {
		if g.postStatus(r, j) == statusPublished {
			others = append(others, int32(j))
		}
	}
	perPost := make([]int64, g.cfg.Posts)
	hot, limit := int64(g.cfg.Hot()), int64(0)
	switch {
	case hot > 0 && len(others) == 0:
		perPost[0], pl.hot = total, 0
	case hot > 0:
		perPost[0], pl.hot, limit = hot, 0, max(hot/2, 1)
	default:
		others = append([]int32{0}, others...)
	}
	rank := newRand(g.cfg.Seed, streamPlan+100)
	rank.Shuffle(len(others), func(a, b int) { others[a], others[b] = others[b], others[a] })
	for k, n := range allocate(total-perPost[0], len(others), commentsZipf, limit) {
		perPost[others[k]] += n
	}
	var start int64
	for j, n := range perPost {
		if n > 0 {
			pl.posts = append(pl.posts, int32(j))
			pl.counts = append(pl.counts, n)
			pl.starts = append(pl.starts, start)
			start += n
		}
	}
	return pl
}

// thread is the producer's view of the post being commented: its comments
// by depth, to pick parents from.
type thread struct{ byDepth [maxDepth + 1][]int32 }

func (t *thread) reset() {
	for d := range t.byDepth {
		t.byDepth[d] = t.byDepth[d][:0]
	}
}

// ips are addresses from the ranges reserved for documentation.
var ips = func() []string {
	var out []string
	for i := range 192 {
		out = append(out, "203.0.113."+strconv.Itoa(i+1), "198.51.100."+strconv.Itoa(i+1))
	}
	for i := range 64 {
		out = append(out, "2001:db8::"+strconv.FormatInt(int64(i*37+1), 16))
	}
	return out
}()

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
}

// genComment generates comment l of the n comments of post (an op made by
// genPost): a top-level comment, or (30%) a reply to one of the latest
// comments one level up, at a depth drawn from a geometric law; by a guest
// (40%) or an account (Zipf: a few people write most comments); written
// between the post's publication and now, most of them early.
func (g *Generator) genComment(r *rand.Rand, th *thread, post *op, l, n int64, o *op) {
	o.index, o.local, o.parent, o.by = post.index, int32(l), -1, -1
	depth := 0
	if l > 0 && r.Float64() < replyShare {
		d := replyDepth(r, deeperChance, maxDepth)
		for d > 0 && len(th.byDepth[d-1]) == 0 {
			d--
		}
		if d > 0 {
			c := th.byDepth[d-1]
			o.parent, depth = c[len(c)-1-r.IntN(min(recentWindow, len(c)))], d
		}
	}
	th.byDepth[depth] = append(th.byDepth[depth], int32(l))
	lang := int(post.lang)
	if r.IntN(100) < 15 {
		lang = r.IntN(len(langs))
	}
	t := &g.pools.comments[lang][r.IntN(commentsPerLang)]
	c := &o.comment
	*c = news.Comment{Body: t.Src, BodyHTML: t.HTML, Status: news.CommentPublished,
		IP: pick(r, ips), UserAgent: pick(r, userAgents)}
	if r.Float64() < guestShare {
		p := newPerson(r, lang)
		c.AuthorName, c.Email = p.Name, guestEmail(r, p.Stem)
		if r.IntN(4) == 0 {
			c.Website = "https://example.net/~" + p.Stem
		}
	} else {
		o.by = g.commenterOf[g.commenters.sample(r)]
	}
	o.at = g.commentTime(post.post.PublishedAt, l, n)
	o.depth, o.lang = int8(depth), int8(lang)
}

// commentTime is when comment l of the n of a post published at pub was
// written: between pub and now, most of them early.
func (g *Generator) commentTime(pub time.Time, l, n int64) time.Time {
	x := float64(l+1) / float64(n+1)
	return pub.Add(time.Duration(float64(g.cfg.Now.Sub(pub)) * (1 - (1-x)*(1-x)))).UTC().Truncate(time.Microsecond)
}

func (g *Generator) commentsPhase() *phase {
	return &phase{
		name:    "comments",
		total:   g.cfg.Comments,
		produce: g.produceComments,
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			list := make([]*news.Comment, len(batch))
			for k := range batch {
				o := &batch[k]
				c := &o.comment
				c.ID, c.PostID, c.CreatedAt = g.commentID(o.seq), g.postID(o.index), o.at
				if o.parent >= 0 {
					c.ParentID = g.commentID(o.seq - int64(o.local) + int64(o.parent))
				}
				if o.by >= 0 {
					c.AccountID = g.accountID(int(o.by))
				}
				list[k] = c
			}
			return bl.LoadComments(ctx, list)
		},
		count: g.countComment,
	}
}

func (g *Generator) countComment(s *Stats, o *op) {
	s.Comments++
	if o.depth > 0 {
		s.Replies++
	}
	if o.by < 0 {
		s.GuestComments++
	}
	s.MaxDepth = max(s.MaxDepth, int(o.depth))
	if g.plan.hot == o.index {
		s.HotComments++
	}
}

// produceComments generates the comments of every planned post in order,
// filling batches from comment number from on.
func (g *Generator) produceComments(b *batcher, from int, skipped *Stats) error {
	pl := g.plan
	rp, rc := newItemRand(g.cfg.Seed), newItemRand(g.cfg.Seed)
	var post op
	var th thread
	for k, j := range pl.posts {
		g.genPost(rp, int(j), &post)
		rc.at(streamComments, int(j))
		th.reset()
		for l := range pl.counts[k] {
			o := &b.skip
			if pl.starts[k]+l >= int64(from) {
				if o = b.slot(); o == nil {
					return errStopped
				}
			}
			g.genComment(rc.Rand, &th, &post, l, pl.counts[k], o)
			o.seq = pl.starts[k] + l
			if o == &b.skip {
				g.countComment(skipped, o)
			}
		}
	}
	return nil
}
