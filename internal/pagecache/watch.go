package pagecache

import (
	"context"
	"time"

	"github.com/headline/headline/internal/news"
)

// Invalidator drops tags from the caches of this instance and of the
// others; Relay.Invalidate is one, Cache.Invalidate another.
type Invalidator interface {
	Invalidate(tags ...string)
	InvalidateAll()
}

// Watch returns st with every write that changes what a cached page shows
// invalidating that page's tags once it committed. Writes no page shows
// (views, notifications) pass through: views are bounded by the cache's
// TTL. Signing out invalidates the session's tag, for sessions kept by
// WatchKeepingSessions.
//
// Watching the store, not the services, keeps the rule in one place: a
// new service that writes comments invalidates them without knowing the
// cache exists.
func Watch(st news.Store, inv Invalidator) news.Store {
	return &watched{Store: st, inv: inv}
}

type watched struct {
	news.Store
	inv      Invalidator
	sessions *Cache // nil: sessions are not kept (sessions.go)
}

func (w *watched) Bulk(ctx context.Context, fn func(tx news.Store) error) error {
	err := w.Store.Bulk(ctx, fn)
	w.inv.InvalidateAll()
	return err
}

func (w *watched) UpdateAccount(ctx context.Context, id int64, u news.AccountUpdate) (*news.Account, error) {
	a, err := w.Store.UpdateAccount(ctx, id, u)
	if err == nil {
		w.inv.Invalidate(AccountTag(id))
	}
	return a, err
}

func (w *watched) CreatePost(ctx context.Context, p *news.Post) error {
	err := w.Store.CreatePost(ctx, p)
	if err == nil {
		// The byline shows the author's post count.
		w.inv.Invalidate(AccountTag(p.AuthorID))
	}
	return err
}

func (w *watched) UpdatePost(ctx context.Context, p *news.Post) error {
	err := w.Store.UpdatePost(ctx, p)
	if err == nil {
		w.inv.Invalidate(PostTag(p.ID), AccountTag(p.AuthorID))
	}
	return err
}

// DeletePost drops the post's pages and its author's (the byline shows
// the post count, the profile lists the post). The post is read first: once
// deleted, nothing says who wrote it.
func (w *watched) DeletePost(ctx context.Context, id int64) error {
	p, readErr := w.Store.PostByID(ctx, id)
	err := w.Store.DeletePost(ctx, id)
	switch {
	case err != nil:
	case readErr != nil:
		// Deleted, yet the read failed: drop everything rather than serve it.
		w.inv.InvalidateAll()
	default:
		w.inv.Invalidate(PostTag(id), AccountTag(p.AuthorID))
	}
	return err
}

func (w *watched) CreateComment(ctx context.Context, c *news.Comment) error {
	err := w.Store.CreateComment(ctx, c)
	if err == nil {
		w.inv.Invalidate(PostTag(c.PostID))
	}
	return err
}

func (w *watched) CreateCommentOnce(ctx context.Context, c *news.Comment, since time.Time) (*news.Comment, error) {
	dup, err := w.Store.CreateCommentOnce(ctx, c, since)
	if err == nil && dup == nil {
		w.inv.Invalidate(PostTag(c.PostID))
	}
	return dup, err
}

func (w *watched) EditComment(ctx context.Context, id int64, body, bodyHTML string) (*news.Comment, error) {
	c, err := w.Store.EditComment(ctx, id, body, bodyHTML)
	if err == nil {
		w.inv.Invalidate(PostTag(c.PostID))
	}
	return c, err
}

func (w *watched) PinComment(ctx context.Context, id int64, pin bool, max int) (*news.Comment, error) {
	c, err := w.Store.PinComment(ctx, id, pin, max)
	if err == nil {
		w.inv.Invalidate(PostTag(c.PostID))
	}
	return c, err
}

func (w *watched) DeleteComment(ctx context.Context, id int64) error {
	err := w.Store.DeleteComment(ctx, id)
	if err == nil {
		w.commentChanged(ctx, id)
	}
	return err
}

func (w *watched) LikeComment(ctx context.Context, id int64, r news.Reader) (news.Like, error) {
	l, err := w.Store.LikeComment(ctx, id, r)
	if err == nil {
		w.likeChanged(ctx, l)
	}
	return l, err
}

