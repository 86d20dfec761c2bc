package postgres

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// commentCols are the columns scanComment reads: comments "c" left-joined
// with their account "a". An account's comment shows the account's current
// name; a guest's the name given when writing.
const commentCols = `c.id, c.post_id, coalesce(c.parent_id, 0), c.root_id, c.depth, coalesce(c.account_id, 0),
	CASE WHEN c.account_id IS NULL THEN c.author_name ELSE a.name END,
	coalesce(a.handle, ''), coalesce(a.official, ''),
	c.email, c.website, c.body, c.body_html, c.status, c.likes_count, c.replies_count,
	c.ip, c.user_agent, c.created_at, c.edited_at, c.deleted_at, c.pinned_at`

const commentFrom = ` FROM comments c LEFT JOIN accounts a ON a.id = c.account_id`

func scanComment(row scanner) (*news.Comment, error) {
	var c news.Comment
	var edited, deleted, pinned *time.Time
	err := row.Scan(&c.ID, &c.PostID, &c.ParentID, &c.RootID, &c.Depth, &c.AccountID,
		&c.AuthorName, &c.AuthorHandle, &c.AuthorOfficial,
		&c.Email, &c.Website, &c.Body, &c.BodyHTML, &c.Status, &c.LikesCount, &c.RepliesCount,
		&c.IP, &c.UserAgent, &c.CreatedAt, &edited, &deleted, &pinned)
	if err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	c.EditedAt, c.DeletedAt, c.PinnedAt = fromNullTime(edited), fromNullTime(deleted), fromNullTime(pinned)
	return &c, nil
}

func collectComments(rows pgx.Rows) ([]*news.Comment, error) { return collect(rows, scanComment) }

// pathSegment is one segment of a comment's materialized path: the id in
// base 36, zero-padded to 8 characters (36^8 ids), so that comparing paths
// as text compares ids as numbers. It is the SQLite store's format.
func pathSegment(id int64) string {
	s := strconv.FormatInt(id, 36)
	if len(s) < 8 {
		s = strings.Repeat("0", 8-len(s)) + s
	}
	return s
}

// newComment is what CreateComment learns before it writes.
type newComment struct {
	id                       int64
	authorName, handle, offl string
	rootID                   int64
	depth                    int
	path                     string
}

// CreateComment inserts c and sets ID, CreatedAt, RootID and Depth, and,
// for an account's comment, AuthorHandle and AuthorOfficial (and AuthorName
// when empty). The post must exist; a parent must exist and belong to the
// same post. A published comment bumps the post's CommentsCount and the
// parent's RepliesCount in the same transaction.
//
// It takes two round trips inside its transaction: one batch of lookups,
// then one batch of writes (the row and both counters), so the post's row,
// which every commenter of a busy post must lock in turn, stays locked for
// one round trip and the commit.
func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error { return createComment(ctx, tx, c, now) })
	return dbErr(err, "create comment", msgs{})
}

// CreateCommentOnce is CreateComment unless the writer's same comment was
// written since since: then it writes nothing and returns that one. Under
// READ COMMITTED two transactions could each miss the other's comment, so
// the check is taken under a transaction-scoped advisory lock on the post
// and the body's hash: an identical comment sent at once waits for the
// first to commit, then finds it. Other comments almost never share the
// lock (a 32-bit key), and when they do they only queue for a moment.
func (s *Store) CreateCommentOnce(ctx context.Context, c *news.Comment, since time.Time) (*news.Comment, error) {
	now := s.now()
	var dup *news.Comment
	err := s.write(ctx, func(tx pgx.Tx) error {
		dup = nil
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, commentLockClass, commentLockKey(c)); err != nil {
			return err
		}
		d, err := recentDuplicate(ctx, tx, c, since)
		switch {
		case err == nil:
			dup = d
			return nil
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		return createComment(ctx, tx, c, now)
	})
	return dup, dbErr(err, "create comment", msgs{})
}

// commentLockClass is the first key of CreateCommentOnce's advisory locks
// ("HCMT"): the two-key space is apart from the one-key space that
// migrations lock in.
const commentLockClass int32 = 0x48434d54

// commentLockKey is the second: the post and the body, which every
// duplicate of c shares.
func commentLockKey(c *news.Comment) int32 {
	h := uint64(news.BodyHash(c.Body)) ^ (uint64(c.PostID) * 0x9e3779b97f4a7c15)
	return int32(h ^ h>>32)
}

