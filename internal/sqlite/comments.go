package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// commentCols are the columns scanComment reads: comments "c" left-joined
// with their account "a". An account's comment shows the account's current
// name; a guest's the name given when writing.
const commentCols = `c.id, c.post_id, c.parent_id, c.root_id, c.depth, c.account_id,
	CASE WHEN c.account_id IS NULL THEN c.author_name ELSE a.name END,
	coalesce(a.handle, ''), coalesce(a.official, ''),
	c.email, c.website, c.body, c.body_html, c.status, c.likes_count, c.replies_count,
	c.ip, c.user_agent, c.created_at, c.edited_at, c.deleted_at, c.pinned_at`

const commentFrom = ` FROM comments c LEFT JOIN accounts a ON a.id = c.account_id`

func scanComment(row scanner) (*news.Comment, error) {
	var c news.Comment
	var parent, account sql.NullInt64
	var created int64
	var edited, deleted, pinned sql.NullInt64
	err := row.Scan(&c.ID, &c.PostID, &parent, &c.RootID, &c.Depth, &account,
		&c.AuthorName, &c.AuthorHandle, &c.AuthorOfficial,
		&c.Email, &c.Website, &c.Body, &c.BodyHTML, &c.Status, &c.LikesCount, &c.RepliesCount,
		&c.IP, &c.UserAgent, &created, &edited, &deleted, &pinned)
	if err != nil {
		return nil, err
	}
	c.ParentID, c.AccountID = parent.Int64, account.Int64
	c.CreatedAt = fromMicros(created)
	c.EditedAt, c.DeletedAt, c.PinnedAt = fromNullMicros(edited), fromNullMicros(deleted), fromNullMicros(pinned)
	return &c, nil
}

// pathSegment is one segment of a comment's materialized path: the id in
// base 36, zero-padded to 8 characters (36^8 ids), so that comparing paths
// as text compares ids as numbers.
func pathSegment(id int64) string {
	s := strconv.FormatInt(id, 36)
	if len(s) < 8 {
		s = strings.Repeat("0", 8-len(s)) + s
	}
	return s
}

// CreateComment inserts c and sets ID, CreatedAt, RootID and Depth, and,
// for an account's comment, AuthorHandle and AuthorOfficial (and AuthorName
// when empty). The post must exist; a parent must exist and belong to the
// same post. A published comment bumps the post's CommentsCount and the
// parent's RepliesCount in the same transaction.
//
// It runs on the committer, whose time every concurrent writer waits for,
// so it keeps to few statements: one read for the post and the new id, the
// INSERT with the row complete, and the counters. Every check comes before
// the INSERT, so it runs bare, without a savepoint (writeBare).
func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	now := s.now()
	err := s.writeBare(ctx, func(tx *sql.Tx) error { return createComment(ctx, tx, c, now) })
	return dbErr(err, "create comment", msgs{})
}

// CreateCommentOnce is CreateComment unless the writer's same comment was
// written since since: then it writes nothing and returns that one. The
// check is the first statement of the write, so of identical comments
// sent at once (an app retrying, a form sent twice) the committer stores
// the first and finds it for the others; on the writer it reads pages
// the batch has just written, a seek of comments_writer that reads no row
// unless the bodies' hashes match.
func (s *Store) CreateCommentOnce(ctx context.Context, c *news.Comment, since time.Time) (*news.Comment, error) {
	now := s.now()
	var dup *news.Comment
	err := s.writeBare(ctx, func(tx *sql.Tx) error {
		dup = nil
		d, err := recentDuplicate(ctx, tx, c, since)
		switch {
		case err == nil:
			dup = d
			return nil
		case err != sql.ErrNoRows:
			return err
		}
		return createComment(ctx, tx, c, now)
	})
	return dup, dbErr(err, "create comment", msgs{})
}

