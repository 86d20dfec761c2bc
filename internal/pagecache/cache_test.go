package pagecache

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCacheKeepsAndDropsByTag(t *testing.T) {
	c := New(1<<20, time.Minute)
	tk := c.Ticket()
	if !c.Put(tk, "/@a/one", pg([]byte("one")), PostTag(1), AccountTag(7)) || !c.Put(tk, "/@a/two", pg([]byte("two")), PostTag(2), AccountTag(7)) {
		t.Fatal("a fresh page was refused")
	}
	if b, ok := c.Get("/@a/one"); !ok || string(b.Body) != "one" {
		t.Fatalf("Get = %q, %v", b.Body, ok)
	}
	c.Invalidate(PostTag(1))
	if _, ok := c.Get("/@a/one"); ok {
		t.Fatal("page of post 1 survived its invalidation")
	}
	if _, ok := c.Get("/@a/two"); !ok {
		t.Fatal("page of post 2 dropped by post 1's invalidation")
	}
	c.Invalidate(AccountTag(7))
	if _, ok := c.Get("/@a/two"); ok {
		t.Fatal("page survived the invalidation of its author")
	}
	if s := c.Stats(); s.Entries != 0 || s.Bytes != 0 || s.Hits != 2 {
		t.Fatalf("stats after dropping everything: %+v", s)
	}
}

func TestCacheDeletesOneKey(t *testing.T) {
	c := New(1<<20, time.Minute)
	tk := c.Ticket()
	c.Put(tk, "/one", pg([]byte("one")), PostTag(1))
	c.Put(tk, "/two", pg([]byte("two")), PostTag(1))
	c.Delete("/one")
	c.Delete("/missing")
	if _, ok := c.Get("/one"); ok {
		t.Fatal("deleted page still served")
	}
	if _, ok := c.Get("/two"); !ok {
		t.Fatal("Delete dropped a page under another key with the same tag")
	}
	if s := c.Stats(); s.Entries != 1 || s.Bytes != 3 {
		t.Fatalf("stats after Delete: %+v", s)
	}
	if !c.Put(tk, "/one", pg([]byte("one")), PostTag(1)) {
		t.Fatal("Delete refused a later Put with an earlier ticket")
	}
}

// Memory kept beside the cache is taken out of its budget, evicting the
// least recently used pages to fit.
func TestCacheReserveShrinksTheBudget(t *testing.T) {
	c := New(2000, time.Minute)
	tk := c.Ticket()
	for _, key := range []string{"/old", "/mid", "/new"} {
		if !c.Put(tk, key, pg(make([]byte, 400))) {
			t.Fatalf("%s refused", key)
		}
	}
	if got := c.Reserve(1000); got != 1000 {
		t.Fatalf("Reserve(1000) = %d", got)
	}
	if _, ok := c.Get("/old"); ok {
		t.Fatal("the least recently used page survived a reservation that left no room for it")
	}
	if _, ok := c.Get("/new"); !ok {
		t.Fatal("Reserve evicted a page that fits")
	}
	if c.Put(tk, "/big", pg(make([]byte, 300))) {
		t.Fatal("stored a page over a quarter of the budget left")
	}
	if got := c.Reserve(10_000); got != 500 {
		t.Fatalf("Reserve over half the budget left = %d, want 500", got)
	}
}

// A page whose data was loaded before a write and stored after it would
// show the old data until the TTL: the ticket refuses it.
func TestCacheRefusesPagesLoadedBeforeAnInvalidation(t *testing.T) {
	c := New(1<<20, time.Minute)
	before := c.Ticket()
	c.Invalidate(PostTag(1))
	if c.Put(before, "/p1", pg([]byte("old")), PostTag(1)) {
		t.Fatal("stored a page loaded before its post changed")
	}
	if !c.Put(before, "/p2", pg([]byte("other")), PostTag(2)) {
		t.Fatal("refused a page whose tags did not change")
	}
	if !c.Put(c.Ticket(), "/p1", pg([]byte("new")), PostTag(1)) {
		t.Fatal("refused a page loaded after the change")
	}
	c.InvalidateAll()
	if c.Put(before, "/p3", pg([]byte("x")), PostTag(3)) {
		t.Fatal("stored a page loaded before InvalidateAll")
	}
	if _, ok := c.Get("/p1"); ok {
		t.Fatal("InvalidateAll kept a page")
	}
}

func TestCacheExpiresAndEvicts(t *testing.T) {
	now := time.Unix(1000, 0)
	c := New(40, 10*time.Second)
	c.Now = func() time.Time { return now }
	c.Put(c.Ticket(), "a", pg([]byte("0123456789")), "t")
	now = now.Add(10 * time.Second)
	if _, ok := c.Get("a"); ok {
		t.Fatal("served a page at its TTL")
	}
	if c.Put(c.Ticket(), "big", pg(make([]byte, 11)), "t") {
		t.Fatal("stored a page over a quarter of the budget")
	}
	for i := range 5 {
		c.Put(c.Ticket(), fmt.Sprint(i), pg([]byte("0123456789")), "t")
		if i == 1 {
			c.Get("0") // 0 is now used more recently than 1
		}
	}
	if s := c.Stats(); s.Bytes > 40 || s.Entries != 4 || s.Evictions != 1 {
		t.Fatalf("over budget: %+v", s)
	}
	if _, ok := c.Get("1"); ok {
		t.Fatal("evicted a page used more recently than the least recent one")
	}
	if _, ok := c.Get("0"); !ok {
		t.Fatal("evicted the page read last")
	}
}

// The history of invalidated tags is bounded; past the bound every ticket
// taken before is refused, never a stale page let in.
func TestCacheBoundsItsInvalidationHistory(t *testing.T) {
	c := New(1<<20, time.Minute)
	before := c.Ticket()
	for i := range maxTagSeqs + 10 {
		c.Invalidate(PostTag(int64(i + 100)))
	}
	if len(c.tagSeq) > maxTagSeqs {
		t.Fatalf("history grew to %d", len(c.tagSeq))
	}
	if c.Put(before, "k", pg([]byte("x")), PostTag(5)) {
		t.Fatal("a ticket from before the history was dropped was accepted")
	}
	if !c.Put(c.Ticket(), "k", pg([]byte("x")), PostTag(5)) {
		t.Fatal("a new ticket was refused")
	}
}

func TestRelayMessagesFitNotify(t *testing.T) {
	ch := &recordingChannel{}
	r := NewRelay(New(1<<20, time.Minute), ch, nil)
	var tags []string
	for i := range 2000 {
		tags = append(tags, PostTag(int64(i)))
	}
	if err := r.notify(t.Context(), tags); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, m := range ch.sent {
		if len(m) > maxPayload {
			t.Fatalf("message of %d bytes", len(m))
		}
		from, rest, _ := strings.Cut(m, " ")
		if from != r.id {
			t.Fatalf("message without the sender: %q", m[:40])
		}
		seen += len(strings.Fields(rest))
	}
	if seen != len(tags) || len(ch.sent) < 2 {
		t.Fatalf("%d tags in %d messages, want %d in several", seen, len(ch.sent), len(tags))
	}
}

// recordingChannel keeps what the relay sends; the real channel (LISTEN/
// NOTIFY) is tested with PostgreSQL in relay_pg_test.go.
type recordingChannel struct{ sent []string }

func (c *recordingChannel) Notify(_ context.Context, p string) error {
	c.sent = append(c.sent, p)
	return nil
}

func (c *recordingChannel) Listen(ctx context.Context, _ func(string), _ func()) error {
	<-ctx.Done()
	return nil
}

func pg(body []byte) Page { return Page{Body: body} }
