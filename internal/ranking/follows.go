package ranking

import (
	"container/list"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/headline/headline/internal/news"
)

// followedCache keeps the sets of accounts readers follow, least recently
// used first out, at most maxIDs ids in all (8 bytes each).
//
// A set is used only while the reader's account row, read for the request
// anyway, shows the FollowsVersion the set was loaded at. Every follow and
// unfollow bumps that version in its own transaction, on whichever
// instance it runs, so an instance never ranks with a set another instance
// has changed: it sees a new version and loads the set again.
type followedCache struct {
	mu     sync.Mutex
	ids    int                     // ids held in all
	lru    list.List               // of *followedEntry, most recent first
	byAcct map[int64]*list.Element // account id → its element
}

type followedEntry struct {
	account int64
	set     news.FollowedSet
}

// get returns whom viewer follows, ids ascending, from memory when the
// kept set's version is the one on viewer's row. maxIDs <= 0 keeps none.
func (c *followedCache) get(ctx context.Context, st Store, viewer *news.Account, maxIDs int) ([]int64, error) {
	if viewer.FollowingCount == 0 {
		return nil, nil
	}
	c.mu.Lock()
	if el, ok := c.byAcct[viewer.ID]; ok {
		e := el.Value.(*followedEntry)
		if e.set.Version == viewer.FollowsVersion {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return e.set.IDs, nil
		}
	}
	c.mu.Unlock()
	set, err := st.FollowedSet(ctx, viewer.ID)
	if err != nil {
		return nil, err
	}
	c.put(viewer.ID, set, maxIDs)
	return set.IDs, nil
}

// put keeps set for account, replacing any older one, then drops the least
// recently used sets until at most maxIDs ids are held. A set bigger than
// maxIDs alone is not kept.
func (c *followedCache) put(account int64, set news.FollowedSet, maxIDs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAcct == nil {
		c.byAcct = map[int64]*list.Element{}
	}
	if el, ok := c.byAcct[account]; ok {
		c.remove(el)
	}
	if len(set.IDs) > maxIDs {
		return
	}
	c.byAcct[account] = c.lru.PushFront(&followedEntry{account: account, set: set})
	c.ids += len(set.IDs)
	for c.ids > maxIDs {
		c.remove(c.lru.Back())
	}
}

func (c *followedCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*followedEntry)
	delete(c.byAcct, e.account)
	c.ids -= len(e.set.IDs)
}

// size reports the sets and ids held, for tests.
func (c *followedCache) size() (sets, ids int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.ids
}

func follows(set []int64, id int64) bool {
	_, ok := slices.BinarySearch(set, id)
	return ok
}

// olderFollowed returns the newest need posts by authors in set that are
// older than the oldest candidate, with their counters: what
// FollowingTimeline from that candidate down returns.
//
// They are looked for first in below, the shared posts right under the
// candidates, in memory: with the set in memory too that costs no query.
// A reader who follows a few hundred of 100,000 accounts or more finds
// them there (5,000 follows: ~25 posts within the first ~500). The rest
// (a reader who follows few, a small site whose window ends early) comes
// from FollowingTimeline below the last post walked.
func (s *Service) olderFollowed(ctx context.Context, viewer *news.Account, set []int64, cands, below []news.Candidate,
	need int, now time.Time) ([]news.Candidate, error) {
	var found []news.Candidate
	for _, c := range below {
		if follows(set, c.Post.AuthorID) {
			if found = append(found, c); len(found) == need {
				return found, nil
			}
		}
	}
	var after *news.PostCursor // below the last post walked
	for _, list := range [][]news.Candidate{cands, below} {
		if len(list) > 0 {
			p := list[len(list)-1].Post
			after = &news.PostCursor{Time: p.PublishedAt, ID: p.ID}
		}
	}
	posts, err := s.store.FollowingTimeline(ctx, viewer.ID, now, after, need-len(found))
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	stats, err := s.store.PostStats(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		found = append(found, news.Candidate{Post: p, Stats: stats[p.ID]})
	}
	return found, nil
}
