package postgres

import (
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

func TestDeferredIndexesComeBack(t *testing.T) {
	url := pgtest.Schema(t)
	storetest.DeferredIndexesComeBack(t, storetest.IndexSite{
		Open: func(t *testing.T) news.Store { return openTest(t, url) },
		Indexes: func(t *testing.T, st news.Store) []string {
			rows, err := st.(*Store).pool.Query(t.Context(), `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`)
			if err != nil {
				t.Fatal(err)
			}
			list, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			return list
		},
		Kept: "post_likes_pkey",
	})
}

func TestRecountRepairs(t *testing.T) {
	storetest.RecountRepairs(t, func(t *testing.T, now func() time.Time) news.Store {
		s := openTest(t, pgtest.Schema(t))
		s.Now = now
		return s
	}, func(t *testing.T, st news.Store, q string) {
		if _, err := st.(*Store).pool.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	})
}
