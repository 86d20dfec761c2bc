package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/headline/headline/internal/news"
)

// LikePost records r's like of the post. The like row, the post's
// likes_count and the author's grouped notification change together, and
// only when the row is new, so liking twice changes nothing.
func (s *Store) LikePost(ctx context.Context, postID int64, r news.Reader) (bool, error) {
	key := r.Key()
	if key == "" {
		return false, news.Errorf(news.Invalid, "Sign in or allow cookies to like posts.")
	}
	now := s.now().UnixMicro()
	var changed bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var authorID int64
		if err := tx.QueryRowContext(ctx, `SELECT author_id FROM posts WHERE id = ?`, postID).Scan(&authorID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO post_likes (post_id, reader, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, postID, key, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		changed = true
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET likes_count = likes_count + 1 WHERE id = ?`, postID); err != nil {
			return err
		}
		if r.AccountID == authorID {
			return nil
		}
		return notifyLikes(ctx, tx, authorID, news.NotifyPostLikes, postID, 0, now)
	})
	return changed, dbErr(err, "like post", msgs{notFound: msgNoPost})
}

// UnlikePost removes r's like, if any, and the count with it. The grouped
// notification keeps its count: it said how many liked at the time.
func (s *Store) UnlikePost(ctx context.Context, postID int64, r news.Reader) (bool, error) {
	key := r.Key()
	if key == "" {
		return false, nil
	}
	var changed bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM posts WHERE id = ?`, postID).Scan(&one); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM post_likes WHERE post_id = ? AND reader = ?`, postID, key)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		changed = true
		_, err = tx.ExecContext(ctx, `UPDATE posts SET likes_count = likes_count - 1 WHERE id = ?`, postID)
		return err
	})
	return changed, dbErr(err, "unlike post", msgs{notFound: msgNoPost})
}

// LikedPosts returns which of ids r has liked.
func (s *Store) LikedPosts(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error) {
	key := r.Key()
	if key == "" {
		return map[int64]bool{}, nil
	}
	return s.idsAmong(ctx, "liked posts", `SELECT post_id FROM post_likes WHERE reader = ? AND post_id IN `, key, ids)
}

// AddShare counts one share of the post and returns the new count.
func (s *Store) AddShare(ctx context.Context, postID int64) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `UPDATE posts SET shares_count = shares_count + 1 WHERE id = ? RETURNING shares_count`,
			postID).Scan(&n)
	})
	return n, dbErr(err, "add share", msgs{notFound: msgNoPost})
}

// RecordViews stores a flushed batch of views in one transaction. A view
// already stored for the reader is ignored, and views_count grows by the
// rows that went in, so a reader counts once per post however often the
// buffer saw them.
func (s *Store) RecordViews(ctx context.Context, views []news.ViewMark) (int, error) {
	if len(views) == 0 {
		return 0, nil
	}
	now := s.now().UnixMicro()
	counted := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		counted = 0
		ins, err := tx.PrepareContext(ctx, `INSERT INTO post_views (post_id, reader, created_at)
			SELECT id, ?, ? FROM posts WHERE id = ? ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		bump, err := tx.PrepareContext(ctx, `UPDATE posts SET views_count = views_count + 1 WHERE id = ?`)
		if err != nil {
			return err
		}
		defer bump.Close()
		for _, v := range views {
			res, err := ins.ExecContext(ctx, v.ReaderKey, now, v.PostID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			if _, err := bump.ExecContext(ctx, v.PostID); err != nil {
				return err
			}
			counted++
		}
		return nil
	})
	return counted, dbErr(err, "record views", msgs{})
}

// PostStats reads the counters of the posts with these ids.
func (s *Store) PostStats(ctx context.Context, ids []int64) (map[int64]news.PostStats, error) {
	out := map[int64]news.PostStats{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := s.readOne(ctx, func(ctx context.Context, tx querier) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, likes_count, comments_count, views_count, shares_count
			FROM posts WHERE id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st news.PostStats
			if err := rows.Scan(&st.PostID, &st.Likes, &st.Comments, &st.Views, &st.Shares); err != nil {
				return err
			}
			out[st.PostID] = st
		}
		return rows.Err()
	})
	return out, dbErr(err, "post stats", msgs{})
}

