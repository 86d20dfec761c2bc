package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"github.com/headline/headline/internal/news"
)

const msgNotLikeable = "That comment does not exist or can no longer be liked."

// LikeComment records r's like of a published, not deleted comment. The
// like row and the counter change in one transaction, and the counter only
// moves when the row was new, so the count is exact however often and
// however concurrently a reader clicks.
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
	err := s.write(ctx, func(tx *sql.Tx) error {
		var status string
		var deleted, writer sql.NullInt64
		var postID int64
		err := tx.QueryRowContext(ctx, `SELECT status, deleted_at, likes_count, account_id, post_id FROM comments WHERE id = ?`, commentID).
			Scan(&status, &deleted, &out.Likes, &writer, &postID)
		out.PostID = postID
		if err == sql.ErrNoRows || (err == nil && (status != string(news.CommentPublished) || deleted.Valid)) {
			return notFound(msgNotLikeable)
		} else if err != nil {
			return err
		}
		var res sql.Result
		if like {
			res, err = tx.ExecContext(ctx, `INSERT INTO comment_likes (comment_id, reader, account_id, created_at)
				VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, commentID, key, nullID(r.AccountID), now.UnixMicro())
		} else {
			res, err = tx.ExecContext(ctx, `DELETE FROM comment_likes WHERE comment_id = ? AND reader = ?`, commentID, key)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // nothing changed: liking twice, or unliking what was not liked
		}
		delta := int64(1)
		if !like {
			delta = -1
		}
		if err := tx.QueryRowContext(ctx, `UPDATE comments SET likes_count = likes_count + ? WHERE id = ? RETURNING likes_count`,
			delta, commentID).Scan(&out.Likes); err != nil {
			return err
		}
		// A new like tells the comment's writer, grouped ("Your comment got
		// 25 likes"); guests have no inbox and nobody is told of their own.
		if !like || !writer.Valid || writer.Int64 == r.AccountID {
			return nil
		}
		return notifyLikes(ctx, tx, writer.Int64, news.NotifyCommentLikes, postID, commentID, now.UnixMicro())
	})
	return out, dbErr(err, "change comment like", msgs{missingRef: msgNoAccount})
}

// LikedComments returns which of ids r likes. A guest costs one
// primary-key probe per id. An account's likes are read in one walk of
// comment_likes_account over the ids' range (the article page asks about
// 200 comments for every signed-in reader, and 200 probes were most of
// its cost); a reader with more likes in that range than the walk may
// take gets the probes instead.
func (s *Store) LikedComments(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error) {
	key := r.Key()
	if key == "" || len(ids) == 0 {
		return map[int64]bool{}, nil
	}
	if r.AccountID != 0 && len(ids) > 1 {
		if out, ok, err := s.likedInRange(ctx, r.AccountID, ids); err != nil || ok {
			return out, err
		}
	}
	return s.idsAmong(ctx, "liked comments", `SELECT comment_id FROM comment_likes WHERE reader = ? AND comment_id IN `, key, ids)
}

// likedInRange is LikedComments for an account by a range walk; ok is
// false when the account has too many likes in the range.
func (s *Store) likedInRange(ctx context.Context, accountID int64, ids []int64) (map[int64]bool, bool, error) {
	lo, hi := slices.Min(ids), slices.Max(ids)
	limit := 4 * len(ids)
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var liked []int64
	err := s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		liked, err = queryAll(ctx, tx, scanID, `SELECT comment_id FROM comment_likes
			WHERE account_id = ? AND comment_id BETWEEN ? AND ? LIMIT ?`, accountID, lo, hi, limit+1)
		return err
	})
	if err != nil {
		return nil, false, dbErr(err, "liked comments", msgs{})
	}
	out := map[int64]bool{}
	for _, id := range liked {
		if want[id] {
			out[id] = true
		}
	}
	return out, len(liked) <= limit, nil
}