// createComment is CreateComment in tx.
func createComment(ctx context.Context, tx pgx.Tx, c *news.Comment, now time.Time) error {
	n, err := lookUpComment(ctx, tx, c)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue(`
		INSERT INTO comments (id, post_id, parent_id, root_id, depth, path, account_id, author_name,
			email, website, body, body_hash, body_html, status, ip, user_agent, created_at)
		OVERRIDING SYSTEM VALUE
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		n.id, c.PostID, nullID(c.ParentID), n.rootID, n.depth, n.path, nullID(c.AccountID), n.authorName,
		c.Email, c.Website, c.Body, news.BodyHash(c.Body), c.BodyHTML, string(c.Status), c.IP, c.UserAgent, now)
	if r := c.Review; r != nil {
		b.Queue(`INSERT INTO comment_reviews (comment_id, score, reasons, writer, reports) VALUES ($1, $2, $3, $4, $5)`,
			n.id, r.Score, strings.Join(r.Reasons, "\n"), r.Writer, r.Reports)
	}
	if c.Status == news.CommentPublished {
		// Atomic increments: concurrent commenters queue on the row and
		// each adds to the committed value.
		b.Queue(`UPDATE posts SET comments_count = comments_count + 1 WHERE id = $1`, c.PostID)
		if c.ParentID != 0 {
			b.Queue(`UPDATE comments SET replies_count = replies_count + 1 WHERE id = $1`, c.ParentID)
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	c.ID, c.RootID, c.Depth, c.CreatedAt = n.id, n.rootID, n.depth, now
	c.AuthorName, c.AuthorHandle, c.AuthorOfficial = n.authorName, n.handle, n.offl
	c.LikesCount, c.RepliesCount = 0, 0
	return nil
}

// lookUpComment checks what c refers to (post, account, parent, in this
// order, so the first missing one is reported) and takes the new comment's
// id from the column's sequence, all in one batch: the id is part of the
// path, so it is needed before the row is written.
func lookUpComment(ctx context.Context, tx pgx.Tx, c *news.Comment) (newComment, error) {
	n := newComment{authorName: c.AuthorName}
	b := &pgx.Batch{}
	b.Queue(`SELECT 1 FROM posts WHERE id = $1`, c.PostID).QueryRow(func(row pgx.Row) error {
		var one int
		return orNotFound(row.Scan(&one), msgNoPost)
	})
	if c.AccountID != 0 {
		b.Queue(`SELECT handle, name, official FROM accounts WHERE id = $1`, c.AccountID).QueryRow(func(row pgx.Row) error {
			var name string
			if err := row.Scan(&n.handle, &name, &n.offl); err != nil {
				return orNotFound(err, msgNoAccount)
			}
			if n.authorName == "" {
				n.authorName = name
			}
			return nil
		})
	}
	var parentPath string
	if c.ParentID != 0 {
		b.Queue(`SELECT post_id, root_id, depth, path, status, deleted_at IS NOT NULL FROM comments WHERE id = $1`, c.ParentID).QueryRow(func(row pgx.Row) error {
			var postID int64
			var status string
			var deleted bool
			if err := row.Scan(&postID, &n.rootID, &n.depth, &parentPath, &status, &deleted); err != nil {
				return orNotFound(err, msgNoComment)
			}
			if err := news.CheckParent(c.PostID, postID, news.CommentStatus(status), deleted); err != nil {
				return err
			}
			n.depth, parentPath = news.ReplyPosition(n.depth, parentPath)
			return nil
		})
	}
	b.Queue(`SELECT nextval(pg_get_serial_sequence('comments', 'id'))`).QueryRow(func(row pgx.Row) error {
		return row.Scan(&n.id)
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return n, err
	}
	n.path = pathSegment(n.id)
	if c.ParentID != 0 {
		n.path = parentPath + "/" + n.path
	} else {
		n.rootID = n.id
	}
	return n, nil
}

// orNotFound turns "no row" into a NotFound with msg.
func orNotFound(err error, msg string) error {
	if err == pgx.ErrNoRows {
		return notFound(msg)
	}
	return err
}

// CommentByID returns the comment with this id, whatever its status.
func (s *Store) CommentByID(ctx context.Context, id int64) (*news.Comment, error) {
	c, err := scanComment(s.db().QueryRow(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = $1`, id))
	return c, dbErr(err, "comment by id", msgs{notFound: msgNoComment})
}

// ListComments returns one page of published comments of f.PostID (0: any
// post): all of them, only top-level ones (f.TopLevel) or the direct replies
// of f.ParentID. SortNew is newest first, SortOld (and "") oldest first; a
// page continues after f.AfterID in that order.
func (s *Store) ListComments(ctx context.Context, f news.CommentFilter) ([]*news.Comment, error) {
	q, a, err := listCommentsQuery(f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "list comments", msgs{})
	}
	list, err := collectComments(rows)
	return list, dbErr(err, "list comments", msgs{})
}

