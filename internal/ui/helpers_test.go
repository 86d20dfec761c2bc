package ui_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a UI over a real SQLite file, served by httptest.
type env struct {
	t        testing.TB
	clock    *clock
	accounts *accounts.Service
	posts    *publishing.Service
	comments *discussion.Service
	srv      *httptest.Server

	engagement *engagement.Service // set by the envs that have one
}

func newEnv(t *testing.T) *env {
	return newEnvWith(t, func(*ui.Deps) {})
}

func newEnvWith(t *testing.T, tweak func(*ui.Deps)) *env {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	st.Now = clk.Now
	e := &env{t: t, clock: clk, accounts: accounts.New(st, clk.Now), posts: publishing.New(st, clk.Now),
		comments: discussion.New(st, clk.Now)}
	d := ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler)}
	tweak(&d)
	h, err := ui.New(d)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

const testPassword = "correct horse battery"

// account creates an account with a role directly through the service.
func (e *env) account(handle, name string, role news.Role) *news.Account {
	e.t.Helper()
	a, err := e.accounts.Create(context.Background(), accounts.NewAccount{Handle: handle, Name: name, Password: testPassword, Role: role})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// publish writes a published post through the service.
func (e *env) publish(author *news.Account, title, body string) *news.Post {
	e.t.Helper()
	p, err := e.posts.Publish(context.Background(), author, publishing.Input{Title: title, Body: body})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// browser is one person's client: its own cookie jar, no redirects
// followed, so tests see every 303.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// resp is a read response.
type resp struct {
	*http.Response
	body string
}

// Location is the redirect target as a path.
func (r *resp) Location() string { return r.Header.Get("Location") }

func (b *browser) do(req *http.Request) *resp {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return &resp{Response: res, body: string(body)}
}

func (b *browser) get(path string) *resp {
	b.e.t.Helper()
	req, err := http.NewRequest("GET", b.e.srv.URL+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values, headers ...string) *resp {
	b.e.t.Helper()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// signIn signs the browser in through the form.
func (b *browser) signIn(handle string) {
	b.e.t.Helper()
	r := b.post("/signin", url.Values{"handle": {handle}, "password": {testPassword}})
	if r.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("sign in %s: status %d\n%s", handle, r.StatusCode, r.body)
	}
}

func wantStatus(t *testing.T, r *resp, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.body)
	}
}

var (
	inlineTagRe = regexp.MustCompile(`</?(a|span|strong|em|b|i|time|button|label)\b[^>]*>`)
	tagRe       = regexp.MustCompile(`<[^>]*>`)
)

// text is the text content of an HTML page, with spaces collapsed: inline
// tags vanish, other tags separate words.
func text(page string) string {
	s := tagRe.ReplaceAllString(inlineTagRe.ReplaceAllString(page, ""), " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// contains reports whether the text content of page contains s, with
// spaces collapsed on both sides.
func contains(page, s string) bool {
	return strings.Contains(text(page), strings.Join(strings.Fields(s), " "))
}

// assertSafe fails when page holds markup a payload could have injected.
func assertSafe(t *testing.T, what, page string) {
	t.Helper()
	low := strings.ToLower(page)
	for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`, "href=javascript:", "</textarea><script"} {
		if strings.Contains(low, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
}
