// Package sqlite is Headline's store on a single SQLite file, for
// self-hosting without a database server. It implements news.Store.
//
// The file is opened twice: one writer connection, owned by a committer
// goroutine that coalesces concurrent writes into shared transactions
// (group commit, see groupcommit.go), and a small pool of read-only
// connections that, thanks to WAL, read while the writer writes.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"github.com/headline/headline/internal/migration"
	"net/url"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/headline/headline/internal/news"
)

var _ news.Store = (*Store)(nil)

// Store keeps Headline's data in one SQLite file.
type Store struct {
	// Now returns the current time; it stamps CreatedAt and UpdatedAt.
	// Tests pin it. Open sets it to time.Now.
	Now func() time.Time

	w  *sql.DB       // the writer: one connection, BEGIN IMMEDIATE
	r  *sql.DB       // readers: query_only
	gc *committer    // runs every write on w; nil while Open migrates
	cp *checkpointer // nil when Options.Checkpoint is -1

	// tx is set on the view that Bulk hands out: every read and write of
	// that view runs in this one writer transaction.
	tx *sql.Tx

	rates *rateCounters // rate-limit counters (moderation.go)
}

// readers is the size of the read pool.
const readers = 4

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune OpenWith. The zero value is what Open uses.
type Options struct {
	// MaxBatch caps how many writes share one transaction (0: 256). 1 turns
	// group commit off, every write paying its own fsync; it exists to
	// measure what grouping buys.
	MaxBatch int
	// MmapBytes is each connection's PRAGMA mmap_size (0: defaultMmap; -1:
	// no mmap). CacheKiB is each connection's page cache (0:
	// defaultCacheKiB). Fields only to measure the defaults against others.
	MmapBytes int64
	CacheKiB  int
	// Checkpoint is how often a background connection copies the WAL into
	// the database file (0: defaultCheckpoint; -1: never, the writer
	// checkpoints itself every 1,000 pages as SQLite does by default).
	Checkpoint time.Duration
}

// defaultMmap maps the first 2 GiB of the file into every connection, the
// most modernc's build (SQLITE_MAX_MMAP_SIZE 0x7fff0000) allows. Reads of
// the file then come from the OS page cache, one copy shared by all
// connections, instead of being copied into each connection's own page
// cache, which every write empties: after a commit, each reader drops its
// whole cache at its next read (the WAL changed), and at 1M posts those
// reads started cold. Writes still go through write(2) and fsync; the map
// is only read.
const defaultMmap = 0x7fff0000

// defaultCacheKiB is each connection's page cache. With the map it holds
// only pages read from the WAL and the writer's dirty pages.
const defaultCacheKiB = 8 << 10

// writerSettings are the statements that put back the writer's tuning
// of OpenWith after a bulk load changed it for itself (bulkWrite).
func (o Options) writerSettings() []string {
	checkpoint := 1000 // SQLite's default
	if o.Checkpoint >= 0 {
		checkpoint = writerCheckpointPages
	}
	return []string{fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", checkpoint), "PRAGMA threads = 0",
		fmt.Sprintf("PRAGMA cache_size = -%d", o.cacheKiB())}
}

// cacheKiB is each connection's page cache, the default applied.
func (o Options) cacheKiB() int {
	if o.CacheKiB == 0 {
		return defaultCacheKiB
	}
	return o.CacheKiB
}

// connPragmas are the per-connection tuning pragmas for o.
func (o Options) connPragmas() []string {
	mm := o.MmapBytes
	if mm == 0 {
		mm = defaultMmap
	}
	mm = max(mm, 0)
	return []string{fmt.Sprintf("mmap_size(%d)", mm), fmt.Sprintf("cache_size(-%d)", o.cacheKiB())}
}

