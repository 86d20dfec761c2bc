// Package postgres is Headline's store on PostgreSQL, for sites that run
// several instances over one database. It implements news.Store with the
// behaviour of package sqlite, pinned by the storetest suite, in
// PostgreSQL's own SQL.
//
// Unlike SQLite, PostgreSQL runs writers at once, so every read-modify-write
// of a counter is either one UPDATE ... SET n = n + 1 (atomic under READ
// COMMITTED) or reads its row FOR UPDATE first.
package postgres

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/headline/headline/internal/news"
)

var _ news.Store = (*Store)(nil)

// Store keeps Headline's data in a PostgreSQL database (in the first schema
// of the connection's search_path).
type Store struct {
	// Now returns the current time; it stamps CreatedAt and UpdatedAt.
	// Tests pin it. Open sets it to time.Now.
	Now func() time.Time

	pool *pgxpool.Pool

	// tx is set on the view that Bulk hands out: every read and write of
	// that view runs in this one transaction.
	tx pgx.Tx
}

// querier is what the queries run on: the pool (each statement its own
// transaction) or a pgx.Tx.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// scanner is a pgx.Row or pgx.Rows.
type scanner interface{ Scan(dest ...any) error }

// defaultConnectTimeout bounds each connection attempt when the URL sets no
// connect_timeout, so that an unreachable server fails a request (503) or
// the start of the program instead of hanging it.
const defaultConnectTimeout = 5 * time.Second

// Open connects to the database at url (postgres://user:password@host/db
// with pgx's query parameters, e.g. sslmode, search_path, pool_max_conns),
// checks that it answers and brings its schema up to date. Errors are one
// line and never contain the password.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := poolConfig(url)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, openError(url, "connect to postgres", err)
	}
	s := &Store{Now: time.Now, pool: pool}
	if err := s.checkServer(ctx); err != nil {
		pool.Close()
		return nil, openError(url, "connect to postgres", err)
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, openError(url, "migrate postgres", err)
	}
	// A bulk load interrupted while its indexes were deferred left them
	// listed; nothing may run without them.
	if err := s.RestoreIndexes(ctx, true); err != nil {
		pool.Close()
		return nil, openError(url, "build deferred indexes", err)
	}
	return s, nil
}

// poolConfig parses url and fills in the defaults Headline wants.
//
// Pool size: when the URL sets no pool_max_conns, MaxConns is the larger of
// 8 and 4 × GOMAXPROCS. A request spends most of its database time waiting
// on the network and on PostgreSQL, not on this process's CPU, so a few
// connections per core keep both cores of the 2-core machine we design for
// busy; PostgreSQL itself does best with a few active connections per core
// of its own, and each connection is a server process of several MB, so a
// bigger pool would only queue the same work inside PostgreSQL. Several
// instances of 8 also stay well below the server's default
// max_connections of 100. Operators with more cores or instances set
// pool_max_conns in the URL.
func poolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, openError(url, "parse the database URL", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = int32(max(8, 4*runtime.GOMAXPROCS(0)))
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		// Lets an operator tell Headline's connections apart in pg_stat_activity.
		cfg.ConnConfig.RuntimeParams["application_name"] = "headline"
	}
	return cfg, nil
}

// checkServer makes the first connection and checks that the database
// keeps text as UTF-8: Headline stores Chinese and Russian, which another
// server encoding would refuse or, with SQL_ASCII, not check at all.
func (s *Store) checkServer(ctx context.Context) error {
	var enc string
	if err := s.pool.QueryRow(ctx, `SELECT current_setting('server_encoding')`).Scan(&enc); err != nil {
		return err
	}
	if enc != "UTF8" {
		return fmt.Errorf("the database's encoding is %s; Headline needs a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8')", enc)
	}
	return nil
}

