package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/headline/headline/internal/news"
)

// Group commit. SQLite has one writer at a time and, with
// synchronous=FULL, every COMMIT waits for an fsync of the WAL: written one
// transaction each, concurrent writes would queue behind one fsync apiece.
// Instead one goroutine, the committer, owns the writer connection. It
// takes the first waiting write and whatever else is queued behind it, runs
// them in one transaction, each inside its own savepoint so that a failing
// write is undone alone, and commits once: one fsync acknowledges the whole
// batch. A lone writer is never delayed to wait for company; batches form
// only because writes arrive while the previous batch is being committed.

// A write that changes nothing before its last check can go without a
// savepoint: a bare write (Store.writeBare). Its domain errors (*news.Error:
// not found, invalid) come before its first change, so they leave nothing
// to undo; any other error, or a panic, may come after a change and
// breaks the transaction, undoing the batch, as a failed savepoint would.
// The savepoint is not free: SAVEPOINT and RELEASE are two statements,
// and every page a write touches is first copied to the savepoint's
// journal, a fifth of a comment insert's CPU in the one goroutine that
// all writes pass through.

// defaultMaxBatch caps the writes sharing one transaction, so that the
// first writer of a batch does not wait behind an unbounded run of others.
const defaultMaxBatch = 256

// errClosed answers writes submitted to, or still queued in, a closed store.
var errClosed = errors.New("sqlite store is closed")

// pending is one write waiting for the committer.
type pending struct {
	ctx context.Context
	fn  func(tx *sql.Tx) error
	// alone marks a Bulk: it gets a transaction of its own, because it may
	// be long and, on failure, must undo only itself.
	alone bool
	// bare: run without a savepoint (see above).
	bare bool
	done chan error // buffered: the committer never blocks on an answer
}

// writeMode says how a write runs in a batch.
type writeMode int

const (
	guarded writeMode = iota // in a savepoint of its own
	bare                     // without one: see above
	alone                    // in a transaction of its own (Bulk)
)

func (p *pending) answer(err error) { p.done <- err }

// committer runs the writes of a Store; see the package comment above.
type committer struct {
	db       *sql.DB
	maxBatch int

	mu     sync.Mutex
	queue  []*pending
	closed bool
	wake   chan struct{} // capacity 1: "the queue may be non-empty"
	exited chan struct{}

	// settings are the writer connection's own tuning pragmas, run again
	// before the first ordinary write after a Bulk, whose loader changed
	// them for itself (bulkWrite); bulkDone says one ran since.
	settings []string
	bulkDone bool

	batches atomic.Int64 // transactions committed
	writes  atomic.Int64 // writes acknowledged as committed
}

func newCommitter(db *sql.DB, maxBatch int, settings []string) *committer {
	if maxBatch <= 0 {
		maxBatch = defaultMaxBatch
	}
	c := &committer{db: db, maxBatch: maxBatch, settings: settings, wake: make(chan struct{}, 1), exited: make(chan struct{})}
	go c.loop()
	return c
}

// do queues fn and waits for its outcome: nil only after the transaction
// holding it committed. It waits even when ctx ends meanwhile, because once
// fn has run its outcome is the batch's, and the caller must not hear
// "canceled" about a write that then commits.
func (c *committer) do(ctx context.Context, fn func(tx *sql.Tx) error, mode writeMode) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p := &pending{ctx: ctx, fn: fn, alone: mode == alone, bare: mode == bare, done: make(chan error, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	c.queue = append(c.queue, p)
	c.mu.Unlock()
	c.signal()
	return <-p.done
}

func (c *committer) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// close stops taking writes, fails those still queued, waits for the batch
// in progress to finish, and returns once the committer has exited.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.signal()
	<-c.exited
}

func (c *committer) loop() {
	defer close(c.exited)
	// crowded: the last batch had company, so writers are arriving
	// concurrently. The committer then yields once before taking the next
	// batch, letting the writers that are running enqueue first: batches
	// of 64 clients grew from ~5 writes to ~13, and every transaction
	// costs its BEGIN, COMMIT, fsync and the rewrite of the pages each
	// batch touches (the post's row, the ends of the indexes). A lone
	// writer never waits: after a batch of one there is no yield.
	crowded := false
	for {
		if crowded {
			runtime.Gosched()
		}
		batch, closed := c.take()
		crowded = len(batch) > 1
		if closed {
			for _, p := range batch {
				p.answer(errClosed)
			}
			return
		}
		if len(batch) == 0 {
			<-c.wake
			continue
		}
		for len(batch) > 0 {
			batch = c.runTx(batch)
		}
	}
}

// take removes the next batch from the queue: a Bulk alone, or up to
// maxBatch ordinary writes, stopping before a Bulk. Once closed it returns
// everything left, to be failed.
func (c *committer) take() (batch []*pending, closed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		batch, c.queue = c.queue, nil
		return batch, true
	}
	n := 0
	for n < len(c.queue) && n < c.maxBatch {
		if c.queue[n].alone {
			if n == 0 {
				n = 1
			}
			break
		}
		n++
	}
	batch = make([]*pending, n)
	copy(batch, c.queue)
	// Shift rather than reslice, so the backing array does not grow forever.
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	return batch, false
}

