package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/postgres/pgtest"

	_ "modernc.org/sqlite"
)

// probeArgs is the test's job: note which instance ran job N.
type probeArgs struct {
	N int `json:"n"`
}

func (probeArgs) Kind() string { return "e2e_probe" }

// probeRuns records which instance ran which job.
type probeRuns struct {
	mu   sync.Mutex
	runs map[int][]string
}

func (p *probeRuns) options(name string, queue **jobs.Queue) serveOptions {
	return serveOptions{registerJobs: func(q *jobs.Queue) error {
		*queue = q
		return jobs.Handle(q, func(ctx context.Context, j *jobs.Job[probeArgs]) error {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.runs[j.Args.N] = append(p.runs[j.Args.N], name)
			return nil
		})
	}}
}

// TestJobsRunOnceAcrossInstances starts two servers on one database, each
// with the same job handler; jobs enqueued through the first instance's
// queue each run exactly once, on one of them. The second instance's
// /metrics and /admin/jobs show them completed (they read the shared
// table).
func TestJobsRunOnceAcrossInstances(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		db := pgtest.Schema(t)
		testJobsTwoInstances(t, []string{"--db", db}, []string{"--db", db})
	})
	t.Run("sqlite", func(t *testing.T) {
		// The second server opens the first one's data folder: two
		// processes' worth of writers on one file.
		testJobsTwoInstances(t, nil, nil)
	})
}

func testJobsTwoInstances(t *testing.T, argsA, argsB []string) {
	const n = 40
	runs := &probeRuns{runs: map[int][]string{}}
	var qa, qb *jobs.Queue
	a := startSiteWith(t, runs.options("a", &qa), argsA...)
	if argsB == nil {
		argsB = []string{"--data", a.DataDir}
	}
	b := startSiteWith(t, runs.options("b", &qb), argsB...)
	for i := range n {
		if _, err := qa.Enqueue(context.Background(), probeArgs{N: i}, nil); err != nil {
			t.Fatal(err)
		}
	}

	want := fmt.Sprintf(`headline_jobs{kind="e2e_probe",state="completed"} %d`, n)
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, metrics := get(t, b.URL+"/metrics")
		if strings.Contains(metrics, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance B's /metrics never showed %q:\n%s", want, grepLines(metrics, "headline_jobs"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	runs.mu.Lock()
	byInstance := map[string]int{}
	for i := range n {
		if len(runs.runs[i]) != 1 {
			t.Errorf("job %d ran %d times (%v), want once", i, len(runs.runs[i]), runs.runs[i])
		}
		for _, who := range runs.runs[i] {
			byInstance[who]++
		}
	}
	runs.mu.Unlock()
	t.Logf("jobs run by instance: %v", byInstance)

	a.cli(t, "correct horse battery\n", append([]string{"account", "create", "--handle", "root", "--name", "Root", "--role", "admin"}, argsA...)...)
	page := getWith(t, b.URL+"/admin/jobs", signIn(t, b.URL, "root", "correct horse battery"))
	if !strings.Contains(page, "e2e_probe") || !strings.Contains(page, "No failed jobs.") {
		t.Errorf("instance B's /admin/jobs:\n%s", page)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestMigrateAppliesJobTables: `headline migrate` creates the job queue's
// tables too, so a queue opened later has nothing to migrate.
func TestMigrateAppliesJobTables(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--data", dir}, func(string) string { return "" }, nil, &out, &errOut); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut.String())
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var versions, jobsRows int
	if err := db.QueryRow(`SELECT count(*) FROM river_migration`).Scan(&versions); err != nil {
		t.Fatalf("no river_migration table after migrate: %v", err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM river_job`).Scan(&jobsRows); err != nil {
		t.Fatalf("no river_job table after migrate: %v", err)
	}
	if versions == 0 {
		t.Error("migrate recorded no job queue migrations")
	}
}
