package loadgen

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Streams name the independent random streams of a run. Every item (an
// account, a post, the comments of one post) draws from its own PCG seeded
// by (seed, stream, index), so any item can be generated on its own, in any
// order: that is what makes a run resumable and independent of --batch.
const (
	streamAccounts uint64 = iota + 1
	streamPosts
	streamComments
	streamPlan
	streamContent
	streamFollows
	streamPostLikes
	streamCommentLikes
	streamViews
	streamShares
)

// splitmix64 is a bijective mixer; it spreads nearby seeds (item 7, item 8)
// over the whole state space before they become a PCG's state.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// itemRand is a reusable *rand.Rand whose PCG is reseeded for each item, so
// generating an item allocates nothing.
type itemRand struct {
	seed uint64
	pcg  *rand.PCG
	*rand.Rand
}

func newItemRand(seed uint64) *itemRand {
	pcg := rand.NewPCG(0, 0)
	return &itemRand{seed: seed, pcg: pcg, Rand: rand.New(pcg)}
}

// at positions the stream on item i of stream s and returns it.
func (r *itemRand) at(s uint64, i int) *itemRand {
	a := splitmix64(r.seed ^ splitmix64(s))
	r.pcg.Seed(a, splitmix64(a^uint64(i)))
	return r
}

// newRand returns a fresh generator for one stream, for the one-off
// decisions of a run (the plan of comments, the content pools).
func newRand(seed, stream uint64) *rand.Rand {
	a := splitmix64(seed ^ splitmix64(stream))
	return rand.New(rand.NewPCG(a, splitmix64(a)))
}

// zipf samples ranks 0..n-1 with probability proportional to (k+1)^-s.
// Unlike rand.Zipf it takes any exponent s >= 0, including the s <= 1 that
// real popularity curves have. It keeps the cumulative table: 8 bytes a rank.
type zipf struct{ cdf []float64 }

func newZipf(n int, s float64) *zipf {
	if n < 1 {
		n = 1
	}
	cdf := make([]float64, n)
	sum := 0.0
	for k := range cdf {
		sum += math.Pow(float64(k+1), -s)
		cdf[k] = sum
	}
	for k := range cdf {
		cdf[k] /= sum
	}
	cdf[n-1] = 1
	return &zipf{cdf: cdf}
}

// sample returns a rank in [0, n).
func (z *zipf) sample(r *rand.Rand) int {
	return min(sort.SearchFloat64s(z.cdf, r.Float64()), len(z.cdf)-1)
}

// allocate splits total among n ranks in proportion to (k+1)^-s, with at
// most limit for any rank (0: no limit), and returns the share of each rank.
// It is exact (the shares add up to total) and deterministic: the curve is
// Zipf's, the excess of the capped head is spread over the tail by water
// filling, and the rounding remainder goes one by one to the highest ranks
// that still have room. When n*limit < total the limit is raised to fit.
func allocate(total int64, n int, s float64, limit int64) []int64 {
	out := make([]int64, n)
	if n == 0 || total <= 0 {
		return out
	}
	if limit <= 0 {
		limit = total
	}
	if limit*int64(n) < total {
		limit = (total + int64(n) - 1) / int64(n)
	}
	w := make([]float64, n)
	tail := 0.0 // the sum of w[capped:]
	for k := n - 1; k >= 0; k-- {
		w[k] = math.Pow(float64(k+1), -s)
		tail += w[k]
	}
	// Water filling: the first `capped` ranks get the limit, the others
	// share what remains in proportion to their weights. Weights decrease,
	// so once a rank fits under the limit every later one does too.
	capped, rest := 0, total
	for capped < n && float64(rest)*w[capped]/tail > float64(limit) {
		out[capped] = limit
		rest -= limit
		tail -= w[capped]
		capped++
	}
	left := rest
	for k := capped; k < n; k++ {
		out[k] = min(int64(float64(rest)*w[k]/tail), limit)
		left -= out[k]
	}
	// Rounding down left fewer than n-capped units over: hand them out one
	// by one from the most popular rank that has room.
	for k := capped; left > 0; k++ {
		if k == n {
			k = 0
		}
		if out[k] < limit {
			out[k]++
			left--
		}
	}
	return out
}

// replyDepth draws the depth of a reply: 1, then one more with probability
// p each time, up to max. It is the geometric law of real threads, where
// most replies answer a top-level comment and few go deep.
func replyDepth(r *rand.Rand, p float64, max int) int {
	d := 1
	for d < max && r.Float64() < p {
		d++
	}
	return d
}
