package pagecache_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/postgres"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// instance is one server's cache and relay over a shared database.
type instance struct {
	cache *pagecache.Cache
	relay *pagecache.Relay
}

func startInstance(t *testing.T, ctx context.Context, st *postgres.Store) instance {
	ch, err := st.Channel(ctx, "headline_pages")
	if err != nil {
		t.Fatal(err)
	}
	cache := pagecache.New(1<<20, time.Minute)
	relay := pagecache.NewRelay(cache, ch, slog.New(slog.NewTextHandler(io.Discard, nil)))
	done := make(chan struct{})
	go func() { defer close(done); relay.Run(ctx) }()
	t.Cleanup(func() { <-done })
	return instance{cache, relay}
}

// openShared opens one instance's store on the schema at url.
func openShared(t *testing.T, ctx context.Context, url string) *postgres.Store {
	st, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// waitGone waits until key is no longer cached, or fails after 5 s.
func waitGone(t *testing.T, c *pagecache.Cache, key, why string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, ok := c.Get(key); !ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: page %s still cached after 5 s", why, key)
}

// A write on one instance drops the page from the cache of another, over
// LISTEN/NOTIFY; and when the other lost its listening connection (and so
// may have missed messages) it drops everything once it listens again.
func TestRelayInvalidatesOtherInstances(t *testing.T) {
	url := pgtest.Schema(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	open := func() *postgres.Store { return openShared(t, ctx, url) }
	stA, stB := open(), open()
	a, b := startInstance(t, ctx, stA), startInstance(t, ctx, stB)
	time.Sleep(200 * time.Millisecond) // both listening

	b.cache.Put(b.cache.Ticket(), "/@harbor/one", pg([]byte("page")), pagecache.PostTag(1))
	b.cache.Put(b.cache.Ticket(), "/@harbor/two", pg([]byte("page")), pagecache.PostTag(2))
	a.relay.Invalidate(pagecache.PostTag(1))
	waitGone(t, b.cache, "/@harbor/one", "invalidated on A")
	if _, ok := b.cache.Get("/@harbor/two"); !ok {
		t.Fatal("B dropped a page whose post did not change")
	}
	a.relay.InvalidateAll()
	waitGone(t, b.cache, "/@harbor/two", "everything invalidated on A")

	// Cut B's listening connection, as a restart of the database would.
	b.cache.Put(b.cache.Ticket(), "/@harbor/three", pg([]byte("page")), pagecache.PostTag(3))
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	tag, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE query LIKE 'LISTEN %' AND query LIKE '%' || current_schema() || '%' AND pid <> pg_backend_pid()`)
	if err != nil || tag.RowsAffected() != 2 {
		t.Fatalf("terminate the listeners: %v (%d)", err, tag.RowsAffected())
	}
	waitGone(t, b.cache, "/@harbor/three", "after B's listening connection was cut")
	// And B hears again.
	b.cache.Put(b.cache.Ticket(), "/@harbor/four", pg([]byte("page")), pagecache.PostTag(4))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		a.relay.Invalidate(pagecache.PostTag(4))
		if _, ok := b.cache.Get("/@harbor/four"); !ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("B does not hear A after reconnecting")
}

// Signing out, or renaming the account, on one instance drops the session
// another instance keeps.
func TestKeptSessionsDroppedOnOtherInstances(t *testing.T) {
	url := pgtest.Schema(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	open := func() *postgres.Store { return openShared(t, ctx, url) }
	rawA, rawB := open(), open()
	a, b := startInstance(t, ctx, rawA), startInstance(t, ctx, rawB)
	stA := pagecache.WatchKeepingSessions(rawA, a.relay, a.cache)
	stB := pagecache.WatchKeepingSessions(rawB, b.relay, b.cache)
	time.Sleep(200 * time.Millisecond) // both listening

	rita := &news.Account{Handle: "rita", Name: "Rita", Email: "r@example.com", Role: news.RoleReader}
	if err := stA.CreateAccount(ctx, rita, "x"); err != nil {
		t.Fatal(err)
	}
	if err := stA.CreateSession(ctx, news.Session{TokenHash: "h", AccountID: rita.ID, Kind: news.KindSession, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// until polls B's lookup of the session until ok says it is right.
	until := func(why string, ok func(*news.Account, error) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if ok(stB.SessionAccount(ctx, "h", news.KindSession, time.Now())) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("%s: B still answers the session as kept before", why)
	}
	until("kept", func(a *news.Account, err error) bool { return err == nil && a.Name == "Rita" })
	name := "Rita R."
	if _, err := stA.UpdateAccount(ctx, rita.ID, news.AccountUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	until("renamed on A", func(a *news.Account, err error) bool { return err == nil && a.Name == name })
	if err := stA.DeleteSession(ctx, "h"); err != nil {
		t.Fatal(err)
	}
	until("signed out on A", func(a *news.Account, err error) bool { return news.ErrorCode(err) == news.NotFound })
}
