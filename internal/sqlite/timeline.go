package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/headline/headline/internal/news"
)

// fanInLimit is the number of followed accounts up to which the
// following timeline merges each followee's newest posts; above it, it
// walks the global time index and keeps the posts of followed authors.
//
// Reading per followee costs about follows × page rows; walking the global
// index costs about page × accounts / follows rows (the share of all posts
// that followed authors wrote), so they meet near sqrt(accounts) follows,
// times a constant of the engine. Measured (BENCHMARKS.md): per followee
// ~0.04 ms a follow, the walk ~370 ms / follows at 20,000 accounts, equal
// near 100 follows (~215 at 100,000 accounts). At 150 neither shape costs
// more than ~12 ms where it is chosen, at either size.
var fanInLimit = 150 // a var only so that the shape benchmark can force each shape

// walkIndex is the index the many-follows timeline walks. posts_rank
// holds author_id, so the "is the author followed" test reads only the
// index and the post's row is fetched for the n posts kept, not for the
// n × accounts / follows posts walked; posts_home (no author_id) fetches
// every walked row. A var only so that the shape benchmark can compare.
var walkIndex = "posts_rank"

// FollowingTimeline returns the posts visible at now by accounts readerID
// follows, newest first by (PublishedAt, ID), after the cursor. Nothing is
// written when a post is published: the timeline is merged on read.
func (s *Store) FollowingTimeline(ctx context.Context, readerID int64, now time.Time, after *news.PostCursor, n int) ([]*news.Post, error) {
	n = limit(n, 20, 100)
	var posts []*news.Post
	err := s.read(ctx, func(tx *sql.Tx) error {
		var following int64
		err := tx.QueryRowContext(ctx, `SELECT following_count FROM accounts WHERE id = ?`, readerID).Scan(&following)
		if err != nil {
			return err
		}
		if following == 0 {
			return nil
		}
		q, args := timelineQuery(following, readerID, now, after, n)
		rows, err := tx.QueryContext(ctx, q, args...)
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
	return posts, dbErr(err, "following timeline", msgs{notFound: msgNoAccount})
}

// timelineQuery picks the query shape by how many accounts the reader
// follows (see fanInLimit).
func timelineQuery(following, readerID int64, now time.Time, after *news.PostCursor, n int) (string, []any) {
	keyset, kargs := "", []any{}
	if after != nil {
		keyset, kargs = ` AND (p.published_at, p.id) < (?, ?)`, []any{after.Time.UnixMicro(), after.ID}
		// SQLite bounds the index range by "published_at <= ?" and only
		// filters by the row value, so a deep page walked every entry from
		// now down to its cursor (556,000 VM steps at page 50 of 1M posts,
		// 7,700 with this bound). The bound makes the walk start at the
		// cursor; the row value still decides the ties at its time.
		now = minTime(now, after.Time)
	}
	if following <= int64(fanInLimit) {
		// Per followee: the correlated subquery takes at most n newest posts
		// of each followee from posts_author, so an account with 10,000
		// posts costs no more than one with 20; the outer sort sees at most
		// follows × n rows.
		q := `SELECT ` + postCols + ` FROM follows f
			JOIN posts p ON p.id IN (
				SELECT p.id FROM posts p INDEXED BY posts_author
				WHERE p.author_id = f.followee_id AND p.status = 'published' AND p.published_at <= ?` + keyset + `
				ORDER BY p.published_at DESC, p.id DESC` + subqueryLimit(n) + `)
			JOIN accounts a ON a.id = p.author_id
			WHERE f.follower_id = ?
			ORDER BY p.published_at DESC, p.id DESC LIMIT ?`
		args := append([]any{now.UnixMicro()}, kargs...)
		return q, append(args, readerID, n)
	}
	// Many follows: walk the time index newest first and keep a post when
	// its author is followed (a primary key lookup in follows). The walk
	// stops after n hits; with f follows among N accounts it reads about
	// n × N / f index entries (see walkIndex).
	q := `SELECT ` + postCols + ` FROM posts p INDEXED BY ` + walkIndex + `
		JOIN accounts a ON a.id = p.author_id
		WHERE p.status = 'published' AND p.published_at <= ?` + keyset + `
		AND EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.followee_id = p.author_id)
		ORDER BY p.published_at DESC, p.id DESC LIMIT ?`
	args := append([]any{now.UnixMicro()}, kargs...)
	return q, append(args, readerID, n)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
