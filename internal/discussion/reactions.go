package discussion

import (
	"context"
	"strings"
	"time"

	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
)

// EditWindow is how long a writer may edit their comment after writing
// it. Moderators may edit at any time.
const EditWindow = 15 * time.Minute

// MaxPinned is how many comments of one post may be pinned at once.
const MaxPinned = 3

// Like sets (on) or clears reader r's like of a comment. A deleted comment
// is a Conflict (it is still shown, as "comment deleted", but cannot be
// liked); a held or missing one is NotFound. Liking twice changes nothing.
func (s *Service) Like(ctx context.Context, viewer *news.Account, r news.Reader, commentID int64, on bool) (news.Like, error) {
	if r.Key() == "" {
		return news.Like{}, news.Errorf(news.Unauthorized, "Sign in to like comments.")
	}
	c, err := s.visibleComment(ctx, viewer, commentID)
	if news.ErrorCode(err) == news.NotFound {
		if d, derr := s.store.CommentByID(ctx, commentID); derr == nil && d.Status == news.CommentDeleted {
			err = deletedConflict("liked")
		}
	}
	if err != nil {
		return news.Like{}, err
	}
	if c.Placeholder() {
		return news.Like{}, deletedConflict("liked")
	}
	if on {
		return s.store.LikeComment(ctx, commentID, r)
	}
	return s.store.UnlikeComment(ctx, commentID, r)
}

// LikeFrom is Like, rate limited per reader and per IP when moderation
// is on.
func (s *Service) LikeFrom(ctx context.Context, viewer *news.Account, r news.Reader, ip string, commentID int64, on bool) (news.Like, error) {
	if s.mod != nil && r.Key() != "" {
		if err := s.mod.Limit(ctx, moderation.ActLike, ip, r.Key()); err != nil {
			return news.Like{}, err
		}
	}
	return s.Like(ctx, viewer, r, commentID, on)
}

func deletedConflict(what string) error {
	return news.Errorf(news.Conflict, "That comment was deleted; it cannot be %s.", what)
}

// LikedBy returns which of the comments ids reader r likes.
func (s *Service) LikedBy(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error) {
	if r.Key() == "" || len(ids) == 0 {
		return map[int64]bool{}, nil
	}
	return s.store.LikedComments(ctx, r, ids)
}

// ReaderState reads at once what q's reader sees of their own on a
// post's page, under the rules of the reads it stands for: nothing for
// nobody, no unread count and no follow for a guest, no follow of
// oneself. The caller asks only for the parts whose services are on.
func (s *Service) ReaderState(ctx context.Context, q news.ReaderStateQuery) (news.ReaderState, error) {
	if q.Reader.Key() == "" {
		return news.ReaderState{LikedComments: map[int64]bool{}}, nil
	}
	if q.Reader.AccountID == 0 {
		q.UnreadMax, q.AuthorID = 0, 0
	}
	if q.AuthorID == q.Reader.AccountID {
		q.AuthorID = 0
	}
	return s.store.ReaderState(ctx, q)
}

// CanEdit reports whether viewer may edit c at now: its writer (an account)
// within EditWindow, or a moderator. Guests have no identity that
// outlives their request, so they cannot edit.
func CanEdit(viewer *news.Account, c *news.Comment, now time.Time) bool {
	if viewer == nil || c.Status == news.CommentDeleted || c.Placeholder() {
		return false
	}
	if viewer.Role.CanModerate() {
		return true
	}
	return c.AccountID == viewer.ID && now.Before(c.CreatedAt.Add(EditWindow))
}

// CanDelete reports whether viewer may delete c: its writer at any time,
// or a moderator.
func CanDelete(viewer *news.Account, c *news.Comment) bool {
	if viewer == nil || c.Status == news.CommentDeleted || c.Placeholder() {
		return false
	}
	return viewer.Role.CanModerate() || c.AccountID == viewer.ID
}

// CanPin reports whether viewer may pin comments of post: its author or a
// moderator.
func CanPin(viewer *news.Account, post *news.Post) bool {
	return viewer != nil && (viewer.ID == post.AuthorID || viewer.Role.CanModerate())
}

// Edit replaces the body of a comment, rendered and sanitized again.
func (s *Service) Edit(ctx context.Context, viewer *news.Account, id int64, body string) (*news.Comment, error) {
	if viewer == nil {
		return nil, news.Errorf(news.Unauthorized, "Sign in to edit your comments.")
	}
	c, err := s.visibleComment(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	if !CanEdit(viewer, c, s.now()) {
		if c.AccountID == viewer.ID && !c.Placeholder() {
			return nil, news.Errorf(news.Forbidden, "Comments can be edited for %d minutes after they are written.", int(EditWindow/time.Minute))
		}
		return nil, news.Errorf(news.Forbidden, "You can only edit your own comments.")
	}
	body = strings.TrimRight(body, " \t\r\n")
	p := news.Problems{}
	news.CheckText(p, "body", "Comment", body, news.MaxCommentBody, true)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.store.EditComment(ctx, id, body, render.Comment(body))
}

// Delete deletes a comment by its writer or a moderator. One with replies
// stays as a "comment deleted" placeholder. Deleting twice is harmless.
func (s *Service) Delete(ctx context.Context, viewer *news.Account, id int64) error {
	if viewer == nil {
		return news.Errorf(news.Unauthorized, "Sign in to delete your comments.")
	}
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return err
	}
	if c.Status == news.CommentDeleted || c.Placeholder() {
		return nil
	}
	if _, err := s.visiblePost(ctx, viewer, c.PostID); err != nil {
		return err
	}
	if !CanDelete(viewer, c) {
		return news.Errorf(news.Forbidden, "You can only delete your own comments.")
	}
	return s.store.DeleteComment(ctx, id)
}

// Pin pins (on) or unpins a top-level comment; the post's author and
// moderators may. Pinning twice changes nothing; at most MaxPinned
// comments of a post are pinned (a Conflict beyond).
func (s *Service) Pin(ctx context.Context, viewer *news.Account, id int64, on bool) (*news.Comment, error) {
	if viewer == nil {
		return nil, news.Errorf(news.Unauthorized, "Sign in to pin comments.")
	}
	c, err := s.visibleComment(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	post, err := s.store.PostByID(ctx, c.PostID)
	if err != nil {
		return nil, err
	}
	if !CanPin(viewer, post) {
		return nil, news.Errorf(news.Forbidden, "Only the post's author and moderators can pin comments.")
	}
	return s.store.PinComment(ctx, id, on, MaxPinned)
}
