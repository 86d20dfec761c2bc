package jobs_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// BenchmarkStoreWritesBesideQueue is what a started, idle queue on the
// same SQLite file costs the store's writes: b.N accounts created by 8
// goroutines through the group-commit writer, with no queue and with a
// started queue (a handler registered, no jobs) polling the file.
func BenchmarkStoreWritesBesideQueue(b *testing.B) {
	for _, withQueue := range []bool{false, true} {
		b.Run(fmt.Sprintf("queue=%v", withQueue), func(b *testing.B) {
			ctx := context.Background()
			path := filepath.Join(b.TempDir(), "headline.db")
			st, err := sqlite.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if withQueue {
				q, err := jobs.Open(ctx, jobs.Config{SQLitePath: path})
				if err != nil {
					b.Fatal(err)
				}
				defer q.Close()
				if err := jobs.Handle(q, func(context.Context, *jobs.Job[noopArgs]) error { return nil }); err != nil {
					b.Fatal(err)
				}
				if err := q.Start(ctx); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			var wg sync.WaitGroup
			var failed atomic.Value
			b.ResetTimer()
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						a := &news.Account{Handle: fmt.Sprint("w", i), Name: "W", Role: news.RoleReader}
						if err := st.CreateAccount(ctx, a, "hash"); err != nil {
							failed.Store(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			if err, _ := failed.Load().(error); err != nil {
				b.Fatal(err)
			}
		})
	}
}