// openError is an error of Open: one line (pgx reports one line per address
// tried) with the password of url masked, wrapping the cause.
func openError(url, what string, err error) error {
	msg := err.Error()
	if pw := urlPassword(url); pw != "" {
		// As written in the URL, and percent-decoded, as pgx may quote it.
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
		if dec, err := neturl.PathUnescape(pw); err == nil && dec != "" {
			msg = strings.ReplaceAll(msg, dec, "xxxxx")
		}
	}
	// With sslmode=prefer, and for a host name with several addresses,
	// pgx tries more than once and reports each try on a line of its own,
	// often the same line twice.
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return &lineError{msg: what + ": " + strings.Join(lines, " "), err: err}
}

// lineError is a one-line message for people with the cause for code.
type lineError struct {
	msg string
	err error
}

func (e *lineError) Error() string { return e.msg }
func (e *lineError) Unwrap() error { return e.err }

// urlPassword returns the password written in a postgres:// URL or a
// key=value connection string, or "". It does not need the string to be
// valid: it is used to mask the password in the error that says it is not.
func urlPassword(s string) string {
	_, rest, isURL := strings.Cut(s, "://")
	if !isURL {
		_, pw, ok := strings.Cut(s, "password=")
		if !ok {
			return ""
		}
		if quoted, ok := strings.CutPrefix(pw, "'"); ok {
			pw, _, _ = strings.Cut(quoted, "'")
			return pw
		}
		pw, _, _ = strings.Cut(pw, " ")
		return pw
	}
	authority, _, _ := strings.Cut(rest, "?")
	at := strings.LastIndex(authority, "@") // the host cannot hold an '@'; a password may
	if at < 0 {
		return ""
	}
	_, pw, _ := strings.Cut(authority[:at], ":")
	return pw
}

// Close closes the pool.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("close postgres: the store is a Bulk view; close the store it came from")
	}
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return dbErr(s.pool.Ping(ctx), "ping postgres", msgs{})
}

// Bulk runs fn against a view of s whose reads and writes all happen in one
// transaction: one commit for the whole batch instead of one a row. Reads
// inside see the batch's own writes. A Bulk inside a Bulk joins it. After
// a failed statement PostgreSQL refuses the rest of the transaction, so fn
// must return the error (news.Store says so).
func (s *Store) Bulk(ctx context.Context, fn func(tx news.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbErr(err, "begin bulk", msgs{})
	}
	if err := fn(&Store{Now: s.Now, pool: s.pool, tx: tx}); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	return dbErr(tx.Commit(ctx), "commit bulk", msgs{})
}

// db is what a single statement runs on: the Bulk transaction, or the pool,
// where the statement is its own transaction.
func (s *Store) db() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.pool
}

// write runs fn in a transaction (the Bulk one, if any). Methods whose
// write is one statement use db() instead and save the BEGIN and COMMIT.
func (s *Store) write(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	// A deadlock or serialization failure rolls the whole transaction back,
	// so running the write again is safe, and it is what PostgreSQL
	// advises: concurrent follows of one popular account can deadlock on
	// its row however carefully the locks are ordered.
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, fn)
		var pe *pgconn.PgError
		if attempt < maxWriteAttempts && errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
			continue
		}
		return err
	}
}

// maxWriteAttempts bounds the re-runs of a write that lost a deadlock.
const maxWriteAttempts = 4

// now is s.Now in UTC, truncated to what the database keeps.
func (s *Store) now() time.Time {
	f := s.Now
	if f == nil {
		f = time.Now
	}
	return utc(f())
}

// ts is a time as stored: UTC truncated to the microsecond (PostgreSQL
// would round, the SQLite store truncates), and the zero time as NULL.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return utc(t)
}

// utc is a time as compared with stored ones: UTC, to the microsecond.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// fromNullTime is a nullable timestamptz as the domain wants it: UTC, and
// NULL as the zero time.
func fromNullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// nullID stores an optional reference: 0 becomes NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// collect scans every row with scan and closes rows. An empty result is a
// nil slice, as the SQLite store returns it.
func collect[T any](rows pgx.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
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

// args collects query arguments and hands out their $n placeholders, so
// that a query built from optional parts numbers them right.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}
