package ranking

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/headline/headline/internal/news"
)

// Store is what the feeds need.
type Store interface {
	news.EngagementStore
	FollowingTimeline(ctx context.Context, readerID int64, now time.Time, after *news.PostCursor, limit int) ([]*news.Post, error)
	FollowedSet(ctx context.Context, followerID int64) (news.FollowedSet, error)
}

// Options are the sizes and times of the headlines feed.
type Options struct {
	PageSize   int           // items per page
	PerAuthor  int           // at most this many posts by one author per page
	Window     time.Duration // how far back candidates are taken
	Candidates int           // at most this many recent posts are scored
	Below      int           // and this many next-newest are kept with them, where a reader's followed posts are looked for first
	Followed   int           // plus this many newest posts of followed accounts
	Keep       int           // the snapshot keeps the best this many
	Reuse      time.Duration // a reader's first page reuses a snapshot this young
	TTL        time.Duration // a snapshot's cursors work this long
	CacheFor   time.Duration // candidates are shared from memory this long (0: not cached)
	FollowIDs  int           // readers' followed sets kept in memory hold at most this many ids in all (0: none kept)
}

// DefaultOptions: a snapshot is recomputed at most once a minute per
// reader (and once a minute for all guests together, who share one), and
// a reader may page through it for an hour. The followed sets take at most
// 16 MiB (2M ids: 400 readers who follow 5,000 accounts, 40,000 who follow
// 50).
var DefaultOptions = Options{PageSize: 20, PerAuthor: 2, Window: 72 * time.Hour, Candidates: 500, Below: 1500, Followed: 50,
	Keep: 300, Reuse: time.Minute, TTL: time.Hour, CacheFor: 15 * time.Second, FollowIDs: 1 << 21}

// Service serves the ranked headlines feed and trending lists.
type Service struct {
	store   Store
	now     func() time.Time
	W       Weights
	O       Options
	cache   candidateCache
	follows followedCache
}

// New returns a Service with the Default weights and options.
func New(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now, W: Default, O: DefaultOptions}
}

// Page is one page of a ranked feed.
type Page struct {
	Items      []Item
	NextCursor string
}

// ref is an item as a snapshot keeps it.
type ref struct {
	ID  int64  `json:"id"`
	Why string `json:"why"`
}

// Headlines returns a page of the ranked feed for viewer (nil: a guest).
// The first page ranks (or reuses a minute-old ranking) and stores it as a
// snapshot; the cursor names the snapshot and a page of it, so later pages
// come from the same ranking on any instance and no post shows twice.
func (s *Service) Headlines(ctx context.Context, viewer *news.Account, cursor string) (Page, error) {
	now := s.now()
	var accountID int64
	if viewer != nil {
		accountID = viewer.ID
	}
	var snap *news.FeedSnapshot
	var fresh []Item // the first page, when it was ranked just now
	page := 0
	var err error
	if cursor == "" {
		snap, fresh, err = s.current(ctx, viewer, now)
	} else {
		snap, page, err = s.fromCursor(ctx, cursor, accountID, now)
	}
	if err != nil {
		return Page{}, err
	}
	var pages [][]ref
	if err := json.Unmarshal([]byte(snap.Data), &pages); err != nil {
		return Page{}, fmt.Errorf("decode snapshot %d: %w", snap.ID, err)
	}
	if page >= len(pages) {
		return Page{}, badCursor()
	}
	items := fresh
	if items == nil {
		if items, err = s.load(ctx, pages[page], now); err != nil {
			return Page{}, err
		}
	}
	out := Page{Items: items}
	if page+1 < len(pages) {
		out.NextCursor = news.EncodeCursor(snap.ID, int64(page+1))
	}
	return out, nil
}

func badCursor() error {
	return &news.Error{Code: news.Invalid, Message: "The cursor is not valid; start again from the first page.",
		Fields: map[string]string{"cursor": "not a cursor this server made"}}
}

func expired() error {
	return &news.Error{Code: news.Invalid, Message: "This page of headlines has expired; start again from the first page.",
		Fields: map[string]string{"cursor": "expired"}}
}

// fromCursor finds the snapshot a cursor names. A cursor of another
// reader's snapshot is refused like a forged one: rankings are personal.
func (s *Service) fromCursor(ctx context.Context, cursor string, accountID int64, now time.Time) (*news.FeedSnapshot, int, error) {
	v, err := news.DecodeCursor(cursor, 2)
	if err != nil {
		return nil, 0, err
	}
	snap, err := s.store.Snapshot(ctx, v[0])
	if news.ErrorCode(err) == news.NotFound {
		return nil, 0, expired()
	} else if err != nil {
		return nil, 0, err
	}
	if snap.AccountID != accountID || v[1] == 0 {
		return nil, 0, badCursor()
	}
	if now.Sub(snap.CreatedAt) > s.O.TTL {
		return nil, 0, expired()
	}
	return snap, int(v[1]), nil
}

