package ranking

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/headline/headline/internal/news"
)

// candidateCache keeps the recent candidates (overall and per tag) for a
// few seconds. They are the same for every reader, so a busy site scores
// from memory and goes to the database once per key per CacheFor, not once
// per reader. Counters seen through it are at most CacheFor old, which a
// ranking that moves over hours does not notice.
type candidateCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	at    time.Time
	cands []news.Candidate
}

// maxCacheKeys bounds the per-tag entries: past it the cache starts over.
const maxCacheKeys = 256

// get returns the candidates published in (now-window, now] with tag,
// from the cache when they are younger than ttl.
func (c *candidateCache) get(ctx context.Context, st Store, now time.Time, window, ttl time.Duration, tag string, n int) ([]news.Candidate, error) {
	key := tag + "\x00" + window.String() + "\x00" + strconv.Itoa(n)
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < ttl && !now.Before(e.at) {
		return e.cands, nil
	}
	cands, err := st.Candidates(ctx, now.Add(-window), now, tag, n)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxCacheKeys {
		c.entries = map[string]cacheEntry{}
	}
	c.entries[key] = cacheEntry{at: now, cands: cands}
	c.mu.Unlock()
	return cands, nil
}
