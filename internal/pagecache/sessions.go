package pagecache

import (
	"context"
	"time"

	"github.com/headline/headline/internal/news"
)

// SessionTag names a session, by its token's hash, for invalidation.
func SessionTag(tokenHash string) string { return "session:" + tokenHash }

// WatchKeepingSessions is Watch that also keeps each session's account in
// cache, next to the pages, for the cache's TTL: every signed-in request
// looks its session up, and served from the page cache the lookup was a
// fifth of a signed-in article page's CPU.
//
// A kept account is dropped, on every instance (through inv), by what
// changes it: signing out (DeleteSession, tagged with the session), and
// the account's own writes, which already invalidate its tag
// (UpdateAccount — name, role, verification —, follows, posts). What no
// watched write changes may be up to the TTL old: a session past its
// expiry time may be honoured for that long after it.
func WatchKeepingSessions(st news.Store, inv Invalidator, cache *Cache) news.Store {
	return &watched{Store: st, inv: inv, sessions: cache}
}

// sessionEntry is a kept session's account: never changed once kept.
type sessionEntry struct{ account *news.Account }

// sessionSize is what a kept session counts against the cache's budget.
const sessionSize = 512

func (w *watched) SessionAccount(ctx context.Context, tokenHash, kind string, now time.Time) (*news.Account, error) {
	if w.sessions == nil {
		return w.Store.SessionAccount(ctx, tokenHash, kind, now)
	}
	key := "session\x00" + kind + "\x00" + tokenHash
	if p, ok := w.sessions.Peek(key); ok {
		a := *p.Data.(sessionEntry).account
		return &a, nil
	}
	// The ticket refuses the Put if the session or its account changed
	// while it was read.
	t := w.sessions.Ticket()
	a, err := w.Store.SessionAccount(ctx, tokenHash, kind, now)
	if err != nil {
		return nil, err // a missing session is not kept: a new one works at once
	}
	kept := *a
	w.sessions.Put(t, key, Page{Data: sessionEntry{account: &kept}, Size: sessionSize}, SessionTag(tokenHash), AccountTag(a.ID))
	return a, nil
}

func (w *watched) DeleteSession(ctx context.Context, tokenHash string) error {
	err := w.Store.DeleteSession(ctx, tokenHash)
	if err == nil {
		w.inv.Invalidate(SessionTag(tokenHash))
	}
	return err
}
