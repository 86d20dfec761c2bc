package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// gate holds the committer inside one write until released, so that a
// test can queue a known set of writes behind it and have them run as one
// batch.
type gate struct {
	running, release chan struct{}
	err              chan error
}

func holdCommitter(t *testing.T, s *Store) *gate {
	t.Helper()
	g := &gate{running: make(chan struct{}), release: make(chan struct{}), err: make(chan error, 1)}
	go func() {
		g.err <- s.write(context.Background(), func(tx *sql.Tx) error {
			close(g.running)
			<-g.release
			return nil
		})
	}()
	<-g.running
	return g
}

// waitQueued waits until n writes wait in the committer's queue.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s.gc.mu.Lock()
		got := len(s.gc.queue)
		s.gc.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("fewer than %d writes queued after 10s", n)
}

// accountWrite is a write that inserts an account with this handle.
func accountWrite(s *Store, ctx context.Context, handle string) func() error {
	return func() error {
		return s.CreateAccount(ctx, &news.Account{Handle: handle, Name: handle, Role: news.RoleReader}, "")
	}
}

func handleExists(t *testing.T, s *Store, handle string) bool {
	t.Helper()
	_, err := s.AccountByHandle(t.Context(), handle)
	if err != nil && news.ErrorCode(err) != news.NotFound {
		t.Fatal(err)
	}
	return err == nil
}

// TestGroupCommitManyWriters posts from many goroutines at once: every
// write succeeds, the counters are exact, and writes really share
// transactions.
func TestGroupCommitManyWriters(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	a := &news.Account{Handle: "desk", Role: news.RolePublisher}
	if err := s.CreateAccount(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostPublished, PublishedAt: s.now()}
	if err := s.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	before := s.CommitStats()

	const writers, each = 64, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				c := &news.Comment{PostID: p.ID, AuthorName: "g", Body: fmt.Sprintf("%d-%d", w, i),
					BodyHTML: "<p>x</p>", Status: news.CommentPublished}
				if err := s.CreateComment(ctx, c); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := s.PostByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CommentsCount != writers*each {
		t.Errorf("comments_count = %d, want %d", got.CommentsCount, writers*each)
	}
	var rows int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE post_id = ?`, p.ID).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != writers*each {
		t.Errorf("%d comment rows, want %d", rows, writers*each)
	}
	st := s.CommitStats()
	txs, writes := st.Transactions-before.Transactions, st.Writes-before.Writes
	if writes != writers*each {
		t.Errorf("stats count %d writes, want %d", writes, writers*each)
	}
	if txs >= writes {
		t.Errorf("%d writes took %d transactions: no batches formed", writes, txs)
	}
	t.Logf("%d writes in %d transactions (mean batch %.1f)", writes, txs, float64(writes)/float64(txs))
}

// TestGroupCommitFailuresStayAlone queues one batch holding a duplicate
// handle, a panic, a canceled context and a broken-off transaction among
// good writes: each bad write fails alone and the good ones commit.
func TestGroupCommitFailuresStayAlone(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	if err := accountWrite(s, ctx, "taken")(); err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(ctx)

	writes := map[string]func() error{
		"good1":    accountWrite(s, ctx, "good1"),
		"dup":      accountWrite(s, ctx, "TAKEN"),
		"good2":    accountWrite(s, ctx, "good2"),
		"canceled": accountWrite(s, canceled, "canceled"),
		"panic": func() error {
			return s.write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (handle, name, role, created_at) VALUES ('panicky', '', 'reader', 0)`); err != nil {
					return err
				}
				panic("boom")
			})
		},
		"good3": accountWrite(s, ctx, "good3"),
	}
	g := holdCommitter(t, s)
	before := s.CommitStats()
	results := map[string]chan error{}
	for _, name := range []string{"good1", "dup", "good2", "canceled", "panic", "good3"} {
		ch := make(chan error, 1)
		results[name] = ch
		go func() { ch <- writes[name]() }()
		waitQueued(t, s, len(results)) // queue them in this order
	}
	cancel()
	close(g.release)
	if err := <-g.err; err != nil {
		t.Fatal(err)
	}
	for name, ch := range results {
		err := <-ch
		switch {
		case strings.HasPrefix(name, "good") && err != nil:
			t.Errorf("%s: %v", name, err)
		case name == "dup" && news.ErrorCode(err) != news.Conflict:
			t.Errorf("dup: %v, want Conflict", err)
		case name == "canceled" && !errors.Is(err, context.Canceled):
			t.Errorf("canceled: %v, want context.Canceled", err)
		case name == "panic" && (err == nil || !strings.Contains(err.Error(), "boom")):
			t.Errorf("panic: %v, want the panic as an error", err)
		}
	}
	for handle, want := range map[string]bool{"good1": true, "good2": true, "good3": true, "canceled": false, "panicky": false} {
		if got := handleExists(t, s, handle); got != want {
			t.Errorf("account %s exists = %v, want %v", handle, got, want)
		}
	}
	if st := s.CommitStats(); st.Transactions-before.Transactions != 2 || st.Writes-before.Writes != 4 {
		t.Errorf("stats moved by %+v; want 2 transactions (gate, batch) and 4 writes (gate, 3 good)",
			CommitStats{st.Transactions - before.Transactions, st.Writes - before.Writes})
	}
	// The committer survived the panic.
	if err := accountWrite(s, ctx, "after")(); err != nil {
		t.Fatal(err)
	}
}