func (w *watched) UnlikeComment(ctx context.Context, id int64, r news.Reader) (news.Like, error) {
	l, err := w.Store.UnlikeComment(ctx, id, r)
	if err == nil {
		w.likeChanged(ctx, l)
	}
	return l, err
}

// likeChanged invalidates the post of a liked comment. A like moves the
// comment in the top sort and may make it hot, so the whole post's pages
// go, not only those that show the comment.
func (w *watched) likeChanged(ctx context.Context, l news.Like) {
	if l.PostID == 0 {
		w.commentChanged(ctx, l.CommentID)
		return
	}
	w.inv.Invalidate(PostTag(l.PostID))
}

// commentChanged invalidates the post of comment id.
func (w *watched) commentChanged(ctx context.Context, id int64) {
	c, err := w.Store.CommentByID(ctx, id)
	if err != nil {
		// Not knowing the post, drop everything rather than serve stale.
		w.inv.InvalidateAll()
		return
	}
	w.inv.Invalidate(PostTag(c.PostID))
}

// ModerateComment approves, marks spam or trashes a comment: each changes
// what its post's pages show (an approved comment appears, counts move).
func (w *watched) ModerateComment(ctx context.Context, id int64, act news.ModerationAction) (*news.Comment, error) {
	c, err := w.Store.ModerateComment(ctx, id, act)
	if err == nil {
		w.inv.Invalidate(PostTag(c.PostID))
	}
	return c, err
}

// MarkRead changes the unread badge, which a signed-in reader's state
// kept next to the pages holds (tagged with their account).
func (w *watched) MarkRead(ctx context.Context, accountID, upToID int64) (int64, error) {
	n, err := w.Store.MarkRead(ctx, accountID, upToID)
	if err == nil && n > 0 {
		w.inv.Invalidate(AccountTag(accountID))
	}
	return n, err
}

func (w *watched) Follow(ctx context.Context, followerID, followeeID int64) (bool, error) {
	changed, err := w.Store.Follow(ctx, followerID, followeeID)
	if err == nil && changed {
		w.inv.Invalidate(AccountTag(followeeID), AccountTag(followerID))
	}
	return changed, err
}

func (w *watched) Unfollow(ctx context.Context, followerID, followeeID int64) (bool, error) {
	changed, err := w.Store.Unfollow(ctx, followerID, followeeID)
	if err == nil && changed {
		w.inv.Invalidate(AccountTag(followeeID), AccountTag(followerID))
	}
	return changed, err
}

func (w *watched) LikePost(ctx context.Context, postID int64, r news.Reader) (bool, error) {
	changed, err := w.Store.LikePost(ctx, postID, r)
	if err == nil && changed {
		w.inv.Invalidate(PostTag(postID))
	}
	return changed, err
}

func (w *watched) UnlikePost(ctx context.Context, postID int64, r news.Reader) (bool, error) {
	changed, err := w.Store.UnlikePost(ctx, postID, r)
	if err == nil && changed {
		w.inv.Invalidate(PostTag(postID))
	}
	return changed, err
}

func (w *watched) AddShare(ctx context.Context, postID int64) (int64, error) {
	n, err := w.Store.AddShare(ctx, postID)
	if err == nil {
		w.inv.Invalidate(PostTag(postID))
	}
	return n, err
}

// Media changes show on the pages of the posts that use the item, which a
// media id does not name without a read. They happen once or twice per
// upload (processing finished or failed for good, a subtitle added), so
// they drop every page rather than look the posts up.

func (w *watched) FinishMedia(ctx context.Context, id int64, r news.MediaResult) error {
	err := w.Store.FinishMedia(ctx, id, r)
	if err == nil {
		w.inv.InvalidateAll()
	}
	return err
}

func (w *watched) FailMedia(ctx context.Context, id int64, reason string, final bool) error {
	err := w.Store.FailMedia(ctx, id, reason, final)
	if err == nil && final {
		w.inv.InvalidateAll()
	}
	return err
}

func (w *watched) AddSubtitle(ctx context.Context, s *news.Subtitle) error {
	err := w.Store.AddSubtitle(ctx, s)
	if err == nil {
		w.inv.InvalidateAll()
	}
	return err
}

func (w *watched) SetPostMedia(ctx context.Context, postID, mainID int64, embedded []int64) error {
	err := w.Store.SetPostMedia(ctx, postID, mainID, embedded)
	if err == nil {
		w.inv.Invalidate(PostTag(postID))
	}
	return err
}
