package postgres

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestQueryPlans checks the claims of the index comments in 0001_init.sql:
// each list query, as built, can run as a scan of the index made for it
// that needs no sort step, on a filled and analyzed database. Sorting is
// turned off for the check: where the planner expects a handful of rows it
// rightly prefers to sort them, and what is checked here is that the index
// can serve the order when the rows are many.
func TestQueryPlans(t *testing.T) {
	s := openTest(t, pgtest.Schema(t))
	now := time.Unix(1e9, 0)
	after := &news.PostCursor{Time: now.Add(-10 * time.Hour), ID: 10000}
	type plan struct {
		name, q string
		args    []any
		index   string
		sorts   bool // the plan may sort: drafts are few per author; ListReplies sorts its bounded rows
	}
	var plans []plan
	addPost := func(name string, f news.PostFilter, index string, sorts bool) {
		for _, a := range []*news.PostCursor{nil, after} {
			f.After = a
			q, args := listPostsQuery(f, now)
			plans = append(plans, plan{fmt.Sprintf("%s after=%v", name, a != nil), q, args, index, sorts})
		}
	}
	addPost("home", news.PostFilter{}, "posts_home", false)
	addPost("author", news.PostFilter{AuthorID: 1}, "posts_author", false)
	addPost("tag", news.PostFilter{Tag: "t7"}, "post_tags_list", false)
	addPost("scheduled", news.PostFilter{AuthorID: 1, Scheduled: true}, "posts_author", false)
	addPost("drafts", news.PostFilter{AuthorID: 1, Drafts: true}, "posts_author", true)
	addComments := func(name string, f news.CommentFilter, index string) {
		for _, sort := range []news.CommentSort{news.SortNew, news.SortOld} {
			for _, afterID := range []int64{0, 15000} {
				f.Sort, f.AfterID = sort, afterID
				q, args, err := listCommentsQuery(f)
				if err != nil {
					t.Fatal(err)
				}
				plans = append(plans, plan{fmt.Sprintf("%s %s after=%d", name, sort, afterID), q, args, index, false})
			}
		}
	}
	addComments("comments", news.CommentFilter{PostID: 1}, "comments_post")
	addComments("top-level comments", news.CommentFilter{PostID: 1, TopLevel: true}, "comments_top")
	addComments("replies", news.CommentFilter{PostID: 1, ParentID: 2}, "comments_parent")
	q, args := listRepliesQuery(1, []int64{1, 2, 3}, 50)
	plans = append(plans, plan{"ListReplies", q, args, "comments_thread", true})

	fillForPlans(t, s)
	tx, err := s.pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(t.Context())
	if _, err := tx.Exec(t.Context(), `SET LOCAL enable_sort = off`); err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		got := explain(t, tx, p.q, p.args)
		if !strings.Contains(got, " "+p.index+" ") || (!p.sorts && strings.Contains(got, "Sort")) {
			t.Errorf("%s: want a scan of %s without sorting; plan:\n%s", p.name, p.index, got)
		}
	}
}

// explain returns the plan of q, one node a line.
func explain(t *testing.T, tx pgx.Tx, q string, args []any) string {
	t.Helper()
	rows, err := tx.Query(t.Context(), "EXPLAIN "+q, args...)
	if err != nil {
		t.Fatalf("EXPLAIN %s: %v", q, err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

// fillForPlans writes enough rows, unevenly spread, for the planner's
// statistics to be those of a real site rather than of empty tables.
func fillForPlans(t *testing.T, s *Store) {
	for _, q := range []string{
		`INSERT INTO accounts (handle, role, created_at)
		 SELECT 'u' || i, 'reader', now() FROM generate_series(1, 200) i`,
		`INSERT INTO posts (author_id, title, slug, status, published_at, created_at, updated_at)
		 SELECT 1 + i % 200, 't', 's' || i, CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'published' END,
		        CASE WHEN i % 10 = 0 THEN NULL ELSE to_timestamp(1e9 - 50000 + i * 7) END, now(), now()
		 FROM generate_series(1, 20000) i`,
		`INSERT INTO post_tags (post_id, position, tag, published_at) SELECT id, 0, 't' || (id % 50), published_at FROM posts`,
		`INSERT INTO comments (post_id, parent_id, root_id, depth, path, body, status, created_at)
		 OVERRIDING SYSTEM VALUE
		 SELECT 1 + i % 100, NULL, i, 0, lpad(i::text, 8, '0'), 'b', 'published', now() FROM generate_series(1, 20000) i`,
		`INSERT INTO comments (post_id, parent_id, root_id, depth, path, body, status, created_at)
		 SELECT 1 + i % 100, 1 + i % 100, 1 + i % 100, 1, 'x' || i, 'b', 'published', now() FROM generate_series(1, 20000) i`,
		`ANALYZE`,
	} {
		if _, err := s.pool.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}