// createComment is CreateComment in tx.
func createComment(ctx context.Context, tx *sql.Tx, c *news.Comment, now time.Time) error {
	id, err := nextCommentID(ctx, tx, c.PostID)
	if err != nil {
		return err
	}
	authorName, handle, official := c.AuthorName, "", ""
	if c.AccountID != 0 {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT handle, name, official FROM accounts WHERE id = ?`, c.AccountID).
			Scan(&handle, &name, &official)
		if err == sql.ErrNoRows {
			return notFound(msgNoAccount)
		} else if err != nil {
			return err
		}
		if authorName == "" {
			authorName = name
		}
	}
	rootID, depth, path := id, 0, pathSegment(id)
	if c.ParentID != 0 {
		if rootID, depth, path, err = replyPlace(ctx, tx, c, id); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO comments (id, post_id, parent_id, root_id, depth, path, account_id, author_name,
			email, website, body, body_hash, body_html, status, ip, user_agent, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.PostID, nullID(c.ParentID), rootID, depth, path, nullID(c.AccountID), authorName,
		c.Email, c.Website, c.Body, news.BodyHash(c.Body), c.BodyHTML, string(c.Status), c.IP, c.UserAgent, now.UnixMicro())
	if err != nil {
		return err
	}
	if err := insertReview(ctx, tx, id, c.Review); err != nil {
		return err
	}
	if c.Status == news.CommentPublished {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET comments_count = comments_count + 1 WHERE id = ?`, c.PostID); err != nil {
			return err
		}
		if c.ParentID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE comments SET replies_count = replies_count + 1 WHERE id = ?`, c.ParentID); err != nil {
				return err
			}
		}
	}
	c.ID, c.RootID, c.Depth, c.CreatedAt = id, rootID, depth, now
	c.AuthorName, c.AuthorHandle, c.AuthorOfficial = authorName, handle, official
	c.LikesCount, c.RepliesCount = 0, 0
	return nil
}

// nextCommentID checks that the post exists and returns the id the next
// comment gets. The path and a top-level comment's root_id are made of the
// comment's own id; knowing it before the INSERT writes the row complete
// at once, instead of inserting and then updating the row and its
// comments_thread entry. max(id) + 1 is the id SQLite itself would assign
// (comments.id is an INTEGER PRIMARY KEY without AUTOINCREMENT), and it
// cannot change before the INSERT: the writer holds the write lock
// (BEGIN IMMEDIATE), and an earlier write of the same batch is seen.
func nextCommentID(ctx context.Context, tx *sql.Tx, postID int64) (int64, error) {
	var id int64
	var post bool
	err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) + 1 FROM comments),
		EXISTS (SELECT 1 FROM posts WHERE id = ?)`, postID).Scan(&id, &post)
	if err != nil {
		return 0, err
	}
	if !post {
		return 0, notFound(msgNoPost)
	}
	return id, nil
}

// replyPlace checks c's parent and returns the reply's root, depth and
// path, given the reply's id.
func replyPlace(ctx context.Context, tx *sql.Tx, c *news.Comment, id int64) (rootID int64, depth int, path string, err error) {
	var postID int64
	var status string
	var deleted sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT post_id, root_id, depth, path, status, deleted_at FROM comments WHERE id = ?`, c.ParentID).
		Scan(&postID, &rootID, &depth, &path, &status, &deleted)
	if err == sql.ErrNoRows {
		return 0, 0, "", notFound(msgNoComment)
	} else if err != nil {
		return 0, 0, "", err
	}
	if err := news.CheckParent(c.PostID, postID, news.CommentStatus(status), deleted.Valid); err != nil {
		return 0, 0, "", err
	}
	depth, path = news.ReplyPosition(depth, path)
	return rootID, depth, path + "/" + pathSegment(id), nil
}

// CommentByID returns the comment with this id, whatever its status.
func (s *Store) CommentByID(ctx context.Context, id int64) (*news.Comment, error) {
	var c *news.Comment
	err := s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		c, err = scanComment(tx.QueryRowContext(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = ?`, id))
		return err
	})
	return c, dbErr(err, "comment by id", msgs{notFound: msgNoComment})
}

// ListComments returns one page of published comments of f.PostID (0: any
// post): all of them, only top-level ones (f.TopLevel) or the direct replies
// of f.ParentID. SortNew is newest first, SortOld (and "") oldest first; a
// page continues after f.AfterID in that order.
func (s *Store) ListComments(ctx context.Context, f news.CommentFilter) ([]*news.Comment, error) {
	q, args, err := listCommentsQuery(f)
	if err != nil {
		return nil, err
	}
	var list []*news.Comment
	err = s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		list, err = queryComments(ctx, tx, q, args...)
		return err
	})
	if err != nil {
		return nil, dbErr(err, "list comments", msgs{})
	}
	return list, nil
}

