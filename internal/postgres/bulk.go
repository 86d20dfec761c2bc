package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

var _ news.BulkLoader = (*Store)(nil)

// NextIDs returns one more than the largest account, post and comment id.
func (s *Store) NextIDs(ctx context.Context) (news.BulkIDs, error) {
	var ids news.BulkIDs
	err := s.db().QueryRow(ctx, `SELECT
		(SELECT coalesce(max(id), 0) + 1 FROM accounts),
		(SELECT coalesce(max(id), 0) + 1 FROM posts),
		(SELECT coalesce(max(id), 0) + 1 FROM comments)`).Scan(&ids.Account, &ids.Post, &ids.Comment)
	return ids, dbErr(err, "next ids", msgs{})
}

// bulkWrite runs fn in a transaction (the Bulk one, if any) and maps its
// error once.
func (s *Store) bulkWrite(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	return dbErr(s.write(ctx, fn), what, msgs{conflict: "Some of these rows are there already."})
}

// copyRows copies rows into table's columns with COPY, the fastest way in.
// COPY writes identity columns as given (it has no OVERRIDING clause to
// need); moveSequence then puts the sequence past them.
func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	return err
}

// moveSequence makes table's identity sequence hand out ids after the
// largest there, as it would have had the rows been inserted one by one.
func moveSequence(ctx context.Context, tx pgx.Tx, table string) error {
	_, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), max(id)) FROM `+table+` HAVING max(id) IS NOT NULL`)
	return err
}

// copyIgnoring copies rows into table, skipping those whose key is there
// already: COPY cannot skip, so they go through a temporary table dropped
// at commit.
func copyIgnoring(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	tmp := "bulk_" + table
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE `+tmp+` (LIKE `+table+` INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return err
	}
	if err := copyRows(ctx, tx, tmp, cols, rows); err != nil {
		return err
	}
	list := strings.Join(cols, ", ")
	_, err := tx.Exec(ctx, `INSERT INTO `+table+` (`+list+`) SELECT `+list+` FROM `+tmp+` ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `DROP TABLE `+tmp)
	return err
}

// LoadAccounts inserts accounts with their ids and sign-up times.
func (s *Store) LoadAccounts(ctx context.Context, list []*news.Account, passwordHash string) error {
	rows := make([][]any, len(list))
	for i, a := range list {
		rows[i] = []any{a.ID, a.Handle, a.Name, a.Email, a.Bio, string(a.Role), a.Official, passwordHash, utc(a.CreatedAt)}
	}
	return s.bulkWrite(ctx, "load accounts", func(tx pgx.Tx) error {
		err := copyRows(ctx, tx, "accounts", []string{"id", "handle", "name", "email", "bio", "role", "official", "password_hash", "created_at"}, rows)
		if err != nil {
			return err
		}
		return moveSequence(ctx, tx, "accounts")
	})
}

// LoadPosts inserts posts and their tags, as CreatePost writes them.
func (s *Store) LoadPosts(ctx context.Context, list []*news.Post) error {
	rows := make([][]any, len(list))
	var tags [][]any
	for i, p := range list {
		kind := p.Kind
		if kind == "" {
			kind = "article"
		}
		rows[i] = []any{p.ID, p.AuthorID, kind, p.Title, p.Slug, p.Summary, p.BodyMarkdown, p.BodyHTML, p.Lang,
			p.SourceName, p.SourceURL, string(p.Status), ts(p.PublishedAt), utc(p.CreatedAt), utc(p.UpdatedAt)}
		var published any
		if p.Status == news.PostPublished {
			published = ts(p.PublishedAt)
		}
		seen := map[string]bool{}
		for _, t := range p.Tags {
			if !seen[t] {
				tags = append(tags, []any{p.ID, int32(len(seen)), t, published})
				seen[t] = true
			}
		}
	}
	return s.bulkWrite(ctx, "load posts", func(tx pgx.Tx) error {
		err := copyRows(ctx, tx, "posts", []string{"id", "author_id", "kind", "title", "slug", "summary", "body_markdown",
			"body_html", "lang", "source_name", "source_url", "status", "published_at", "created_at", "updated_at"}, rows)
		if err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "post_tags", []string{"post_id", "position", "tag", "published_at"}, tags); err != nil {
			return err
		}
		return moveSequence(ctx, tx, "posts")
	})
}

