package jobs

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff is the retry policy: after the n-th failed attempt a job waits
// base × 2^(n-1), capped at max, with up to 10% jitter added so that jobs
// that failed together (a database restart) do not all come back in the
// same instant. River's own default (attempt⁴ seconds) waits an hour by
// the seventh try; doubling from one second keeps early retries quick for
// transient faults and reaches the hour cap after about twelve.
type backoff struct{ base, max time.Duration }

// NextRetry implements river.ClientRetryPolicy.
func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.delay(len(job.Errors) + 1))
}

// delay is the wait after the n-th failure (n ≥ 1).
func (b backoff) delay(n int) time.Duration {
	d := b.base
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}
