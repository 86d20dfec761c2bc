package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/headline/headline/internal/news"
)

// EditComment replaces the body of a comment that is not deleted and
// stamps EditedAt.
func (s *Store) EditComment(ctx context.Context, id int64, body, bodyHTML string) (*news.Comment, error) {
	now := s.now()
	var c *news.Comment
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET body = ?, body_hash = ?, body_html = ?, edited_at = ?
			WHERE id = ? AND status <> 'deleted' AND deleted_at IS NULL`, body, news.BodyHash(body), bodyHTML, now.UnixMicro(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound(msgNoComment)
		}
		c, err = scanComment(tx.QueryRowContext(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = ?`, id))
		return err
	})
	return c, dbErr(err, "edit comment", msgs{notFound: msgNoComment})
}

// DeleteComment deletes a comment as news.ReactionStore says: a
// placeholder when it has replies, gone otherwise, and then each
// placeholder above it that is left without replies goes too. The walk up
// is bounded by news.MaxCommentDepth.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	now := s.now().UnixMicro()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var postID, replies int64
		var parent, deleted sql.NullInt64
		var status string
		err := tx.QueryRowContext(ctx, `SELECT post_id, parent_id, status, deleted_at, replies_count FROM comments WHERE id = ?`, id).
			Scan(&postID, &parent, &status, &deleted, &replies)
		if err != nil {
			return err
		}
		if status == string(news.CommentDeleted) || deleted.Valid {
			return nil // deleting twice changes nothing
		}
		published := status == string(news.CommentPublished)
		if published && replies > 0 {
			_, err := tx.ExecContext(ctx, `UPDATE comments SET deleted_at = ?, body_html = '', pinned_at = NULL WHERE id = ?`, now, id)
			if err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE posts SET comments_count = comments_count - 1 WHERE id = ?`, postID)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'deleted', deleted_at = ?, body_html = '', pinned_at = NULL WHERE id = ?`, now, id); err != nil {
			return err
		}
		if !published {
			return nil // held comments were never counted
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET comments_count = comments_count - 1 WHERE id = ?`, postID); err != nil {
			return err
		}
		return removeEmptyPlaceholders(ctx, tx, parent, now)
	})
	return dbErr(err, "delete comment", msgs{notFound: msgNoComment})
}

// removeEmptyPlaceholders takes one reply away from parent and, while that
// leaves a placeholder with no replies, marks it deleted and goes up. A
// placeholder was already taken off the post's CommentsCount.
func removeEmptyPlaceholders(ctx context.Context, tx *sql.Tx, parent sql.NullInt64, now int64) error {
	for range news.MaxCommentDepth + 1 {
		if !parent.Valid {
			return nil
		}
		var replies int64
		var deleted sql.NullInt64
		var next sql.NullInt64
		err := tx.QueryRowContext(ctx, `UPDATE comments SET replies_count = replies_count - 1 WHERE id = ?
			RETURNING replies_count, deleted_at, parent_id`, parent.Int64).Scan(&replies, &deleted, &next)
		if err != nil {
			return err
		}
		if replies > 0 || !deleted.Valid {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'deleted' WHERE id = ?`, parent.Int64); err != nil {
			return err
		}
		parent = next
	}
	return nil
}

// PinComment pins or unpins a published, top-level, not deleted comment.
func (s *Store) PinComment(ctx context.Context, id int64, pin bool, max int) (*news.Comment, error) {
	now := s.now().UnixMicro()
	var c *news.Comment
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanComment(tx.QueryRowContext(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = ?`, id))
		if err != nil {
			return err
		}
		if err := news.CheckPinnable(c); err != nil {
			return err
		}
		if !pin || !c.PinnedAt.IsZero() {
			if !pin {
				c.PinnedAt = time.Time{}
				_, err = tx.ExecContext(ctx, `UPDATE comments SET pinned_at = NULL WHERE id = ?`, id)
			}
			return err // pinning twice changes nothing
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE post_id = ? AND pinned_at IS NOT NULL`, c.PostID).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return news.TooManyPins(max)
		}
		c.PinnedAt = fromMicros(now)
		_, err = tx.ExecContext(ctx, `UPDATE comments SET pinned_at = ? WHERE id = ?`, now, id)
		return err
	})
	return c, dbErr(err, "pin comment", msgs{notFound: msgNoComment})
}

