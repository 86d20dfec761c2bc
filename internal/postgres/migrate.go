package postgres

import (
	"context"
	"embed"
	"fmt"
	"github.com/headline/headline/internal/migration"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the key of the advisory lock every migration
// transaction takes first ("hl" "mi" "gr" in ASCII). Instances that start
// together queue on it, so each migration is applied once and nobody reads
// a half-made schema. The lock is database-wide, so instances on other
// schemas of the same database queue too; that costs a few milliseconds at
// start.
const migrationLock int64 = 0x686c6d696772

func loadMigrations() ([]migration.File, error) {
	return migration.Load(migrations, "migrations")
}

// migrate applies, in version order, each migration not yet recorded in
// schema_migrations, each in its own transaction together with its row.
// Migrations only go forward; a database migrated by a newer Headline is
// refused rather than half understood.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	known := ms[len(ms)-1].Version
	for _, m := range ms {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			return applyMigration(ctx, tx, m, known)
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// applyMigration applies m in tx unless it is recorded already. Everything,
// the bookkeeping table included, happens under the advisory lock: two
// sessions running CREATE TABLE IF NOT EXISTS at once can both decide to
// create it, and one then fails.
func applyMigration(ctx context.Context, tx pgx.Tx, m migration.File, known int64) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    bigint      PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return err
	}
	var newest int64
	var applied bool
	err := tx.QueryRow(ctx, `
		SELECT coalesce(max(version), 0), coalesce(bool_or(version = $1), false)
		FROM schema_migrations`, m.Version).Scan(&newest, &applied)
	if err != nil {
		return err
	}
	if newest > known {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d)", newest, known)
	}
	if applied {
		return nil
	}
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version)
	return err
}
