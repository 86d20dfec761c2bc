// Package jobs is Headline's one durable background job queue: media
// processing now, scheduled publishing, notifications and feed fetching
// later. It runs River (github.com/riverqueue/river) on the site's own
// database — SQLite or PostgreSQL — so a job survives a restart, is retried
// with backoff, and is worked by one instance at a time however many share
// the database. The rest of the program uses this package's small API and
// never imports River.
//
// Lifecycle: Open (migrates River's tables), Handle for each kind, Start,
// Enqueue any time after Open, Stop, Close.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Args are one kind of job's arguments. They are stored as JSON, so every
// field that matters must be exported; Kind names the kind and must stay
// stable once jobs of it exist.
type Args interface{ Kind() string }

// Job is one run of a job handed to its handler.
type Job[T Args] struct {
	ID          int64
	Args        T
	Attempt     int // 1 on the first run
	MaxAttempts int
}

// Config says where the queue lives and how it behaves. Exactly one of
// SQLitePath and PostgresURL is set.
type Config struct {
	// SQLitePath is the site's SQLite file (headline.db): River's tables
	// live in it, next to Headline's.
	SQLitePath string
	// PostgresURL is the site's PostgreSQL URL; River's tables live in the
	// first schema of its search_path (or public).
	PostgresURL string

	// Workers is how many jobs this instance runs at once (0: 4).
	Workers int
	// MaxAttempts is how often a job is tried before it is discarded with
	// its errors kept (0: 10). Enqueue may set it per job.
	MaxAttempts int
	// RetryBase and RetryMax shape the backoff: the n-th retry waits about
	// RetryBase × 2^(n-1), at most RetryMax (0: 1 s and 1 h).
	RetryBase, RetryMax time.Duration
	// PollInterval is how often an idle instance looks for jobs that no
	// notification announced: jobs scheduled for later, retries, jobs
	// enqueued by another instance (0: 1 s).
	PollInterval time.Duration
	// StopTimeout is how long Stop lets running jobs finish before it
	// cancels them; a cancelled job goes back to the queue to be retried
	// (0: 10 s).
	StopTimeout time.Duration
	// Log receives River's warnings and errors (nil: slog.Default()).
	Log *slog.Logger
	// ID names this instance in River's tables (a job's attempted_by);
	// empty: River makes one from the host name and the time.
	ID string
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.RetryBase <= 0 {
		c.RetryBase = time.Second
	}
	if c.RetryMax <= 0 {
		c.RetryMax = time.Hour
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = 10 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c
}

// Validate names the bad field of c.
func (c Config) Validate() error {
	switch {
	case (c.SQLitePath == "") == (c.PostgresURL == ""):
		return errors.New("jobs: set exactly one of SQLitePath and PostgresURL")
	case c.Workers < 0:
		return errors.New("jobs: Workers must not be negative")
	case c.RetryMax > 0 && c.RetryBase > c.RetryMax:
		return errors.New("jobs: RetryBase must not exceed RetryMax")
	}
	return nil
}

// client is what Queue uses of a River client; *river.Client[*sql.Tx] and
// *river.Client[pgx.Tx] both have it, which keeps River's transaction type
// parameter out of this package's API.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
}

// Queue is the job queue of one instance.
type Queue struct {
	cfg Config
	db  backend

	mu      sync.Mutex
	workers *river.Workers
	kinds   []string
	started bool
	inserts client // an insert-only client, from Open on
	runner  client // the working client, from Start to Stop
}

// Open connects to the configured database with a pool of the queue's own
// and applies River's migrations. It starts no work: register handlers
// with Handle, then call Start. Jobs may be enqueued from Open on.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	db, err := openBackend(ctx, cfg)
	if err != nil {
		return nil, err
	}
	q := &Queue{cfg: cfg, db: db, workers: river.NewWorkers()}
	if err := db.migrate(ctx, cfg.Log); err != nil {
		db.close()
		return nil, err
	}
	// Inserting needs no workers; this client never runs jobs.
	q.inserts, err = db.newClient(q.riverConfig(nil))
	if err != nil {
		db.close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

// Migrate applies River's migrations to the configured database and
// returns; `headline migrate` uses it.
func Migrate(ctx context.Context, cfg Config) error {
	q, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	return q.Close()
}

// Handle registers fn as the handler of jobs of T's kind, with the
// default options. See HandleWith.
func Handle[T Args](q *Queue, fn func(ctx context.Context, job *Job[T]) error) error {
	return HandleWith(q, HandleOpts{}, fn)
}

// HandleOpts tune one kind's handler.
type HandleOpts struct {
	// Timeout bounds one attempt: fn's ctx is cancelled then and the
	// attempt fails (0: one minute, River's default; negative: no limit).
	// Long work such as transcoding a video sets its own, under an hour:
	// River takes a job running longer than that for one whose instance
	// died, and hands it to another.
	Timeout time.Duration
}

// HandleWith registers fn as the handler of jobs of T's kind. It must be
// called before Start, once per kind. An error returned by fn (or a panic)
// fails the attempt: the job is retried after a backoff, and discarded with
// its errors kept after its last attempt. fn's ctx is cancelled when the
// queue stops hard or the attempt times out; fn should return then.
//
// River runs a job at least once: if an instance dies while running a job,
// the job runs again after River's rescue delay (an hour). Handlers whose
// effect must happen once make it idempotent (keyed writes).
func HandleWith[T Args](q *Queue, o HandleOpts, fn func(ctx context.Context, job *Job[T]) error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("jobs: Handle after Start")
	}
	if err := river.AddWorkerSafely(q.workers, &worker[T]{fn: fn, timeout: o.Timeout}); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	var zero T
	q.kinds = append(q.kinds, zero.Kind())
	return nil
}

