package postgres

import (
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestTopQueryPlans checks that sort top, first page and after a cursor,
// scans the comments_*_top indexes (each half of a cursor page in index
// order; only the outer merge of at most twice the limit may sort), and
// that thread replies scan comments_thread, on a filled, analyzed database.
func TestTopQueryPlans(t *testing.T) {
	s := openTest(t, pgtest.Schema(t))
	fillForPlans(t, s)
	if _, err := s.pool.Exec(t.Context(), `UPDATE comments SET likes_count = id % 7 WHERE id % 10 = 0; ANALYZE`); err != nil {
		t.Fatal(err)
	}
	tx, err := s.pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(t.Context())
	if _, err := tx.Exec(t.Context(), `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		f     news.CommentFilter
		index string
	}{
		{"top-level", news.CommentFilter{PostID: 1, TopLevel: true}, "comments_top_likes"},
		{"all", news.CommentFilter{PostID: 1}, "comments_post_top"},
		{"replies", news.CommentFilter{PostID: 1, ParentID: 2}, "comments_parent_top"},
	} {
		for _, after := range []int64{0, 15000} {
			tc.f.Sort, tc.f.AfterID, tc.f.AfterLikes = news.SortTop, after, 0
			q, args, err := listCommentsQuery(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			plan := explain(t, tx, q, args)
			scans := strings.Count(plan, " "+tc.index+" ")
			if (after == 0 && (scans != 1 || strings.Contains(plan, "Sort"))) || (after != 0 && scans != 2) {
				t.Errorf("%s after=%d: want scans of %s; plan:\n%s", tc.name, after, tc.index, plan)
			}
		}
	}
	q, args := threadRepliesQuery(news.ReplyFilter{PostID: 1, ParentIDs: []int64{1, 2}}, 4)
	if plan := explain(t, tx, q, args); !strings.Contains(plan, " comments_thread ") {
		t.Errorf("thread replies: want a scan of comments_thread; plan:\n%s", plan)
	}
}
