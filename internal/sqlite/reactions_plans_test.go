package sqlite

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

// TestTopQueryPlans checks that sort top, first page and after a cursor,
// reads the comments_*_top indexes by range (the outer sort of a cursor
// page orders at most twice the limit, so it may sort), and that thread
// replies read comments_thread, on a filled, analyzed database.
func TestTopQueryPlans(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	for _, q := range []string{
		`INSERT INTO accounts (handle, role, created_at) VALUES ('u', 'reader', 0)`,
		`INSERT INTO posts (author_id, title, slug, status, published_at, created_at, updated_at) VALUES (1, 't', 's', 'published', 0, 0, 0)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20000)
		 INSERT INTO comments (post_id, parent_id, root_id, depth, path, body, status, likes_count, created_at)
		 SELECT 1, NULL, i, 0, printf('%08d', i), 'b', 'published', iif(i % 10 = 0, i % 7, 0), i FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000)
		 INSERT INTO comments (post_id, parent_id, root_id, depth, path, body, status, created_at)
		 SELECT 1, 1 + i % 50, 1 + i % 50, 1, printf('%08d/%08d', 1 + i % 50, 20000 + i), 'b', 'published', i FROM n`,
		`ANALYZE`,
	} {
		if _, err := s.w.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
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
			plan := explainSQLite(t, s, q, args)
			// Every scan of comments is a search of the index; a first page
			// needs no sort at all.
			if strings.Count(plan, "INDEX "+tc.index+" ") < 1 || strings.Contains(plan, "SCAN c ") ||
				(after == 0 && strings.Contains(plan, "TEMP B-TREE")) {
				t.Errorf("%s after=%d: plan %q, want searches of %s", tc.name, after, plan, tc.index)
			}
		}
	}
	q, args := threadRepliesQuery(1, []replyRange{{1, "00000001/", "000000010"}, {2, "00000002/", "000000020"}}, 4)
	if plan := explainSQLite(t, s, q, args); !strings.Contains(plan, "INDEX comments_thread ") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("thread replies: plan %q, want comments_thread without sorting", plan)
	}
}

func explainSQLite(t *testing.T, s *Store, q string, args []any) string {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(detail))
	}
	return strings.Join(lines, "; ")
}
