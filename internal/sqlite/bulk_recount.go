package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/headline/headline/internal/news"
)

// recounts set the counters of a table's rows with ids in [?1, ?2) from
// the rows they count, with the rules of the writes that keep them:
// posts_count counts published posts (scheduled ones included);
// comments_count the published comments that are not deleted placeholders
// (DeleteComment takes one off either way); replies_count the published
// direct replies (placeholders included, they still hold their thread);
// likes, views and follows their rows.
//
// For each table, one aggregate of everything its rows count, by the
// counted id (each part reads an index that starts with it, so a range
// reads only its part), joined to the rows whose counters differ; then a
// reset of rows with counters but nothing left to count. A row is written
// once whatever the number of its counters (a post's row, with its body,
// is several pages), and a range that is already right writes nothing.
var recounts = map[string][2]string{
	"accounts": {`UPDATE accounts SET posts_count = c.p, followers_count = c.fr, following_count = c.fg FROM (
		SELECT id, count(p) AS p, count(fr) AS fr, count(fg) AS fg FROM (
			SELECT author_id AS id, 1 AS p, NULL AS fr, NULL AS fg FROM posts
				WHERE author_id >= ?1 AND author_id < ?2 AND status = 'published'
			UNION ALL SELECT followee_id, NULL, 1, NULL FROM follows WHERE followee_id >= ?1 AND followee_id < ?2
			UNION ALL SELECT follower_id, NULL, NULL, 1 FROM follows WHERE follower_id >= ?1 AND follower_id < ?2)
		GROUP BY id) c
	WHERE accounts.id = c.id AND (accounts.posts_count, accounts.followers_count, accounts.following_count) <> (c.p, c.fr, c.fg)`,
		`UPDATE accounts SET posts_count = 0, followers_count = 0, following_count = 0
	WHERE id >= ?1 AND id < ?2 AND (posts_count <> 0 OR followers_count <> 0 OR following_count <> 0)
		AND NOT EXISTS (SELECT 1 FROM posts WHERE author_id = accounts.id AND status = 'published')
		AND NOT EXISTS (SELECT 1 FROM follows WHERE followee_id = accounts.id)
		AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = accounts.id)`},

	"posts": {`UPDATE posts SET comments_count = c.c, likes_count = c.l, views_count = c.v FROM (
		SELECT id, count(c) AS c, count(l) AS l, count(v) AS v FROM (
			SELECT post_id AS id, 1 AS c, NULL AS l, NULL AS v FROM comments
				WHERE post_id >= ?1 AND post_id < ?2 AND status = 'published' AND deleted_at IS NULL
			UNION ALL SELECT post_id, NULL, 1, NULL FROM post_likes WHERE post_id >= ?1 AND post_id < ?2
			UNION ALL SELECT post_id, NULL, NULL, 1 FROM post_views WHERE post_id >= ?1 AND post_id < ?2)
		GROUP BY id) c
	WHERE posts.id = c.id AND (posts.comments_count, posts.likes_count, posts.views_count) <> (c.c, c.l, c.v)`,
		`UPDATE posts SET comments_count = 0, likes_count = 0, views_count = 0
	WHERE id >= ?1 AND id < ?2 AND (comments_count <> 0 OR likes_count <> 0 OR views_count <> 0)
		AND NOT EXISTS (SELECT 1 FROM comments WHERE post_id = posts.id AND status = 'published' AND deleted_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM post_likes WHERE post_id = posts.id)
		AND NOT EXISTS (SELECT 1 FROM post_views WHERE post_id = posts.id)`},

	"comments": {`UPDATE comments SET replies_count = c.r, likes_count = c.l FROM (
		SELECT id, count(r) AS r, count(l) AS l FROM (
			SELECT parent_id AS id, 1 AS r, NULL AS l FROM comments
				WHERE parent_id >= ?1 AND parent_id < ?2 AND status = 'published'
			UNION ALL SELECT comment_id, NULL, 1 FROM comment_likes WHERE comment_id >= ?1 AND comment_id < ?2)
		GROUP BY id) c
	WHERE comments.id = c.id AND (comments.replies_count, comments.likes_count) <> (c.r, c.l)`,
		`UPDATE comments SET replies_count = 0, likes_count = 0
	WHERE id >= ?1 AND id < ?2 AND (replies_count <> 0 OR likes_count <> 0)
		AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id AND r.status = 'published')
		AND NOT EXISTS (SELECT 1 FROM comment_likes WHERE comment_id = comments.id)`},
}

// RecountRange sets the counters of table's rows with ids in [from, to).
func (s *Store) RecountRange(ctx context.Context, table string, from, to int64) error {
	q, ok := recounts[table]
	if !ok {
		return fmt.Errorf("recount: %q keeps no counters", table)
	}
	return s.bulkWrite(ctx, "recount "+table, func(tx *sql.Tx) error {
		for _, stmt := range q {
			if _, err := tx.ExecContext(ctx, stmt, from, to); err != nil {
				return err
			}
		}
		return nil
	})
}

// Recount sets every counter of every row, a chunk of ids a transaction.
func (s *Store) Recount(ctx context.Context) error {
	return news.RecountAll(ctx, s)
}
