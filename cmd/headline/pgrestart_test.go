package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestPostgresRestartWhileServing stops PostgreSQL under a running server
// with clients posting comments, and starts it again: during the outage
// every request is answered 503 (never 500, never a hang) and /readyz says
// not ready; afterwards the same server process works again on its own,
// and every comment that was acknowledged, before or after, is stored.
// The database is a cluster of the test's own, so that the shared server
// the other tests use is never stopped.
func TestPostgresRestartWhileServing(t *testing.T) {
	cluster := pgtest.NewCluster(t)
	bin := buildHeadline(t)
	dir := t.TempDir()
	dbArgs := []string{"--db", cluster.URL()}
	token := binaryPublisherToken(t, bin, dir, dbArgs)
	srv := startBinary(t, bin, dir, dbArgs)
	code, post := apiDo(t, "POST", srv.url+"/api/v1/posts", token, map[string]any{"title": "Restart", "body": "The database goes away."})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/posts: %d %v", code, post)
	}
	postID := int64(post["id"].(float64))
	page := post["url"].(string)

	w := startWriters(srv.url, postID, 8)
	waitFor(t, "comments acknowledged before the outage", func() bool { return w.count(http.StatusCreated) >= 20 })
	before := w.count(http.StatusCreated)

	cluster.Stop()
	time.Sleep(500 * time.Millisecond)
	for _, u := range []string{"/readyz", fmt.Sprintf("/api/v1/posts/%d", postID), page} {
		if !strings.HasPrefix(u, "http") {
			u = srv.url + u
		}
		start := time.Now()
		code, body := get(t, u)
		if code != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the database down: %d, want 503\n%.300s", u, code, body)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("GET %s with the database down took %v", u, d)
		}
	}
	code, body := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/posts/%d", srv.url, postID), "", nil)
	if e, _ := body["error"].(map[string]any); code != 503 || e["code"] != "unavailable" {
		t.Errorf("API error with the database down: %d %v", code, body)
	}
	if resp, err := http.Get(fmt.Sprintf("%s/api/v1/posts/%d", srv.url, postID)); err != nil || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a 503 without Retry-After (%v)", err)
	} else {
		resp.Body.Close()
	}
	waitFor(t, "writes refused with 503 during the outage", func() bool { return w.count(http.StatusServiceUnavailable) > 0 })

	cluster.Start()
	waitFor(t, "the server working again after the database came back", func() bool {
		c, _ := get(t, srv.url+"/readyz")
		return c == http.StatusOK && w.count(http.StatusCreated) > before+20
	})
	acked, codes := w.stop()
	t.Logf("answers: %v; %d comments acknowledged", codes, len(acked))
	for c, n := range codes {
		if c != http.StatusCreated && c != http.StatusServiceUnavailable && c != http.StatusTooManyRequests {
			t.Errorf("%d answers with status %d; want only 201, 503 (and 429)", n, c)
		}
	}
	// Requests the clients gave up on at stop may still commit on the
	// server: wait until the count holds still before comparing.
	count := func() int {
		_, p := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/posts/%d", srv.url, postID), "", nil)
		return int(p["comments_count"].(float64))
	}
	for last, deadline := -1, time.Now().Add(10*time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		n := count()
		if n == last {
			break
		}
		last = n
	}
	stored := listCommentIDs(t, srv.url, postID)
	for _, id := range acked {
		if !stored[id] {
			t.Errorf("acknowledged comment %d is gone after the database restart", id)
		}
	}
	if n := count(); n != len(stored) {
		t.Errorf("comments_count %d, but %d comments stored", n, len(stored))
	}
}

// writers are clients posting comments until stopped, counting answers by
// status and keeping the ids acknowledged.
type writers struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	codes  map[int]int
	acked  []int64
}

func startWriters(base string, postID int64, clients int) *writers {
	ctx, cancel := context.WithCancel(context.Background())
	w := &writers{cancel: cancel, codes: map[int]int{}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	for c := range clients {
		w.wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				id, code, err := postComment(ctx, client, base, postID, fmt.Sprintf("restart c%d n%d", c, i))
				if err != nil {
					continue // cut off by stop
				}
				w.mu.Lock()
				w.codes[code]++
				if code == http.StatusCreated {
					w.acked = append(w.acked, id)
				}
				w.mu.Unlock()
				if code != http.StatusCreated {
					time.Sleep(20 * time.Millisecond) // as a client backing off would
				}
			}
		})
	}
	return w
}

func (w *writers) count(code int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.codes[code]
}

func (w *writers) stop() ([]int64, map[int]int) {
	w.cancel()
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.acked, w.codes
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
