package pagecache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Channel carries messages between the instances that share one database
// (PostgreSQL LISTEN/NOTIFY). Every instance hears every message, its own
// included.
type Channel interface {
	Notify(ctx context.Context, payload string) error
	// Listen calls onMessage with each message until ctx ends. When it had
	// to reconnect, messages may have been lost: it calls onGap first.
	Listen(ctx context.Context, onMessage func(payload string), onGap func()) error
}

// Relay is the Invalidator of an instance among several: it invalidates its
// own cache at once and tells the others through the channel, and it
// applies what the others tell it.
type Relay struct {
	cache *Cache
	ch    Channel
	log   *slog.Logger
	id    string // this instance, to skip its own messages

	mu      sync.Mutex
	pending map[string]struct{} // tags not sent yet; allTag for all
	wake    chan struct{}
}

// allTag is the message for InvalidateAll.
const allTag = "*"

// maxPayload keeps a message under PostgreSQL's 8000-byte NOTIFY limit.
const maxPayload = 7000

// NewRelay returns a relay for cache over ch. Run must be running for the
// other instances to hear of this one's writes.
func NewRelay(cache *Cache, ch Channel, log *slog.Logger) *Relay {
	var b [8]byte
	rand.Read(b[:])
	return &Relay{cache: cache, ch: ch, log: log, id: hex.EncodeToString(b[:]),
		pending: map[string]struct{}{}, wake: make(chan struct{}, 1)}
}

func (r *Relay) Invalidate(tags ...string) {
	r.cache.Invalidate(tags...)
	r.send(tags...)
}

func (r *Relay) InvalidateAll() {
	r.cache.InvalidateAll()
	r.send(allTag)
}

// send queues tags for the sender: writes never wait for the notification,
// and tags of writes close together share one message.
func (r *Relay) send(tags ...string) {
	r.mu.Lock()
	for _, t := range tags {
		r.pending[t] = struct{}{}
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run sends and receives invalidations until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := r.ch.Listen(ctx, r.receive, func() {
			// What the other instances said while we were not listening is
			// lost: drop everything rather than serve it stale.
			r.log.Warn("page cache: invalidations may have been missed; cache cleared")
			r.cache.InvalidateAll()
		})
		if err != nil && ctx.Err() == nil {
			r.log.Error("page cache: listening for invalidations stopped", "err", err)
		}
	}()
	r.sendLoop(ctx)
	<-done
}

func (r *Relay) receive(payload string) {
	from, rest, _ := strings.Cut(payload, " ")
	if from == r.id {
		return
	}
	tags := strings.Fields(rest)
	for _, t := range tags {
		if t == allTag {
			r.cache.InvalidateAll()
			return
		}
	}
	r.cache.Invalidate(tags...)
}

func (r *Relay) sendLoop(ctx context.Context) {
	backoff := 50 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		}
		r.mu.Lock()
		tags := make([]string, 0, len(r.pending))
		for t := range r.pending {
			tags = append(tags, t)
		}
		clear(r.pending)
		r.mu.Unlock()
		if err := r.notify(ctx, tags); err != nil {
			if ctx.Err() != nil {
				return
			}
			// Keep the tags and try again: the other instances must hear.
			r.log.Warn("page cache: could not tell other instances; retrying", "err", err, "tags", len(tags))
			r.send(tags...)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 5*time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
	}
}

// notify sends tags in as few messages as fit.
func (r *Relay) notify(ctx context.Context, tags []string) error {
	var b strings.Builder
	flush := func() error {
		if b.Len() <= len(r.id) {
			return nil
		}
		err := r.ch.Notify(ctx, b.String())
		b.Reset()
		return err
	}
	b.WriteString(r.id)
	for _, t := range tags {
		if b.Len()+1+len(t) > maxPayload {
			if err := flush(); err != nil {
				return err
			}
			b.WriteString(r.id)
		}
		b.WriteByte(' ')
		b.WriteString(t)
	}
	return flush()
}
