// Package pagecache keeps whole rendered pages, so that the most read
// pages, an article with its first comments, cost a map lookup instead of
// a dozen queries and a template run. A page is kept once, as a reader
// without cookies sees it, with holes (holes.go) where what a signed-in
// reader or a guest with a cookie sees differs, filled per request.
//
// Every page is stored with tags naming what it shows ("post:42",
// "account:7"). A write invalidates its tags on this instance before it is
// acknowledged (Watch) and, through a Relay, on every other instance that
// shares the database. A page is never older than the TTL, which bounds
// what no tag covers (view counters, the passing of time).
package pagecache

import (
	"container/list"
	"strconv"
	"sync"
	"time"
)

// Tag names for what a page shows.
func PostTag(id int64) string    { return "post:" + itoa(id) }
func AccountTag(id int64) string { return "account:" + itoa(id) }

// Cache is a bounded, tagged page cache, safe for concurrent use.
type Cache struct {
	// Now returns the current time; tests pin it.
	Now func() time.Time

	mu       sync.Mutex
	ttl      time.Duration
	maxBytes int
	bytes    int
	lru      *list.List // of *entry, most recently used first
	entries  map[string]*list.Element
	byTag    map[string]map[*entry]struct{}

	// seq counts invalidations. A page loaded after ticket t may be stored
	// only if none of its tags was invalidated after t: otherwise a render
	// that began before a write could store what the write changed.
	seq    uint64
	tagSeq map[string]uint64
	floor  uint64 // every ticket below floor is refused (tagSeq was reset)

	stats Stats
}

// Stats are the cache's counters since it was made.
type Stats struct {
	Hits, Misses, Stores, Refused, Invalidations, Evictions uint64
	Entries, Bytes                                          int
}

type entry struct {
	key     string
	page    Page
	tags    []string
	expires time.Time
}

// Page is what is kept: the bytes, and the post they show, so that a hit
// can still count the post's view.
type Page struct {
	Body   []byte
	PostID int64
	// Holes are the parts of Body made for each reader (holes.go), in
	// order of where they start; Body holds what a reader without cookies
	// is shown in each.
	Holes []Hole
	// Data is what the page's maker needs to fill the holes; the cache
	// only keeps it. Shared by every reader: never changed once stored.
	Data any
	// Size is what the entry costs in memory, counted against the budget;
	// 0 means len(Body). An entry with no body (one reader's state kept
	// next to the pages) gives its own.
	Size int
}

func (p *Page) size() int {
	if p.Size > 0 {
		return p.Size
	}
	return len(p.Body)
}

// maxTagSeqs bounds the invalidation history; past it the history is
// dropped and tickets taken before are refused.
const maxTagSeqs = 1 << 16

// New returns a cache holding at most maxBytes of pages, each for at most ttl.
func New(maxBytes int, ttl time.Duration) *Cache {
	return &Cache{Now: time.Now, ttl: ttl, maxBytes: maxBytes, lru: list.New(),
		entries: map[string]*list.Element{}, byTag: map[string]map[*entry]struct{}{}, tagSeq: map[string]uint64{}}
}

// Ticket is taken before loading what a page shows, and given to Put.
type Ticket uint64

// Ticket returns the ticket for a page about to be loaded.
func (c *Cache) Ticket() Ticket {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Ticket(c.seq)
}

// Get returns the page stored under key, if it is there and fresh. The
// body is shared: callers must not change it.
func (c *Cache) Get(key string) (Page, bool) {
	p, ok := c.lookup(key)
	c.mu.Lock()
	if ok {
		c.stats.Hits++
	} else {
		c.stats.Misses++
	}
	c.mu.Unlock()
	return p, ok
}

// Peek is Get for what is kept next to the pages (a reader's state): it
// leaves the hit and miss counters, which are about pages, alone.
func (c *Cache) Peek(key string) (Page, bool) { return c.lookup(key) }

func (c *Cache) lookup(key string) (Page, bool) {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return Page{}, false
	}
	e := el.Value.(*entry)
	if !now.Before(e.expires) {
		c.remove(el)
		return Page{}, false
	}
	c.lru.MoveToFront(el)
	return e.page, true
}

// Put stores page under key with its tags, unless one of the tags was
// invalidated after t or the page alone is over a quarter of the budget.
// It reports whether the page was stored.
func (c *Cache) Put(t Ticket, key string, page Page, tags ...string) bool {
	size := page.size()
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if uint64(t) < c.floor || size > c.maxBytes/4 {
		c.stats.Refused++
		return false
	}
	for _, tag := range tags {
		if c.tagSeq[tag] > uint64(t) {
			c.stats.Refused++
			return false
		}
	}
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	e := &entry{key: key, page: page, tags: tags, expires: now.Add(c.ttl)}
	c.entries[key] = c.lru.PushFront(e)
	for _, tag := range tags {
		set := c.byTag[tag]
		if set == nil {
			set = map[*entry]struct{}{}
			c.byTag[tag] = set
		}
		set[e] = struct{}{}
	}
	c.bytes += size
	c.stats.Stores++
	for c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
		c.stats.Evictions++
	}
	return true
}

// Invalidate drops every page carrying one of tags, and refuses pages
// loaded before now that carry them.
func (c *Cache) Invalidate(tags ...string) {
	if len(tags) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.stats.Invalidations++
	if len(c.tagSeq)+len(tags) > maxTagSeqs {
		clear(c.tagSeq)
		c.floor = c.seq
	}
	for _, tag := range tags {
		c.tagSeq[tag] = c.seq
		for e := range c.byTag[tag] {
			c.remove(c.entries[e.key])
		}
	}
}

// Reserve takes n bytes out of the cache's budget for memory its user
// keeps beside it, evicting pages to fit, and returns n (at most half
// the budget).
func (c *Cache) Reserve(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n = min(n, c.maxBytes/2)
	c.maxBytes -= n
	for c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
		c.stats.Evictions++
	}
	return n
}

// Delete drops the entry under key, if any. Unlike Invalidate it refuses
// nothing later: a page loaded before the call may still be stored.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(c.entries[key])
}

// InvalidateAll drops every page, and refuses every page loaded before now.
func (c *Cache) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.stats.Invalidations++
	c.floor = c.seq
	clear(c.tagSeq)
	clear(c.entries)
	clear(c.byTag)
	c.lru.Init()
	c.bytes = 0
}

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries, s.Bytes = len(c.entries), c.bytes
	return s
}

// remove drops one entry; c.mu is held.
func (c *Cache) remove(el *list.Element) {
	if el == nil {
		return
	}
	e := c.lru.Remove(el).(*entry)
	delete(c.entries, e.key)
	for _, tag := range e.tags {
		if set := c.byTag[tag]; set != nil {
			delete(set, e)
			if len(set) == 0 {
				delete(c.byTag, tag)
			}
		}
	}
	c.bytes -= e.page.size()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
