// Package engagement owns how readers react to posts: likes (one per
// reader, account or guest, toggled), shares (a counter), and views,
// counted once per reader per post and buffered in memory so that reading
// a post never waits for a counter write.
package engagement

import (
	"context"
	"time"

	"github.com/headline/headline/internal/news"
)

// Store is what the service needs.
type Store interface {
	LikePost(ctx context.Context, postID int64, r news.Reader) (bool, error)
	UnlikePost(ctx context.Context, postID int64, r news.Reader) (bool, error)
	LikedPosts(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error)
	AddShare(ctx context.Context, postID int64) (int64, error)
	RecordViews(ctx context.Context, views []news.ViewMark) (int, error)
	PostStats(ctx context.Context, ids []int64) (map[int64]news.PostStats, error)
	PostByID(ctx context.Context, id int64) (*news.Post, error)
}

// Service applies the engagement rules.
type Service struct {
	store Store
	now   func() time.Time
	Views *ViewBuffer
}

// New returns a Service whose views go through a buffer flushed by
// Views.Run. now may be nil for time.Now.
func New(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now, Views: NewViewBuffer(store, DefaultMaxPending)}
}

// ReaderOf is the reader behind a request: the account when signed in,
// else the guest id ("" when the browser has none).
func ReaderOf(viewer *news.Account, guestID string) news.Reader {
	if viewer != nil {
		return news.Reader{AccountID: viewer.ID}
	}
	return news.Reader{GuestID: guestID}
}

// LikeResult is a post's like state for the reader after a change.
type LikeResult struct {
	Liked   bool
	Likes   int64
	Changed bool
}

// Like records r's like of a visible post; liking twice is a no-op.
func (s *Service) Like(ctx context.Context, r news.Reader, postID int64) (LikeResult, error) {
	return s.setLike(ctx, r, postID, true)
}

// Unlike removes r's like; a no-op when there was none.
func (s *Service) Unlike(ctx context.Context, r news.Reader, postID int64) (LikeResult, error) {
	return s.setLike(ctx, r, postID, false)
}

func (s *Service) setLike(ctx context.Context, r news.Reader, postID int64, like bool) (LikeResult, error) {
	if r.Key() == "" {
		return LikeResult{}, news.Errorf(news.Unauthorized, "Sign in to like posts.")
	}
	if err := s.visible(ctx, postID); err != nil {
		return LikeResult{}, err
	}
	var changed bool
	var err error
	if like {
		changed, err = s.store.LikePost(ctx, postID, r)
	} else {
		changed, err = s.store.UnlikePost(ctx, postID, r)
	}
	if err != nil {
		return LikeResult{}, err
	}
	st, err := s.store.PostStats(ctx, []int64{postID})
	if err != nil {
		return LikeResult{}, err
	}
	return LikeResult{Liked: like, Likes: st[postID].Likes, Changed: changed}, nil
}

// visible refuses posts that readers cannot see (drafts, scheduled) as
// missing, as every read does.
func (s *Service) visible(ctx context.Context, postID int64) error {
	p, err := s.store.PostByID(ctx, postID)
	if err != nil {
		return err
	}
	if !p.Visible(s.now()) {
		return news.Errorf(news.NotFound, "That post does not exist.")
	}
	return nil
}

// Share counts a share of a visible post and returns the new count.
func (s *Service) Share(ctx context.Context, postID int64) (int64, error) {
	if err := s.visible(ctx, postID); err != nil {
		return 0, err
	}
	return s.store.AddShare(ctx, postID)
}

// Liked returns which of ids r has liked.
func (s *Service) Liked(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error) {
	if r.Key() == "" {
		return map[int64]bool{}, nil
	}
	return s.store.LikedPosts(ctx, r, ids)
}

// Stats returns the counters of one post.
func (s *Service) Stats(ctx context.Context, postID int64) (news.PostStats, error) {
	m, err := s.store.PostStats(ctx, []int64{postID})
	return m[postID], err
}

// View notes that r read the post. It never blocks on the database: the
// view is counted at the next flush (see ViewBuffer).
func (s *Service) View(r news.Reader, postID int64) {
	if k := r.Key(); k != "" {
		s.Views.Add(news.ViewMark{PostID: postID, ReaderKey: k})
	}
}
