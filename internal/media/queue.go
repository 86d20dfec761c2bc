package media

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// LocalQueue runs processing in this process: a few workers, each retrying
// a failed run after a growing pause until Process reports it done (ready,
// or failed for good). It keeps nothing itself: what it held when the
// process stopped is still "processing" in the store, and Service.Requeue
// puts it back on the next start. It stands in until the durable job
// system takes the work over; Process is the same either way.
type LocalQueue struct {
	Process func(ctx context.Context, mediaID int64) error
	Log     *slog.Logger
	// Backoff is the pause before retry n (1, 2, …); nil: n² seconds.
	Backoff func(n int) time.Duration

	once sync.Once
	ch   chan int64
}

func (q *LocalQueue) init() { q.once.Do(func() { q.ch = make(chan int64, 4096) }) }

// EnqueueProcess queues mediaID, waiting while the queue is full.
func (q *LocalQueue) EnqueueProcess(ctx context.Context, mediaID int64) error {
	q.init()
	select {
	case q.ch <- mediaID:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run works the queue with n workers until ctx ends.
func (q *LocalQueue) Run(ctx context.Context, n int) {
	q.init()
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case id := <-q.ch:
					q.work(ctx, id)
				}
			}
		}()
	}
	wg.Wait()
}

// maxRuns bounds retries of errors Process does not count as attempts
// (a store that is down), so that a worker never loops forever on one item.
const maxRuns = 10

func (q *LocalQueue) work(ctx context.Context, id int64) {
	for n := 1; ; n++ {
		err := q.Process(ctx, id)
		if err == nil || ctx.Err() != nil || n >= maxRuns {
			if err != nil && ctx.Err() == nil {
				q.log().Error("media processing gave up", "media", id, "err", err)
			}
			return
		}
		pause := time.Duration(n*n) * time.Second
		if q.Backoff != nil {
			pause = q.Backoff(n)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (q *LocalQueue) log() *slog.Logger {
	if q.Log == nil {
		return slog.Default()
	}
	return q.Log
}