// Open opens or creates the database at path and brings its schema up to
// date.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open sqlite: unusable database path %q", path)
	}
	// busy_timeout comes first: it must cover the pragmas after it. WAL lets
	// readers and the writer work at once; synchronous(FULL) syncs the WAL on
	// every commit, so a write is on disk before it is acknowledged.
	wq := url.Values{}
	wq.Add("_pragma", "busy_timeout(10000)")
	wq.Add("_pragma", "foreign_keys(1)")
	wq.Add("_pragma", "journal_mode(WAL)")
	wq.Add("_pragma", "synchronous(FULL)")
	for _, p := range o.connPragmas() {
		wq.Add("_pragma", p)
	}
	if o.Checkpoint >= 0 {
		wq.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages))
	}
	// Each write of a group-commit batch runs in a savepoint, whose journal
	// keeps the pages as they were before it, to undo it alone; it is never
	// read after a crash (the WAL holds only committed transactions), so
	// where it lives changes nothing of durability. In a file (SQLite's
	// default past 64 KiB, which one comment reaches: a dozen index pages)
	// every page a write first touches costs a pwrite, a third of the
	// committer's time in a batch of comments; in memory, a copy. Every
	// statement the writer runs is bounded (a bulk load's too: a batch of
	// rows, a chunk of ids, one index), so memory is safe.
	wq.Add("_pragma", "temp_store(memory)")
	wq.Set("_txlock", "immediate")
	conn, err := sqlite.NewConnector(path + "?" + wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	w := sql.OpenDB(writerConnector{Connector: conn, detach: true})
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	s := &Store{Now: time.Now, w: w, rates: newRateCounters()}
	// Migrate before the readers open: the writer's first connection also
	// switches the file to WAL, which is persistent, so readers need not.
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}

	rq := url.Values{}
	rq.Add("_pragma", "busy_timeout(10000)")
	rq.Add("_pragma", "foreign_keys(1)")
	rq.Add("_pragma", "query_only(1)")
	for _, p := range o.connPragmas() {
		rq.Add("_pragma", p)
	}
	rconn, err := sqlite.NewConnector(path + "?" + rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	r := sql.OpenDB(writerConnector{Connector: rconn}) // for its statement cache
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	s.r = r
	if o.Checkpoint >= 0 {
		every := o.Checkpoint
		if every == 0 {
			every = defaultCheckpoint
		}
		if s.cp, err = startCheckpointer(ctx, path, every); err != nil {
			w.Close()
			r.Close()
			return nil, err
		}
	}
	// Started last: migrations ran on w directly, before anyone could write.
	s.gc = newCommitter(w, o.MaxBatch, o.writerSettings())
	// A bulk load interrupted while its indexes were deferred left them
	// listed; nothing may run without them.
	if err := s.RestoreIndexes(ctx, true); err != nil {
		s.Close()
		return nil, fmt.Errorf("build deferred indexes: %w", err)
	}
	return s, nil
}

// Close stops the committer (writes still queued fail; the batch in
// progress finishes) and closes both pools.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("close sqlite: the store is a Bulk view; close the store it came from")
	}
	var cpErr error
	if s.cp != nil {
		cpErr = s.cp.close()
	}
	if s.gc != nil {
		s.gc.close()
	}
	return errors.Join(cpErr, s.r.Close(), s.w.Close())
}

// Pools returns the database/sql pools by name, for pool metrics.
func (s *Store) Pools() map[string]*sql.DB {
	return map[string]*sql.DB{"sqlite_writer": s.w, "sqlite_readers": s.r}
}

// Ping checks that the database file answers on both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite writer: %w", err)
	}
	return s.r.PingContext(ctx)
}

