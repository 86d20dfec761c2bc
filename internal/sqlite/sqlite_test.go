package sqlite

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/storetest"
)

func openTest(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) news.Store {
		return openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	})
}

func TestNowStampsTimes(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	pinned := time.Date(2030, 1, 2, 3, 4, 5, 678901234, time.FixedZone("MSK", 3*3600))
	want := time.Date(2030, 1, 2, 0, 4, 5, 678901000, time.UTC)
	s.Now = func() time.Time { return pinned }
	a := &news.Account{Handle: "pinned", Role: news.RoleReader}
	if err := s.CreateAccount(t.Context(), a, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostDraft}
	if err := s.CreatePost(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]time.Time{"account": a.CreatedAt, "post created": p.CreatedAt, "post updated": p.UpdatedAt} {
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	if p.Kind != "article" {
		t.Errorf("empty Kind stored as %q, want article", p.Kind)
	}
}

func TestReopenKeepsDataAndMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headline.db")
	s := openTest(t, path)
	a := &news.Account{Handle: "keeper", Name: "Хранитель 守护者", Role: news.RoleAdmin}
	if err := s.CreateAccount(t.Context(), a, "hash"); err != nil {
		t.Fatal(err)
	}
	before := migrationRows(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, path)
	defer s.Close()
	got, err := s.AccountByHandle(t.Context(), "KEEPER")
	if err != nil {
		t.Fatalf("after reopening: %v", err)
	}
	if got.ID != a.ID || got.Name != a.Name {
		t.Fatalf("after reopening: %+v", got)
	}
	after := migrationRows(t, s)
	if before != after {
		t.Fatalf("schema_migrations changed on reopen:\nbefore %s\nafter  %s", before, after)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(after, ";"); n != len(ms) {
		t.Fatalf("schema_migrations has %d rows (%s), want %d", n, after, len(ms))
	}
}

// migrationRows renders schema_migrations as "version@applied_at;...".
func migrationRows(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), `SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var v, at int64
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d@%d;", v, at)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headline.db")
	s := openTest(t, path)
	if _, err := s.w.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(t.Context(), path); err == nil {
		s.Close()
		t.Fatal("Open accepted a database migrated by a newer version")
	}
}

// TestConcurrentWrites writes from many goroutines through two stores on the
// same file (as two processes would) while others read. Every write must
// succeed, with no SQLITE_BUSY, and the counters must be exact.
func TestConcurrentWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headline.db")
	s1 := openTest(t, path)
	defer s1.Close()
	s2 := openTest(t, path)
	defer s2.Close()
	ctx := t.Context()

	a := &news.Account{Handle: "host", Role: news.RolePublisher}
	if err := s1.CreateAccount(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostPublished, PublishedAt: time.Unix(1e9, 0)}
	if err := s1.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	root := &news.Comment{PostID: p.ID, Body: "root", Status: news.CommentPublished}
	if err := s1.CreateComment(ctx, root); err != nil {
		t.Fatal(err)
	}

	const writers, each = 16, 10
	var wg, readers sync.WaitGroup
	errs := make(chan error, writers*each*2+64)
	for w := range writers {
		st := []*Store{s1, s2}[w%2]
		wg.Go(func() {
			for i := range each {
				c := &news.Comment{PostID: p.ID, ParentID: root.ID, Body: fmt.Sprintf("w%d-%d", w, i), Status: news.CommentPublished}
				if err := st.CreateComment(ctx, c); err != nil {
					errs <- fmt.Errorf("CreateComment: %w", err)
				}
			}
			acc := &news.Account{Handle: fmt.Sprintf("writer%d", w), Role: news.RoleReader}
			if err := st.CreateAccount(ctx, acc, ""); err != nil {
				errs <- fmt.Errorf("CreateAccount: %w", err)
			}
		})
	}
	done := make(chan struct{})
	for r := range 4 {
		st := []*Store{s1, s2}[r%2]
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := st.ListComments(ctx, news.CommentFilter{PostID: p.ID, Sort: news.SortNew, Limit: 10}); err != nil {
					errs <- fmt.Errorf("ListComments: %w", err)
					return
				}
				if _, err := st.PostByID(ctx, p.ID); err != nil {
					errs <- fmt.Errorf("PostByID: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	got, err := s2.PostByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(writers*each + 1); got.CommentsCount != want {
		t.Errorf("CommentsCount = %d, want %d", got.CommentsCount, want)
	}
	r, err := s1.CommentByID(ctx, root.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.RepliesCount != writers*each {
		t.Errorf("RepliesCount = %d, want %d", r.RepliesCount, writers*each)
	}
	replies, err := s1.ListReplies(ctx, p.ID, []int64{root.ID}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != writers*each {
		t.Errorf("ListReplies returned %d, want %d", len(replies), writers*each)
	}
	if n, err := s2.CountAccounts(ctx); err != nil || n != writers+1 {
		t.Errorf("CountAccounts = %d, %v; want %d", n, err, writers+1)
	}
}

// TestQueryPlans checks that the list queries, as built, run on the index
// the schema made for them and need no sort step, on an empty database and
// after ANALYZE of a filled one.
func TestQueryPlans(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	now := time.Unix(1e9, 0)
	after := &news.PostCursor{Time: now, ID: 5}
	type plan struct {
		name, q string
		args    []any
		index   string
		sorts   bool // the plan may sort: drafts are few per author
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
	addPost("tag", news.PostFilter{Tag: "go"}, "post_tags_list", false)
	addPost("tag and author", news.PostFilter{Tag: "go", AuthorID: 1}, "post_tags_list", false)
	addPost("scheduled", news.PostFilter{AuthorID: 1, Scheduled: true}, "posts_author", false)
	addPost("drafts", news.PostFilter{AuthorID: 1, Drafts: true}, "posts_author", true)
	addComments := func(name string, f news.CommentFilter, index string) {
		for _, sort := range []news.CommentSort{news.SortNew, news.SortOld} {
			for _, afterID := range []int64{0, 7} {
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
	plans = append(plans, plan{"ListReplies", q, args, "comments_thread", false})

	check := func(when string) {
		for _, p := range plans {
			got := explainSQLite(t, s, p.q, p.args)
			if !strings.Contains(got, "INDEX "+p.index+" ") || (!p.sorts && strings.Contains(got, "TEMP B-TREE")) {
				t.Errorf("%s, %s: plan %q, want a search of %s without sorting", when, p.name, got, p.index)
			}
		}
	}
	check("empty")
	for _, q := range []string{
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 200)
		 INSERT INTO accounts (handle, role, created_at) SELECT 'u'||i, 'reader', 0 FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000)
		 INSERT INTO posts (author_id, title, slug, status, published_at, created_at, updated_at)
		 SELECT 1 + i % 200, 't', 's'||i, iif(i % 10 = 0, 'draft', 'published'), iif(i % 10 = 0, NULL, i), i, i FROM n`,
		`INSERT INTO post_tags (post_id, position, tag, published_at) SELECT id, 0, 't'||(id % 50), published_at FROM posts`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000)
		 INSERT INTO comments (post_id, parent_id, root_id, depth, path, body, status, created_at)
		 SELECT 1 + i % 100, NULL, i, 0, printf('%08d', i), 'b', 'published', i FROM n`,
		`ANALYZE`,
	} {
		if _, err := s.w.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	check("analyzed")
}
