package postgres

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/storetest"
)

func TestBulkLoaderConformance(t *testing.T) {
	storetest.RunBulk(t, func(t *testing.T, now func() time.Time) news.Store {
		s := openTest(t, pgtest.Schema(t))
		s.Now = now
		return s
	})
}

// indexSchema lists the definitions of the schema's indexes.
func indexSchema(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.pool.Query(t.Context(), `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`)
	if err != nil {
		t.Fatal(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// Deferred indexes come back as they were: by RestoreIndexes in two steps,
// and by opening the database again after a load that stopped with them
// deferred.
func TestDeferredIndexesComeBack(t *testing.T) {
	url := pgtest.Schema(t)
	s := openTest(t, url)
	want := indexSchema(t, s)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("DeferIndexes", s.DeferIndexes(t.Context()))
	deferred := indexSchema(t, s)
	if len(deferred) >= len(want) || slices.ContainsFunc(deferred, func(q string) bool { return strings.Contains(q, "comments_post_top") }) {
		t.Fatalf("DeferIndexes left %d of %d indexes, comments_post_top among them: %q", len(deferred), len(want), deferred)
	}
	if !slices.ContainsFunc(deferred, func(q string) bool { return strings.Contains(q, "post_likes_pkey") }) {
		t.Fatal("DeferIndexes dropped the primary key of post_likes")
	}
	must("RestoreIndexes(false)", s.RestoreIndexes(t.Context(), false))
	some := indexSchema(t, s)
	if slices.ContainsFunc(some, news.HoldsCounter) || !slices.ContainsFunc(some, func(q string) bool { return strings.Contains(q, "comments_parent ") }) {
		t.Fatalf("after RestoreIndexes(false): %q", some)
	}
	must("RestoreIndexes(true)", s.RestoreIndexes(t.Context(), true))
	if got := indexSchema(t, s); !slices.Equal(got, want) {
		t.Fatalf("indexes after restoring:\n%q\nwant\n%q", got, want)
	}

	must("DeferIndexes", s.DeferIndexes(t.Context()))
	s.Close()
	s = openTest(t, url)
	if got := indexSchema(t, s); !slices.Equal(got, want) {
		t.Fatalf("indexes after opening again:\n%q\nwant\n%q", got, want)
	}
}
