package loadgen

import (
	"math"
	"slices"
	"testing"
)

func TestAllocate(t *testing.T) {
	tests := []struct {
		name     string
		total    int64
		n        int
		s        float64
		limit    int64
		wantHead []int64 // the first shares, when they are known exactly
	}{
		{"empty", 0, 5, 1, 0, []int64{0, 0, 0, 0, 0}},
		{"no ranks", 10, 0, 1, 0, nil},
		{"uniform", 10, 5, 0, 0, []int64{2, 2, 2, 2, 2}},
		{"uniform with remainder", 7, 5, 0, 0, []int64{2, 2, 1, 1, 1}},
		// 60·(1, 1/2, 1/3)/(11/6) = 32.7, 16.4, 10.9: floors, then the 2 left over to the head.
		{"harmonic", 60, 3, 1, 0, []int64{33, 17, 10}},
		{"capped head", 100, 4, 1, 30, []int64{30, 30, 23, 17}},
		{"cap too small to fit", 100, 4, 1, 10, []int64{25, 25, 25, 25}},
		{"one rank", 1234, 1, 1, 0, []int64{1234}},
		{"big, capped", 9_900_000, 1_000_000, 1, 50_000, []int64{50_000}},
		{"fewer units than ranks", 3, 10, 1, 0, []int64{2, 1, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allocate(tt.total, tt.n, tt.s, tt.limit)
			if len(got) != tt.n {
				t.Fatalf("len = %d, want %d", len(got), tt.n)
			}
			var sum int64
			for k, v := range got {
				sum += v
				if v < 0 {
					t.Fatalf("share %d is negative: %d", k, v)
				}
				if k > 0 && v > got[k-1] {
					t.Fatalf("share %d (%d) is more than share %d (%d): not a popularity curve", k, v, k-1, got[k-1])
				}
				if tt.limit > 0 && tt.limit*int64(tt.n) >= tt.total && v > tt.limit {
					t.Fatalf("share %d is %d, over the limit %d", k, v, tt.limit)
				}
			}
			if tt.n > 0 && sum != tt.total {
				t.Fatalf("shares add up to %d, want %d", sum, tt.total)
			}
			if head := got[:min(len(got), len(tt.wantHead))]; !slices.Equal(head, tt.wantHead) {
				t.Fatalf("first shares %v, want %v", head, tt.wantHead)
			}
		})
	}
}

// TestAllocateIsZipf checks the shape of the tail: between ranks k and 10k
// the share drops tenfold for s = 1.
func TestAllocateIsZipf(t *testing.T) {
	got := allocate(10_000_000, 100_000, 1, 0)
	for _, k := range []int{10, 100, 1000} {
		ratio := float64(got[k-1]) / float64(got[10*k-1])
		if math.Abs(ratio-10) > 0.5 {
			t.Errorf("share(%d)/share(%d) = %.2f, want ≈ 10", k, 10*k, ratio)
		}
	}
}

func TestZipfSampleFrequencies(t *testing.T) {
	for _, s := range []float64{0, 0.8, 1, 1.5} {
		const n, draws = 20, 200_000
		z := newZipf(n, s)
		r := newRand(42, streamPlan)
		var got [n]int
		for range draws {
			got[z.sample(r)]++
		}
		sum := 0.0
		for k := range n {
			sum += math.Pow(float64(k+1), -s)
		}
		for _, k := range []int{0, 1, 4, 19} {
			want := draws * math.Pow(float64(k+1), -s) / sum
			if sd := math.Sqrt(want); math.Abs(float64(got[k])-want) > 5*sd {
				t.Errorf("s=%v: rank %d drawn %d times, want %.0f ± %.0f", s, k, got[k], want, 5*sd)
			}
		}
	}
}

func TestZipfEdges(t *testing.T) {
	z := newZipf(0, 1) // treated as one rank
	r := newRand(1, streamPlan)
	for range 100 {
		if k := z.sample(r); k != 0 {
			t.Fatalf("one-rank zipf sampled %d", k)
		}
	}
}

func TestReplyDepthIsGeometric(t *testing.T) {
	r := newRand(7, streamComments)
	const draws = 100_000
	var got [maxDepth + 1]int
	for range draws {
		d := replyDepth(r, deeperChance, maxDepth)
		if d < 1 || d > maxDepth {
			t.Fatalf("depth %d outside 1..%d", d, maxDepth)
		}
		got[d]++
	}
	// P(d) = p^(d-1)(1-p) below the cap: each level holds p times the one above.
	for d := 1; d <= 3; d++ {
		if ratio := float64(got[d+1]) / float64(got[d]); math.Abs(ratio-deeperChance) > 0.03 {
			t.Errorf("depth %d→%d ratio %.3f, want ≈ %.2f", d, d+1, ratio, deeperChance)
		}
	}
	if got[maxDepth] == 0 {
		t.Errorf("no reply reached the deepest level %d in %d draws", maxDepth, draws)
	}
}

func TestItemRandIsDeterministicAndIndependent(t *testing.T) {
	draw := func(seed uint64, s uint64, i int) []uint64 {
		r := newItemRand(seed).at(s, i)
		out := make([]uint64, 4)
		for k := range out {
			out[k] = r.Uint64()
		}
		return out
	}
	tests := []struct {
		name string
		a, b []uint64
		same bool
	}{
		{"same item", draw(1, streamPosts, 5), draw(1, streamPosts, 5), true},
		{"next item", draw(1, streamPosts, 5), draw(1, streamPosts, 6), false},
		{"other stream", draw(1, streamPosts, 5), draw(1, streamAccounts, 5), false},
		{"other seed", draw(1, streamPosts, 5), draw(2, streamPosts, 5), false},
	}
	for _, tt := range tests {
		if slices.Equal(tt.a, tt.b) != tt.same {
			t.Errorf("%s: %v vs %v, same=%v", tt.name, tt.a, tt.b, !tt.same)
		}
	}
	// Reusing one itemRand across items must not leak state between them.
	r := newItemRand(1)
	r.at(streamPosts, 9).Uint64()
	if got := r.at(streamPosts, 5).Uint64(); got != draw(1, streamPosts, 5)[0] {
		t.Errorf("a reused itemRand draws %d for item 5, a fresh one %d", got, draw(1, streamPosts, 5)[0])
	}
}
