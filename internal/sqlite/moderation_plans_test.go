package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// TestModerationQueryPlans checks, on a filled and analyzed database, that
// the write path's reads (WriterFacts, the duplicate check) only search
// indexes, the duplicate check down to the body hash, and that
// the pending and reported queues read their partial indexes in order.
func TestModerationQueryPlans(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	for _, q := range []string{
		`INSERT INTO accounts (handle, role, created_at) VALUES ('u', 'reader', 0)`,
		`INSERT INTO posts (author_id, title, slug, status, published_at, created_at, updated_at) VALUES (1, 't', 's', 'published', 0, 0, 0)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20000)
		 INSERT INTO comments (post_id, root_id, depth, path, account_id, email, body, body_hash, status, created_at)
		 SELECT 1, i, 0, printf('%08d', i), iif(i % 2 = 0, 1, NULL), 'g' || (i % 500) || '@example.com', 'b', i % 1000,
		        iif(i % 100 = 0, 'pending', iif(i % 333 = 0, 'spam', 'published')), i FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 300)
		 INSERT INTO bans (kind, value, created_at) SELECT 'ip', '10.0.' || i || '.1', 0 FROM n`,
		`INSERT INTO comment_reviews (comment_id, reports) SELECT id, iif(id % 50 = 0, 2, 0) FROM comments WHERE id % 10 = 0`,
		`ANALYZE`,
	} {
		if _, err := s.w.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	for name, w := range map[string]news.WriterQuery{
		"account": {AccountID: 1, IP: "192.0.2.1"},
		"guest":   {Email: "g7@example.com", IP: "192.0.2.1"},
	} {
		q, args := writerFactsQuery(w)
		plan := explainSQLite(t, s, q, args)
		if strings.Contains(strings.ReplaceAll(plan, "SCAN CONSTANT ROW", ""), "SCAN ") || !strings.Contains(plan, "bans") {
			t.Errorf("WriterFacts (%s): plan %q, want index searches only", name, plan)
		}
	}
	for name, c := range map[string]*news.Comment{
		"account": {PostID: 1, AccountID: 1, Body: "b"},
		"guest":   {PostID: 1, Email: "g7@example.com", Body: "b"},
	} {
		w := news.WriterQuery{AccountID: c.AccountID, Email: c.Email, IP: "192.0.2.1"}
		q, args := checkCommentQuery(news.CommentCheckQuery{Comment: c, DedupSince: time.UnixMicro(0), Writer: &w})
		plan := explainSQLite(t, s, q, args)
		if !strings.Contains(plan, "comments_writer (post_id=? AND account_id=? AND email=? AND body_hash=? AND created_at>?)") ||
			strings.Contains(strings.ReplaceAll(plan, "SCAN CONSTANT ROW", ""), "SCAN ") || !strings.Contains(plan, "bans") {
			t.Errorf("comment check (%s): plan %q, want index searches only, comments_writer down to body_hash", name, plan)
		}
	}
	for queue, index := range map[news.Queue]string{news.QueuePending: "comments_queue", news.QueueReported: "comment_reviews_reported"} {
		q, args, err := queueQuery(news.QueueFilter{Queue: queue, BeforeID: 15000, Limit: 51})
		if err != nil {
			t.Fatal(err)
		}
		plan := explainSQLite(t, s, q, args)
		t.Logf("%s queue: %s", queue, plan)
		if !strings.Contains(plan, index) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s queue: plan %q, want %s in order, without sorting", queue, plan, index)
		}
	}
}