// listCommentsQuery builds the query of ListComments. It is apart so that
// a test can check its query plans.
func listCommentsQuery(f news.CommentFilter) (string, args, error) {
	var a args
	where := []string{"c.status = " + a.add(string(news.CommentPublished))}
	if f.PostID != 0 {
		where = append(where, "c.post_id = "+a.add(f.PostID))
	}
	switch {
	case f.TopLevel && f.ParentID != 0:
		return "", nil, &news.Error{Code: news.Invalid, Message: "List top-level comments or replies, not both.",
			Fields: map[string]string{"parent_id": "Leave this out to list top-level comments."}}
	case f.TopLevel:
		where = append(where, "c.parent_id IS NULL") // matches the partial index comments_top
	case f.ParentID != 0:
		where = append(where, "c.parent_id = "+a.add(f.ParentID))
	}
	if f.Sort == news.SortTop {
		q := topCommentsQuery(where, &a, f)
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
		where = append(where, "c.id "+cmp+" "+a.add(f.AfterID))
	}
	q := `SELECT ` + commentCols + commentFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY c.id ` + dir + ` LIMIT ` + a.add(limit(f.Limit, 50, maxPage))
	return q, a, nil
}

// topCommentsQuery is ListComments for SortTop: likes_count descending,
// ties by id ascending, the order of the comments_*_top indexes. After a
// cursor (likes L, id I) the rest of the list is two ranges of the index:
// likes = L and id > I, then likes < L. Each is its own ordered, limited
// subquery, so each is one index scan however deep the cursor is; a row
// comparison cannot say "likes down, id up", and an OR would scan every
// comment with L likes before the cursor (most comments have 0). The
// outer sort orders at most twice the limit. The placeholders of where are
// used twice, which PostgreSQL allows.
func topCommentsQuery(where []string, a *args, f news.CommentFilter) string {
	base := strings.Join(where, " AND ")
	n := a.add(limit(f.Limit, 50, maxPage))
	if f.AfterID == 0 {
		return `SELECT ` + commentCols + commentFrom + ` WHERE ` + base + ` ORDER BY c.likes_count DESC, c.id LIMIT ` + n
	}
	likes, id := a.add(f.AfterLikes), a.add(f.AfterID)
	return `SELECT ` + commentCols + ` FROM (
		(SELECT c.id FROM comments c WHERE ` + base + ` AND c.likes_count = ` + likes + ` AND c.id > ` + id + ` ORDER BY c.id LIMIT ` + n + `)
		UNION ALL
		(SELECT c.id FROM comments c WHERE ` + base + ` AND c.likes_count < ` + likes + ` ORDER BY c.likes_count DESC, c.id LIMIT ` + n + `)
	) k JOIN comments c ON c.id = k.id LEFT JOIN accounts a ON a.id = c.account_id
	ORDER BY c.likes_count DESC, c.id LIMIT ` + n
}

// ListReplies returns the published replies (depth > 0) of post postID
// under the top-level comments rootIDs, ordered by root id and then in
// thread order (each reply after its parent, siblings oldest first), at
// most limit in all (0: 200; at most 1000).
func (s *Store) ListReplies(ctx context.Context, postID int64, rootIDs []int64, n int) ([]*news.Comment, error) {
	if len(rootIDs) == 0 {
		return nil, nil
	}
	q, a := listRepliesQuery(postID, rootIDs, n)
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "list replies", msgs{})
	}
	list, err := collectComments(rows)
	return list, dbErr(err, "list replies", msgs{})
}

// listRepliesQuery builds the query of ListReplies. Each root is one
// ordered, limited range of comments_thread (the LATERAL subquery), so the
// rows read are at most roots × limit however big a thread is. The simpler
// root_id = ANY($1) ORDER BY root_id, path would have PostgreSQL before 17
// read and sort every reply of the roots, which grows with the thread.
func listRepliesQuery(postID int64, rootIDs []int64, n int) (string, args) {
	roots := slices.Clone(rootIDs)
	slices.Sort(roots)
	roots = slices.Compact(roots) // as IN (...) would: a root given twice is listed once
	var a args
	lim := a.add(limit(n, 200, 1000))
	q := `SELECT ` + commentCols + `
		FROM unnest(` + a.add(roots) + `::bigint[]) AS r (id)
		CROSS JOIN LATERAL (
			SELECT * FROM comments
			WHERE root_id = r.id AND post_id = ` + a.add(postID) + ` AND status = ` + a.add(string(news.CommentPublished)) + ` AND depth > 0
			ORDER BY path LIMIT ` + lim + `
		) c
		LEFT JOIN accounts a ON a.id = c.account_id
		ORDER BY c.root_id, c.path LIMIT ` + lim
	return q, a
}
