package sqlite

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/storetest"
)

func TestBulkLoaderConformance(t *testing.T) {
	storetest.RunBulk(t, func(t *testing.T, now func() time.Time) news.Store {
		s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
		s.Now = now
		return s
	})
}

// indexSchema lists the definitions of the database's indexes.
func indexSchema(t *testing.T, s *Store) []string {
	t.Helper()
	var list []string
	err := s.read(t.Context(), func(tx *sql.Tx) error {
		var err error
		list, err = queryAll(t.Context(), tx, func(r scanner) (string, error) {
			var q string
			return q, r.Scan(&q)
		}, `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// Deferred indexes come back as they were: by RestoreIndexes in two steps,
// and by opening the file again after a load that stopped with them
// deferred.
func TestDeferredIndexesComeBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headline.db")
	s := openTest(t, path)
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
	if !slices.ContainsFunc(deferred, func(q string) bool { return strings.Contains(q, "accounts_handle") }) {
		t.Fatal("DeferIndexes dropped the unique index of handles")
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
	must("Close", s.Close())
	s = openTest(t, path)
	if got := indexSchema(t, s); !slices.Equal(got, want) {
		t.Fatalf("indexes after opening again:\n%q\nwant\n%q", got, want)
	}
}
