package sqlite

import (
	"context"
	"database/sql"
)

// recounts set each counter from the rows it counts, with the rules of the
// writes that keep it: posts_count counts published posts (scheduled ones
// included); comments_count the published comments that are not deleted
// placeholders (DeleteComment takes one off either way); replies_count the
// published direct replies (placeholders included, they still hold their
// thread); likes and views their rows.
//
// Each is an aggregate joined to the rows whose counter differs, then a
// reset of counters with nothing left to count, so a recount of a site
// that is already right writes nothing, and one after a load rewrites only
// the rows the load touched. The aggregates read covering indexes, except
// comments_count, which must see deleted_at.
var recounts = []string{
	`UPDATE accounts SET posts_count = c.n FROM (
		SELECT author_id AS id, count(*) AS n FROM posts WHERE status = 'published' GROUP BY author_id) c
	WHERE accounts.id = c.id AND accounts.posts_count <> c.n`,
	`UPDATE accounts SET posts_count = 0 WHERE posts_count <> 0
		AND NOT EXISTS (SELECT 1 FROM posts WHERE author_id = accounts.id AND status = 'published')`,

	`UPDATE accounts SET followers_count = c.n FROM (
		SELECT followee_id AS id, count(*) AS n FROM follows GROUP BY followee_id) c
	WHERE accounts.id = c.id AND accounts.followers_count <> c.n`,
	`UPDATE accounts SET followers_count = 0 WHERE followers_count <> 0
		AND NOT EXISTS (SELECT 1 FROM follows WHERE followee_id = accounts.id)`,

	`UPDATE accounts SET following_count = c.n FROM (
		SELECT follower_id AS id, count(*) AS n FROM follows GROUP BY follower_id) c
	WHERE accounts.id = c.id AND accounts.following_count <> c.n`,
	`UPDATE accounts SET following_count = 0 WHERE following_count <> 0
		AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = accounts.id)`,

	`UPDATE posts SET comments_count = c.n FROM (
		SELECT post_id AS id, count(*) AS n FROM comments
		WHERE status = 'published' AND deleted_at IS NULL GROUP BY post_id) c
	WHERE posts.id = c.id AND posts.comments_count <> c.n`,
	`UPDATE posts SET comments_count = 0 WHERE comments_count <> 0
		AND NOT EXISTS (SELECT 1 FROM comments WHERE post_id = posts.id AND status = 'published' AND deleted_at IS NULL)`,

	`UPDATE posts SET likes_count = c.n FROM (
		SELECT post_id AS id, count(*) AS n FROM post_likes GROUP BY post_id) c
	WHERE posts.id = c.id AND posts.likes_count <> c.n`,
	`UPDATE posts SET likes_count = 0 WHERE likes_count <> 0
		AND NOT EXISTS (SELECT 1 FROM post_likes WHERE post_id = posts.id)`,

	`UPDATE posts SET views_count = c.n FROM (
		SELECT post_id AS id, count(*) AS n FROM post_views GROUP BY post_id) c
	WHERE posts.id = c.id AND posts.views_count <> c.n`,
	`UPDATE posts SET views_count = 0 WHERE views_count <> 0
		AND NOT EXISTS (SELECT 1 FROM post_views WHERE post_id = posts.id)`,

	`UPDATE comments SET replies_count = c.n FROM (
		SELECT parent_id AS id, count(*) AS n FROM comments
		WHERE parent_id IS NOT NULL AND status = 'published' GROUP BY parent_id) c
	WHERE comments.id = c.id AND comments.replies_count <> c.n`,
	`UPDATE comments SET replies_count = 0 WHERE replies_count <> 0
		AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id AND r.status = 'published')`,

	`UPDATE comments SET likes_count = c.n FROM (
		SELECT comment_id AS id, count(*) AS n FROM comment_likes GROUP BY comment_id) c
	WHERE comments.id = c.id AND comments.likes_count <> c.n`,
	`UPDATE comments SET likes_count = 0 WHERE likes_count <> 0
		AND NOT EXISTS (SELECT 1 FROM comment_likes WHERE comment_id = comments.id)`,
}

// Recount sets every counter from the rows, in one transaction.
func (s *Store) Recount(ctx context.Context) error {
	return s.bulkWrite(ctx, "recount", func(tx *sql.Tx) error {
		for _, q := range recounts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