// Candidates returns the visible posts published in (since, now], newest
// first, as much as scoring needs: id, author, time, counters and tags (no
// title or body; callers load the few they show with PostsByIDs). Without
// a tag it is one range scan of the covering index posts_rank.
func (s *Store) Candidates(ctx context.Context, since, now time.Time, tag string, n int) ([]news.Candidate, error) {
	const cols = `SELECT p.id, p.author_id, p.published_at, p.likes_count, p.comments_count, p.views_count, p.shares_count,
		a.handle, a.name, a.official`
	q := cols + ` FROM posts p INDEXED BY posts_rank JOIN accounts a ON a.id = p.author_id
		WHERE p.status = 'published' AND p.published_at <= ? AND p.published_at > ?
		ORDER BY p.published_at DESC, p.id DESC LIMIT ?`
	args := []any{now.UnixMicro(), since.UnixMicro(), limit(n, 500, 2000)}
	if tag != "" {
		q = cols + ` FROM post_tags t JOIN posts p ON p.id = t.post_id JOIN accounts a ON a.id = p.author_id
			WHERE t.tag = ? AND t.published_at <= ? AND t.published_at > ? AND p.status = 'published'
			ORDER BY t.published_at DESC, t.post_id DESC LIMIT ?`
		args = append([]any{tag}, args...)
	}
	var out []news.Candidate
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var posts []*news.Post
		for rows.Next() {
			p := &news.Post{Status: news.PostPublished, Author: &news.Account{}}
			var st news.PostStats
			var published int64
			if err := rows.Scan(&p.ID, &p.AuthorID, &published, &st.Likes, &st.Comments, &st.Views, &st.Shares,
				&p.Author.Handle, &p.Author.Name, &p.Author.Official); err != nil {
				return err
			}
			p.PublishedAt, p.Author.ID, st.PostID = fromMicros(published), p.AuthorID, p.ID
			p.LikesCount, p.CommentsCount = st.Likes, st.Comments
			posts = append(posts, p)
			out = append(out, news.Candidate{Post: p, Stats: st})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return fillTags(ctx, tx, posts)
	})
	return out, dbErr(err, "candidates", msgs{})
}

// ReaderTags weighs the tags of r's last n likes (2 each) and last n views
// (1 each).
func (s *Store) ReaderTags(ctx context.Context, r news.Reader, n int) (map[string]int, error) {
	out := map[string]int{}
	key := r.Key()
	if key == "" {
		return out, nil
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT t.tag, sum(x.w) FROM (
				SELECT * FROM (SELECT post_id, 2 AS w FROM post_likes WHERE reader = ? ORDER BY created_at DESC`+subqueryLimit(n)+`)
				UNION ALL
				SELECT * FROM (SELECT post_id, 1 AS w FROM post_views WHERE reader = ? ORDER BY created_at DESC`+subqueryLimit(n)+`)
			) x JOIN post_tags t ON t.post_id = x.post_id
			GROUP BY t.tag`, key, key)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tag string
			var w int
			if err := rows.Scan(&tag, &w); err != nil {
				return err
			}
			out[tag] = w
		}
		return rows.Err()
	})
	return out, dbErr(err, "reader tags", msgs{})
}

// SaveSnapshot stores a ranked list and deletes those created before
// expired (an index range on created_at), so the table stays small.
func (s *Store) SaveSnapshot(ctx context.Context, fs news.FeedSnapshot, expired time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM feed_snapshots WHERE created_at < ?`, expired.UnixMicro()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO feed_snapshots (id, account_id, created_at, data) VALUES (?, ?, ?, ?)`,
			fs.ID, fs.AccountID, fs.CreatedAt.UnixMicro(), fs.Data)
		return err
	})
	return dbErr(err, "save snapshot", msgs{conflict: "That snapshot exists."})
}

// Snapshot returns the snapshot with this id.
func (s *Store) Snapshot(ctx context.Context, id int64) (*news.FeedSnapshot, error) {
	return s.snapshot(ctx, `SELECT id, account_id, created_at, data FROM feed_snapshots WHERE id = ?`, id)
}

// LatestSnapshot returns accountID's newest snapshot made after since.
func (s *Store) LatestSnapshot(ctx context.Context, accountID int64, since time.Time) (*news.FeedSnapshot, error) {
	return s.snapshot(ctx, `SELECT id, account_id, created_at, data FROM feed_snapshots
		WHERE account_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1`, accountID, since.UnixMicro())
}

func (s *Store) snapshot(ctx context.Context, q string, args ...any) (*news.FeedSnapshot, error) {
	var fs news.FeedSnapshot
	err := s.read(ctx, func(tx *sql.Tx) error {
		var created int64
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&fs.ID, &fs.AccountID, &created, &fs.Data); err != nil {
			return err
		}
		fs.CreatedAt = fromMicros(created)
		return nil
	})
	if err != nil {
		return nil, dbErr(err, "snapshot", msgs{notFound: "That feed page has expired; start again from the first page."})
	}
	return &fs, nil
}

// PostsByIDs returns the posts with these ids, by primary key.
func (s *Store) PostsByIDs(ctx context.Context, ids []int64) ([]*news.Post, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var posts []*news.Post
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+postCols+postFrom+` WHERE p.id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPost(rows)
			if err != nil {
				return err
			}
			posts = append(posts, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return fillTags(ctx, tx, posts)
	})
	return posts, dbErr(err, "posts by ids", msgs{})
}
