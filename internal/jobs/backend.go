package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"modernc.org/sqlite"
)

// backend is one database under the queue: how to make River clients on
// it, migrate it, read the job table and close it.
type backend struct {
	name   string // "sqlite" or "postgres"
	schema string // River's schema on PostgreSQL ("" on SQLite)

	newClient func(cfg *river.Config) (client, error)
	migrate   func(ctx context.Context, log *slog.Logger) error
	// query runs a read-only query on the job table (the statistics and the
	// admin page), off River's own connections on SQLite.
	query func(ctx context.Context, sql string, args ...any) (rowsScanner, error)
	close func()
}

// rowsScanner is what sql.Rows and pgx.Rows share.
type rowsScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

func openBackend(ctx context.Context, cfg Config) (backend, error) {
	if cfg.SQLitePath != "" {
		return openSQLite(ctx, cfg.SQLitePath)
	}
	return openPostgres(ctx, cfg.PostgresURL)
}

// openSQLite opens River's connections on the site's SQLite file.
//
// The file has one writer at a time, and Headline's store keeps its writer
// busy with group commits. River gets one connection of its own (as its
// SQLite driver advises: River's goroutines would otherwise contend among
// themselves), opened like the store's writer: WAL, synchronous=FULL so a
// job is on disk before Enqueue returns, and every transaction BEGIN
// IMMEDIATE with a busy timeout, so that when the store's committer holds
// the write lock River's writes wait for it rather than fail — and a
// transaction never reads first and then fails to upgrade to a writer.
// The store's writer waits for River's short transactions the same way.
// Statistics read through a separate read-only pool, which WAL lets run
// beside both writers.
func openSQLite(ctx context.Context, path string) (backend, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return backend{}, fmt.Errorf("jobs: unusable database path %q", path)
	}
	wq := url.Values{}
	wq.Add("_pragma", "busy_timeout(10000)")
	wq.Add("_pragma", "journal_mode(WAL)")
	wq.Add("_pragma", "synchronous(FULL)")
	wq.Set("_txlock", "immediate")
	w, err := openSQLitePool(ctx, path+"?"+wq.Encode(), 1)
	if err != nil {
		return backend{}, fmt.Errorf("jobs: open sqlite: %w", err)
	}
	rq := url.Values{}
	rq.Add("_pragma", "busy_timeout(10000)")
	rq.Add("_pragma", "query_only(1)")
	r, err := openSQLitePool(ctx, path+"?"+rq.Encode(), 2)
	if err != nil {
		w.Close()
		return backend{}, fmt.Errorf("jobs: open sqlite readers: %w", err)
	}
	driver := riversqlite.New(w)
	return backend{
		name: "sqlite",
		newClient: func(cfg *river.Config) (client, error) {
			return river.NewClient(driver, cfg)
		},
		migrate: func(ctx context.Context, log *slog.Logger) error {
			return migrateSQLite(ctx, w, log)
		},
		query: func(ctx context.Context, q string, args ...any) (rowsScanner, error) {
			rows, err := r.QueryContext(ctx, q, args...)
			if err != nil {
				return nil, err
			}
			return sqlRows{rows}, nil
		},
		close: func() { r.Close(); w.Close() },
	}, nil
}

func openSQLitePool(ctx context.Context, dsn string, conns int) (*sql.DB, error) {
	conn, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrateSQLite applies River's migrations in one BEGIN IMMEDIATE
// transaction: a second process opening the same file waits for the lock
// and then finds them applied, instead of racing to create the tables.
func migrateSQLite(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: riverLogger(log)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer tx.Rollback()
	//nolint:staticcheck // MigrateTx is deprecated for PostgreSQL, where some migrations need their own transaction; SQLite's DDL is transactional and one transaction is what serializes processes here.
	if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// schemaName is what River accepts as a schema name.
var schemaName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// openPostgres opens a pgx pool of the queue's own on the store's URL.
// River's tables go into the first schema of the URL's search_path — the
// store's schema — and River is told that schema explicitly, so its
// LISTEN/NOTIFY channels are per schema too (two sites, or two tests, on
// one database never wake each other).
func openPostgres(ctx context.Context, dbURL string) (backend, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return backend{}, fmt.Errorf("jobs: parse the database URL: %w", redact(err, dbURL))
	}
	if !strings.Contains(dbURL, "pool_max_conns") {
		// Producer, completer, notifier and leader elector each hold a
		// connection at times, plus the running jobs' inserts.
		cfg.MaxConns = 6
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "headline-jobs"
	}
	schema := ""
	if sp := cfg.ConnConfig.RuntimeParams["search_path"]; sp != "" {
		first := strings.TrimSpace(strings.Split(sp, ",")[0])
		if schemaName.MatchString(first) {
			schema = first
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return backend{}, fmt.Errorf("jobs: connect to postgres: %w", redact(err, dbURL))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return backend{}, fmt.Errorf("jobs: connect to postgres: %w", redact(err, dbURL))
	}
	driver := riverpgxv5.New(pool)
	return backend{
		name:   "postgres",
		schema: schema,
		newClient: func(cfg *river.Config) (client, error) {
			return river.NewClient(driver, cfg)
		},
		migrate: func(ctx context.Context, log *slog.Logger) error {
			return migratePostgres(ctx, pool, schema, log)
		},
		query: func(ctx context.Context, q string, args ...any) (rowsScanner, error) {
			rows, err := pool.Query(ctx, q, args...)
			if err != nil {
				return nil, err
			}
			return rows, nil
		},
		close: pool.Close,
	}, nil
}

// riverMigrationLock is the advisory lock key held while River's
// migrations run ("hl" "ri" "vr" in ASCII); it differs from the store's
// so the two never wait for each other.
const riverMigrationLock int64 = 0x686c72697672

// migratePostgres applies River's migrations while holding a session
// advisory lock: instances starting together queue on it, and each finds
// the migrations the first one applied. River runs each migration in its
// own transaction, so the lock is a session lock on a connection of its
// own, not a transaction lock.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool, schema string, log *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return fmt.Errorf("jobs: migrate: take the lock: %w", err)
	}
	defer func() {
		// On a broken connection the server drops the lock with the session.
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrationLock)
	}()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: riverLogger(log), Schema: schema})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// redact removes a password of dbURL from err's text: pgx repeats parts of
// the connection string in some errors.
func redact(err error, dbURL string) error {
	u, perr := url.Parse(dbURL)
	if perr != nil || u.User == nil {
		return err
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" || !strings.Contains(err.Error(), pw) {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), pw, "xxxxx"))
}
