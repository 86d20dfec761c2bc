package postgres

import (
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestQueueQueryPlans checks that the pending queue reads comments_queue
// and the reported queue comment_reviews_reported, in order (no sort), on
// a filled, analyzed database.
func TestQueueQueryPlans(t *testing.T) {
	s := openTest(t, pgtest.Schema(t))
	fillForPlans(t, s)
	if _, err := s.pool.Exec(t.Context(), `UPDATE comments SET status = 'pending' WHERE id % 100 = 0;
		INSERT INTO comment_reviews (comment_id, reports) SELECT id, CASE WHEN id % 50 = 0 THEN 2 ELSE 0 END FROM comments WHERE id % 10 = 0;
		ANALYZE`); err != nil {
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
	for queue, index := range map[news.Queue]string{news.QueuePending: "comments_queue", news.QueueReported: "comment_reviews_reported"} {
		q, a, err := queueQuery(news.QueueFilter{Queue: queue, BeforeID: 15000, Limit: 51})
		if err != nil {
			t.Fatal(err)
		}
		if plan := explain(t, tx, q, a); !strings.Contains(plan, " "+index+" ") || strings.Contains(plan, "Sort") {
			t.Errorf("%s queue: want %s in order; plan:\n%s", queue, index, plan)
		}
	}
}
