package pagecache_test

import (
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
)

// A session's account is kept, and every watched write that changes it
// (signing out, the account's name or role, its follows) drops it at once,
// on both stores.
func TestKeptSessionsFollowTheirWrites(t *testing.T) {
	for name, open := range map[string]func(*testing.T) news.Store{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) { testKeptSessions(t, open(t)) })
	}
}

func testKeptSessions(t *testing.T, raw news.Store) {
	ctx := t.Context()
	cache := pagecache.New(1<<20, time.Minute)
	st := pagecache.WatchKeepingSessions(raw, cache, cache)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	rita := &news.Account{Handle: "rita", Name: "Rita", Email: "r@example.com", Role: news.RoleReader}
	desk := &news.Account{Handle: "desk", Name: "Desk", Email: "d@example.com", Role: news.RolePublisher}
	must("rita", st.CreateAccount(ctx, rita, "x"))
	must("desk", st.CreateAccount(ctx, desk, "x"))
	session := func(hash string) {
		t.Helper()
		must("session", st.CreateSession(ctx, news.Session{TokenHash: hash, AccountID: rita.ID, Kind: news.KindSession,
			CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}))
	}
	lookup := func(hash string) (*news.Account, error) {
		t.Helper()
		return st.SessionAccount(ctx, hash, news.KindSession, time.Now())
	}
	session("h1")
	a, err := lookup("h1")
	must("lookup", err)
	if a.ID != rita.ID || a.Name != "Rita" {
		t.Fatalf("session account %+v", a)
	}
	a.Name = "changed by a caller"

	// Kept: removed behind the cache's back, the session still answers
	// (and a caller's change to what it got does not reach the cache).
	must("raw delete", raw.DeleteSession(ctx, "h1"))
	if a, err := lookup("h1"); err != nil || a.Name != "Rita" {
		t.Fatalf("kept session: %+v, %v; want Rita from the cache", a, err)
	}
	session("h1")

	name := "Rita R."
	_, err = st.UpdateAccount(ctx, rita.ID, news.AccountUpdate{Name: &name})
	must("rename", err)
	if a, err := lookup("h1"); err != nil || a.Name != name {
		t.Fatalf("after renaming: %+v, %v", a, err)
	}
	_, err = st.Follow(ctx, rita.ID, desk.ID)
	must("follow", err)
	if a, err := lookup("h1"); err != nil || a.FollowingCount != 1 {
		t.Fatalf("after following: %+v, %v; want following 1", a, err)
	}
	must("sign out", st.DeleteSession(ctx, "h1"))
	if _, err := lookup("h1"); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("after signing out: %v, want NotFound", err)
	}
	// A missing session is not kept: made afterwards, it works at once.
	session("h1")
	if _, err := lookup("h1"); err != nil {
		t.Fatalf("a new session: %v", err)
	}
}
