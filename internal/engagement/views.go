package engagement

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/headline/headline/internal/news"
)

// DefaultMaxPending bounds the views held between flushes (~100 bytes
// each). Past it new views are dropped, not queued: views are a signal,
// not an accepted write, and memory must not grow with traffic.
const DefaultMaxPending = 100_000

// flushBatch is how many views go into one store call.
const flushBatch = 1000

// ViewBuffer collects views in memory and writes them in batches. A view
// is not an accepted write: a crash loses at most the views of one flush
// interval, which is the price of reads that never wait for a write.
type ViewBuffer struct {
	store interface {
		RecordViews(ctx context.Context, views []news.ViewMark) (int, error)
	}
	max int

	mu      sync.Mutex
	pending map[news.ViewMark]struct{}
	dropped int64
}

// NewViewBuffer returns a buffer over store holding at most max views.
func NewViewBuffer(store Store, max int) *ViewBuffer {
	return &ViewBuffer{store: store, max: max, pending: map[news.ViewMark]struct{}{}}
}

// Add notes a view; repeats before the flush are merged here already.
func (b *ViewBuffer) Add(v news.ViewMark) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) >= b.max {
		b.dropped++
		return
	}
	b.pending[v] = struct{}{}
}

// Pending returns how many views wait for the next flush.
func (b *ViewBuffer) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// Flush writes the pending views and returns how many counted.
func (b *ViewBuffer) Flush(ctx context.Context) (int, error) {
	b.mu.Lock()
	batch := make([]news.ViewMark, 0, len(b.pending))
	for v := range b.pending {
		batch = append(batch, v)
	}
	b.pending = map[news.ViewMark]struct{}{}
	b.mu.Unlock()
	counted := 0
	for len(batch) > 0 {
		n := min(len(batch), flushBatch)
		c, err := b.store.RecordViews(ctx, batch[:n])
		if err != nil {
			b.requeue(batch) // kept for the next flush, within the bound
			return counted, err
		}
		counted += c
		batch = batch[n:]
	}
	return counted, nil
}

// Run flushes every interval until ctx ends, then once more (with a
// context of its own, bounded by 10 s), so a clean shutdown loses nothing.
func (b *ViewBuffer) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if _, err := b.Flush(ctx); err != nil && ctx.Err() == nil {
				log.Warn("flush views", "err", err)
			}
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if _, err := b.Flush(fctx); err != nil {
				log.Warn("flush views on shutdown", "err", err)
			}
			cancel()
			return
		}
	}
}

func (b *ViewBuffer) requeue(views []news.ViewMark) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, v := range views {
		if len(b.pending) >= b.max {
			b.dropped++
			continue
		}
		b.pending[v] = struct{}{}
	}
}
