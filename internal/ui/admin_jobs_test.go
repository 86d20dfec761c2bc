package ui_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/ui"
)

type posterArgs struct {
	MediaID int64 `json:"media_id"`
}

func (posterArgs) Kind() string { return "test_poster" }

// TestAdminJobs: /admin/jobs is for admins only, and shows a real queue's
// counts, a discarded job with its error and attempts (escaped), and the
// capabilities the server was given.
func TestAdminJobs(t *testing.T) {
	ctx := context.Background()
	q, err := jobs.Open(ctx, jobs.Config{SQLitePath: filepath.Join(t.TempDir(), "jobs.db"),
		PollInterval: 20 * time.Millisecond, RetryBase: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	if err := jobs.Handle(q, func(ctx context.Context, j *jobs.Job[posterArgs]) error {
		if j.Args.MediaID == 13 {
			return errors.New(`ffmpeg exited 1: <script>alert("x")</script>`)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2, 13} {
		if _, err := q.Enqueue(ctx, posterArgs{MediaID: id}, &jobs.EnqueueOpts{MaxAttempts: 2}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		o, err := q.Overview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Failures) == 1 && o.Failures[0].State == "discarded" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the failing job was not discarded: %+v", o)
		}
		time.Sleep(10 * time.Millisecond)
	}

	e := newEnvWith(t, func(d *ui.Deps) {
		d.Jobs = q
		d.Capabilities = []jobs.Capability{{Name: "ffmpeg", Note: "not found — videos play without posters"}, {Name: "ffprobe", OK: true}}
	})
	e.account("root", "Root", news.RoleAdmin)
	e.account("wei", "Wei", news.RoleReader)
	guest, reader, admin := e.browser(), e.browser(), e.browser()
	reader.signIn("wei")
	admin.signIn("root")

	r := guest.get("/admin/jobs")
	wantStatus(t, r, http.StatusSeeOther)
	if !strings.HasPrefix(r.Location(), "/signin") {
		t.Errorf("guest sent to %q, want the sign-in page", r.Location())
	}
	r = reader.get("/admin/jobs")
	wantStatus(t, r, http.StatusForbidden)
	if contains(r.body, "ffmpeg") {
		t.Error("a reader sees the job page")
	}

	r = admin.get("/admin/jobs")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{
		"ffmpeg: missing — not found — videos play without posters",
		"ffprobe: available",
		// kind, then available scheduled pending running retryable completed discarded cancelled
		"test_poster 0 0 0 0 0 2 1 0",
		`test_poster gave up 2 of 2 ffmpeg exited 1: <script>alert("x")</script>`,
	} {
		if !contains(r.body, want) {
			t.Errorf("admin page lacks %q:\n%s", want, text(r.body))
		}
	}
	assertSafe(t, "/admin/jobs", r.body)
	if !contains(admin.get("/admin").body, "Background jobs") {
		t.Error("/admin does not link to the job page")
	}
}

// TestAdminJobsWithoutQueue: with no queue the page says so, and still
// lists the capabilities.
func TestAdminJobsWithoutQueue(t *testing.T) {
	e := newEnvWith(t, func(d *ui.Deps) {
		d.Capabilities = []jobs.Capability{{Name: "ffmpeg", OK: true, Note: "7.1"}}
	})
	e.account("root", "Root", news.RoleAdmin)
	admin := e.browser()
	admin.signIn("root")
	r := admin.get("/admin/jobs")
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "The job queue is not running in this server.") || !contains(r.body, "ffmpeg: available — 7.1") {
		t.Errorf("page:\n%s", text(r.body))
	}
}
