package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// By default SQLite checkpoints from the committing connection: the commit
// that takes the WAL past 1,000 pages also copies them into the database
// file and fsyncs it before it returns, so every few hundred writes one
// caller waits several milliseconds more (the p99 of publishing, following
// and saving a feed snapshot at 1M posts). A checkpointer does that work
// from a connection of its own, on a timer, off every caller's path. The
// writer still checkpoints by itself past writerCheckpointPages, a bound
// on the WAL should the checkpointer fall behind (a long read holds it
// back, as it would hold back the writer's own checkpoint).
//
// Durability does not change: a commit is acknowledged once it is synced
// in the WAL (synchronous=FULL); a checkpoint only moves committed pages
// into the database file, and a PASSIVE one never waits for or blocks a
// reader or the writer.

// defaultCheckpoint is how often the checkpointer runs.
const defaultCheckpoint = time.Second

// writerCheckpointPages is the writer's own wal_autocheckpoint when the
// checkpointer runs (SQLite's default is 1,000 pages).
const writerCheckpointPages = 10_000

type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// startCheckpointer opens its connection to path and starts the timer.
func startCheckpointer(ctx context.Context, path string, every time.Duration) (*checkpointer, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	conn, err := sqlite.NewConnector(path + "?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop(every)
	return c, nil
}

func (c *checkpointer) loop(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			// An error (the file busy in a way PASSIVE does not wait for,
			// a disk error) leaves the pages in the WAL, still committed;
			// the next tick, or the writer past its bound, tries again.
			_, _ = c.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// close stops the timer, waiting for a checkpoint in progress, and closes
// the connection. Closing again does nothing, as Store.Close promises.
func (c *checkpointer) close() error {
	c.closeOnce.Do(func() {
		close(c.stop)
		<-c.done
		c.closeErr = c.db.Close()
	})
	return c.closeErr
}
