package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

type deferredIndex struct{ name, sql string }

func scanDeferredIndex(r scanner) (deferredIndex, error) {
	var ix deferredIndex
	return ix, r.Scan(&ix.name, &ix.sql)
}

// DeferIndexes drops the secondary indexes of the tables a bulk load
// fills, keeping their definitions in deferred_indexes in the same
// transaction. Unique indexes, primary keys included, stay: they are rules,
// and loading relies on them to skip rows already there.
func (s *Store) DeferIndexes(ctx context.Context) error {
	return s.bulkWrite(ctx, "defer indexes", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
			WHERE i.schemaname = current_schema() AND i.indexdef NOT LIKE 'CREATE UNIQUE%'
			AND i.tablename IN ('posts', 'post_tags', 'comments', 'follows', 'post_likes', 'post_views', 'comment_likes')
			ORDER BY i.indexname`)
		if err != nil {
			return err
		}
		list, err := collect(rows, scanDeferredIndex)
		if err != nil {
			return err
		}
		for _, ix := range list {
			if _, err := tx.Exec(ctx, `INSERT INTO deferred_indexes (name, sql) VALUES ($1, $2)`, ix.name, ix.sql); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.name}.Sanitize()); err != nil {
				return err
			}
		}
		return nil
	})
}

// RestoreIndexes builds the deferred indexes again, each in a transaction
// with the removal of its definition; with counters false only those that
// hold no counter, which Recount reads (see news.BulkLoader).
func (s *Store) RestoreIndexes(ctx context.Context, counters bool) error {
	rows, err := s.db().Query(ctx, `SELECT name, sql FROM deferred_indexes ORDER BY name`)
	if err != nil {
		return dbErr(err, "read deferred indexes", msgs{})
	}
	list, err := collect(rows, scanDeferredIndex)
	if err != nil {
		return dbErr(err, "read deferred indexes", msgs{})
	}
	for _, ix := range list {
		if !counters && news.HoldsCounter(ix.sql) {
			continue
		}
		err := s.bulkWrite(ctx, "build index "+ix.name, func(tx pgx.Tx) error {
			// The default (64 MB) makes a sort of ten million entries spill
			// to disk; this is for this transaction only.
			if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, ix.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `DELETE FROM deferred_indexes WHERE name = $1`, ix.name)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
