package media_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/media"
)

// The local queue retries a failed run after its backoff until Process
// returns nil, runs items on several workers, and stops with its context.
func TestLocalQueueRetries(t *testing.T) {
	var mu sync.Mutex
	runs := map[int64]int{}
	done := make(chan int64, 10)
	q := &media.LocalQueue{
		Backoff: func(n int) time.Duration { return time.Millisecond },
		Process: func(ctx context.Context, id int64) error {
			mu.Lock()
			defer mu.Unlock()
			runs[id]++
			if id == 1 && runs[id] < 3 {
				return errors.New("transient")
			}
			done <- id
			return nil
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan struct{})
	go func() { q.Run(ctx, 2); close(stopped) }()
	for _, id := range []int64{1, 2, 3} {
		if err := q.EnqueueProcess(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the queue did not finish its items")
		}
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	mu.Lock()
	defer mu.Unlock()
	if runs[1] != 3 || runs[2] != 1 || runs[3] != 1 {
		t.Fatalf("runs = %v, want item 1 three times (two failures), the others once", runs)
	}
}