// PinnedComments returns a post's pinned published comments, first pinned
// first, through the partial index comments_pinned.
func (s *Store) PinnedComments(ctx context.Context, postID int64) ([]*news.Comment, error) {
	var list []*news.Comment
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryComments(ctx, tx, `SELECT `+commentCols+commentFrom+`
			WHERE c.post_id = ? AND c.pinned_at IS NOT NULL AND c.status = 'published' AND c.deleted_at IS NULL
			ORDER BY c.pinned_at, c.id`, postID)
		return err
	})
	return list, dbErr(err, "pinned comments", msgs{})
}

// RecentDuplicate finds the writer's newest identical comment since then,
// through comments_writer: one seek to the writer's comments on the post
// with the same body hash.
func (s *Store) RecentDuplicate(ctx context.Context, c *news.Comment, since time.Time) (*news.Comment, error) {
	var d *news.Comment
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		d, err = recentDuplicate(ctx, tx, c, since)
		return err
	})
	return d, dbErr(err, "recent duplicate", msgs{notFound: msgNoComment})
}

// CheckComment makes the three reads of a comment post as one statement:
// the post's row with the duplicate check and the writer's facts as
// subqueries beside it. One statement is one read transaction, consistent
// like the explicit one it replaces, without its BEGIN and COMMIT, which
// with the three statements' own overhead cost as much as the reads did.
// The duplicate, almost never found, is read whole by a second statement.
// The reads are a few index probes, run detached from the request's
// cancellation (queryRow), so a request already gone is refused first.
func (s *Store) CheckComment(ctx context.Context, q news.CommentCheckQuery) (news.CommentCheck, error) {
	if err := ctx.Err(); err != nil {
		return news.CommentCheck{}, err
	}
	query, args := checkCommentQuery(q)
	r := news.CommentCheck{Post: &news.Post{ID: q.Comment.PostID}}
	var published, dup sql.NullInt64
	var banned string
	dest := []any{&r.Post.AuthorID, &r.Post.Status, &published, &dup}
	if q.Writer != nil {
		dest = append(dest, &r.Writer.SettingsVersion, &banned, &r.Writer.Known)
	}
	if err := s.queryRow(ctx, query, args...).Scan(dest...); err != nil {
		return news.CommentCheck{}, dbErr(err, "check comment", msgs{notFound: msgNoPost})
	}
	r.Post.PublishedAt = fromNullMicros(published)
	r.Writer.Banned = news.BanKind(banned)
	if dup.Valid {
		// Removed since (a moderator's delete): then there is none.
		d, err := s.CommentByID(ctx, dup.Int64)
		if err != nil && news.ErrorCode(err) != news.NotFound {
			return news.CommentCheck{}, err
		}
		r.Duplicate = d
	}
	return r, nil
}

// checkCommentQuery builds CheckComment's statement; apart for the plan test.
func checkCommentQuery(q news.CommentCheckQuery) (string, []any) {
	dupQuery, args := duplicateQuery(q.Comment, q.DedupSince)
	query := `SELECT p.author_id, p.status, p.published_at, (` + dupQuery + `)`
	if q.Writer != nil {
		facts, factArgs := writerFactsCols(*q.Writer)
		query += `, ` + facts
		args = append(args, factArgs...)
	}
	return query + ` FROM posts p WHERE p.id = ?`, append(args, q.Comment.PostID)
}

// recentDuplicate is RecentDuplicate in tx. It runs on every comment post
// and almost never finds one, so it seeks comments_writer to the writer's
// comments on the post with the same body hash: unless there is one, it
// reads no row at all. The whole comment is read only when one matches.
func recentDuplicate(ctx context.Context, tx *sql.Tx, c *news.Comment, since time.Time) (*news.Comment, error) {
	query, args := duplicateQuery(c, since)
	var id int64
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&id); err != nil {
		return nil, err
	}
	return scanComment(tx.QueryRowContext(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = ?`, id))
}

// duplicateQuery builds recentDuplicate's statement; apart for the plan test.
func duplicateQuery(c *news.Comment, since time.Time) (string, []any) {
	writer, args := `c.account_id = ?`, []any{c.PostID, c.AccountID}
	if c.AccountID == 0 {
		writer, args = `c.account_id IS NULL`, []any{c.PostID}
	}
	args = append(args, c.Email, news.BodyHash(c.Body), since.UnixMicro(), c.ParentID, c.Body)
	return `SELECT c.id FROM comments c
		WHERE c.post_id = ? AND ` + writer + ` AND c.email = ? AND c.body_hash = ? AND c.created_at >= ?
			AND coalesce(c.parent_id, 0) = ? AND c.body = ? AND c.status <> 'deleted' AND c.deleted_at IS NULL
		ORDER BY c.created_at DESC, c.id DESC LIMIT 1`, args
}
