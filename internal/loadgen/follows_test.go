package loadgen

import (
	"slices"
	"testing"
	"time"
)

// TestFollowShape checks the follow graph a run plans and generates: every
// account but the marker follows between the bounds, with most following
// few and a few following many; all follow account 1; nobody follows
// themselves or anyone twice; and the likes plans are power laws that add
// up to what was asked.
func TestFollowShape(t *testing.T) {
	cfg := Config{Accounts: 3000, Posts: 2000, Comments: 5000, HotComments: -1, Seed: 3, Days: 30, Now: testNow, Batch: 100,
		MinFollowing: 10, MaxFollowing: 1000, PostLikes: 20_000, CommentLikes: 7000, Views: 30_000}
	g := prepared(t, cfg)
	fp := g.follows
	counts := slices.Clone(fp.counts[1:])
	slices.Sort(counts)
	if counts[0] < 10 || counts[len(counts)-1] > 1000 {
		t.Fatalf("following counts run from %d to %d, want within 10..1000", counts[0], counts[len(counts)-1])
	}
	median, top := counts[len(counts)/2], counts[len(counts)*99/100]
	if median > 40 || top < 200 {
		t.Fatalf("median following %d, 99th percentile %d: not a power law (want median ≤ 40, p99 ≥ 200)", median, top)
	}
	followers := make([]int, cfg.Accounts)
	r := newItemRand(cfg.Seed)
	for i := 1; i < cfg.Accounts; i++ {
		seen := map[int]bool{}
		g.genFollows(r, i, func(f int, _ time.Time) bool {
			if f == i || seen[f] || f < 0 || f >= cfg.Accounts {
				t.Fatalf("account %d follows %d (seen before: %v)", i, f, seen[f])
			}
			seen[f] = true
			followers[f]++
			return true
		})
		if len(seen) != int(fp.counts[i]) {
			t.Fatalf("account %d follows %d accounts, planned %d", i, len(seen), fp.counts[i])
		}
	}
	if followers[1] != cfg.Accounts-2 {
		t.Fatalf("account 1 has %d followers, want everyone else (%d)", followers[1], cfg.Accounts-2)
	}
	for _, lp := range []struct {
		name  string
		plan  *likePlan
		total int64
	}{{"post likes", g.postLikes, 20_000}, {"views", g.views, 30_000}, {"comment likes", g.clikes, 7000}} {
		if lp.plan.total != lp.total || lp.plan.counts[0] < 10*lp.plan.counts[len(lp.plan.counts)/2] {
			t.Errorf("%s: %d in all, head %d, median %d: want %d, a head far above the median",
				lp.name, lp.plan.total, lp.plan.counts[0], lp.plan.counts[len(lp.plan.counts)/2], lp.total)
		}
	}
}
