package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/headline/headline/internal/news"
)

type deferredIndex struct{ name, sql string }

func scanDeferredIndex(r scanner) (deferredIndex, error) {
	var ix deferredIndex
	return ix, r.Scan(&ix.name, &ix.sql)
}

// DeferIndexes drops the secondary indexes of the tables a bulk load
// fills, keeping their definitions in deferred_indexes in the same
// transaction. Unique indexes stay: they are rules (a handle, a like per
// reader), and OR IGNORE relies on them.
func (s *Store) DeferIndexes(ctx context.Context) error {
	return s.bulkWrite(ctx, "defer indexes", func(tx *sql.Tx) error {
		list, err := queryAll(ctx, tx, scanDeferredIndex, `SELECT name, sql FROM sqlite_master
			WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
			AND tbl_name IN ('posts', 'post_tags', 'comments', 'follows', 'post_likes', 'post_views', 'comment_likes')
			ORDER BY name`)
		if err != nil {
			return err
		}
		for _, ix := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)`, ix.name, ix.sql); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+quoteIdent(ix.name)); err != nil {
				return err
			}
		}
		return nil
	})
}

// RestoreIndexes builds the deferred indexes again, each in a transaction
// with the removal of its definition, so that an interrupted restore
// resumes at the index it stopped at. With counters false it builds only
// the indexes that hold no counter, which Recount reads; the others are
// built after it, so that setting a counter does not move index entries.
func (s *Store) RestoreIndexes(ctx context.Context, counters bool) error {
	var list []deferredIndex
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		list, err = queryAll(ctx, tx, scanDeferredIndex, `SELECT name, sql FROM deferred_indexes ORDER BY name`)
		return err
	})
	if err != nil {
		return dbErr(err, "read deferred indexes", msgs{})
	}
	for _, ix := range list {
		if !counters && news.HoldsCounter(ix.sql) {
			continue
		}
		err := s.bulkWrite(ctx, "build index "+ix.name, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, ix.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM deferred_indexes WHERE name = ?`, ix.name)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
