package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

const msgNotLikeable = "That comment does not exist or can no longer be liked."

// LikeComment records r's like of a published, not deleted comment. The
// comment's row is locked first (FOR UPDATE): concurrent likes of one
// comment queue on it, so the status check holds until commit and the
// counter moves only when the like row was new. Counts stay exact.
func (s *Store) LikeComment(ctx context.Context, commentID int64, r news.Reader) (news.Like, error) {
	return s.changeLike(ctx, commentID, r, true)
}

// UnlikeComment removes r's like, if any.
func (s *Store) UnlikeComment(ctx context.Context, commentID int64, r news.Reader) (news.Like, error) {
	return s.changeLike(ctx, commentID, r, false)
}

func (s *Store) changeLike(ctx context.Context, commentID int64, r news.Reader, like bool) (news.Like, error) {
	out := news.Like{CommentID: commentID, Liked: like}
	key := r.Key()
	if key == "" {
		return out, &news.Error{Code: news.Unauthorized, Message: "Sign in, or allow cookies, to like comments."}
	}
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error {
		var likeable bool
		var writer *int64
		var postID int64
		err := tx.QueryRow(ctx, `SELECT status = 'published' AND deleted_at IS NULL, likes_count, account_id, post_id
			FROM comments WHERE id = $1 FOR UPDATE`, commentID).Scan(&likeable, &out.Likes, &writer, &postID)
		out.PostID = postID
		if err == pgx.ErrNoRows || (err == nil && !likeable) {
			return notFound(msgNotLikeable)
		} else if err != nil {
			return err
		}
		var q string
		var a []any
		if like {
			q, a = `INSERT INTO comment_likes (comment_id, reader, account_id, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, []any{commentID, key, nullID(r.AccountID), now}
		} else {
			q, a = `DELETE FROM comment_likes WHERE comment_id = $1 AND reader = $2`, []any{commentID, key}
		}
		tag, err := tx.Exec(ctx, q, a...)
		if err != nil || tag.RowsAffected() == 0 {
			return err // nothing changed: liking twice, or unliking what was not liked
		}
		delta := int64(1)
		if !like {
			delta = -1
		}
		if err := tx.QueryRow(ctx, `UPDATE comments SET likes_count = likes_count + $1 WHERE id = $2 RETURNING likes_count`,
			delta, commentID).Scan(&out.Likes); err != nil {
			return err
		}
		// A new like tells the comment's writer, grouped ("Your comment got
		// 25 likes"); guests have no inbox and nobody is told of their own.
		if !like || writer == nil || *writer == r.AccountID {
			return nil
		}
		return notifyLikes(ctx, tx, *writer, news.NotifyCommentLikes, postID, commentID, now)
	})
	return out, dbErr(err, "change comment like", msgs{})
}

// LikedComments returns which of ids r likes: primary-key probes.
func (s *Store) LikedComments(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	key := r.Key()
	if key == "" || len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db().Query(ctx, `SELECT comment_id FROM comment_likes WHERE comment_id = ANY($1) AND reader = $2`, ids, key)
	if err != nil {
		return nil, dbErr(err, "liked comments", msgs{})
	}
	liked, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	for _, id := range liked {
		out[id] = true
	}
	return out, dbErr(err, "liked comments", msgs{})
}
