package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// EditComment replaces the body of a comment that is not deleted and
// stamps EditedAt.
func (s *Store) EditComment(ctx context.Context, id int64, body, bodyHTML string) (*news.Comment, error) {
	tag, err := s.db().Exec(ctx, `UPDATE comments SET body = $1, body_hash = $2, body_html = $3, edited_at = $4
		WHERE id = $5 AND status <> 'deleted' AND deleted_at IS NULL`, body, news.BodyHash(body), bodyHTML, s.now(), id)
	if err != nil {
		return nil, dbErr(err, "edit comment", msgs{})
	}
	if tag.RowsAffected() == 0 {
		return nil, notFound(msgNoComment)
	}
	return s.CommentByID(ctx, id)
}

// DeleteComment deletes a comment as news.ReactionStore says. The comment
// and then each ancestor it changes are locked (FOR UPDATE) in child to
// parent order, the order every delete takes, before they are read.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error {
		var postID, replies int64
		var parent *int64
		var status string
		var deleted *time.Time
		err := tx.QueryRow(ctx, `SELECT post_id, parent_id, status, deleted_at, replies_count FROM comments WHERE id = $1 FOR UPDATE`, id).
			Scan(&postID, &parent, &status, &deleted, &replies)
		if err != nil {
			return err
		}
		if status == string(news.CommentDeleted) || deleted != nil {
			return nil // deleting twice changes nothing
		}
		published := status == string(news.CommentPublished)
		if published && replies > 0 {
			_, err := tx.Exec(ctx, `UPDATE comments SET deleted_at = $1, body_html = '', pinned_at = NULL WHERE id = $2`, now, id)
			if err == nil {
				_, err = tx.Exec(ctx, `UPDATE posts SET comments_count = comments_count - 1 WHERE id = $1`, postID)
			}
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'deleted', deleted_at = $1, body_html = '', pinned_at = NULL WHERE id = $2`, now, id); err != nil {
			return err
		}
		if !published {
			return nil // held comments were never counted
		}
		if _, err := tx.Exec(ctx, `UPDATE posts SET comments_count = comments_count - 1 WHERE id = $1`, postID); err != nil {
			return err
		}
		return removeEmptyPlaceholders(ctx, tx, parent)
	})
	return dbErr(err, "delete comment", msgs{notFound: msgNoComment})
}

// removeEmptyPlaceholders takes one reply away from parent and, while that
// leaves a placeholder with no replies, marks it deleted and goes up. A
// placeholder was already taken off the post's CommentsCount.
func removeEmptyPlaceholders(ctx context.Context, tx pgx.Tx, parent *int64) error {
	for range news.MaxCommentDepth + 1 {
		if parent == nil {
			return nil
		}
		var replies int64
		var placeholder bool
		var next *int64
		err := tx.QueryRow(ctx, `UPDATE comments SET replies_count = replies_count - 1 WHERE id = $1
			RETURNING replies_count, deleted_at IS NOT NULL, parent_id`, *parent).Scan(&replies, &placeholder, &next)
		if err != nil {
			return err
		}
		if replies > 0 || !placeholder {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'deleted' WHERE id = $1`, *parent); err != nil {
			return err
		}
		parent = next
	}
	return nil
}

