package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
)

// Private values the tests send; no response body may ever contain them.
const (
	guestEmail     = "guest-secret-7f3a@example.org"
	publisherEmail = "publisher-secret-91c2@example.org"
	readerEmail    = "reader-secret-55de@example.org"
	clientIP       = "203.0.113.77"
	clientUA       = "LeakCheckAgent/9.9"
	testBase       = "https://news.example"
)

// clock is a test clock that the services, the store and the API share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an API over a real SQLite file, with a controlled clock, that
// keeps every response body it produced.
type env struct {
	t        *testing.T
	h        http.Handler
	srv      *server
	clock    *clock
	accounts *accounts.Service

	mu     sync.Mutex
	bodies [][]byte
}

func newEnv(t *testing.T, baseURL string) *env {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	clk := &clock{t: time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)}
	store.Now = clk.Now
	acc := accounts.New(store, clk.Now)
	h := New(Deps{
		Accounts: acc,
		Posts:    publishing.New(store, clk.Now),
		Comments: discussion.New(store, clk.Now),
		Log:      slog.New(slog.DiscardHandler),
		BaseURL:  baseURL,
		Now:      clk.Now,
	})
	return &env{t: t, h: h, srv: h.(*server), clock: clk, accounts: acc}
}

// account creates an account and returns an API token for it.
func (e *env) account(handle string, role news.Role, email, official string) string {
	e.t.Helper()
	ctx := context.Background()
	_, err := e.accounts.Create(ctx, accounts.NewAccount{Handle: handle, Name: "Name of " + handle, Email: email,
		Password: "correct horse battery", Role: role, Official: official})
	if err != nil {
		e.t.Fatalf("create account %s: %v", handle, err)
	}
	token, err := e.accounts.CreateToken(ctx, handle, "test")
	if err != nil {
		e.t.Fatalf("create token %s: %v", handle, err)
	}
	return token
}

// resp is a recorded response.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r resp) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.Body)
	}
	return v
}

// req describes one request; zero fields take defaults.
type req struct {
	Method      string
	Path        string
	Token       string // "" for none
	Auth        string // a raw Authorization header, overriding Token
	ContentType string // default application/json when there is a body
	Body        string
}

func (e *env) do(q req) resp {
	e.t.Helper()
	var body io.Reader
	if q.Body != "" {
		body = strings.NewReader(q.Body)
	}
	r := httptest.NewRequest(q.Method, q.Path, body)
	r.RemoteAddr = clientIP + ":4242"
	r.Header.Set("User-Agent", clientUA)
	if q.Body != "" {
		ct := q.ContentType
		if ct == "" {
			ct = "application/json"
		}
		r.Header.Set("Content-Type", ct)
	}
	switch {
	case q.Auth != "":
		r.Header.Set("Authorization", q.Auth)
	case q.Token != "":
		r.Header.Set("Authorization", "Bearer "+q.Token)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	e.mu.Lock()
	e.bodies = append(e.bodies, b)
	e.mu.Unlock()
	// A 204 has no body, so no type; everything else is JSON.
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") {
		e.t.Errorf("%s %s: Content-Type %q, want application/json", q.Method, q.Path, ct)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: b}
}

// must does q and fails the test unless the status is want.
func (e *env) must(want int, q req) map[string]any {
	e.t.Helper()
	r := e.do(q)
	if r.Status != want {
		e.t.Fatalf("%s %s: status %d, want %d\n%s", q.Method, q.Path, r.Status, want, r.Body)
	}
	return r.JSON(e.t)
}

// jsonBody marshals v for a request body.
func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// num reads a JSON number field as int64.
func num(t *testing.T, m map[string]any, key string) int64 {
	t.Helper()
	n, ok := m[key].(json.Number)
	if !ok {
		t.Fatalf("%q is %T (%v), want a JSON number", key, m[key], m[key])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatalf("%q: %v", key, err)
	}
	return v
}

func obj(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%q is %T (%v), want an object", key, m[key], m[key])
	}
	return v
}

func list(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%q is %T, want an array", key, m[key])
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], ok = v.(map[string]any)
		if !ok {
			t.Fatalf("%q[%d] is %T, want an object", key, i, v)
		}
	}
	return out
}

// checkNoPrivateData fails if any body the env produced contains a private
// value, or any JSON key that names one.
func (e *env) checkNoPrivateData() {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.bodies) == 0 {
		e.t.Fatal("no bodies collected")
	}
	for i, b := range e.bodies {
		for _, secret := range []string{guestEmail, publisherEmail, readerEmail, clientIP, clientUA} {
			if bytes.Contains(b, []byte(secret)) {
				e.t.Errorf("response %d contains private value %q:\n%s", i, secret, b)
			}
		}
		var v any
		if json.Unmarshal(b, &v) == nil {
			walkKeys(v, func(k string) {
				switch k {
				case "email", "ip", "user_agent", "password", "password_hash", "token_hash":
					e.t.Errorf("response %d has key %q:\n%s", i, k, b)
				}
			})
		}
	}
}

// walkKeys calls f with every object key in v, except the keys of an
// error's "fields" (which name request fields such as email) and inside the
// OpenAPI document, whose schemas do the same.
func walkKeys(v any, f func(string)) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["openapi"]; ok {
			return
		}
		for k, x := range v {
			f(k)
			if k != "fields" {
				walkKeys(x, f)
			}
		}
	case []any:
		for _, x := range v {
			walkKeys(x, f)
		}
	}
}