// Bulk runs fn against a view of s whose reads and writes all happen in one
// writer transaction: one fsync for the whole batch instead of one a row.
// Reads inside see the batch's own writes. A Bulk inside a Bulk joins it.
// The committer runs it in a transaction of its own, between batches.
func (s *Store) Bulk(ctx context.Context, fn func(tx news.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	view := func(tx *sql.Tx) error {
		return fn(&Store{Now: s.Now, w: s.w, r: s.r, tx: tx, rates: s.rates})
	}
	if s.gc == nil {
		return inTx(ctx, s.w, view)
	}
	return s.gc.do(ctx, view, alone)
}

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
	if len(ms) == 0 {
		return errors.New("load migrations: none embedded")
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var newest sql.NullInt64
	if err := s.w.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if known := ms[len(ms)-1].Version; newest.Int64 > known {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d)", newest.Int64, known)
	}
	for _, m := range ms {
		err := s.write(ctx, func(tx *sql.Tx) error {
			// Checked inside the transaction: BEGIN IMMEDIATE makes another
			// process opening the same file wait, then see our row.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
				m.Version, s.now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// write runs fn in a transaction on the writer (BEGIN IMMEDIATE, so the
// write lock is taken up front and never upgraded midway) and returns nil
// only once that transaction is committed and synced.
//
// fn may share its transaction with other writes (group commit): it runs
// inside a savepoint, and its error undoes only its own changes. So fn
// must report every failure by returning it, must not call s's exported
// methods (it runs on the committer, which would wait for itself; use the
// helpers taking tx), and must leave no rows open. Its changes are
// acknowledged only if the shared COMMIT succeeds; when it fails, every
// write of the batch gets the error. A ctx already done when fn's turn
// comes skips fn with ctx.Err().
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	if s.gc == nil {
		return inTx(ctx, s.w, fn) // Open's migrations
	}
	return s.gc.do(ctx, fn, guarded)
}

// writeBare is write for a fn that returns a *news.Error only before its
// first change: it runs without a savepoint (groupcommit.go). Any other
// error it returns undoes its whole batch.
func (s *Store) writeBare(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil || s.gc == nil {
		return s.write(ctx, fn)
	}
	return s.gc.do(ctx, fn, bare)
}

// read runs fn in a transaction on a reader, so every query of fn sees the
// same snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	return inTx(ctx, s.r, fn)
}

// subqueryLimit is the LIMIT clause of a subquery, its count written into
// the SQL rather than bound. A bound LIMIT inside a compound SELECT or an
// IN (SELECT ...) makes SQLite expire the prepared statement whenever the
// parameter is bound again, so every execution parsed and planned it anew:
// 30% of rendering an article page of 200 comments, through the 50 limited
// subqueries of its replies (ListThreadReplies). n is always a count the
// store computed, never text from outside.
func subqueryLimit(n int) string { return " LIMIT " + strconv.Itoa(n) }

// querier runs read statements: the reader pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readOne runs fn, which runs one bounded read statement, on a reader
// (or on a Bulk's transaction). One statement is its own read
// transaction, as consistent as read's, without read's BEGIN and
// COMMIT, which cost as much as a point read. fn gets a context
// detached from the request's cancellation: for a cancelable context the
// driver starts a goroutine per statement to watch it, which costs more
// than the read. So fn's statement must be bounded (a LIMIT, a key).
func (s *Store) readOne(ctx context.Context, fn func(ctx context.Context, q querier) error) error {
	ctx = context.WithoutCancel(ctx)
	if s.tx != nil {
		return fn(ctx, s.tx)
	}
	return fn(ctx, s.r)
}

// queryRow is readOne for a statement returning one row.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	var row *sql.Row
	s.readOne(ctx, func(ctx context.Context, q querier) error {
		row = q.QueryRowContext(ctx, query, args...)
		return nil
	})
	return row
}

func inTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// now is s.Now in UTC, truncated to what the database keeps.
func (s *Store) now() time.Time {
	f := s.Now
	if f == nil {
		f = time.Now
	}
	return fromMicros(f().UnixMicro())
}

// msgs are the sentences dbErr uses for one operation.
type msgs struct {
	notFound   string // sql.ErrNoRows
	conflict   string // a unique or primary key violation
	missingRef string // a foreign key violation: the referenced row is gone
}

// dbErr is the one place driver errors become product errors. *news.Error
// passes through; a missing row, a unique violation or a missing referenced
// row becomes NotFound or Conflict when m has a sentence for it; anything
// else is wrapped with the lower-case context what and maps to Internal.
func dbErr(err error, what string, m msgs) error {
	if err == nil {
		return nil
	}
	var ne *news.Error
	if errors.As(err, &ne) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) && m.notFound != "" {
		return &news.Error{Code: news.NotFound, Message: m.notFound}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			if m.conflict != "" {
				return &news.Error{Code: news.Conflict, Message: m.conflict, Err: err}
			}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			if m.missingRef != "" {
				return &news.Error{Code: news.NotFound, Message: m.missingRef, Err: err}
			}
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

func notFound(msg string) error { return &news.Error{Code: news.NotFound, Message: msg} }

const (
	msgNoAccount = "That account does not exist."
	msgNoPost    = "That post does not exist."
	msgNoComment = "That comment does not exist."
)

// micros stores t as unix microseconds, and the zero time as NULL.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicros(v.Int64)
}

// nullID stores an optional reference: 0 becomes NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// maxPage bounds any one list query. Services choose the page sizes people
// get (and ask for one more row to learn whether a next page exists); this
// only keeps a runaway caller from reading a whole table at once.
const maxPage = 1000

// limit clamps a requested page size.
func limit(n, def, max int) int {
	switch {
	case n <= 0:
		return def
	case n > max:
		return max
	}
	return n
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }
