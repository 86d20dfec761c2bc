package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// LikePost records r's like of the post. The count moves only when the
// INSERT ... ON CONFLICT DO NOTHING inserted the row: a second, concurrent
// like of the same reader waits on the primary key and inserts nothing.
func (s *Store) LikePost(ctx context.Context, postID int64, r news.Reader) (bool, error) {
	key := r.Key()
	if key == "" {
		return false, news.Errorf(news.Invalid, "Sign in or allow cookies to like posts.")
	}
	now := s.now()
	var changed bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		changed = false
		tag, err := tx.Exec(ctx, `INSERT INTO post_likes (post_id, reader, created_at) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, postID, key, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return postExists(ctx, tx, postID)
		}
		changed = true
		var authorID int64
		if err := tx.QueryRow(ctx, `UPDATE posts SET likes_count = likes_count + 1 WHERE id = $1 RETURNING author_id`,
			postID).Scan(&authorID); err != nil {
			return err
		}
		if r.AccountID == authorID {
			return nil
		}
		return notifyLikes(ctx, tx, authorID, news.NotifyPostLikes, postID, 0, now)
	})
	if err != nil && isForeignKey(err) {
		return false, notFound(msgNoPost)
	}
	return changed, dbErr(err, "like post", msgs{notFound: msgNoPost})
}

func postExists(ctx context.Context, q querier, id int64) error {
	var one int
	return q.QueryRow(ctx, `SELECT 1 FROM posts WHERE id = $1`, id).Scan(&one)
}

// UnlikePost removes r's like, if any, and the count with it.
func (s *Store) UnlikePost(ctx context.Context, postID int64, r news.Reader) (bool, error) {
	key := r.Key()
	if key == "" {
		return false, nil
	}
	var changed bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		changed = false
		tag, err := tx.Exec(ctx, `DELETE FROM post_likes WHERE post_id = $1 AND reader = $2`, postID, key)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return postExists(ctx, tx, postID)
		}
		changed = true
		_, err = tx.Exec(ctx, `UPDATE posts SET likes_count = likes_count - 1 WHERE id = $1`, postID)
		return err
	})
	return changed, dbErr(err, "unlike post", msgs{notFound: msgNoPost})
}

// LikedPosts returns which of ids r has liked.
func (s *Store) LikedPosts(ctx context.Context, r news.Reader, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	key := r.Key()
	if key == "" || len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db().Query(ctx, `SELECT post_id FROM post_likes WHERE reader = $1 AND post_id = ANY($2)`, key, ids)
	if err != nil {
		return nil, dbErr(err, "liked posts", msgs{})
	}
	got, err := collect(rows, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	for _, id := range got {
		out[id] = true
	}
	return out, dbErr(err, "liked posts", msgs{})
}

// AddShare counts one share and returns the new count, in one atomic
// UPDATE.
func (s *Store) AddShare(ctx context.Context, postID int64) (int64, error) {
	var n int64
	err := s.db().QueryRow(ctx, `UPDATE posts SET shares_count = shares_count + 1 WHERE id = $1 RETURNING shares_count`,
		postID).Scan(&n)
	return n, dbErr(err, "add share", msgs{notFound: msgNoPost})
}

// RecordViews stores a flushed batch in one statement: the view rows that
// are new (ON CONFLICT DO NOTHING RETURNING) are counted per post and added
// to views_count. The posts are updated in id order, so two flushes from two
// instances cannot deadlock.
func (s *Store) RecordViews(ctx context.Context, views []news.ViewMark) (int, error) {
	if len(views) == 0 {
		return 0, nil
	}
	posts := make([]int64, len(views))
	readers := make([]string, len(views))
	for i, v := range views {
		posts[i], readers[i] = v.PostID, v.ReaderKey
	}
	var n int
	err := s.db().QueryRow(ctx, `
		WITH v AS (
			SELECT DISTINCT x.post_id, x.reader FROM unnest($1::bigint[], $2::text[]) AS x (post_id, reader)
			JOIN posts p ON p.id = x.post_id
		), ins AS (
			INSERT INTO post_views (post_id, reader, created_at) SELECT post_id, reader, $3 FROM v ORDER BY post_id, reader
			ON CONFLICT DO NOTHING RETURNING post_id
		), per AS (
			SELECT post_id, count(*) AS n FROM ins GROUP BY post_id
		), upd AS (
			UPDATE posts p SET views_count = views_count + per.n FROM per WHERE p.id = per.post_id RETURNING per.n
		)
		SELECT coalesce(sum(n), 0) FROM upd`, posts, readers, s.now()).Scan(&n)
	return n, dbErr(err, "record views", msgs{})
}

// PostStats reads the counters of the posts with these ids.
func (s *Store) PostStats(ctx context.Context, ids []int64) (map[int64]news.PostStats, error) {
	out := map[int64]news.PostStats{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db().Query(ctx, `SELECT id, likes_count, comments_count, views_count, shares_count
		FROM posts WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, dbErr(err, "post stats", msgs{})
	}
	got, err := collect(rows, func(r scanner) (news.PostStats, error) {
		var st news.PostStats
		return st, r.Scan(&st.PostID, &st.Likes, &st.Comments, &st.Views, &st.Shares)
	})
	for _, st := range got {
		out[st.PostID] = st
	}
	return out, dbErr(err, "post stats", msgs{})
}

// Candidates returns the visible posts published in (since, now], newest
// first, as much as scoring needs: id, author, time, counters and tags (no
// title or body; callers load the few they show with PostsByIDs). Without
// a tag it is a backward index-only scan of posts_rank.
func (s *Store) Candidates(ctx context.Context, since, now time.Time, tag string, n int) ([]news.Candidate, error) {
	q := `SELECT c.id, c.author_id, c.published_at, c.likes_count, c.comments_count, c.views_count, c.shares_count,
			a.handle, a.name, a.official,
			ARRAY(SELECT pt.tag FROM post_tags pt WHERE pt.post_id = c.id ORDER BY pt.position)
		FROM (SELECT p.id, p.author_id, p.published_at, p.likes_count, p.comments_count, p.views_count, p.shares_count
			FROM posts p WHERE p.status = 'published' AND p.published_at <= $1 AND p.published_at > $2
			ORDER BY p.published_at DESC, p.id DESC LIMIT $3) c
		JOIN accounts a ON a.id = c.author_id
		ORDER BY c.published_at DESC, c.id DESC`
	a := []any{utc(now), utc(since), limit(n, 500, 2000)}
	if tag != "" {
		q = `SELECT c.id, c.author_id, c.published_at, c.likes_count, c.comments_count, c.views_count, c.shares_count,
				a.handle, a.name, a.official,
				ARRAY(SELECT pt.tag FROM post_tags pt WHERE pt.post_id = c.id ORDER BY pt.position)
			FROM (SELECT p.id, p.author_id, p.published_at, p.likes_count, p.comments_count, p.views_count, p.shares_count
				FROM post_tags t JOIN posts p ON p.id = t.post_id
				WHERE t.tag = $4 AND t.published_at <= $1 AND t.published_at > $2 AND p.status = 'published'
				ORDER BY t.published_at DESC, t.post_id DESC LIMIT $3) c
			JOIN accounts a ON a.id = c.author_id
			ORDER BY c.published_at DESC, c.id DESC`
		a = append(a, tag)
	}
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "candidates", msgs{})
	}
	out, err := collect(rows, func(r scanner) (news.Candidate, error) {
		p := &news.Post{Status: news.PostPublished, Author: &news.Account{}}
		var st news.PostStats
		err := r.Scan(&p.ID, &p.AuthorID, &p.PublishedAt, &st.Likes, &st.Comments, &st.Views, &st.Shares,
			&p.Author.Handle, &p.Author.Name, &p.Author.Official, &p.Tags)
		p.PublishedAt, p.Author.ID, st.PostID = p.PublishedAt.UTC(), p.AuthorID, p.ID
		p.LikesCount, p.CommentsCount = st.Likes, st.Comments
		if p.Tags == nil {
			p.Tags = []string{}
		}
		return news.Candidate{Post: p, Stats: st}, err
	})
	return out, dbErr(err, "candidates", msgs{})
}

