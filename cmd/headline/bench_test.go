package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/loadtest"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// bench runs `headline bench args...` through run() and decodes its JSON
// report (the caller passes --format json).
func bench(t *testing.T, ctx context.Context, args ...string) (*loadtest.Report, string) {
	t.Helper()
	var out bytes.Buffer
	errOut := &syncBuffer{}
	if err := run(ctx, append([]string{"bench"}, args...), func(string) string { return "" }, nil, &out, errOut); err != nil {
		t.Fatalf("headline bench %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	var rep loadtest.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("bench output is not a JSON report: %v\n%s", err, out.String())
	}
	return &rep, errOut.String()
}

// commentsOnSite sums comments_count over every published post.
func commentsOnSite(t *testing.T, base string) int64 {
	t.Helper()
	var total int64
	cursor := ""
	for range 100 {
		_, page := apiDo(t, "GET", base+"/api/v1/posts?limit=100&cursor="+cursor, "", nil)
		for _, p := range page["posts"].([]any) {
			total += int64(p.(map[string]any)["comments_count"].(float64))
		}
		next, ok := page["next_cursor"].(string)
		if !ok {
			return total
		}
		cursor = next
	}
	t.Fatal("more than 100 pages of posts")
	return 0
}

func TestBenchAgainstDemoSite(t *testing.T) {
	// One load client from one IP posts far past the comment rate limits.
	s := startSite(t, "--demo", "--rate-limits=false")

	t.Run("mixed", func(t *testing.T) {
		before := commentsOnSite(t, s.URL)
		rep, _ := bench(t, context.Background(), "--url", s.URL, "--duration", "2s", "--scenario", "mixed", "--format", "json",
			"--pid", strconv.Itoa(os.Getpid()))
		names := map[string]loadtest.ScenarioResult{}
		for _, sr := range rep.Scenarios {
			names[sr.Name] = sr
			if sr.Requests == 0 || sr.Errors != 0 {
				t.Errorf("%s: %d requests, %d errors %v", sr.Name, sr.Requests, sr.Errors, sr.ErrorSamples)
			}
			if sr.VsStatic == nil || sr.Latency.P50 <= 0 || sr.Latency.P99 < sr.Latency.P50 || sr.Latency.Max < sr.Latency.P99 {
				t.Errorf("%s: ratio %v, latency %+v", sr.Name, sr.VsStatic, sr.Latency)
			}
		}
		for _, want := range []string{"static", "article", "home", "api-post", "comments", "thread", "comment"} {
			if _, ok := names[want]; !ok {
				t.Errorf("scenario %s did not run", want)
			}
		}
		if st := names["static"]; st.BytesPerReq < 12_000 {
			t.Errorf("static baseline is %.0f bytes per request; want the ~15 KB page", st.BytesPerReq)
		}
		c := names["comment"]
		if after := commentsOnSite(t, s.URL); after-before != c.Requests+c.WarmupRequests {
			t.Errorf("site has %d more comments; the bench posted %d (+%d in warm-up)", after-before, c.Requests, c.WarmupRequests)
		}
		if runtime.GOOS == "linux" && (rep.Server.PeakRSSBytes == nil || *rep.Server.PeakRSSBytes < 1<<20) {
			t.Errorf("peak RSS of --pid %d not reported: %v", os.Getpid(), rep.Server.PeakRSSBytes)
		}
		if rep.Interrupted || rep.StoppedBy != "duration" || rep.Machine.GoVersion == "" || rep.Machine.CPU == "" {
			t.Errorf("report: %+v", rep)
		}
	})

	t.Run("sequential to a file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "report.json")
		var out, errOut bytes.Buffer
		args := []string{"bench", "--url", s.URL, "--sequential", "--duration", "500ms", "--warmup", "0s",
			"--mix", "api-post=1,static=1", "--mode", "each", "--requests", "200", "--format", "json", "--out", path}
		if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errOut); err != nil || out.Len() != 0 {
			t.Fatalf("%v; stdout %q; stderr %s", err, out.String(), errOut.String())
		}
		raw, err := os.ReadFile(path)
		var rep loadtest.Report
		if err == nil {
			err = json.Unmarshal(raw, &rep)
		}
		if err != nil {
			t.Fatalf("--out %s: %v", path, err)
		}
		if rep.Concurrency != 1 || rep.Mode != loadtest.ModeEach || rep.Total.Requests == 0 || rep.Total.Requests > 200 || rep.Total.Errors != 0 {
			t.Errorf("concurrency %d, mode %s, %d requests, %d errors", rep.Concurrency, rep.Mode, rep.Total.Requests, rep.Total.Errors)
		}
	})

	t.Run("ctrl-c", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		errOut := &syncBuffer{}
		done := make(chan error, 1)
		before := commentsOnSite(t, s.URL)
		go func() {
			done <- run(ctx, []string{"bench", "--url", s.URL, "--duration", "5m", "--warmup", "0s", "--mode", "mix",
				"--mix", "comment=1,article=1", "--format", "json"}, func(string) string { return "" }, nil, &out, errOut)
		}()
		// Measuring is under way once comments appear on the site; with at
		// most 16 in flight, 20 new ones mean some answers were recorded.
		for deadline := time.Now().Add(60 * time.Second); commentsOnSite(t, s.URL) < before+20; {
			select {
			case err := <-done:
				t.Fatalf("bench returned before Ctrl-C: %v\n%s", err, errOut.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("the bench posted no comments within 60s:\n%s", errOut.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		stopped := time.Now()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("bench did not stop within 10s of Ctrl-C")
		}
		var rep loadtest.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("no report after Ctrl-C: %v\n%s", err, out.String())
		}
		if !rep.Interrupted || rep.Total.Requests == 0 || rep.ElapsedS > 60 {
			t.Errorf("interrupted %v after %.1fs with %d requests (stopped %v after cancel)", rep.Interrupted, rep.ElapsedS, rep.Total.Requests, time.Since(stopped))
		}
	})
}