// LoadComments inserts comments with the thread columns CreateComment
// would give them. Parents outside the call are read from the table.
func (s *Store) LoadComments(ctx context.Context, list []*news.Comment) error {
	return s.bulkWrite(ctx, "load comments", func(tx pgx.Tx) error {
		lookup := func(id int64) (news.ThreadSpot, error) {
			var p news.ThreadSpot
			var status string
			err := tx.QueryRow(ctx, `SELECT post_id, root_id, depth, path, status, deleted_at IS NOT NULL FROM comments WHERE id = $1`, id).
				Scan(&p.PostID, &p.RootID, &p.Depth, &p.Path, &status, &p.Deleted)
			p.Status = news.CommentStatus(status)
			return p, orNotFound(err, msgNoComment)
		}
		spots, err := news.PlaceComments(list, pathSegment, lookup)
		if err != nil {
			return err
		}
		if err := fillAuthorNames(ctx, tx, list); err != nil {
			return err
		}
		rows := make([][]any, len(list))
		for i, c := range list {
			sp := spots[i]
			rows[i] = []any{c.ID, c.PostID, nullID(c.ParentID), sp.RootID, int32(sp.Depth), sp.Path, nullID(c.AccountID),
				c.AuthorName, c.Email, c.Website, c.Body, news.BodyHash(c.Body), c.BodyHTML, string(c.Status), c.IP,
				c.UserAgent, utc(c.CreatedAt)}
		}
		err = copyRows(ctx, tx, "comments", []string{"id", "post_id", "parent_id", "root_id", "depth", "path", "account_id",
			"author_name", "email", "website", "body", "body_hash", "body_html", "status", "ip", "user_agent", "created_at"}, rows)
		if err != nil {
			return err
		}
		return moveSequence(ctx, tx, "comments")
	})
}

// fillAuthorNames gives each account's comment without an AuthorName the
// account's name, as CreateComment stores it, before the rows are written
// (an UPDATE afterwards would write every such row twice).
func fillAuthorNames(ctx context.Context, tx pgx.Tx, list []*news.Comment) error {
	var ids []int64
	for _, c := range list {
		if c.AccountID != 0 && c.AuthorName == "" {
			ids = append(ids, c.AccountID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id, name FROM accounts WHERE id = ANY($1)`, ids)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	var id int64
	var name string
	if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error { names[id] = name; return nil }); err != nil {
		return err
	}
	for _, c := range list {
		if c.AccountID != 0 && c.AuthorName == "" {
			c.AuthorName = names[c.AccountID]
		}
	}
	return nil
}

// LoadFollows inserts follows, skipping those there already.
func (s *Store) LoadFollows(ctx context.Context, list []news.BulkFollow) error {
	rows := make([][]any, len(list))
	for i, f := range list {
		rows[i] = []any{f.Follower, f.Followee, utc(f.At)}
	}
	followers := make([]int64, len(list))
	for i, f := range list {
		followers[i] = f.Follower
	}
	return s.bulkWrite(ctx, "load follows", func(tx pgx.Tx) error {
		if err := copyIgnoring(ctx, tx, "follows", []string{"follower_id", "followee_id", "created_at"}, rows); err != nil {
			return err
		}
		// A running instance may hold these followers' sets in memory.
		_, err := tx.Exec(ctx, `UPDATE accounts SET follows_version = follows_version + 1
			WHERE id = ANY($1::bigint[])`, followers)
		return err
	})
}

// LoadPostLikes inserts likes of posts, skipping those there already.
func (s *Store) LoadPostLikes(ctx context.Context, list []news.BulkLike) error {
	return s.loadReaderRows(ctx, "post_likes", list)
}

// LoadViews inserts counted views of posts, skipping those there already.
func (s *Store) LoadViews(ctx context.Context, list []news.BulkLike) error {
	return s.loadReaderRows(ctx, "post_views", list)
}

func (s *Store) loadReaderRows(ctx context.Context, table string, list []news.BulkLike) error {
	rows := make([][]any, len(list))
	for i, l := range list {
		rows[i] = []any{l.ID, l.Reader.Key(), utc(l.At)}
	}
	return s.bulkWrite(ctx, "load "+table, func(tx pgx.Tx) error {
		return copyIgnoring(ctx, tx, table, []string{"post_id", "reader", "created_at"}, rows)
	})
}

// LoadCommentLikes inserts likes of comments, skipping those there already.
func (s *Store) LoadCommentLikes(ctx context.Context, list []news.BulkLike) error {
	rows := make([][]any, len(list))
	for i, l := range list {
		rows[i] = []any{l.ID, l.Reader.Key(), nullID(l.Reader.AccountID), utc(l.At)}
	}
	return s.bulkWrite(ctx, "load comment likes", func(tx pgx.Tx) error {
		return copyIgnoring(ctx, tx, "comment_likes", []string{"comment_id", "reader", "account_id", "created_at"}, rows)
	})
}

// SetShares sets the shares count of each post in shares, in one
// statement over arrays.
func (s *Store) SetShares(ctx context.Context, shares map[int64]int64) error {
	ids := make([]int64, 0, len(shares))
	ns := make([]int64, 0, len(shares))
	for id, n := range shares {
		ids, ns = append(ids, id), append(ns, n)
	}
	return s.bulkWrite(ctx, "set shares", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE posts p SET shares_count = v.n
			FROM unnest($1::bigint[], $2::bigint[]) AS v(id, n) WHERE p.id = v.id`, ids, ns)
		return err
	})
}

