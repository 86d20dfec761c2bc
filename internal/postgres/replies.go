package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// ListThreadReplies returns the published replies under each of
// f.ParentIDs in thread order, at most f.Limit under each (0: 50; at most
// 500). A comment's subtree is the range of comments_thread between its
// path + "/" and its path + "0" ('0' follows '/' in the "C" collation), so
// each parent is one ordered, limited range scan (the LATERAL subquery)
// however large the thread.
func (s *Store) ListThreadReplies(ctx context.Context, f news.ReplyFilter) ([]*news.Comment, error) {
	if len(f.ParentIDs) == 0 {
		return nil, nil
	}
	if f.AfterID != 0 && len(f.ParentIDs) != 1 {
		return nil, news.Errorf(news.Invalid, "A reply cursor continues one thread.")
	}
	q, a := threadRepliesQuery(f, limit(f.Limit, 50, 500))
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "list thread replies", msgs{})
	}
	list, err := collectComments(rows)
	if err != nil {
		return nil, dbErr(err, "list thread replies", msgs{})
	}
	if f.AfterID != 0 && len(list) == 0 {
		// Tell a cursor from another thread apart from the end of this one.
		if err := s.checkReplyCursor(ctx, f.ParentIDs[0], f.AfterID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// threadRepliesQuery builds the statement of ListThreadReplies: the
// parents (and the cursor's path) are looked up in the same statement, in
// the order given (WITH ORDINALITY).
func threadRepliesQuery(f news.ReplyFilter, n int) (string, args) {
	var a args
	after := "p.path || '/'"
	if f.AfterID != 0 {
		after = `(SELECT x.path FROM comments x WHERE x.id = ` + a.add(f.AfterID) + ` AND x.root_id = p.root_id
			AND x.path > p.path || '/' AND x.path < p.path || '0')`
	}
	q := `SELECT ` + commentCols + `
		FROM unnest(` + a.add(f.ParentIDs) + `::bigint[]) WITH ORDINALITY AS r (id, n)
		JOIN comments p ON p.id = r.id AND p.post_id = ` + a.add(f.PostID) + `
		CROSS JOIN LATERAL (
			SELECT * FROM comments
			WHERE root_id = p.root_id AND path > ` + after + ` AND path < p.path || '0'
				AND post_id = p.post_id AND status = 'published'
			ORDER BY path LIMIT ` + a.add(n) + `
		) c
		LEFT JOIN accounts a ON a.id = c.account_id
		ORDER BY r.n, c.path`
	return q, a
}

// checkReplyCursor reports an Invalid error when after is not a reply
// under parent.
func (s *Store) checkReplyCursor(ctx context.Context, parent, after int64) error {
	var ok bool
	err := s.db().QueryRow(ctx, `SELECT x.path > p.path || '/' AND x.path < p.path || '0' AND x.root_id = p.root_id
		FROM comments p, comments x WHERE p.id = $1 AND x.id = $2`, parent, after).Scan(&ok)
	if err == pgx.ErrNoRows || (err == nil && !ok) {
		return news.Errorf(news.Invalid, "The cursor does not belong to this thread; start again from the first page.")
	}
	return dbErr(err, "check reply cursor", msgs{})
}