// TestGroupCommitBrokenTransaction ends the shared transaction from inside
// a write, as SQLite does on a full disk: the writes before it are failed
// (they were undone), and the writes after it run in a new transaction.
func TestGroupCommitBrokenTransaction(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	g := holdCommitter(t, s)
	before := accountWrite(s, ctx, "before")
	breaker := func() error {
		return s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `ROLLBACK`)
			return err
		})
	}
	after := accountWrite(s, ctx, "after")
	var chans []chan error
	for i, w := range []func() error{before, breaker, after} {
		ch := make(chan error, 1)
		chans = append(chans, ch)
		go func() { ch <- w() }()
		waitQueued(t, s, i+1)
	}
	close(g.release)
	<-g.err
	if err := <-chans[0]; err == nil {
		t.Error("the write undone with its transaction reported success")
	}
	if err := <-chans[1]; err == nil {
		t.Error("the write that broke the transaction reported success")
	}
	if err := <-chans[2]; err != nil {
		t.Errorf("the write after the break: %v", err)
	}
	if handleExists(t, s, "before") || !handleExists(t, s, "after") {
		t.Error("want only the account written after the break")
	}
}

// TestGroupCommitClose closes the store with writes queued and one
// running: the running one commits, the queued ones fail, none hangs, and
// later writes fail at once.
func TestGroupCommitClose(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	g := holdCommitter(t, s)
	const queued = 20
	results := make(chan error, queued)
	for i := range queued {
		go func() { results <- accountWrite(s, context.Background(), fmt.Sprint("q", i))() }()
	}
	waitQueued(t, s, queued)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	for {
		s.gc.mu.Lock()
		c := s.gc.closed
		s.gc.mu.Unlock()
		if c {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	if err := <-g.err; err != nil {
		t.Errorf("the write in progress at Close: %v", err)
	}
	for range queued {
		if err := <-results; !errors.Is(err, errClosed) {
			t.Errorf("queued write: %v, want %v", err, errClosed)
		}
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if err := accountWrite(s, context.Background(), "late")(); err == nil {
		t.Error("a write after Close succeeded")
	}
}

// TestGroupCommitBulkHasItsOwnTransaction queues a failing Bulk between
// ordinary writes: it is undone alone.
func TestGroupCommitBulkHasItsOwnTransaction(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	g := holdCommitter(t, s)
	bulk := func() error {
		return s.Bulk(ctx, func(tx news.Store) error {
			if err := tx.CreateAccount(ctx, &news.Account{Handle: "bulk1", Role: news.RoleReader}, ""); err != nil {
				return err
			}
			return errors.New("changed my mind")
		})
	}
	var chans []chan error
	for i, w := range []func() error{accountWrite(s, ctx, "w1"), bulk, accountWrite(s, ctx, "w2")} {
		ch := make(chan error, 1)
		chans = append(chans, ch)
		go func() { ch <- w() }()
		waitQueued(t, s, i+1)
	}
	close(g.release)
	<-g.err
	if err := <-chans[0]; err != nil {
		t.Error(err)
	}
	if err := <-chans[1]; err == nil || !strings.Contains(err.Error(), "changed my mind") {
		t.Errorf("bulk: %v", err)
	}
	if err := <-chans[2]; err != nil {
		t.Error(err)
	}
	if !handleExists(t, s, "w1") || !handleExists(t, s, "w2") || handleExists(t, s, "bulk1") {
		t.Error("want w1 and w2 but not bulk1")
	}
}

// TestBulkSettingsDoNotStay checks that a bulk load's settings of the
// writer connection (a big page cache, a rare checkpoint, sort threads)
// hold inside its transactions only: the next ordinary write runs with the
// writer's own, and every write keeps its journals in memory.
func TestBulkSettingsDoNotStay(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	read := func(tx *sql.Tx) (string, error) {
		var cache, checkpoint, threads, temp int
		for _, p := range []struct {
			q string
			v *int
		}{{`PRAGMA cache_size`, &cache}, {`PRAGMA wal_autocheckpoint`, &checkpoint}, {`PRAGMA threads`, &threads}, {`PRAGMA temp_store`, &temp}} {
			if err := tx.QueryRowContext(ctx, p.q).Scan(p.v); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("cache=%d checkpoint=%d threads=%d temp=%d", cache, checkpoint, threads, temp), nil
	}
	write := func() string {
		t.Helper()
		var v string
		if err := s.write(ctx, func(tx *sql.Tx) (err error) { v, err = read(tx); return err }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	bulk := func() string {
		t.Helper()
		var v string
		err := s.bulkWrite(ctx, "read settings", func(tx *sql.Tx) (err error) { v, err = read(tx); return err })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// temp_store: 2 is MEMORY.
	own := fmt.Sprintf("cache=-%d checkpoint=%d threads=0 temp=2", defaultCacheKiB, writerCheckpointPages)
	loading := fmt.Sprintf("cache=-%d checkpoint=65536 threads=%d temp=2", bulkCacheKiB, runtime.GOMAXPROCS(0))
	for round := range 3 {
		if v := write(); v != own {
			t.Fatalf("round %d: a write runs with %s, want %s", round, v, own)
		}
		if v := bulk(); v != loading {
			t.Fatalf("round %d: a bulk load runs with %s, want %s", round, v, loading)
		}
	}
	if v := write(); v != own {
		t.Fatalf("after a bulk load a write runs with %s, want %s", v, own)
	}
}

// TestWriteWithDoneContext is refused without running.
func TestWriteWithDoneContext(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := accountWrite(s, ctx, "never")(); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if handleExists(t, s, "never") {
		t.Fatal("the canceled write ran")
	}
}

// TestCancelMidStatementSparesTheBatch cancels a writer's context while its
// long statement runs inside a shared transaction. The driver would answer
// with sqlite3_interrupt, which may roll back the whole transaction; the
// writer connection keeps cancellation away from running statements, so the
// neighbours commit.
func TestCancelMidStatementSparesTheBatch(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	slowCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	slow := func() error {
		return s.write(slowCtx, func(tx *sql.Tx) error {
			time.AfterFunc(2*time.Millisecond, cancel)
			_, err := tx.ExecContext(slowCtx, `
				WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100000)
				INSERT INTO accounts (handle, name, role, created_at) SELECT 'slow', '', 'reader', count(*) FROM r`)
			return err
		})
	}
	g := holdCommitter(t, s)
	var chans []chan error
	for i, w := range []func() error{accountWrite(s, ctx, "n1"), slow, accountWrite(s, ctx, "n2")} {
		ch := make(chan error, 1)
		chans = append(chans, ch)
		go func() { ch <- w() }()
		waitQueued(t, s, i+1)
	}
	close(g.release)
	<-g.err
	for i, ch := range chans {
		if err := <-ch; err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	for _, h := range []string{"n1", "n2", "slow"} {
		if !handleExists(t, s, h) {
			t.Errorf("account %s missing", h)
		}
	}
}

// TestBareWrites queues one batch of writes without savepoints among
// guarded ones: a bare write's domain error, which comes before any change,
// leaves the batch alone; a bare write failing after its change breaks
// the transaction, so that change is never committed, the writes run
// before it in the batch are answered as undone, and those after it
// commit in a transaction of their own.
func TestBareWrites(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	insert := func(handle string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO accounts (handle, name, role, created_at) VALUES (?, '', 'reader', 0)`, handle)
			return err
		}
	}
	writes := []struct {
		name string
		run  func() error
	}{
		{"bare1", func() error { return s.writeBare(ctx, insert("bare1")) }},
		{"refused", func() error {
			return s.writeBare(ctx, func(tx *sql.Tx) error { return notFound(msgNoPost) })
		}},
		{"guarded", accountWrite(s, ctx, "guarded")},
		{"bare2", func() error { return s.writeBare(ctx, insert("bare2")) }},
		{"broken", func() error {
			return s.writeBare(ctx, func(tx *sql.Tx) error {
				if err := insert("halfway")(tx); err != nil {
					return err
				}
				return errors.New("disk trouble after the insert")
			})
		}},
		{"after", func() error { return s.writeBare(ctx, insert("after")) }},
	}
	g := holdCommitter(t, s)
	results := make([]chan error, len(writes))
	for i, w := range writes {
		results[i] = make(chan error, 1)
		go func() { results[i] <- w.run() }()
		waitQueued(t, s, i+1)
	}
	close(g.release)
	if err := <-g.err; err != nil {
		t.Fatal(err)
	}
	for i, w := range writes {
		err := <-results[i]
		switch w.name {
		case "refused":
			if news.ErrorCode(err) != news.NotFound {
				t.Errorf("refused: %v, want its NotFound", err)
			}
		case "bare1", "guarded", "bare2":
			if err == nil || !strings.Contains(err.Error(), "undone") {
				t.Errorf("%s: %v, want undone with the broken transaction", w.name, err)
			}
		case "broken":
			if err == nil || !strings.Contains(err.Error(), "disk trouble") {
				t.Errorf("broken: %v, want its error", err)
			}
		case "after":
			if err != nil {
				t.Errorf("after: %v", err)
			}
		}
	}
	for handle, want := range map[string]bool{"bare1": false, "guarded": false, "bare2": false, "halfway": false, "after": true} {
		if got := handleExists(t, s, handle); got != want {
			t.Errorf("account %s exists = %v, want %v", handle, got, want)
		}
	}
}

// TestBareDomainErrorKeepsBatch: a bare write refused before any change
// costs the others nothing.
func TestBareDomainErrorKeepsBatch(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	ctx := t.Context()
	g := holdCommitter(t, s)
	errs := make(chan error, 3)
	go func() { errs <- accountWrite(s, ctx, "one")() }()
	waitQueued(t, s, 1)
	go func() {
		err := s.writeBare(ctx, func(tx *sql.Tx) error { return notFound(msgNoComment) })
		if news.ErrorCode(err) != news.NotFound {
			err = fmt.Errorf("refused write: %v, want NotFound", err)
		} else {
			err = nil
		}
		errs <- err
	}()
	waitQueued(t, s, 2)
	go func() { errs <- accountWrite(s, ctx, "two")() }()
	waitQueued(t, s, 3)
	close(g.release)
	if err := <-g.err; err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for _, h := range []string{"one", "two"} {
		if !handleExists(t, s, h) {
			t.Errorf("account %s missing", h)
		}
	}
}
