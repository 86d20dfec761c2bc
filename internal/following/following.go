// Package following owns follows and the following timeline: who may
// follow whom, the paginated follower lists, and the timeline of followed
// accounts' posts, which is merged on read so that publishing costs the
// same for 10 or 1,000,000 followers.
package following

import (
	"context"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// Store is what the service needs.
type Store interface {
	news.FollowStore
	news.TimelineStore
	AccountByHandle(ctx context.Context, handle string) (*news.Account, error)
	AccountByID(ctx context.Context, id int64) (*news.Account, error)
}

// Service applies the follow rules over a Store.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service. now may be nil for time.Now.
func New(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 50
)

// Result is the followed account after a follow or unfollow, with its
// counts as stored, and whether anything changed.
type Result struct {
	Account   *news.Account
	Following bool
	Changed   bool
}

// Follow makes actor follow the account with handle. Following twice is a
// no-op; following yourself is Invalid; an unknown handle NotFound.
func (s *Service) Follow(ctx context.Context, actor *news.Account, handle string) (Result, error) {
	return s.change(ctx, actor, handle, true)
}

// Unfollow stops actor following handle; a no-op when actor did not.
func (s *Service) Unfollow(ctx context.Context, actor *news.Account, handle string) (Result, error) {
	return s.change(ctx, actor, handle, false)
}

func (s *Service) change(ctx context.Context, actor *news.Account, handle string, follow bool) (Result, error) {
	if actor == nil {
		return Result{}, news.Errorf(news.Unauthorized, "Sign in to follow accounts.")
	}
	target, err := s.store.AccountByHandle(ctx, strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if err != nil {
		return Result{}, err
	}
	if target.ID == actor.ID {
		return Result{}, news.Errorf(news.Invalid, "You cannot follow yourself.")
	}
	var changed bool
	if follow {
		changed, err = s.store.Follow(ctx, actor.ID, target.ID)
	} else {
		changed, err = s.store.Unfollow(ctx, actor.ID, target.ID)
	}
	if err != nil {
		return Result{}, err
	}
	// Read back: the counts as committed, including other people's follows.
	if target, err = s.store.AccountByID(ctx, target.ID); err != nil {
		return Result{}, err
	}
	return Result{Account: target, Following: follow, Changed: changed}, nil
}

// IsFollowing reports whether viewer follows account; false for guests.
func (s *Service) IsFollowing(ctx context.Context, viewer *news.Account, accountID int64) (bool, error) {
	if viewer == nil || viewer.ID == accountID {
		return false, nil
	}
	return s.store.IsFollowing(ctx, viewer.ID, accountID)
}

// FollowingAmong returns which of ids viewer follows; empty for guests.
func (s *Service) FollowingAmong(ctx context.Context, viewer *news.Account, ids []int64) (map[int64]bool, error) {
	if viewer == nil {
		return map[int64]bool{}, nil
	}
	return s.store.FollowingAmong(ctx, viewer.ID, ids)
}

// ListPage is a page of a followers or following list.
type ListPage struct {
	Account    *news.Account // whose list it is
	Entries    []news.FollowEntry
	NextCursor string
}

// Followers lists who follows handle, newest first.
func (s *Service) Followers(ctx context.Context, handle, cursor string, limit int) (ListPage, error) {
	return s.list(ctx, handle, cursor, limit, true)
}

// Following lists whom handle follows, newest first.
func (s *Service) Following(ctx context.Context, handle, cursor string, limit int) (ListPage, error) {
	return s.list(ctx, handle, cursor, limit, false)
}

func (s *Service) list(ctx context.Context, handle, cursor string, limit int, followers bool) (ListPage, error) {
	a, err := s.store.AccountByHandle(ctx, strings.TrimPrefix(handle, "@"))
	if err != nil {
		return ListPage{}, err
	}
	limit = clamp(limit)
	var after *news.FollowCursor
	if cursor != "" {
		v, err := news.DecodeCursor(cursor, 2)
		if err != nil {
			return ListPage{}, err
		}
		after = &news.FollowCursor{Time: time.UnixMicro(v[0]).UTC(), ID: v[1]}
	}
	list := s.store.ListFollowing
	if followers {
		list = s.store.ListFollowers
	}
	entries, err := list(ctx, a.ID, after, limit+1)
	if err != nil {
		return ListPage{}, err
	}
	page := ListPage{Account: a, Entries: entries}
	if len(entries) > limit {
		page.Entries = entries[:limit]
		last := page.Entries[limit-1]
		page.NextCursor = news.EncodeCursor(last.FollowedAt.UnixMicro(), last.Account.ID)
	}
	return page, nil
}

// TimelinePage is a page of the following timeline.
type TimelinePage struct {
	Posts      []*news.Post
	NextCursor string
}

// Timeline returns viewer's following timeline, newest first. The cursor
// is a keyset (published time, id), so new posts arriving at the top never
// shift the pages a reader is paging through.
func (s *Service) Timeline(ctx context.Context, viewer *news.Account, cursor string, limit int) (TimelinePage, error) {
	if viewer == nil {
		return TimelinePage{}, news.Errorf(news.Unauthorized, "Sign in to see the posts of the accounts you follow.")
	}
	limit = clamp(limit)
	var after *news.PostCursor
	if cursor != "" {
		v, err := news.DecodeCursor(cursor, 2)
		if err != nil {
			return TimelinePage{}, err
		}
		after = &news.PostCursor{Time: time.UnixMicro(v[0]).UTC(), ID: v[1]}
	}
	posts, err := s.store.FollowingTimeline(ctx, viewer.ID, s.now(), after, limit+1)
	if err != nil {
		return TimelinePage{}, err
	}
	page := TimelinePage{Posts: posts}
	if len(posts) > limit {
		page.Posts = posts[:limit]
		last := page.Posts[limit-1]
		page.NextCursor = news.EncodeCursor(last.PublishedAt.UnixMicro(), last.ID)
	}
	return page, nil
}

func clamp(n int) int {
	if n <= 0 || n > MaxLimit {
		return DefaultLimit
	}
	return n
}
