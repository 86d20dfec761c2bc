package jobs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/headline/headline/internal/jobs"
)

// TestMetrics: /metrics of a registry holding the queue shows every
// state of every registered kind — zeros included — read from the
// database at scrape time.
func TestMetrics(t *testing.T) {
	each(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		q := open(t, d.fast("metrics"))
		if err := jobs.Handle(q, func(ctx context.Context, j *jobs.Job[flakyArgs]) error {
			if j.Args.Succeed == 0 {
				return errors.New("no")
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := jobs.Handle(q, func(context.Context, *jobs.Job[effectArgs]) error { return nil }); err != nil {
			t.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(q)
		srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		defer srv.Close()
		scrape := func() string {
			res, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}

		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		for _, a := range []flakyArgs{{Name: "a", Succeed: 1}, {Name: "b", Succeed: 1}, {Name: "c"}} {
			if _, err := q.Enqueue(ctx, a, &jobs.EnqueueOpts{MaxAttempts: 1}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := q.Enqueue(ctx, effectArgs{Key: "later"}, &jobs.EnqueueOpts{At: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		want := []string{
			`headline_jobs{kind="test_flaky",state="completed"} 2`,
			`headline_jobs{kind="test_flaky",state="discarded"} 1`,
			`headline_jobs{kind="test_flaky",state="running"} 0`,
			`headline_jobs{kind="test_effect",state="scheduled"} 1`,
			`headline_jobs{kind="test_effect",state="completed"} 0`,
			`headline_jobs_scrape_error 0`,
		}
		var page string
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("last scrape:\n%s", page)
			}
		})
		waitFor(t, 20*time.Second, "the counts on /metrics", func() bool {
			page = scrape()
			for _, w := range want {
				if !strings.Contains(page, w) {
					return false
				}
			}
			return true
		})
	})
}
