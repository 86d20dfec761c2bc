package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headline/headline/internal/jobs"
)

type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "bench_noop" }

// BenchmarkThroughput is jobs enqueued and completed per second with a
// no-op handler: b.N jobs enqueued by 8 goroutines (like requests would)
// into a started queue of one instance, timed until the last one is marked
// completed in the database. It measures the queue's own cost: on SQLite
// every enqueue is a transaction synced to disk, and so is each batch of
// completions. An instance takes at most Workers jobs per fetch and
// fetches at most once per River fetch cooldown (100 ms by default, 50 ms
// here), so with jobs this short Workers bounds the rate: about
// Workers × 20 a second here.
func BenchmarkThroughput(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		for _, workers := range []int{8, 64} {
			b.Run(fmt.Sprintf("%s/workers=%d", name, workers), func(b *testing.B) {
				var d testDB
				if name == "sqlite" {
					d = sqliteDB(b)
				} else {
					d = postgresDB(b)
				}
				benchThroughput(b, d, workers)
			})
		}
	}
}

func benchThroughput(b *testing.B, d testDB, workers int) {
	ctx := context.Background()
	cfg := d.fast("bench")
	cfg.Workers = workers
	cfg.PollInterval = 50 * time.Millisecond
	q, err := jobs.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	var ran atomic.Int64
	if err := jobs.Handle(q, func(context.Context, *jobs.Job[noopArgs]) error {
		ran.Add(1)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if _, err := q.Enqueue(ctx, noopArgs{N: int(i)}, nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	enqueued := time.Since(start)
	// Bounded: a queue that stops completing fails the benchmark.
	deadline := time.Now().Add(2 * time.Minute)
	for done := int64(0); done < int64(b.N); {
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d jobs completed after 2 minutes", done, b.N)
		}
		time.Sleep(5 * time.Millisecond)
		o, err := q.Overview(ctx)
		if err != nil {
			b.Fatal(err)
		}
		done = 0
		for _, c := range o.Counts {
			if c.Kind == "bench_noop" && c.State == "completed" {
				done = c.N
			}
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
	b.ReportMetric(float64(b.N)/enqueued.Seconds(), "enqueues/s")
	if got := ran.Load(); got != int64(b.N) {
		b.Fatalf("handler ran %d times for %d jobs", got, b.N)
	}
}
