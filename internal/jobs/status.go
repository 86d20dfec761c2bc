package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// States are the job states in the order the admin page shows them:
// waiting (available, scheduled for later, pending), running, retrying
// after a failure, then final (completed, discarded after the last
// attempt, cancelled).
var States = []string{"available", "scheduled", "pending", "running", "retryable", "completed", "discarded", "cancelled"}

// Count is how many jobs of one kind are in one state.
type Count struct {
	Kind  string
	State string
	N     int64
}

// Failure is a job that failed its last attempt: discarded after its last
// attempt, or waiting to be retried.
type Failure struct {
	ID          int64
	Kind        string
	State       string // "discarded" or "retryable"
	Attempt     int
	MaxAttempts int
	Error       string    // the last attempt's error
	At          time.Time // when the last attempt failed
	NextAt      time.Time // the next attempt (retryable only)
}

// Capability is something the background work needs from the machine,
// e.g. {"ffmpeg", false, "not found — videos play without posters"}.
// The serve command fills them; the admin page lists them.
type Capability struct {
	Name string
	OK   bool
	Note string
}

// Overview is the queue at one moment, for /admin/jobs.
type Overview struct {
	Backend  string  // "sqlite" or "postgres"
	Counts   []Count // every kind × state present, kinds sorted
	Failures []Failure
}

// maxFailures is how many recent failures Overview lists.
const maxFailures = 20

// Overview reads the counts by kind and state and the most recent
// failures.
func (q *Queue) Overview(ctx context.Context) (Overview, error) {
	counts, err := q.counts(ctx)
	if err != nil {
		return Overview{}, err
	}
	fails, err := q.failures(ctx)
	if err != nil {
		return Overview{}, err
	}
	return Overview{Backend: q.db.name, Counts: counts, Failures: fails}, nil
}

// counts is the one grouped query over River's job table. It counts
// every row: River deletes completed jobs after a day, discarded and
// cancelled ones after a week, so the table holds about a day of work.
func (q *Queue) counts(ctx context.Context) ([]Count, error) {
	rows, err := q.db.query(ctx, `SELECT kind, state, count(*) FROM river_job GROUP BY kind, state`)
	if err != nil {
		return nil, fmt.Errorf("jobs: count: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Kind, &c.State, &c.N); err != nil {
			return nil, fmt.Errorf("jobs: count: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("jobs: count: %w", err)
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		return slices.Index(States, a.State) - slices.Index(States, b.State)
	})
	return out, nil
}

// failures lists the newest discarded and retrying jobs through River,
// which decodes each database's error column.
func (q *Queue) failures(ctx context.Context) ([]Failure, error) {
	params := river.NewJobListParams().
		States(rivertype.JobStateDiscarded, rivertype.JobStateRetryable).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).
		First(maxFailures)
	res, err := q.inserts.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("jobs: list failures: %w", err)
	}
	out := make([]Failure, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		f := Failure{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts}
		if n := len(j.Errors); n > 0 {
			f.Error, f.At = j.Errors[n-1].Error, j.Errors[n-1].At
		}
		if j.State == rivertype.JobStateRetryable {
			f.NextAt = j.ScheduledAt
		}
		out = append(out, f)
	}
	return out, nil
}

var jobsDesc = prometheus.NewDesc("headline_jobs",
	"Background jobs in the queue's table by kind and state (available, scheduled, pending, running, retryable, completed, discarded, cancelled), read at scrape time.",
	[]string{"kind", "state"}, nil)

var scrapeErrDesc = prometheus.NewDesc("headline_jobs_scrape_error",
	"1 if reading the job counts failed at this scrape, else 0.", nil, nil)

// Describe implements prometheus.Collector.
func (q *Queue) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
	ch <- scrapeErrDesc
}

// Collect implements prometheus.Collector: one grouped query per scrape.
// Every state of every kind seen or registered is reported, zeros
// included, so that a count falling to zero reads as 0 rather than as a
// series that vanished.
func (q *Queue) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := q.counts(ctx)
	if err != nil {
		q.cfg.Log.Warn("jobs metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, 0)
	n := map[[2]string]int64{}
	q.mu.Lock()
	kinds := slices.Clone(q.kinds)
	q.mu.Unlock()
	for _, c := range counts {
		n[[2]string{c.Kind, c.State}] = c.N
		kinds = append(kinds, c.Kind)
	}
	slices.Sort(kinds)
	for _, k := range slices.Compact(kinds) {
		for _, s := range States {
			ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(n[[2]string{k, s}]), k, s)
		}
	}
}