// listCommentsQuery builds the query of ListComments. It is apart so that
// a test can check its query plans.
func listCommentsQuery(f news.CommentFilter) (string, []any, error) {
	where := []string{"c.status = ?"}
	args := []any{string(news.CommentPublished)}
	if f.PostID != 0 {
		where, args = append(where, "c.post_id = ?"), append(args, f.PostID)
	}
	switch {
	case f.TopLevel && f.ParentID != 0:
		return "", nil, &news.Error{Code: news.Invalid, Message: "List top-level comments or replies, not both.",
			Fields: map[string]string{"parent_id": "Leave this out to list top-level comments."}}
	case f.TopLevel:
		where = append(where, "c.parent_id IS NULL") // matches the partial index comments_top
	case f.ParentID != 0:
		where, args = append(where, "c.parent_id = ?"), append(args, f.ParentID)
	}
	if f.Sort == news.SortTop {
		q, a := topCommentsQuery(where, args, f)
		return q, a, nil
	}
	dir, cmp := "ASC", ">"
	switch f.Sort {
	case news.SortNew:
		dir, cmp = "DESC", "<"
	case news.SortOld, "":
	default:
		return "", nil, &news.Error{Code: news.Invalid, Message: "Sort comments by top, new or old.",
			Fields: map[string]string{"sort": "Choose top, new or old."}}
	}
	if f.AfterID != 0 {
		where, args = append(where, "c.id "+cmp+" ?"), append(args, f.AfterID)
	}
	args = append(args, limit(f.Limit, 50, maxPage))
	q := `SELECT ` + commentCols + commentFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY c.id ` + dir + ` LIMIT ?`
	return q, args, nil
}

// topCommentsQuery is ListComments for SortTop: likes_count descending,
// ties by id ascending, the order of the comments_*_top indexes. After a
// cursor (likes L, id I) the rest of the list is two ranges of the index:
// likes = L and id > I, then likes < L. Each is its own ordered, limited
// subquery, so each is one index seek however deep the cursor is; an OR in
// one WHERE would instead scan every comment with L likes before the
// cursor, and most comments have 0. The outer sort orders at most twice
// the limit.
func topCommentsQuery(where []string, args []any, f news.CommentFilter) (string, []any) {
	n := limit(f.Limit, 50, maxPage)
	base := strings.Join(where, " AND ")
	if f.AfterID == 0 {
		return `SELECT ` + commentCols + commentFrom + ` WHERE ` + base +
			` ORDER BY c.likes_count DESC, c.id LIMIT ?`, append(args, n)
	}
	var all []any
	all = append(all, args...)
	all = append(all, f.AfterLikes, f.AfterID)
	all = append(all, args...)
	all = append(all, f.AfterLikes, n)
	// The subqueries' limits are written in, not bound: see subqueryLimit.
	q := `SELECT ` + commentCols + ` FROM (
		SELECT * FROM (SELECT c.id FROM comments c WHERE ` + base + ` AND c.likes_count = ? AND c.id > ? ORDER BY c.id` + subqueryLimit(n) + `)
		UNION ALL
		SELECT * FROM (SELECT c.id FROM comments c WHERE ` + base + ` AND c.likes_count < ? ORDER BY c.likes_count DESC, c.id` + subqueryLimit(n) + `)
	) k JOIN comments c ON c.id = k.id LEFT JOIN accounts a ON a.id = c.account_id
	ORDER BY c.likes_count DESC, c.id LIMIT ?`
	return q, all
}

// ListReplies returns the published replies (depth > 0) of post postID
// under the top-level comments rootIDs, ordered by root id and then in
// thread order (each reply after its parent, siblings oldest first), at
// most limit in all (0: 200; at most 1000).
func (s *Store) ListReplies(ctx context.Context, postID int64, rootIDs []int64, n int) ([]*news.Comment, error) {
	if len(rootIDs) == 0 {
		return nil, nil
	}
	q, args := listRepliesQuery(postID, rootIDs, n)
	var list []*news.Comment
	err := s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		list, err = queryComments(ctx, tx, q, args...)
		return err
	})
	if err != nil {
		return nil, dbErr(err, "list replies", msgs{})
	}
	return list, nil
}

// listRepliesQuery builds the query of ListReplies. post_id and status are
// written +c.post_id and +c.status so that SQLite cannot use them for an
// index: it would pick comments_post and sort, where comments_thread gives
// thread order directly, one range per root.
func listRepliesQuery(postID int64, rootIDs []int64, n int) (string, []any) {
	args := []any{postID, string(news.CommentPublished)}
	for _, id := range rootIDs {
		args = append(args, id)
	}
	args = append(args, limit(n, 200, 1000))
	q := `SELECT ` + commentCols + commentFrom + `
		WHERE +c.post_id = ? AND +c.status = ? AND c.depth > 0 AND c.root_id IN (` + placeholders(len(rootIDs)) + `)
		ORDER BY c.root_id, c.path LIMIT ?`
	return q, args
}

func queryComments(ctx context.Context, tx querier, q string, args ...any) ([]*news.Comment, error) {
	return queryAll(ctx, tx, scanComment, q, args...)
}

// scanID scans a row of one id column.
func scanID(row scanner) (int64, error) {
	var id int64
	err := row.Scan(&id)
	return id, err
}

// queryAll runs q and scans every row with scan.
func queryAll[T any](ctx context.Context, tx querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}