// TestBenchRefusesOtherHosts: the target is checked before anything is
// set up, so a refused URL costs no connection, no lookup, no output.
// (loadtest's dialer test covers names that resolve elsewhere.)
func TestBenchRefusesOtherHosts(t *testing.T) {
	cases := []struct {
		args []string
		env  string
	}{
		{args: []string{"--url", "http://10.1.2.3:80"}},
		{args: []string{"--url", "http://example.com"}},
		{args: []string{"--url", "http://0.0.0.0:8080"}},
		{args: []string{"--url", "http://localhost.example.com:8080"}},
		{env: "http://192.168.0.1:8080"},                                      // from HEADLINE_BENCH_URL
		{args: []string{"--url", "http://127.0.0.1:8080,http://10.1.2.3:80"}}, // a second instance elsewhere
	}
	for _, c := range cases {
		getenv := func(k string) string {
			if k == "HEADLINE_BENCH_URL" {
				return c.env
			}
			return ""
		}
		var out, errOut bytes.Buffer
		start := time.Now()
		err := run(context.Background(), append([]string{"bench", "--duration", "1s"}, c.args...), getenv, nil, &out, &errOut)
		if !errors.Is(err, loadtest.ErrNotLoopback) {
			t.Errorf("bench %v (env %q): %v; want a loopback refusal", c.args, c.env, err)
		}
		if out.Len() != 0 || errOut.Len() != 0 || time.Since(start) > time.Second {
			t.Errorf("bench %v: took %v, printed %q %q", c.args, time.Since(start), out.String(), errOut.String())
		}
	}
}

func TestBenchRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--url", "http://127.0.0.1:1", "--serve-data", "x"},
		{"--url", "http://127.0.0.1:1", "--sequential", "--concurrency", "4"},
		{"--url", "http://127.0.0.1:1", "--mix", "article=1,timeline=1"}, // timeline without --token
		{"--url", "http://127.0.0.1:1", "--scenario", "social"},
		{"--url", "http://127.0.0.1:1", "--scenario", "everything"},
		{"--url", "http://127.0.0.1:1", "--duration", "11m"},
		{"--url", "http://127.0.0.1:1", "--requests", "0"},
		{"--url", "http://127.0.0.1:1", "--format", "yaml"},
		{"--url", "http://127.0.0.1:1", "--mode", "both"},
		{"--url", "http://127.0.0.1:1", "--serve-demo"},
		{"--serve-data", "x", "--pid", "1"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"bench"}, args...), func(string) string { return "" }, nil, &out, &errOut)
		if err == nil || strings.Contains(err.Error(), "connect") {
			t.Errorf("bench %v: %v; want a flag error before any request", args, err)
		}
	}
}

