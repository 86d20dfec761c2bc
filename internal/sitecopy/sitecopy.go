// Package sitecopy copies a Headline site from its SQLite file into a
// PostgreSQL database, keeping every id, so that /p/{id} links and the
// sessions of signed-in readers keep working after the move.
//
// The copy goes table by table in primary key order, in batches that each
// commit on their own, so an interrupted copy is resumed by running it
// again: each table continues after the largest key already in the target,
// and a row that is there already is skipped. At the end the row counts and
// the sums of the stored counters must match on both sides.
//
// The SQLite file is read, never written, in one read transaction: the copy
// is of one moment of the site. Stop the site first, so that the moment is
// its last one.
package sitecopy

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/headline/headline/internal/postgres"
)

// sourceSchema is the SQLite schema version this copy knows: the tables in
// tables.go are those of internal/sqlite's migrations up to it.
const sourceSchema = 9

// DefaultBatch is the number of rows per batch when Options.Batch is 0.
const DefaultBatch = 1000

// Options say what to copy where.
type Options struct {
	From  string // the SQLite site's data folder, holding headline.db
	To    string // the PostgreSQL URL
	Batch int    // rows per committed batch; 0 means DefaultBatch

	// Progress receives a progress report (stderr); nil means none. Live
	// redraws one line with \r, for a terminal; otherwise a plain line is
	// written now and then.
	Progress io.Writer
	Live     bool

	afterBatch func(table string) // tests: called after each committed batch
}

// Table is the outcome of one table.
type Table struct {
	Name   string
	Source int64 // rows in the SQLite file
	Target int64 // rows in PostgreSQL after the copy
	Copied int64 // rows this run wrote
}

// Result is the outcome of a copy.
type Result struct {
	Tables  []Table
	Elapsed time.Duration
}

// Copy copies the site at o.From into the database at o.To, creating or
// migrating its schema first. It refuses a target holding accounts that are
// not this site's. It returns an error when, after the copy, a table's row
// count or counter totals differ between the two (the Result says which
// tables were copied).
func Copy(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	src, err := openSource(ctx, o.From)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := openTarget(ctx, o.To)
	if err != nil {
		return nil, err
	}
	defer dst.Close()

	// One read transaction: every table is read at the same moment.
	tx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", o.From, err)
	}
	defer tx.Rollback()
	c := &copier{src: tx, dst: dst, o: o, progress: newProgress(o.Progress, o.Live)}
	if err := c.checkTarget(ctx); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, t := range tables {
		n, err := c.copyTable(ctx, t)
		res.Tables = append(res.Tables, Table{Name: t.name, Copied: n})
		if err != nil {
			return res, fmt.Errorf("copy %s: %w", t.name, err)
		}
	}
	if err := c.resetSequences(ctx); err != nil {
		return res, err
	}
	if err := c.copyMarks(ctx); err != nil {
		return res, err
	}
	if err := c.copyModerationSettings(ctx); err != nil {
		return res, err
	}
	err = c.verify(ctx, res)
	res.Elapsed = time.Since(start)
	return res, err
}

// openSource opens the SQLite file of the data folder dir read-only and
// checks that its schema is the one this copy knows.
func openSource(ctx context.Context, dir string) (*sql.DB, error) {
	path, err := filepath.Abs(filepath.Join(dir, "headline.db"))
	if err != nil {
		return nil, fmt.Errorf("--from %s: %w", dir, err)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("--from %s: no Headline database there (%w)", dir, err)
	}
	// mode=ro: the file cannot be changed through this handle, whatever
	// happens; busy_timeout waits out a writer's checkpoint.
	u := url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	var version int64
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("read %s: not a Headline database? %w", path, err)
	}
	if version != sourceSchema {
		db.Close()
		return nil, fmt.Errorf("%s has schema version %d; this migrate-data copies version %d: use the migrate-data of the Headline that wrote it", path, version, sourceSchema)
	}
	return db, nil
}

// openTarget creates or migrates the PostgreSQL schema through the store
// (one source of truth for migrations) and returns a small pool for the copy.
func openTarget(ctx context.Context, url string) (*pgxpool.Pool, error) {
	st, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	st.Close()
	cfg, err := pgxpool.ParseConfig(url) // parsed by Open already: cannot fail now
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 2 // the copy is one writer
	return pgxpool.NewWithConfig(ctx, cfg)
}

// copier holds one copy's connections.
type copier struct {
	src      *sql.Tx
	dst      *pgxpool.Pool
	o        Options
	progress *progress
}

// copyTable copies the rows of t that the target lacks, in key order, one
// committed batch at a time, and returns how many it wrote.
func (c *copier) copyTable(ctx context.Context, t table) (int64, error) {
	var total int64
	if err := c.src.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&total); err != nil {
		return 0, err
	}
	var have int64
	if err := c.dst.QueryRow(ctx, `SELECT count(*) FROM `+t.name).Scan(&have); err != nil {
		return 0, err
	}
	after, err := c.resumeKey(ctx, t)
	if err != nil {
		return 0, err
	}
	c.progress.begin(t.name, have, total)
	defer c.progress.end()
	n := batchRows(t, c.o.Batch)
	var copied int64
	for {
		rows, last, err := readBatch(ctx, c.src, t, after, n)
		if err != nil || len(rows) == 0 {
			return copied, err
		}
		wrote, err := writeBatch(ctx, c.dst, t, rows)
		if err != nil {
			// Not the key: a session's key is a credential's hash.
			return copied, fmt.Errorf("batch after %d of %d rows: %w", have+copied, total, err)
		}
		copied += wrote
		after = last
		c.progress.add(wrote)
		if c.o.afterBatch != nil {
			c.o.afterBatch(t.name)
		}
	}
}

// resumeKey is the largest key of t in the target, or nil when t is empty
// there. Batches commit in key order, so every source row up to it has been
// copied. Text keys compare bytewise (COLLATE "C"), as SQLite compares them.
func (c *copier) resumeKey(ctx context.Context, t table) ([]any, error) {
	order := make([]string, len(t.key))
	dest := make([]any, len(t.key))
	for i, k := range t.key {
		order[i] = k + " DESC"
		dest[i] = new(int64)
		if t.cols[i].kind == kText {
			order[i] = k + ` COLLATE "C" DESC`
			dest[i] = new(string)
		}
	}
	err := c.dst.QueryRow(ctx, `SELECT `+strings.Join(t.key, ", ")+` FROM `+t.name+
		` ORDER BY `+strings.Join(order, ", ")+` LIMIT 1`).Scan(dest...)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	key := make([]any, len(dest))
	for i, d := range dest {
		switch d := d.(type) {
		case *int64:
			key[i] = *d
		case *string:
			key[i] = *d
		}
	}
	return key, nil
}