// worker is a River worker calling a handler.
type worker[T Args] struct {
	river.WorkerDefaults[T]
	fn      func(ctx context.Context, job *Job[T]) error
	timeout time.Duration
}

func (w *worker[T]) Work(ctx context.Context, j *river.Job[T]) error {
	return w.fn(ctx, &Job[T]{ID: j.ID, Args: j.Args, Attempt: j.Attempt, MaxAttempts: j.MaxAttempts})
}

func (w *worker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout }

// Start begins working jobs of the registered kinds until Stop. A queue
// with no handlers only enqueues; Start is then a no-op.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("jobs: already started")
	}
	q.started = true
	if len(q.kinds) == 0 {
		return nil
	}
	c, err := q.db.newClient(q.riverConfig(q.workers))
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	// River's work outlives the caller's context: Stop ends it.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.runner = c
	return nil
}

// Stop stops taking jobs and waits for the running ones: each finishes,
// or, after StopTimeout, has its context cancelled and goes back to the
// queue to run again later. If ctx ends first, Stop cancels the running
// jobs at once and waits for them to return.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	c := q.runner
	q.runner = nil
	q.mu.Unlock()
	if c == nil {
		return nil
	}
	err := c.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		// The deadline came first: cancel what still runs, with a little
		// time of its own to hand the jobs back.
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if herr := c.StopAndCancel(hard); herr != nil {
			return fmt.Errorf("jobs: stop: %w", herr)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Close stops the queue if it runs and closes its connections.
func (q *Queue) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), q.cfg.StopTimeout+5*time.Second)
	defer cancel()
	err := q.Stop(ctx)
	q.db.close()
	return err
}

// EnqueueOpts are optional per-job settings; the zero value runs the job
// as soon as possible with the queue's MaxAttempts.
type EnqueueOpts struct {
	// At schedules the job for later (zero: now).
	At time.Time
	// MaxAttempts overrides the queue's for this job.
	MaxAttempts int
	// Unique makes Enqueue a no-op while a job of the same kind and args
	// exists that is waiting, running, retrying or completed (completed
	// jobs are kept for a day): an idempotent enqueue, e.g. "process media
	// 42" sent twice runs once.
	Unique bool
}

// Enqueued is what Enqueue did.
type Enqueued struct {
	ID        int64
	Duplicate bool // Unique was set and an equal job existed: nothing added
}

// Enqueue stores a job durably (committed before Enqueue returns) for any
// instance to run.
func (q *Queue) Enqueue(ctx context.Context, args Args, opts *EnqueueOpts) (Enqueued, error) {
	ro := &river.InsertOpts{}
	if opts != nil {
		ro.ScheduledAt = opts.At
		ro.MaxAttempts = opts.MaxAttempts
		ro.UniqueOpts.ByArgs = opts.Unique
	}
	q.mu.Lock()
	c := q.runner
	if c == nil {
		c = q.inserts
	}
	q.mu.Unlock()
	// The working client, when there is one, also wakes its own producer at
	// once instead of at the next poll.
	res, err := c.Insert(ctx, args, ro)
	if err != nil {
		return Enqueued{}, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return Enqueued{ID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}, nil
}

// riverConfig is River's configuration for this queue; workers nil makes
// an insert-only client.
func (q *Queue) riverConfig(workers *river.Workers) *river.Config {
	c := q.cfg
	rc := &river.Config{
		ID:                c.ID,
		Logger:            riverLogger(c.Log),
		MaxAttempts:       c.MaxAttempts,
		RetryPolicy:       backoff{base: c.RetryBase, max: c.RetryMax},
		FetchPollInterval: c.PollInterval,
		FetchCooldown:     min(100*time.Millisecond, c.PollInterval),
		SoftStopTimeout:   c.StopTimeout,
		Schema:            q.db.schema,
		// Any instance may enqueue a kind that its own build does not
		// handle (an older instance during a rolling upgrade).
		SkipUnknownJobCheck: true,
	}
	if workers != nil {
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: c.Workers}}
	}
	return rc
}

// riverLogger passes River's warnings and errors on: at info River logs
// every job it retries, which the admin page and metrics already show.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn}).With("component", "jobs")
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}
func (h levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(a), h.min}
}
func (h levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(n), h.min}
}