// recounts are the SQLite store's (see its bulk_recount.go for the rules
// and the shape), in PostgreSQL's placeholders and with typed NULLs.
var recounts = map[string][2]string{
	"accounts": {`UPDATE accounts SET posts_count = c.p, followers_count = c.fr, following_count = c.fg FROM (
		SELECT id, count(p) AS p, count(fr) AS fr, count(fg) AS fg FROM (
			SELECT author_id AS id, 1 AS p, NULL::int AS fr, NULL::int AS fg FROM posts
				WHERE author_id >= $1 AND author_id < $2 AND status = 'published'
			UNION ALL SELECT followee_id, NULL, 1, NULL FROM follows WHERE followee_id >= $1 AND followee_id < $2
			UNION ALL SELECT follower_id, NULL, NULL, 1 FROM follows WHERE follower_id >= $1 AND follower_id < $2) u
		GROUP BY id) c
	WHERE accounts.id = c.id AND (accounts.posts_count, accounts.followers_count, accounts.following_count) <> (c.p, c.fr, c.fg)`,
		`UPDATE accounts SET posts_count = 0, followers_count = 0, following_count = 0
	WHERE id >= $1 AND id < $2 AND (posts_count <> 0 OR followers_count <> 0 OR following_count <> 0)
		AND NOT EXISTS (SELECT 1 FROM posts WHERE author_id = accounts.id AND status = 'published')
		AND NOT EXISTS (SELECT 1 FROM follows WHERE followee_id = accounts.id)
		AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = accounts.id)`},

	"posts": {`UPDATE posts SET comments_count = c.c, likes_count = c.l, views_count = c.v FROM (
		SELECT id, count(c) AS c, count(l) AS l, count(v) AS v FROM (
			SELECT post_id AS id, 1 AS c, NULL::int AS l, NULL::int AS v FROM comments
				WHERE post_id >= $1 AND post_id < $2 AND status = 'published' AND deleted_at IS NULL
			UNION ALL SELECT post_id, NULL, 1, NULL FROM post_likes WHERE post_id >= $1 AND post_id < $2
			UNION ALL SELECT post_id, NULL, NULL, 1 FROM post_views WHERE post_id >= $1 AND post_id < $2) u
		GROUP BY id) c
	WHERE posts.id = c.id AND (posts.comments_count, posts.likes_count, posts.views_count) <> (c.c, c.l, c.v)`,
		`UPDATE posts SET comments_count = 0, likes_count = 0, views_count = 0
	WHERE id >= $1 AND id < $2 AND (comments_count <> 0 OR likes_count <> 0 OR views_count <> 0)
		AND NOT EXISTS (SELECT 1 FROM comments WHERE post_id = posts.id AND status = 'published' AND deleted_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM post_likes WHERE post_id = posts.id)
		AND NOT EXISTS (SELECT 1 FROM post_views WHERE post_id = posts.id)`},

	"comments": {`UPDATE comments SET replies_count = c.r, likes_count = c.l FROM (
		SELECT id, count(r) AS r, count(l) AS l FROM (
			SELECT parent_id AS id, 1 AS r, NULL::int AS l FROM comments
				WHERE parent_id >= $1 AND parent_id < $2 AND status = 'published'
			UNION ALL SELECT comment_id, NULL, 1 FROM comment_likes WHERE comment_id >= $1 AND comment_id < $2) u
		GROUP BY id) c
	WHERE comments.id = c.id AND (comments.replies_count, comments.likes_count) <> (c.r, c.l)`,
		`UPDATE comments SET replies_count = 0, likes_count = 0
	WHERE id >= $1 AND id < $2 AND (replies_count <> 0 OR likes_count <> 0)
		AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id AND r.status = 'published')
		AND NOT EXISTS (SELECT 1 FROM comment_likes WHERE comment_id = comments.id)`},
}

// RecountRange sets the counters of table's rows with ids in [from, to).
func (s *Store) RecountRange(ctx context.Context, table string, from, to int64) error {
	q, ok := recounts[table]
	if !ok {
		return fmt.Errorf("recount: %q keeps no counters", table)
	}
	return s.bulkWrite(ctx, "recount "+table, func(tx pgx.Tx) error {
		for _, stmt := range q {
			if _, err := tx.Exec(ctx, stmt, from, to); err != nil {
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