// TestBenchServeData builds the binary and runs the one-command form, in
// which bench starts and stops its own server and knows its PID.
func TestBenchServeData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "headline")
	if out, err := exec.Command(goTool, "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "bench", "--serve-data", filepath.Join(dir, "data"), "--serve-demo",
		"--duration", "1s", "--warmup", "0s", "--scenario", "read", "--concurrency", "4", "--format", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bench --serve-data: %v\n%s", err, stderr.String())
	}
	var rep loadtest.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, sr := range rep.Scenarios {
		if sr.Requests == 0 || sr.Errors != 0 {
			t.Errorf("%s: %d requests, %d errors %v", sr.Name, sr.Requests, sr.Errors, sr.ErrorSamples)
		}
	}
	if rep.Server.PID == 0 || (runtime.GOOS == "linux" && rep.Server.PeakRSSBytes == nil) {
		t.Errorf("server PID %d, peak RSS %v", rep.Server.PID, rep.Server.PeakRSSBytes)
	}
	if strings.Contains(stderr.String(), "Demo content added") || strings.Contains(string(out), "admin ") {
		t.Errorf("the child's demo passwords leaked into the output:\n%s", stderr.String())
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", rep.Server.PID)); runtime.GOOS == "linux" && err == nil {
		t.Errorf("server %d still running after bench returned", rep.Server.PID)
	}
}

// TestBenchSpreadsOverInstances: with two instances of one site (one
// PostgreSQL database), --url a,b sends the clients' requests to both.
func TestBenchSpreadsOverInstances(t *testing.T) {
	db := pgtest.Schema(t)
	a := startSite(t, "--demo", "--db", db)
	b := startSite(t, "--db", db)
	rep, _ := bench(t, context.Background(), "--url", a.URL+","+b.URL, "--duration", "1s", "--warmup", "0s", "--concurrency", "4",
		"--mix", "api-post=1,static=1", "--format", "json")
	if rep.Total.Requests == 0 || rep.Total.Errors != 0 {
		t.Fatalf("%d requests, %d errors", rep.Total.Requests, rep.Total.Errors)
	}
	for name, s := range map[string]*site{"A": a, "B": b} {
		_, metrics := get(t, s.URL+"/metrics")
		if !regexp.MustCompile(`headline_http_requests_total\{[^}]*route="GET /api/v1/posts/\{id\}"[^}]*\} [1-9]`).MatchString(metrics) {
			t.Errorf("instance %s served no API post requests", name)
		}
	}
}

// TestBenchSocialScenarios runs the signed-in readers' scenarios against a
// real site with two readers' tokens: timeline and headlines pages by
// cursor, likes and follows each taken back on the client's next turn.
func TestBenchSocialScenarios(t *testing.T) {
	// A load of one client machine: the site's per-reader limits would
	// answer most of it 429, as they should for real readers.
	s := startSite(t, "--demo", "--rate-limits=false")
	var tokens []string
	for _, h := range []string{"benchreader1", "benchreader2"} {
		s.cli(t, "correct horse battery\n", "account", "create", "--handle", h, "--name", h)
		tokens = append(tokens, lastWord(s.cli(t, "", "token", "create", "--handle", h)))
	}
	rep, _ := bench(t, context.Background(), "--url", s.URL, "--duration", "2s", "--warmup", "0s", "--concurrency", "4",
		"--scenario", "social", "--token", strings.Join(tokens, ","), "--format", "json")
	seen := map[string]bool{}
	for _, sr := range rep.Scenarios {
		seen[sr.Name] = true
		if sr.Requests == 0 || sr.Errors != 0 {
			t.Errorf("%s: %d requests, %d errors %v", sr.Name, sr.Requests, sr.Errors, sr.ErrorSamples)
		}
	}
	for _, want := range []string{"timeline", "headlines", "like", "follow", "static"} {
		if !seen[want] {
			t.Errorf("scenario %s did not run", want)
		}
	}
	// Each client leaves at most one like and one follow standing.
	for _, tok := range tokens {
		_, me := apiDo(t, "GET", s.URL+"/api/v1/me", tok, nil)
		if n, ok := me["following_count"].(float64); !ok || n > 2 {
			t.Errorf("a reader of 2 clients still follows %v accounts after the run", n)
		}
	}
}
