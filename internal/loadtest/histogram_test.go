package loadtest

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// exactQuantile is the nearest-rank quantile of sorted samples.
func exactQuantile(sorted []time.Duration, q float64) time.Duration {
	rank := int(q * float64(len(sorted)))
	if float64(rank) < q*float64(len(sorted)) {
		rank++
	}
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func TestHistogramSmallValuesAreExact(t *testing.T) {
	h := NewHistogram()
	for v := 1000; v >= 1; v-- { // below 2^10 ns every value has its own bucket
		h.Record(time.Duration(v))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500}, {0.9, 900}, {0.99, 990}, {0.999, 999}, {1, 1000}, {0, 1}} {
		if got := h.Quantile(c.q); got != c.want {
			t.Errorf("Quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if h.Count() != 1000 || h.Min() != 1 || h.Max() != 1000 || h.Mean() != 500 {
		t.Errorf("count %d min %v max %v mean %v", h.Count(), h.Min(), h.Max(), h.Mean())
	}
}

// TestHistogramMatchesSortedSamples checks the promise of the layout: every
// quantile within 0.1% of the exact one, for shapes latencies really have.
func TestHistogramMatchesSortedSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]func() time.Duration{
		"uniform 0-50ms": func() time.Duration { return time.Duration(rng.Int64N(int64(50 * time.Millisecond))) },
		"log-normal-ish": func() time.Duration {
			return time.Duration(float64(time.Millisecond) * rng.ExpFloat64() * rng.ExpFloat64())
		},
		"bimodal with a tail": func() time.Duration {
			switch n := rng.IntN(1000); {
			case n == 0:
				return time.Duration(rng.Int64N(int64(20 * time.Second)))
			case n < 300:
				return 40*time.Millisecond + time.Duration(rng.Int64N(int64(time.Millisecond)))
			default:
				return 300*time.Microsecond + time.Duration(rng.Int64N(int64(50*time.Microsecond)))
			}
		},
	}
	for name, gen := range shapes {
		h := NewHistogram()
		var samples []time.Duration
		for range 50_000 {
			d := gen()
			samples = append(samples, d)
			h.Record(d)
		}
		slices.Sort(samples)
		for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999, 1} {
			want, got := exactQuantile(samples, q), h.Quantile(q)
			if diff := float64(got - want); got < want || diff > float64(want)/1024+1 {
				t.Errorf("%s: p%v = %v, exact %v", name, q*100, got, want)
			}
		}
		if h.Max() != samples[len(samples)-1] || h.Min() != samples[0] {
			t.Errorf("%s: min/max %v/%v, exact %v/%v", name, h.Min(), h.Max(), samples[0], samples[len(samples)-1])
		}
	}
}

func TestHistogramMergeAndEdges(t *testing.T) {
	a, b, empty := NewHistogram(), NewHistogram(), NewHistogram()
	if empty.Quantile(0.5) != 0 || empty.Mean() != 0 || empty.Max() != 0 {
		t.Fatal("an empty histogram should report zeros")
	}
	for i := 1; i <= 100; i++ {
		a.Record(time.Duration(i) * time.Millisecond)
		b.Record(time.Duration(i+100) * time.Millisecond)
	}
	b.Record(time.Hour) // beyond the range: lands in the last bucket, max stays exact
	a.Merge(b)
	a.Merge(empty)
	if a.Count() != 201 || a.Min() != time.Millisecond || a.Max() != time.Hour {
		t.Fatalf("merged: count %d min %v max %v", a.Count(), a.Min(), a.Max())
	}
	if got := a.Quantile(0.5); got < 101*time.Millisecond || got > 101*time.Millisecond+101*time.Millisecond/1024 {
		t.Errorf("merged p50 = %v, want 101ms within 0.1%%", got)
	}
	if a.Quantile(1) != time.Hour {
		t.Errorf("p100 = %v, want the exact max", a.Quantile(1))
	}
	for i := range numBuckets - 1 {
		if bucketOf(bucketHigh(i)) != i || bucketOf(bucketHigh(i)+1) != i+1 {
			t.Fatalf("bucket %d: high %d maps to %d, high+1 to %d", i, bucketHigh(i), bucketOf(bucketHigh(i)), bucketOf(bucketHigh(i)+1))
		}
	}
}