// PinComment pins or unpins a published, top-level, not deleted comment.
// The post's row is locked first, so two moderators pinning at once cannot
// both pass the count.
func (s *Store) PinComment(ctx context.Context, id int64, pin bool, max int) (*news.Comment, error) {
	now := s.now()
	var c *news.Comment
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = scanComment(tx.QueryRow(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = $1`, id))
		if err != nil {
			return err
		}
		if err := news.CheckPinnable(c); err != nil {
			return err
		}
		if !pin {
			c.PinnedAt = time.Time{}
			_, err = tx.Exec(ctx, `UPDATE comments SET pinned_at = NULL WHERE id = $1`, id)
			return err
		}
		if !c.PinnedAt.IsZero() {
			return nil // pinning twice changes nothing
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM posts WHERE id = $1 FOR UPDATE`, c.PostID).Scan(&n); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM comments WHERE post_id = $1 AND pinned_at IS NOT NULL`, c.PostID).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return news.TooManyPins(max)
		}
		c.PinnedAt = now
		_, err = tx.Exec(ctx, `UPDATE comments SET pinned_at = $1 WHERE id = $2`, now, id)
		return err
	})
	return c, dbErr(err, "pin comment", msgs{notFound: msgNoComment})
}

// PinnedComments returns a post's pinned published comments, first pinned
// first, through the partial index comments_pinned.
func (s *Store) PinnedComments(ctx context.Context, postID int64) ([]*news.Comment, error) {
	rows, err := s.db().Query(ctx, `SELECT `+commentCols+commentFrom+`
		WHERE c.post_id = $1 AND c.pinned_at IS NOT NULL AND c.status = 'published' AND c.deleted_at IS NULL
		ORDER BY c.pinned_at, c.id`, postID)
	if err != nil {
		return nil, dbErr(err, "pinned comments", msgs{})
	}
	list, err := collectComments(rows)
	return list, dbErr(err, "pinned comments", msgs{})
}

// RecentDuplicate finds the writer's newest identical comment since then,
// through comments_writer: one seek to the writer's comments on the post
// with the same body hash, which reads no row unless there is one.
func (s *Store) RecentDuplicate(ctx context.Context, c *news.Comment, since time.Time) (*news.Comment, error) {
	d, err := recentDuplicate(ctx, s.db(), c, since)
	return d, dbErr(err, "recent duplicate", msgs{notFound: msgNoComment})
}

// recentDuplicate is RecentDuplicate on q (the pool, or a transaction);
// none is pgx.ErrNoRows.
func recentDuplicate(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, c *news.Comment, since time.Time) (*news.Comment, error) {
	var a args
	writer := `c.account_id = ` + a.add(c.AccountID)
	if c.AccountID == 0 {
		a = nil
		writer = `c.account_id IS NULL`
	}
	where := writer + ` AND c.post_id = ` + a.add(c.PostID) + ` AND c.email = ` + a.add(c.Email) +
		` AND c.body_hash = ` + a.add(news.BodyHash(c.Body)) + ` AND c.created_at >= ` + a.add(utc(since)) +
		` AND coalesce(c.parent_id, 0) = ` + a.add(c.ParentID) + ` AND c.body = ` + a.add(c.Body) +
		` AND c.status <> 'deleted' AND c.deleted_at IS NULL`
	return scanComment(q.QueryRow(ctx, `SELECT `+commentCols+commentFrom+` WHERE `+where+
		` ORDER BY c.created_at DESC, c.id DESC LIMIT 1`, a...))
}

// CheckComment makes the three reads of a comment post one after another,
// each on the pool as its own method would: PostgreSQL reads without the
// per-transaction cost that made SQLite want them in one.
func (s *Store) CheckComment(ctx context.Context, q news.CommentCheckQuery) (news.CommentCheck, error) {
	var r news.CommentCheck
	var err error
	// Only what the checks use of the post (news.CommentCheck).
	r.Post = &news.Post{ID: q.Comment.PostID}
	var published *time.Time
	err = s.db().QueryRow(ctx, `SELECT author_id, status, published_at FROM posts WHERE id = $1`, r.Post.ID).
		Scan(&r.Post.AuthorID, &r.Post.Status, &published)
	if err != nil {
		return news.CommentCheck{}, dbErr(err, "check comment", msgs{notFound: msgNoPost})
	}
	r.Post.PublishedAt = fromNullTime(published)
	r.Duplicate, err = s.RecentDuplicate(ctx, q.Comment, q.DedupSince)
	if news.ErrorCode(err) == news.NotFound {
		r.Duplicate = nil
	} else if err != nil {
		return news.CommentCheck{}, err
	}
	if q.Writer != nil {
		if r.Writer, err = s.WriterFacts(ctx, *q.Writer); err != nil {
			return news.CommentCheck{}, err
		}
	}
	return r, nil
}