// ReaderTags weighs the tags of r's last n likes (2 each) and views (1).
func (s *Store) ReaderTags(ctx context.Context, r news.Reader, n int) (map[string]int, error) {
	out := map[string]int{}
	key := r.Key()
	if key == "" {
		return out, nil
	}
	rows, err := s.db().Query(ctx, `
		SELECT t.tag, sum(x.w)::bigint FROM (
			(SELECT post_id, 2 AS w FROM post_likes WHERE reader = $1 ORDER BY created_at DESC LIMIT $2)
			UNION ALL
			(SELECT post_id, 1 AS w FROM post_views WHERE reader = $1 ORDER BY created_at DESC LIMIT $2)
		) x JOIN post_tags t ON t.post_id = x.post_id
		GROUP BY t.tag`, key, n)
	if err != nil {
		return nil, dbErr(err, "reader tags", msgs{})
	}
	defer rows.Close()
	for rows.Next() {
		var tag string
		var w int64
		if err := rows.Scan(&tag, &w); err != nil {
			return nil, dbErr(err, "reader tags", msgs{})
		}
		out[tag] = int(w)
	}
	return out, dbErr(rows.Err(), "reader tags", msgs{})
}

// SaveSnapshot stores a ranked list and deletes expired ones.
func (s *Store) SaveSnapshot(ctx context.Context, fs news.FeedSnapshot, expired time.Time) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM feed_snapshots WHERE created_at < $1`, utc(expired)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO feed_snapshots (id, account_id, created_at, data) VALUES ($1, $2, $3, $4)`,
			fs.ID, fs.AccountID, utc(fs.CreatedAt), fs.Data)
		return err
	})
	return dbErr(err, "save snapshot", msgs{conflict: "That snapshot exists."})
}

// Snapshot returns the snapshot with this id.
func (s *Store) Snapshot(ctx context.Context, id int64) (*news.FeedSnapshot, error) {
	return s.snapshot(ctx, `SELECT id, account_id, created_at, data FROM feed_snapshots WHERE id = $1`, id)
}

// LatestSnapshot returns accountID's newest snapshot made after since.
func (s *Store) LatestSnapshot(ctx context.Context, accountID int64, since time.Time) (*news.FeedSnapshot, error) {
	return s.snapshot(ctx, `SELECT id, account_id, created_at, data FROM feed_snapshots
		WHERE account_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT 1`, accountID, utc(since))
}

func (s *Store) snapshot(ctx context.Context, q string, a ...any) (*news.FeedSnapshot, error) {
	var fs news.FeedSnapshot
	err := s.db().QueryRow(ctx, q, a...).Scan(&fs.ID, &fs.AccountID, &fs.CreatedAt, &fs.Data)
	if err != nil {
		return nil, dbErr(err, "snapshot", msgs{notFound: "That feed page has expired; start again from the first page."})
	}
	fs.CreatedAt = fs.CreatedAt.UTC()
	return &fs, nil
}

// PostsByIDs returns the posts with these ids, by primary key.
func (s *Store) PostsByIDs(ctx context.Context, ids []int64) ([]*news.Post, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.db().Query(ctx, `SELECT `+postCols+postFrom+` WHERE p.id = ANY($1)`, ids)
	if err != nil {
		return nil, dbErr(err, "posts by ids", msgs{})
	}
	posts, err := collect(rows, scanPost)
	return posts, dbErr(err, "posts by ids", msgs{})
}
