package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/headline/headline/internal/news"
)

// ListThreadReplies returns the published replies under each of
// f.ParentIDs in thread order, at most f.Limit under each (0: 50; at most
// 500). A comment's subtree is the range of comments_thread between its
// path + "/" and its path + "0" ('0' follows '/'), so each parent is one
// ordered, limited range scan however large the thread; the ranges are
// joined with UNION ALL into one statement.
func (s *Store) ListThreadReplies(ctx context.Context, f news.ReplyFilter) ([]*news.Comment, error) {
	if len(f.ParentIDs) == 0 {
		return nil, nil
	}
	if f.AfterID != 0 && len(f.ParentIDs) != 1 {
		return nil, news.Errorf(news.Invalid, "A reply cursor continues one thread.")
	}
	n := limit(f.Limit, 50, 500)
	var list []*news.Comment
	err := s.read(ctx, func(tx *sql.Tx) error {
		ranges, err := replyRanges(ctx, tx, f)
		if err != nil {
			return err
		}
		if len(ranges) == 0 {
			return nil
		}
		q, args := threadRepliesQuery(f.PostID, ranges, n)
		list, err = queryComments(ctx, tx, q, args...)
		return err
	})
	return list, dbErr(err, "list thread replies", msgs{notFound: msgNoComment})
}

// replyRange is one subtree to read: root, and paths in (lo, hi).
type replyRange struct {
	root   int64
	lo, hi string
}

// replyRanges looks up the path of each parent (and of the cursor),
// keeping the order of f.ParentIDs. Parents on another post are skipped.
// The parents are read by one statement: a page of threads asks for 50.
func replyRanges(ctx context.Context, tx *sql.Tx, f news.ReplyFilter) ([]replyRange, error) {
	args := make([]any, len(f.ParentIDs))
	for i, id := range f.ParentIDs {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, post_id, root_id, path FROM comments WHERE id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := make(map[int64]replyRange, len(args))
	for rows.Next() {
		var id, postID int64
		var r replyRange
		var path string
		if err := rows.Scan(&id, &postID, &r.root, &path); err != nil {
			return nil, err
		}
		if postID == f.PostID {
			r.lo, r.hi = path+"/", path+"0"
			found[id] = r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []replyRange
	for _, id := range f.ParentIDs {
		r, ok := found[id]
		if !ok {
			continue
		}
		if f.AfterID != 0 {
			var after string
			err := tx.QueryRowContext(ctx, `SELECT path FROM comments WHERE id = ? AND root_id = ?`, f.AfterID, r.root).Scan(&after)
			if err == sql.ErrNoRows || !strings.HasPrefix(after, r.lo) {
				return nil, news.Errorf(news.Invalid, "The cursor does not belong to this thread; start again from the first page.")
			} else if err != nil {
				return nil, err
			}
			r.lo = after
		}
		out = append(out, r)
	}
	return out, nil
}

// threadRepliesQuery builds the statement of ListThreadReplies. post_id
// and status are written +c.… so that SQLite uses comments_thread, which
// gives thread order, rather than an index on post_id that would sort.
func threadRepliesQuery(postID int64, ranges []replyRange, n int) (string, []any) {
	var parts []string
	var args []any
	for _, r := range ranges {
		parts = append(parts, `SELECT * FROM (SELECT `+commentCols+commentFrom+`
			WHERE c.root_id = ? AND c.path > ? AND c.path < ? AND +c.post_id = ? AND +c.status = 'published'
			ORDER BY c.path`+subqueryLimit(n)+`)`)
		args = append(args, r.root, r.lo, r.hi, postID)
	}
	return strings.Join(parts, " UNION ALL "), args
}
