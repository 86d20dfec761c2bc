package loadgen

import (
	"context"
	"math"
	"time"

	"github.com/headline/headline/internal/news"
)

// Shapes of the follow graph.
const (
	followZipf = 1.0 // whom people follow: account index k is picked ∝ 1/(k+1), officials first
	// followingAlpha is the exponent of the bounded power law of how many
	// accounts one follows: most follow a few dozen, a few thousands.
	followingAlpha = 1.0
)

// followPlan says how many accounts each account follows; the follows of
// account i are rows starts[i] .. starts[i]+counts[i] of the phase.
type followPlan struct {
	counts []int32
	starts []int64
	total  int64
	max    int
	whom   *zipf
}

// planFollows draws how many accounts each account follows, between
// MinFollowing and MaxFollowing (no more than half the site, so that
// distinct followees are quick to draw). The marker follows nobody.
func (g *Generator) planFollows() *followPlan {
	n := g.cfg.Accounts
	fp := &followPlan{counts: make([]int32, n), starts: make([]int64, n), whom: newZipf(n, followZipf)}
	hi := min(g.cfg.MaxFollowing, (n-1)/2)
	lo := min(g.cfg.MinFollowing, hi)
	r := newItemRand(g.cfg.Seed)
	for i := 1; i < n; i++ {
		fp.starts[i] = fp.total
		k := boundedPowerLaw(r.at(streamFollows, i).Float64(), lo, hi, followingAlpha)
		fp.counts[i] = int32(k)
		fp.total += int64(k)
		fp.max = max(fp.max, k)
	}
	return fp
}

// boundedPowerLaw maps u in [0, 1) to an integer in [lo, hi] by the
// inverse CDF of a Pareto law with exponent alpha cut at hi.
func boundedPowerLaw(u float64, lo, hi int, alpha float64) int {
	if hi <= 0 {
		return 0
	}
	l := float64(max(lo, 1))
	ratio := math.Pow(l/float64(hi), alpha)
	x := l / math.Pow(1-u*(1-ratio), 1/alpha)
	return min(max(int(x), lo), hi)
}

// genFollows generates the follows of account i, calling emit with each
// followee's index and the time of the follow, until emit returns false.
// Everyone follows account 1 — the first official account on any site of
// 400 accounts or more — the site's one account with as many followers as
// accounts. The others are drawn by
// Zipf over account indexes, so the marker, the officials and the big
// publishers gather most followers.
func (g *Generator) genFollows(r *itemRand, i int, emit func(f int, at time.Time) bool) bool {
	fp := g.follows
	k := int(fp.counts[i])
	if k == 0 {
		return true
	}
	r.at(streamFollows, i).Float64() // the draw of k
	seen := make(map[int]bool, k)
	add := func(f int) bool {
		seen[f] = true
		later := g.signup(max(i, f)) // sign-ups go in index order
		at := later.Add(time.Duration(r.Float64() * float64(g.cfg.Now.Sub(later))))
		return emit(f, at.UTC().Truncate(time.Microsecond))
	}
	if i != 1 && !add(1) {
		return false
	}
	for tries := 0; len(seen) < k && tries < 30*k; tries++ {
		if f := fp.whom.sample(r.Rand); f != i && !seen[f] && !add(f) {
			return false
		}
	}
	// A tiny site can run out of luck: take the next accounts in order.
	for f := 1; len(seen) < k; f++ {
		if f != i && !seen[f] && !add(f) {
			return false
		}
	}
	return true
}

func (g *Generator) followsPhase() *phase {
	fp := g.follows
	return &phase{
		name:  "follows",
		total: int(fp.total),
		produce: func(b *batcher, from int, skipped *Stats) error {
			r := newItemRand(g.cfg.Seed)
			for i := 1; i < g.cfg.Accounts; i++ {
				seq, k := fp.starts[i], int64(fp.counts[i])
				if seq+k <= int64(from) {
					skipped.Follows += int(k)
					continue
				}
				ok := g.genFollows(r, i, func(f int, at time.Time) bool {
					defer func() { seq++ }()
					if seq < int64(from) {
						skipped.Follows++
						return true
					}
					o := b.slot()
					if o == nil {
						return false
					}
					o.seq, o.follow = seq, news.BulkFollow{Follower: g.accountID(i), Followee: g.accountID(f), At: at}
					return true
				})
				if !ok {
					return errStopped
				}
			}
			return nil
		},
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			list := make([]news.BulkFollow, len(batch))
			for k := range batch {
				list[k] = batch[k].follow
			}
			return bl.LoadFollows(ctx, list)
		},
		count: func(s *Stats, o *op) { s.Follows++ },
	}
}

// countersPhase sets every counter from the rows, once they are all there:
// one item a table and chunk of ids, each its own transaction, so that
// no transaction rewrites a whole table (at 10M comments one did, and its
// write-ahead log grew past 8 GB) and an interrupted recount resumes at
// the chunk it stopped in. Ids from 1, so that counters of an earlier run's
// rows that this run moved (a follow of an old account) are set too.
func (g *Generator) countersPhase() *phase {
	end := news.BulkIDs{Account: g.ids.Account + int64(g.cfg.Accounts), Post: g.ids.Post + int64(g.cfg.Posts),
		Comment: g.ids.Comment + int64(g.cfg.Comments)}
	type chunk struct {
		table int // in news.RecountTables
		from  int64
	}
	var chunks []chunk
	for k, table := range news.RecountTables {
		for lo := int64(1); lo < end.Of(table); lo += news.RecountChunk {
			chunks = append(chunks, chunk{k, lo})
		}
	}
	return &phase{
		name:  "counters",
		total: len(chunks),
		batch: 1,
		produce: func(b *batcher, from int, _ *Stats) error {
			for _, ch := range chunks[from:] {
				o := b.slot()
				if o == nil {
					return errStopped
				}
				o.index, o.seq = ch.table, ch.from
			}
			return nil
		},
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			for _, o := range batch {
				if err := bl.RecountRange(ctx, news.RecountTables[o.index], o.seq, o.seq+news.RecountChunk); err != nil {
					return err
				}
			}
			return nil
		},
		count: func(*Stats, *op) {},
	}
}

// indexesPhase builds the indexes the run deferred: before the counters
// those that hold none (Recount reads them), after them the rest, so that
// setting a counter moves no index entry. A run that deferred none (an
// --append, or a resume, whose store built them when it opened) finds
// nothing to build.
func (g *Generator) indexesPhase(name string, counters bool) *phase {
	return &phase{
		name:  name,
		total: 1,
		run:   func(ctx context.Context, bl news.BulkLoader) error { return bl.RestoreIndexes(ctx, counters) },
		count: func(*Stats, *op) {},
	}
}
