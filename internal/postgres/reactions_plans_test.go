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
			// After a cursor the query is two index ranges (same likes and a
			// later id; fewer likes). With AfterLikes 0 the second range is
			// empty, and the planner may read that empty range from either
			// of two indexes, so only the first must use tc.index; neither
			// may be a sequential scan.
			if (after == 0 && (scans != 1 || strings.Contains(plan, "Sort"))) ||
				(after != 0 && (scans < 1 || rangeScans(plan) < 2 || strings.Contains(plan, "Seq Scan"))) {
				t.Errorf("%s after=%d: want scans of %s; plan:\n%s", tc.name, after, tc.index, plan)
			}
		}
	}
	q, args := threadRepliesQuery(news.ReplyFilter{PostID: 1, ParentIDs: []int64{1, 2}}, 4)
	if plan := explain(t, tx, q, args); !strings.Contains(plan, " comments_thread ") {
		t.Errorf("thread replies: want a scan of comments_thread; plan:\n%s", plan)
	}
}

// rangeScans counts the index range scans of comments in plan (index and
// index-only scans of any comments index but the primary key, which only
// fetches rows found by the others).
func rangeScans(plan string) int {
	return strings.Count(plan, "Scan using comments_") - strings.Count(plan, "Scan using comments_pkey")
}