// current reuses the reader's snapshot from the last minute, or ranks anew
// and then also returns the first page's items, read before the snapshot
// is saved: read after it, they would come right after a write, which on
// SQLite empties every reader connection's page cache (a cold read of a big
// database; most of a fresh ranking's 140 ms at 1M posts, profiled).
func (s *Service) current(ctx context.Context, viewer *news.Account, now time.Time) (*news.FeedSnapshot, []Item, error) {
	var accountID int64
	if viewer != nil {
		accountID = viewer.ID
	}
	snap, err := s.store.LatestSnapshot(ctx, accountID, now.Add(-s.O.Reuse))
	if err == nil {
		return snap, nil, nil
	} else if news.ErrorCode(err) != news.NotFound {
		return nil, nil, err
	}
	items, err := s.rank(ctx, viewer, now)
	if err != nil {
		return nil, nil, err
	}
	if len(items) > s.O.Keep {
		items = items[:s.O.Keep]
	}
	var pages [][]ref
	for _, pg := range Paginate(items, s.O.PageSize, s.O.PerAuthor) {
		refs := make([]ref, len(pg))
		for i, it := range pg {
			refs[i] = ref{ID: it.Post.ID, Why: it.Reason}
		}
		pages = append(pages, refs)
	}
	if pages == nil {
		pages = [][]ref{{}}
	}
	first, err := s.load(ctx, pages[0], now)
	if err != nil {
		return nil, nil, err
	}
	data, err := json.Marshal(pages)
	if err != nil {
		return nil, nil, err
	}
	snap = &news.FeedSnapshot{ID: randomID(), AccountID: accountID, CreatedAt: now.UTC().Truncate(time.Microsecond), Data: string(data)}
	if err := s.store.SaveSnapshot(ctx, *snap, now.Add(-s.O.TTL)); err != nil {
		return nil, nil, err
	}
	return snap, first, nil
}

// rank gathers candidates (recent posts, plus for a reader the newest of
// the accounts they follow) and the reader's signals, and ranks them.
func (s *Service) rank(ctx context.Context, viewer *news.Account, now time.Time) ([]Item, error) {
	n := s.O.Candidates
	if viewer != nil {
		n += s.O.Below
	}
	cands, err := s.candidates(ctx, now, s.O.Window, "", n)
	if err != nil {
		return nil, err
	}
	var sig Signals
	if viewer != nil {
		k := min(len(cands), s.O.Candidates)
		below := cands[k:]
		cands = cands[:k:k] // clipped: personal appends to it
		if cands, sig, err = s.personal(ctx, viewer, cands, below, now); err != nil {
			return nil, err
		}
	}
	return s.W.Rank(cands, sig, now), nil
}

// personal adds a reader's side to the shared candidates: the Followed
// newest posts of the accounts they follow, and their signals.
//
// Whom the reader follows comes from memory (followedCache, checked
// against the reader's row). The candidates are every visible post newer
// than the oldest of them (the newest in the window), so the followed
// posts among them are the newest followed posts; only the rest are
// looked for, below the oldest candidate (olderFollowed). At 1M posts and
// 5,000 follows, asking the store which candidates' authors were followed
// and walking the timeline with a probe of follows per post were half of
// a reader's ranking (profiled).
func (s *Service) personal(ctx context.Context, viewer *news.Account, cands, below []news.Candidate, now time.Time) ([]news.Candidate, Signals, error) {
	sig := Signals{Followed: map[int64]bool{}}
	set, err := s.follows.get(ctx, s.store, viewer, s.O.FollowIDs)
	if err != nil {
		return nil, sig, err
	}
	need := s.O.Followed
	for _, c := range cands {
		if follows(set, c.Post.AuthorID) {
			sig.Followed[c.Post.AuthorID] = true
			need--
		}
	}
	if len(set) > 0 && need > 0 {
		extra, err := s.olderFollowed(ctx, viewer, set, cands, below, need, now)
		if err != nil {
			return nil, sig, err
		}
		seen := make(map[int64]bool, len(cands))
		for _, c := range cands {
			seen[c.Post.ID] = true
		}
		for _, c := range extra {
			if !seen[c.Post.ID] {
				seen[c.Post.ID] = true
				cands = append(cands, c)
				sig.Followed[c.Post.AuthorID] = true
			}
		}
	}
	sig.Tags, err = s.store.ReaderTags(ctx, news.Reader{AccountID: viewer.ID}, 50)
	return cands, sig, err
}

// load reads a page's posts, in the snapshot's order, leaving out those no
// longer visible (unpublished or deleted since the ranking).
func (s *Service) load(ctx context.Context, refs []ref, now time.Time) ([]Item, error) {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	posts, err := s.store.PostsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*news.Post{}
	for _, p := range posts {
		byID[p.ID] = p
	}
	items := make([]Item, 0, len(refs))
	for _, r := range refs {
		if p := byID[r.ID]; p != nil && p.Visible(now) {
			items = append(items, Item{Post: p, Reason: r.Why})
		}
	}
	return items, nil
}

// Trending returns the hottest posts of the last 24 hours, overall or with
// tag, by the same formula without personal boosts, at most limit and at
// most PerAuthor by one author.
func (s *Service) Trending(ctx context.Context, tag string, limit int) ([]Item, error) {
	now := s.now()
	cands, err := s.candidates(ctx, now, 24*time.Hour, tag, s.O.Candidates)
	if err != nil {
		return nil, err
	}
	pages := Paginate(s.W.Rank(cands, Signals{}, now), limit, s.O.PerAuthor)
	if len(pages) == 0 {
		return nil, nil
	}
	// Candidates carry no titles: load the few shown.
	refs := make([]ref, len(pages[0]))
	for i, it := range pages[0] {
		refs[i] = ref{ID: it.Post.ID, Why: it.Reason}
	}
	return s.load(ctx, refs, now)
}

// candidates are the n newest posts of the window, through the cache. The
// slice is shared by every caller, so it is returned clipped: an append
// (personal adds the followed accounts' posts) copies it instead of
// writing into it.
func (s *Service) candidates(ctx context.Context, now time.Time, window time.Duration, tag string, n int) ([]news.Candidate, error) {
	if s.O.CacheFor <= 0 {
		return s.store.Candidates(ctx, now.Add(-window), now, tag, n)
	}
	c, err := s.cache.get(ctx, s.store, now, window, s.O.CacheFor, tag, n)
	return slices.Clip(c), err
}

// randomID is a positive random snapshot id: a cursor cannot be guessed
// from another's.
func randomID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>1) | 1
}
