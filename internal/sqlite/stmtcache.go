package sqlite

import (
	"context"
	"database/sql/driver"
	"strings"
)

// Prepared statements, kept per connection. database/sql prepares every
// tx.QueryContext and ExecContext afresh, and for the short statements of
// Headline SQLite spends about as long parsing them as running them (a
// third of all CPU time of a comment post, measured with pprof). Each
// connection keeps its statements by SQL text, so the committer's writes
// and the readers' lookups are parsed once per connection.
//
// database/sql uses a connection from one goroutine at a time and closes
// rows under the same lock, so the cache needs no locking of its own.

// maxCachedStmts bounds each connection's cache: a few queries are built
// with varying text (IN lists, optional SET columns).
const maxCachedStmts = 128

// cachedStmt is a prepared statement; busy while rows from it are open,
// when the same SQL must be run from a fresh statement instead.
type cachedStmt struct {
	st   fullStmt
	busy bool
}

// fullRows is every interface modernc's rows implement.
type fullRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cachedRows marks its statement free again when closed.
type cachedRows struct {
	fullRows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	r.cs.busy = false
	return r.fullRows.Close()
}

// stmt returns the cached statement for query, preparing it on first use,
// or nil when query should not be cached: several statements in one text,
// or the cached one is busy.
func (w *writerConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if cs, ok := w.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	if strings.Contains(strings.TrimRight(query, " \t\n;"), ";") || isPragma(query) {
		return nil, nil
	}
	st, err := w.c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	full, ok := st.(fullStmt)
	if !ok {
		st.Close()
		return nil, nil
	}
	if len(w.stmts) >= maxCachedStmts {
		for q, cs := range w.stmts { // map order: a random victim
			if !cs.busy {
				cs.st.Close()
				delete(w.stmts, q)
				break
			}
		}
	}
	cs := &cachedStmt{st: full}
	w.stmts[query] = cs
	return cs, nil
}

// isPragma reports whether query is a PRAGMA, which is not cached: SQLite
// applies a pragma's setting when the statement is prepared, not each time
// it runs. A cached pragma run again takes effect only if SQLite happens to
// prepare it again (tried: prepare "temp_store = MEMORY", then prepare and
// run "temp_store = FILE", then run the first: the setting stays FILE).
func isPragma(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	return len(q) >= 6 && strings.EqualFold(q[:6], "PRAGMA")
}

func (w *writerConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ctx = w.ctx(ctx)
	cs, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return w.c.ExecContext(ctx, query, args)
	}
	return cs.st.ExecContext(ctx, args)
}

func (w *writerConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ctx = w.ctx(ctx)
	cs, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return w.c.QueryContext(ctx, query, args)
	}
	rows, err := cs.st.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	full, ok := rows.(fullRows)
	if !ok { // not reached with modernc: its rows implement them all
		delete(w.stmts, query) // the rows own the statement now
		return rows, nil
	}
	cs.busy = true
	return &cachedRows{fullRows: full, cs: cs}, nil
}

// Close finalizes the cached statements, then closes the connection.
func (w *writerConn) Close() error {
	for q, cs := range w.stmts {
		cs.st.Close()
		delete(w.stmts, q)
	}
	return w.c.Close()
}
