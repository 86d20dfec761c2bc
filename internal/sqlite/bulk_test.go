package sqlite

import (
	"database/sql"
	"path/filepath"
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

func TestDeferredIndexesComeBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headline.db")
	storetest.DeferredIndexesComeBack(t, storetest.IndexSite{
		Open: func(t *testing.T) news.Store { return openTest(t, path) },
		Indexes: func(t *testing.T, st news.Store) []string {
			var list []string
			err := st.(*Store).read(t.Context(), func(tx *sql.Tx) error {
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
		},
		Kept: "accounts_handle",
	})
}

func TestRecountRepairs(t *testing.T) {
	storetest.RecountRepairs(t, func(t *testing.T, now func() time.Time) news.Store {
		s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
		s.Now = now
		return s
	}, func(t *testing.T, st news.Store, q string) {
		if err := st.(*Store).write(t.Context(), func(tx *sql.Tx) error { _, err := tx.ExecContext(t.Context(), q); return err }); err != nil {
			t.Fatal(err)
		}
	})
}