// runTx runs batch in one transaction and answers every write in it. If
// the transaction breaks midway (SQLite rolled it back on a disk or memory
// error), the writes already run are failed and those not yet run are
// returned, for a fresh transaction.
func (c *committer) runTx(batch []*pending) (notRun []*pending) {
	c.settle(batch[0].alone)
	if len(batch) == 1 {
		c.runAlone(batch[0])
		return nil
	}
	// The transaction is not tied to any one writer's context: a writer
	// that gives up must not take the others' writes with it.
	tx, err := c.db.BeginTx(context.Background(), nil)
	if err != nil {
		for _, p := range batch {
			p.answer(fmt.Errorf("begin transaction: %w", err))
		}
		return nil
	}
	var ran []*pending
	for i, p := range batch {
		if err := p.ctx.Err(); err != nil {
			p.answer(err)
			continue
		}
		var err, broken error
		if p.bare {
			err, broken = runBare(tx, p.fn)
		} else {
			err, broken = runSavepoint(tx, p.fn)
		}
		if broken != nil {
			_ = tx.Rollback()
			for _, q := range ran {
				q.answer(fmt.Errorf("write undone with its transaction: %w", broken))
			}
			p.answer(errors.Join(err, broken))
			return batch[i+1:]
		}
		if err != nil {
			p.answer(err)
			continue
		}
		ran = append(ran, p)
	}
	if err := tx.Commit(); err != nil {
		for _, p := range ran {
			p.answer(fmt.Errorf("commit: %w", err))
		}
		return nil
	}
	c.committed(ran)
	return nil
}

// settle puts the writer's own settings back before the first ordinary
// write after a Bulk. A bulk load sets a page cache of hundreds of MB, a
// rare WAL checkpoint and sort threads for its transactions; they are
// per connection and would otherwise stay for the life of the process.
// Pragmas are not kept prepared (stmtcache): SQLite applies one when it
// is prepared. A failure only costs speed, so it is logged nowhere and
// tried again next time.
func (c *committer) settle(bulk bool) {
	if bulk {
		c.bulkDone = true
		return
	}
	if !c.bulkDone {
		return
	}
	for _, q := range c.settings {
		if _, err := c.db.ExecContext(context.Background(), q); err != nil {
			return
		}
	}
	c.bulkDone = false
}

// runAlone runs one write in a transaction of its own: with no neighbours
// to protect, it needs no savepoint, which saves a lone writer two
// statements.
func (c *committer) runAlone(p *pending) {
	if err := p.ctx.Err(); err != nil {
		p.answer(err)
		return
	}
	tx, err := c.db.BeginTx(context.Background(), nil)
	if err != nil {
		p.answer(fmt.Errorf("begin transaction: %w", err))
		return
	}
	if err := call(p.fn, tx); err != nil {
		_ = tx.Rollback()
		p.answer(err)
		return
	}
	if err := tx.Commit(); err != nil {
		p.answer(fmt.Errorf("commit: %w", err))
		return
	}
	c.committed([]*pending{p})
}

func (c *committer) committed(ps []*pending) {
	if len(ps) == 0 {
		return
	}
	c.batches.Add(1)
	c.writes.Add(int64(len(ps)))
	for _, p := range ps {
		p.answer(nil)
	}
}

// runSavepoint runs fn inside a savepoint of tx and undoes it alone if fn
// fails. err is fn's failure; broken is set when the savepoint could not
// be kept or undone, which means the whole transaction is gone.
func runSavepoint(tx *sql.Tx, fn func(tx *sql.Tx) error) (err, broken error) {
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, `SAVEPOINT hl_write`); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	if err = call(fn, tx); err != nil {
		// ROLLBACK TO leaves the savepoint open; RELEASE closes it.
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO hl_write; RELEASE hl_write`); rerr != nil {
			return err, fmt.Errorf("roll back to savepoint: %w", rerr)
		}
		return err, nil
	}
	if _, err := tx.ExecContext(ctx, `RELEASE hl_write`); err != nil {
		return nil, fmt.Errorf("release savepoint: %w", err)
	}
	return nil, nil
}

// runBare runs a bare write's fn: a domain error is its own (it changed
// nothing); any other error may have come after a change, so it breaks
// the transaction.
func runBare(tx *sql.Tx, fn func(tx *sql.Tx) error) (err, broken error) {
	err = call(fn, tx)
	var domain *news.Error
	if err == nil || errors.As(err, &domain) {
		return err, nil
	}
	return nil, fmt.Errorf("write without a savepoint failed: %w", err)
}

// call runs fn, turning a panic into an error for that write alone, so a
// bug in one write fails its request instead of killing the committer and
// with it every later write.
func call(fn func(tx *sql.Tx) error, tx *sql.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sqlite write panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(tx)
}

// CommitStats counts the writer's work since Open, for metrics and tests.
type CommitStats struct {
	// Transactions is the number of committed write transactions (each one
	// fsync); Writes the number of writes they acknowledged. Writes /
	// Transactions is the mean batch size.
	Transactions, Writes int64
}

// CommitStats returns the group commit counters.
func (s *Store) CommitStats() CommitStats {
	if s.gc == nil {
		return CommitStats{}
	}
	return CommitStats{Transactions: s.gc.batches.Load(), Writes: s.gc.writes.Load()}
}
