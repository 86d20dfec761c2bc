package loadtest

import (
	"math/bits"
	"time"
)

// Histogram records latencies in log-linear buckets, the layout of an
// HdrHistogram with three significant digits: values below 2^subBits
// nanoseconds get a bucket each, and every further power of two is split
// into 2^subBits equal buckets. A quantile is therefore within 1/1024
// (0.1%) of the exact value of the recorded samples, whatever the count, in
// a fixed 230 KB — where keeping every sample of a ten-minute run at 30,000
// requests a second would need gigabytes. Min, max and mean are exact.
//
// A Histogram is not safe for concurrent use; the runner guards it.
type Histogram struct {
	counts []int64
	n      int64
	sum    time.Duration
	min    time.Duration
	max    time.Duration
}

const (
	subBits = 10
	// maxShift bounds the range at 2^(maxShift+subBits+1) ns, about 137 s:
	// longer samples land in the last bucket (max stays exact). The client
	// timeout is far below that.
	maxShift   = 26
	numBuckets = (maxShift+1)<<subBits + 1<<subBits
)

// NewHistogram returns an empty Histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]int64, numBuckets)}
}

// bucketOf maps a value in ns to its bucket: the shift keeps the top
// subBits+1 significant bits, and buckets of consecutive shifts follow each
// other without gaps, so the index grows with the value.
func bucketOf(v int64) int {
	if v < 0 {
		v = 0
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1)
	if shift < 0 {
		shift = 0
	}
	if shift > maxShift {
		return numBuckets - 1
	}
	return shift<<subBits + int(v>>shift)
}

// bucketHigh is the largest value that maps to bucket i.
func bucketHigh(i int) int64 {
	shift := i>>subBits - 1
	if shift < 0 {
		shift = 0
	}
	low := int64(i-shift<<subBits) << shift
	return low + 1<<shift - 1
}

// Record adds one sample.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(int64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += d
}

// Merge adds every sample of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.n += o.n
	h.sum += o.sum
}

// Count is the number of samples.
func (h *Histogram) Count() int64 { return h.n }

// Max is the largest sample, exactly.
func (h *Histogram) Max() time.Duration { return h.max }

// Min is the smallest sample, exactly.
func (h *Histogram) Min() time.Duration { return h.min }

// Mean is the average sample, exactly; 0 when empty.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Quantile returns the sample at rank ceil(q·n) (the nearest-rank
// definition, so p50 of 1..100 is 50 and p99 of 100 samples is the 99th),
// reported as the top of its bucket and clamped to the exact min and max.
// It is 0 when empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q * float64(h.n))
	if float64(rank) < q*float64(h.n) {
		rank++
	}
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return h.max
	}
	var seen int64
	for i, c := range h.counts[:numBuckets-1] {
		seen += c
		if seen >= rank {
			return min(max(time.Duration(bucketHigh(i)), h.min), h.max)
		}
	}
	return h.max // the rank is in the overflow bucket
}
