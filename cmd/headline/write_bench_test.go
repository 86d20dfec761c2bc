package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// BenchmarkCommentWrites measures acknowledged comment posts through the
// HTTP API (the handler stack of `headline serve`, on a real SQLite file
// with synchronous=FULL), with group commit on and off in the same run:
//
//	go test -run '^$' -bench CommentWrites -benchtime 5s ./cmd/headline
//
// parallel64 is 64 concurrent clients (b.SetParallelism); sequential is one
// client waiting for each answer. The clients run in this process, on the
// same cores as the server. Reported: comments/s, and p50/p99 latency in
// milliseconds as the client sees it.
func BenchmarkCommentWrites(b *testing.B) {
	for _, mode := range []struct {
		name     string
		maxBatch int
	}{{"grouped", 0}, {"ungrouped", 1}} {
		b.Run(mode.name+"/parallel64", func(b *testing.B) {
			base, postID, st := benchSite(b, mode.maxBatch)
			before := st.CommitStats()
			benchParallel(b, base, postID, 64)
			reportBatches(b, before, st.CommitStats())
		})
		b.Run(mode.name+"/sequential", func(b *testing.B) {
			base, postID, _ := benchSite(b, mode.maxBatch)
			benchSequential(b, base, postID)
		})
	}
}

// benchSite serves newHandler over a fresh SQLite file and returns its URL
// and a published post to comment on.
func benchSite(b *testing.B, maxBatch int) (string, int64, *sqlite.Store) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.OpenWith(ctx, filepath.Join(b.TempDir(), "headline.db"), sqlite.Options{MaxBatch: maxBatch})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	a := &news.Account{Handle: "desk", Name: "Desk", Role: news.RolePublisher}
	if err := st.CreateAccount(ctx, a, ""); err != nil {
		b.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "Bench", Slug: "bench", BodyHTML: "<p>x</p>",
		Status: news.PostPublished, PublishedAt: time.Now().Add(-time.Minute)}
	if err := st.CreatePost(ctx, p); err != nil {
		b.Fatal(err)
	}
	// As serve logs: info level, one line a request (to nowhere here).
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	h, err := newHandler(DefaultConfig(), st, newServices(st), log)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv.URL, p.ID, st
}

// reportBatches reports how many writes shared a transaction on average:
// near 1, group commit found nothing to group.
func reportBatches(b *testing.B, before, after sqlite.CommitStats) {
	if tx := after.Transactions - before.Transactions; tx > 0 {
		b.ReportMetric(float64(after.Writes-before.Writes)/float64(tx), "writes/tx")
	}
}

// commentPoster posts guest comments over one keep-alive client.
type commentPoster struct {
	client *http.Client
	url    string
}

func newPoster(base string, postID int64, conns int) *commentPoster {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}
	return &commentPoster{client: &http.Client{Transport: tr}, url: fmt.Sprintf("%s/api/v1/posts/%d/comments", base, postID)}
}

// post sends one comment and returns how long the 201 took.
func (p *commentPoster) post(b *testing.B, n int) time.Duration {
	body := fmt.Appendf(nil, `{"body":"Comment number %d, with a few words of text.","name":"Guest","email":"g@example.com"}`, n)
	start := time.Now()
	resp, err := p.client.Post(p.url, "application/json", bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b.Errorf("POST comment: status %d", resp.StatusCode)
	}
	return time.Since(start)
}

func benchParallel(b *testing.B, base string, postID int64, clients int) {
	poster := newPoster(base, postID, clients)
	// RunParallel starts parallelism × GOMAXPROCS goroutines.
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((clients + procs - 1) / procs)
	var mu sync.Mutex
	var all []time.Duration
	var seq sync.Mutex
	next := 0
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var lat []time.Duration
		for pb.Next() {
			seq.Lock()
			next++
			n := next
			seq.Unlock()
			lat = append(lat, poster.post(b, n))
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	report(b, all, time.Since(start))
}

func benchSequential(b *testing.B, base string, postID int64) {
	poster := newPoster(base, postID, 1)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		lat = append(lat, poster.post(b, i))
	}
	report(b, lat, time.Since(start))
}

func report(b *testing.B, lat []time.Duration, elapsed time.Duration) {
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "comments/s")
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}
