package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer the server writes to while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// site is a running `headline serve` started through run(), as a person
// would start the binary.
type site struct {
	URL     string
	DataDir string
	Stdout  *syncBuffer
}

var listeningRe = regexp.MustCompile(`listening on (http://\S+)`)

// startSite runs `headline serve --addr 127.0.0.1:0 --data DIR [extra...]`
// and waits until /healthz answers. The server stops when the test ends.
func startSite(t *testing.T, extra ...string) *site {
	t.Helper()
	return startSiteWith(t, serveOptions{}, extra...)
}

// startSiteWith is startSite with test additions to the server.
func startSiteWith(t *testing.T, opts serveOptions, extra ...string) *site {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn"}, extra...)
	done := make(chan error, 1)
	go func() { done <- runServeWith(ctx, args[1:], func(string) string { return "" }, out, errOut, opts) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v; stderr:\n%s", err, errOut.String())
			}
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not shut down within 20s")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\nstderr:\n%s", err, errOut.String())
		default:
		}
		if m := listeningRe.FindStringSubmatch(out.String()); m != nil {
			if resp, err := http.Get(m[1] + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return &site{URL: m[1], DataDir: dir, Stdout: out}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	return nil
}

// cli runs a headline subcommand against the site's data folder.
func (s *site) cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	var in io.Reader
	if stdin != "" {
		in = strings.NewReader(stdin)
	}
	args = append(args, "--data", s.DataDir)
	if err := run(context.Background(), args, func(string) string { return "" }, in, &out, &errOut); err != nil {
		t.Fatalf("headline %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func apiDo(t *testing.T, method, u, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: status %d, body not JSON: %s", method, u, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// TestServeDemoEndToEnd starts the site as the README says, with demo
// content, and walks the story: an official newspaper publishes through the
// API with a token made at the command line, a guest comments, and the
// guest's email appears nowhere on the site.
func TestServeDemoEndToEnd(t *testing.T) {
	s := startSite(t, "--demo")
	if !strings.Contains(s.Stdout.String(), "Demo content added") {
		t.Fatalf("serve --demo did not report demo content:\n%s", s.Stdout.String())
	}
	code, home := get(t, s.URL+"/")
	if code != 200 || !strings.Contains(home, "The Daily Harbor") {
		t.Fatalf("home: status %d, no demo newspaper in page", code)
	}

	out := s.cli(t, "correct horse battery\n", "account", "create", "--handle", "globalnews", "--name", "Global News", "--role", "publisher", "--official", "Newspaper")
	if !strings.Contains(out, "Created @globalnews (publisher, official: Newspaper)") {
		t.Fatalf("account create said: %q", out)
	}
	fields := strings.Fields(s.cli(t, "", "token", "create", "--handle", "globalnews"))
	token := fields[len(fields)-1]

	code, post := apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{
		"title": "Harbour ferries return", "body": "The **ferries** are back.", "lang": "en", "tags": []string{"city"},
		"source_name": "Coastal Wire", "source_url": "https://example.org/ferries",
	})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/posts: %d %v", code, post)
	}
	postURL, _ := post["url"].(string)
	id := int64(post["id"].(float64))

	const email = "secret-guest-7731@example.com"
	code, c := apiDo(t, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", s.URL, id), "", map[string]any{
		"body": "Glad to hear it.", "name": "Wei", "email": email, "website": "https://wei.example.org",
	})
	if code != http.StatusCreated {
		t.Fatalf("guest comment: %d %v", code, c)
	}

	u, err := url.Parse(postURL)
	if err != nil || u.Path == "" {
		t.Fatalf("post url %q", postURL)
	}
	code, page := get(t, s.URL+u.EscapedPath())
	for _, want := range []string{"Harbour ferries return", "<strong>ferries</strong>", "Coastal Wire", "Newspaper", "Glad to hear it.", "Wei"} {
		if !strings.Contains(page, want) {
			t.Errorf("article page (status %d) lacks %q", code, want)
		}
	}
	for _, p := range crawl(t, s.URL, 200) {
		if strings.Contains(p.body, email) {
			t.Errorf("guest email appears in %s", p.url)
		}
	}

	if code, body := get(t, s.URL+"/readyz"); code != 200 {
		t.Errorf("/readyz: %d %s", code, body)
	}
	// Requests are counted by the route they matched, not by raw path.
	_, metrics := get(t, s.URL+"/metrics")
	for _, want := range []string{
		`headline_http_requests_total{code="200",method="GET",route="GET /{seg}/{slug}"}`,
		`headline_http_requests_total{code="201",method="POST",route="POST /api/v1/posts/{id}/comments"}`,
		`headline_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/posts/{id}",le="0.005"}`,
		`go_sql_open_connections{db_name="sqlite_writer"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(metrics, email) || strings.Contains(metrics, "ferries-return") {
		t.Error("/metrics labels carry raw paths or private data")
	}
}

type crawled struct{ url, body string }

var hrefRe = regexp.MustCompile(`href="(/[^"#]*)`)

// crawl follows same-site links from / (and the API's post lists) breadth
// first, up to max pages, and returns every body it fetched.
func crawl(t *testing.T, base string, max int) []crawled {
	t.Helper()
	seen := map[string]bool{}
	queue := []string{"/", "/api/v1/posts", "/api/v1/openapi.json"}
	var out []crawled
	for len(queue) > 0 && len(out) < max {
		p := queue[0]
		queue = queue[1:]
		if seen[p] || strings.HasPrefix(p, "/static/") {
			continue
		}
		seen[p] = true
		_, body := get(t, base+strings.ReplaceAll(p, "&amp;", "&"))
		out = append(out, crawled{p, body})
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			queue = append(queue, m[1])
		}
		for _, m := range regexp.MustCompile(`"id":(\d+)`).FindAllStringSubmatch(body, -1) {
			if strings.HasPrefix(p, "/api/v1/posts") && !strings.Contains(p, "comments") {
				queue = append(queue, "/api/v1/posts/"+m[1], "/api/v1/posts/"+m[1]+"/comments")
			}
		}
	}
	if len(out) < 10 {
		t.Fatalf("crawl reached only %d pages", len(out))
	}
	return out
}

func TestServeRefusesBadConfigWithOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "nonsense"},
		{"serve", "--db", "postgres://user:hunter2@127.0.0.1:1/x"},
		{"serve", "--log-level", "loud"},
		{"frobnicate"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, "--data", t.TempDir()), func(string) string { return "" }, nil, &out, &errOut)
		if err == nil {
			t.Errorf("run %v succeeded", args)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "\n") {
			t.Errorf("run %v: error %q leaks a password or spans lines", args, err)
		}
	}
}
