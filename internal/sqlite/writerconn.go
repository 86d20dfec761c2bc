package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
)

// The writer connection runs many callers' writes in one shared
// transaction (see committer). modernc's driver answers a canceled context
// by calling sqlite3_interrupt, and an interrupted INSERT or UPDATE inside
// an explicit transaction may roll back the whole transaction: one client
// hanging up would undo its neighbours' writes. So on the writer a caller's
// context never reaches the driver's statement execution. database/sql
// still checks the context before each statement, so a canceled caller
// stops at its next statement; the statements themselves take microseconds.

// writerConnector opens writer connections wrapped in writerConn.
type writerConnector struct {
	driver.Connector
	detach bool // keep callers' cancellation from running statements
}

// Connect opens a connection and wraps it. It refuses a connection that
// lacks the optional interfaces modernc's connections implement, since a
// wrapper that hid them would silently change database/sql's behaviour.
func (c writerConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	full, ok := conn.(fullConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite writer: driver connection %T lacks context support", conn)
	}
	return &writerConn{c: full, detach: c.detach, stmts: map[string]*cachedStmt{}}, nil
}

// fullConn is every interface a modernc connection implements and
// database/sql uses.
type fullConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// writerConn forwards everything to the driver's connection, keeping
// prepared statements (see stmtcache.go) and, when detach is set, with the
// statement contexts detached from cancellation. The readers use it too,
// for the statement cache, without detach.
type writerConn struct {
	c      fullConn
	detach bool
	stmts  map[string]*cachedStmt
}

var _ fullConn = (*writerConn)(nil)

func (w *writerConn) ctx(ctx context.Context) context.Context {
	if w.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (w *writerConn) Prepare(query string) (driver.Stmt, error) { return w.c.Prepare(query) }
func (w *writerConn) Begin() (driver.Tx, error)                 { return w.c.Begin() }
func (w *writerConn) Ping(ctx context.Context) error            { return w.c.Ping(ctx) }
func (w *writerConn) ResetSession(ctx context.Context) error    { return w.c.ResetSession(ctx) }
func (w *writerConn) IsValid() bool                             { return w.c.IsValid() }

// Unwrap returns the driver's connection, as modernc asks of wrappers.
func (w *writerConn) Unwrap() driver.Conn { return w.c }

func (w *writerConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return w.c.BeginTx(ctx, opts)
}

func (w *writerConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := w.c.PrepareContext(w.ctx(ctx), query)
	if err != nil {
		return nil, err
	}
	full, ok := st.(fullStmt)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("sqlite writer: driver statement %T lacks context support", st)
	}
	if !w.detach {
		return full, nil
	}
	return writerStmt{full}, nil
}

// fullStmt is every interface a modernc statement implements.
type fullStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// writerStmt is a prepared statement on the writer, detached like
// writerConn.
type writerStmt struct{ fullStmt }

func (s writerStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.fullStmt.ExecContext(context.WithoutCancel(ctx), args)
}

func (s writerStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.fullStmt.QueryContext(context.WithoutCancel(ctx), args)
}
