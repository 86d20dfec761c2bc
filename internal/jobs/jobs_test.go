package jobs_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql on PostgreSQL, for the tests' effect table
	"modernc.org/sqlite"

	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// testDB is one real database the queue runs on, with the test's own
// connection to it for recording job effects.
type testDB struct {
	name string
	cfg  jobs.Config // where; the tests add the rest
	db   *sql.DB     // the test's connection
	ph   func(n int) string
}

// each runs fn once on a fresh SQLite file and once on a fresh PostgreSQL
// schema (skipped, saying why, when there is no PostgreSQL and CI is unset).
func each(t *testing.T, fn func(t *testing.T, d testDB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteDB(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, postgresDB(t)) })
}

func sqliteDB(t testing.TB) testDB {
	path := filepath.Join(t.TempDir(), "headline.db")
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Set("_txlock", "immediate")
	conn, err := sqlite.NewConnector(path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return testDB{name: "sqlite", cfg: jobs.Config{SQLitePath: path}, db: db, ph: func(int) string { return "?" }}
}

func postgresDB(t testing.TB) testDB {
	u := pgtest.Schema(t)
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return testDB{name: "postgres", cfg: jobs.Config{PostgresURL: u}, db: db, ph: func(n int) string { return fmt.Sprintf("$%d", n) }}
}

// fast is d's config with short polls and retries, so tests wait for
// milliseconds rather than River's seconds.
func (d testDB) fast(id string) jobs.Config {
	c := d.cfg
	c.ID = id
	c.PollInterval = 20 * time.Millisecond
	c.RetryBase = 50 * time.Millisecond
	c.RetryMax = time.Second
	c.StopTimeout = 2 * time.Second
	return c
}

// effects is a table whose rows are what jobs did: one per key, with how
// often a job ran for it and which instance ran it last.
func (d testDB) createEffects(t *testing.T) {
	t.Helper()
	_, err := d.db.Exec(`CREATE TABLE job_effects (key TEXT PRIMARY KEY, runs INTEGER NOT NULL, instance TEXT NOT NULL)`)
	if err != nil {
		t.Fatal(err)
	}
}

func (d testDB) record(ctx context.Context, key, instance string) error {
	_, err := d.db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO job_effects (key, runs, instance) VALUES (%s, 1, %s)
		ON CONFLICT (key) DO UPDATE SET runs = job_effects.runs + 1, instance = excluded.instance`, d.ph(1), d.ph(2)),
		key, instance)
	return err
}

func (d testDB) count(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	var n sql.NullInt64
	if err := d.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n.Int64
}

// effectArgs is the tests' job: record Key in job_effects.
type effectArgs struct {
	Key string `json:"key"`
}

func (effectArgs) Kind() string { return "test_effect" }

// flakyArgs fails until its attempt reaches Succeed (0: always fails).
type flakyArgs struct {
	Name    string `json:"name"`
	Succeed int    `json:"succeed"`
}

func (flakyArgs) Kind() string { return "test_flaky" }

func open(t *testing.T, cfg jobs.Config) *jobs.Queue {
	t.Helper()
	q, err := jobs.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := q.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return q
}

// waitFor polls cond until it holds, failing t after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDurable: a job enqueued by a queue that stops before running it is
// run by a new queue opened on the same database, once.
func TestDurable(t *testing.T) {
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		d.createEffects(t)
		first, err := jobs.Open(ctx, d.fast("first"))
		if err != nil {
			t.Fatal(err)
		}
		if err := jobs.Handle(first, func(ctx context.Context, j *jobs.Job[effectArgs]) error {
			return d.record(ctx, j.Args.Key, "first")
		}); err != nil {
			t.Fatal(err)
		}
		res, err := first.Enqueue(ctx, effectArgs{Key: "survivor"}, &jobs.EnqueueOpts{Unique: true})
		if err != nil || res.ID == 0 || res.Duplicate {
			t.Fatalf("enqueue: %+v, %v", res, err)
		}
		again, err := first.Enqueue(ctx, effectArgs{Key: "survivor"}, &jobs.EnqueueOpts{Unique: true})
		if err != nil || !again.Duplicate || again.ID != res.ID {
			t.Fatalf("unique enqueue again: %+v, %v; want a duplicate of %d", again, err, res.ID)
		}
		// The first instance goes away without ever starting.
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		if n := d.count(t, `SELECT count(*) FROM job_effects`); n != 0 {
			t.Fatalf("%d effects before any queue ran", n)
		}
		if d.name == "postgres" {
			// River's tables went into the test's own schema, the first
			// of the URL's search_path, like the store's.
			n := d.count(t, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('river_job', 'river_migration', 'river_leader')`)
			if n != 3 {
				t.Fatalf("%d of River's tables in the test's schema, want 3", n)
			}
		}

		second := open(t, d.fast("second"))
		if err := jobs.Handle(second, func(ctx context.Context, j *jobs.Job[effectArgs]) error {
			return d.record(ctx, j.Args.Key, "second")
		}); err != nil {
			t.Fatal(err)
		}
		if err := second.Start(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "the job to complete", func() bool {
			return completed(t, second, "test_effect") == 1
		})
		if n := d.count(t, `SELECT runs FROM job_effects WHERE key = 'survivor' AND instance = 'second'`); n != 1 {
			t.Fatalf("the job ran %d times on the second instance, want 1", n)
		}
	})
}

// completed is the number of completed jobs of kind, from the overview.
func completed(t *testing.T, q *jobs.Queue, kind string) int64 {
	return state(t, q, kind, "completed")
}

func state(t *testing.T, q *jobs.Queue, kind, st string) int64 {
	t.Helper()
	o, err := q.Overview(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range o.Counts {
		if c.Kind == kind && c.State == st {
			return c.N
		}
	}
	return 0
}

// TestRetryBackoff: a job that fails twice and then succeeds runs three
// times, the second wait at least twice the first; one that always fails
// is discarded after its last attempt with its error kept.
func TestRetryBackoff(t *testing.T) {
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		cfg := d.fast("retry")
		cfg.RetryBase = 300 * time.Millisecond
		q := open(t, cfg)
		var mu sync.Mutex
		runs := map[string][]time.Time{}
		if err := jobs.Handle(q, func(ctx context.Context, j *jobs.Job[flakyArgs]) error {
			mu.Lock()
			runs[j.Args.Name] = append(runs[j.Args.Name], time.Now())
			mu.Unlock()
			if j.Args.Succeed == 0 || j.Attempt < j.Args.Succeed {
				return fmt.Errorf("tape jammed on attempt %d", j.Attempt)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, flakyArgs{Name: "third time lucky", Succeed: 3}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, flakyArgs{Name: "hopeless"}, &jobs.EnqueueOpts{MaxAttempts: 2}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "one job completed and one discarded", func() bool {
			return completed(t, q, "test_flaky") == 1 && state(t, q, "test_flaky", "discarded") == 1
		})
		mu.Lock()
		lucky, hopeless := runs["third time lucky"], runs["hopeless"]
		mu.Unlock()
		if len(lucky) != 3 || len(hopeless) != 2 {
			t.Fatalf("runs: lucky %d (want 3), hopeless %d (want 2)", len(lucky), len(hopeless))
		}
		// The retry policy waits base, then 2 × base (plus jitter); a job
		// never runs before its time, so these bounds are exact.
		first, second := lucky[1].Sub(lucky[0]), lucky[2].Sub(lucky[1])
		t.Logf("%s: waits before the retries: %v, %v", d.name, first, second)
		if first < cfg.RetryBase || second < 2*cfg.RetryBase {
			t.Errorf("waits %v, %v: want at least %v and %v", first, second, cfg.RetryBase, 2*cfg.RetryBase)
		}

		o, err := q.Overview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Failures) != 1 {
			t.Fatalf("failures: %+v, want the discarded job alone", o.Failures)
		}
		f := o.Failures[0]
		if f.State != "discarded" || f.Attempt != 2 || f.MaxAttempts != 2 || f.Error != "tape jammed on attempt 2" || f.At.IsZero() {
			t.Errorf("failure: %+v", f)
		}
	})
}

// TestExactlyOnce: two instances on one database run 200 jobs; every job
// ran exactly once, and both instances took part. On SQLite the site's
// store writes at the same time through its group-commit writer, so the
// two writers on the file take turns without an error.
func TestExactlyOnce(t *testing.T) {
	const n = 200
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		d.createEffects(t)
		stopStore := busyStore(t, d)
		logs := &capture{}
		var qs []*jobs.Queue
		for _, id := range []string{"alpha", "beta"} {
			cfg := d.fast(id)
			cfg.Log = slog.New(logs)
			q := open(t, cfg)
			if err := jobs.Handle(q, func(ctx context.Context, j *jobs.Job[effectArgs]) error {
				time.Sleep(2 * time.Millisecond) // work long enough for both to take some
				return d.record(ctx, j.Args.Key, id)
			}); err != nil {
				t.Fatal(err)
			}
			qs = append(qs, q)
		}
		// Half enqueued through each instance, before and after Start.
		for i := range n / 2 {
			if _, err := qs[0].Enqueue(ctx, effectArgs{Key: fmt.Sprint("job-", i)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range qs {
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for i := n / 2; i < n; i++ {
			if _, err := qs[1].Enqueue(ctx, effectArgs{Key: fmt.Sprint("job-", i)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, 60*time.Second, fmt.Sprintf("%d completed jobs", n), func() bool {
			return completed(t, qs[0], "test_effect") == n
		})
		if err := stopStore(); err != nil {
			t.Errorf("the store's writes beside the queue: %v", err)
		}
		if got := d.count(t, `SELECT count(*) FROM job_effects`); got != n {
			t.Errorf("%d keys have an effect, want %d", got, n)
		}
		if got := d.count(t, `SELECT sum(runs) FROM job_effects`); got != n {
			t.Errorf("%d runs in all, want %d: some job ran twice", got, n)
		}
		a := d.count(t, `SELECT count(*) FROM job_effects WHERE instance = 'alpha'`)
		b := d.count(t, `SELECT count(*) FROM job_effects WHERE instance = 'beta'`)
		t.Logf("%s: alpha ran %d jobs, beta %d", d.name, a, b)
		if a == 0 || b == 0 {
			t.Errorf("one instance ran every job (alpha %d, beta %d)", a, b)
		}
		for _, q := range qs {
			if err := q.Stop(ctx); err != nil {
				t.Error(err)
			}
		}
		// River retries what fails inside it (a fetch, a completion) and
		// only logs it: on SQLite a "database is locked" there would mean
		// River's writes did not wait for the store's.
		for _, r := range logs.records() {
			t.Errorf("River logged: %s", r)
		}
	})
}

// capture is a slog.Handler keeping what River logged.
type capture struct {
	mu   sync.Mutex
	recs []string
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) Handle(_ context.Context, r slog.Record) error {
	line := r.Level.String() + " " + r.Message
	r.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
	c.mu.Lock()
	c.recs = append(c.recs, line)
	c.mu.Unlock()
	return nil
}
func (c *capture) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *capture) WithGroup(string) slog.Handler      { return c }
func (c *capture) records() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.recs...)
}

// TestStopReleasesRunningJob: Stop waits StopTimeout for a running job,
// then cancels it; the job goes back to the queue, not to the discarded,
// and the next instance runs it to completion.
func TestStopReleasesRunningJob(t *testing.T) {
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		cfg := d.fast("stuck")
		cfg.StopTimeout = 200 * time.Millisecond
		q, err := jobs.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		started := make(chan struct{})
		if err := jobs.Handle(q, func(ctx context.Context, j *jobs.Job[flakyArgs]) error {
			close(started)
			<-ctx.Done() // a job that only ends when told to
			return ctx.Err()
		}); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, flakyArgs{Name: "long"}, &jobs.EnqueueOpts{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		<-started
		if err := q.Close(); err != nil {
			t.Fatal(err)
		}

		next := open(t, d.fast("next"))
		done := make(chan int, 1)
		if err := jobs.Handle(next, func(ctx context.Context, j *jobs.Job[flakyArgs]) error {
			done <- j.Attempt
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := next.Start(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case attempt := <-done:
			t.Logf("%s: the released job ran again as attempt %d", d.name, attempt)
		case <-time.After(30 * time.Second):
			t.Fatal("the job cancelled by Stop never ran again")
		}
		waitFor(t, 10*time.Second, "the job to complete", func() bool { return completed(t, next, "test_flaky") == 1 })
		if n := state(t, next, "test_flaky", "discarded"); n != 0 {
			t.Errorf("%d discarded: a job cancelled by Stop must not count as a failed attempt", n)
		}
	})
}

// TestOpenErrors: bad configurations fail with one clear error.
func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []jobs.Config{
		{},
		{SQLitePath: "a.db", PostgresURL: "postgres://x@127.0.0.1/db"},
		{SQLitePath: "a.db?mode=ro"},
		{PostgresURL: "postgres://u:sekrit@127.0.0.1:1/db?connect_timeout=1"},
	} {
		_, err := jobs.Open(ctx, cfg)
		if err == nil {
			t.Errorf("Open(%+v) succeeded", cfg)
			continue
		}
		if strings.Contains(err.Error(), "sekrit") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	q := open(t, jobs.Config{SQLitePath: filepath.Join(t.TempDir(), "h.db")})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Handle(q, func(context.Context, *jobs.Job[effectArgs]) error { return nil }); err == nil {
		t.Error("Handle after Start succeeded")
	}
	if err := q.Start(ctx); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("second Start: %v", err)
	}
}

type slowArgs struct{}

func (slowArgs) Kind() string { return "test_slow" }

// TestTimeout: an attempt longer than its kind's Timeout has its context
// cancelled and fails with that reason.
func TestTimeout(t *testing.T) {
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		q := open(t, d.fast("timeout"))
		if err := jobs.HandleWith(q, jobs.HandleOpts{Timeout: 100 * time.Millisecond}, func(ctx context.Context, j *jobs.Job[slowArgs]) error {
			select {
			case <-ctx.Done():
				return fmt.Errorf("transcode stopped: %w", ctx.Err())
			case <-time.After(30 * time.Second):
				return nil
			}
		}); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, slowArgs{}, &jobs.EnqueueOpts{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "the slow job to be discarded", func() bool { return state(t, q, "test_slow", "discarded") == 1 })
		o, err := q.Overview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Failures) != 1 || o.Failures[0].Error != "transcode stopped: context deadline exceeded" {
			t.Errorf("failures: %+v", o.Failures)
		}
	})
}

// TestStopLetsRunningJobFinish: a job running when Stop is called and
// done within StopTimeout finishes and is recorded completed.
func TestStopLetsRunningJobFinish(t *testing.T) {
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		q := open(t, d.fast("graceful"))
		started := make(chan struct{})
		var finished atomic.Bool
		if err := jobs.Handle(q, func(ctx context.Context, j *jobs.Job[flakyArgs]) error {
			close(started)
			time.Sleep(300 * time.Millisecond) // ignores ctx: Stop must wait, not cancel
			finished.Store(true)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, flakyArgs{Name: "short"}, nil); err != nil {
			t.Fatal(err)
		}
		<-started
		if err := q.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if !finished.Load() {
			t.Fatal("Stop returned before the running job finished")
		}
		if n := completed(t, q, "test_flaky"); n != 1 {
			t.Errorf("%d completed after Stop, want 1: the finished job's completion was lost", n)
		}
	})
}
