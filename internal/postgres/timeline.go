package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// fanInLimit is the number of followed accounts up to which the
// following timeline reads each followee's newest posts (LATERAL); above
// it, it runs the walk query (posts_home, keeping followed authors).
//
// On PostgreSQL it is 0: the walk query, planned with the reader's values
// on every call (QueryExecModeExec), is the faster shape at both ends. For
// a reader with 5,000 follows the planner walks posts_home and probes
// follows (3 ms); for one with 50 it starts from their follows instead
// (1.8 ms, where LATERAL took 6–8 ms). The LATERAL shape stays for the
// shape benchmark, which shows this (BENCHMARKS.md).
var fanInLimit = 0 // a var only so that the shape benchmark can force each shape

// FollowingTimeline returns the posts visible at now by accounts readerID
// follows, newest first by (PublishedAt, ID), after the cursor. Publishing
// writes nothing per follower: the timeline is merged on read. The inner
// query picks the page's ids; the outer one reads the full rows (with their
// tags) for those ids only.
func (s *Store) FollowingTimeline(ctx context.Context, readerID int64, now time.Time, after *news.PostCursor, n int) ([]*news.Post, error) {
	n = limit(n, 20, 100)
	var following int64
	err := s.db().QueryRow(ctx, `SELECT following_count FROM accounts WHERE id = $1`, readerID).Scan(&following)
	if err != nil {
		return nil, dbErr(err, "following timeline", msgs{notFound: msgNoAccount})
	}
	if following == 0 {
		return nil, nil
	}
	q, a := timelineQuery(following, readerID, now, after, n)
	// QueryExecModeExec plans the query with this reader's values every
	// time. A cached statement soon gets PostgreSQL's generic plan, which
	// cannot see that this reader follows 5,000 accounts and drives the
	// walk from follows: 100 ms instead of 1 (measured; docs/design.md).
	rows, err := s.db().Query(ctx, q, append([]any{pgx.QueryExecModeExec}, a...)...)
	if err != nil {
		return nil, dbErr(err, "following timeline", msgs{})
	}
	posts, err := collect(rows, scanPost)
	return posts, dbErr(err, "following timeline", msgs{})
}

// timelineQuery picks the query shape by the number of follows.
func timelineQuery(following, readerID int64, now time.Time, after *news.PostCursor, n int) (string, args) {
	var a args
	visible := `p.status = 'published' AND p.published_at <= ` + a.add(utc(now))
	if after != nil {
		visible += ` AND (p.published_at, p.id) < (` + a.add(utc(after.Time)) + `, ` + a.add(after.ID) + `)`
	}
	lim := a.add(n)
	reader := a.add(readerID)
	var ids string
	if following <= int64(fanInLimit) {
		// Per followee, at most n newest posts from posts_author (a LATERAL
		// top-n), merged by one sort of at most follows × n rows.
		ids = `SELECT t.id, t.published_at FROM follows f CROSS JOIN LATERAL (
				SELECT p.id, p.published_at FROM posts p
				WHERE p.author_id = f.followee_id AND ` + visible + `
				ORDER BY p.published_at DESC, p.id DESC LIMIT ` + lim + `) t
			WHERE f.follower_id = ` + reader + `
			ORDER BY t.published_at DESC, t.id DESC LIMIT ` + lim
	} else {
		// Many follows: walk posts_home backwards and probe follows' primary
		// key per post, stopping after n hits.
		ids = `SELECT p.id, p.published_at FROM posts p
			WHERE ` + visible + ` AND EXISTS (
				SELECT 1 FROM follows f WHERE f.follower_id = ` + reader + ` AND f.followee_id = p.author_id)
			ORDER BY p.published_at DESC, p.id DESC LIMIT ` + lim
	}
	q := `SELECT ` + postCols + ` FROM (` + ids + `) top
		JOIN posts p ON p.id = top.id JOIN accounts a ON a.id = p.author_id
		ORDER BY p.published_at DESC, p.id DESC`
	return q, a
}
