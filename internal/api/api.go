// Package api is Headline's JSON API v1, served under /api/v1: decode the
// request, call a product service, encode an explicit response struct. Every
// failure is the JSON error shape of httpx.WriteError, including unknown
// paths (404) and wrong methods (405).
//
// Authentication is a bearer API token (Authorization: Bearer <token>); a
// request without the header is anonymous (a guest). No cookie is read, so
// there is no cross-site request forgery surface.
package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/ranking"
)

// Prefix is the path under which New serves; the caller mounts it there.
const Prefix = "/api/v1"

// Deps is what the API needs.
type Deps struct {
	Accounts *accounts.Service
	Posts    *publishing.Service
	Comments *discussion.Service
	Log      *slog.Logger
	// BaseURL is the public address of the site, such as
	// "https://news.example", used for absolute links in responses. When
	// empty, the scheme and host of each request are used; operators behind
	// a proxy should set it.
	BaseURL string
	// Now is the clock that decides whether a post is shown as scheduled;
	// give it the one the services use. Nil means time.Now.
	Now func() time.Time

	// The social features (follows, feeds, likes of posts, notifications).
	// Each is optional: without it its routes answer 404.
	Following  *following.Service
	Ranking    *ranking.Service
	Engagement *engagement.Service
	Notify     *notify.Service
	// Moderation serves the moderation queue and reports; without it
	// their routes answer 404.
	Moderation *moderation.Service
	// Media is uploads and video/image posts; nil: its routes answer 404.
	Media *media.Service
}

// server is the API: its dependencies and its routes.
type server struct {
	Deps
	mux *http.ServeMux
	// patterns are the registered route patterns in registration order, so
	// a test can hold openapi.json to them.
	patterns []string
}

// New returns the API handler. It handles full paths (/api/v1/...).
func New(d Deps) http.Handler {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	s := &server{Deps: d, mux: http.NewServeMux()}
	s.routes()
	return s
}

// ServeHTTP routes r. What the standard mux would answer in plain text (an
// unknown path, a wrong method) is answered in the JSON error shape, with
// the mux's status and Allow header.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Answers depend on the token (drafts, body_markdown): no shared caches.
	w.Header().Set("Cache-Control", "no-store")
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		// httpx's status table has no 405 (no product rule produces one),
		// so this one response is written here with the same shape.
		w.Header().Set("Allow", rec.header.Get("Allow"))
		httpx.WriteJSON(w, http.StatusMethodNotAllowed, httpx.ErrorBody{Error: httpx.ErrorDetail{
			Code: "method_not_allowed", Message: "This address does not take " + r.Method + " requests; see the Allow header."}})
		return
	}
	httpx.WriteError(w, r, news.Errorf(news.NotFound, "There is no API endpoint at this address."))
}

// headerRecorder keeps the status and headers a handler writes and drops
// its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *headerRecorder) Write(b []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return len(b), nil
}

// handlerFunc is an API handler: it writes a response, or returns an error
// for the adapter to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers h at pattern behind the one adapter: it authenticates the
// bearer token, runs h, and renders a returned error with httpx.WriteError.
func (s *server) handle(pattern string, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.NoteRoute(r)
		r, err := s.authenticate(w, r)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	}))
}

// fail renders err. A 401 carries a WWW-Authenticate challenge (RFC 6750).
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Status(err) == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="headline"`)
	}
	httpx.WriteError(w, r, err)
}

// authenticate resolves an Authorization header to an account in r's
// context. No header means a guest. A header that is not a valid bearer
// token is refused rather than treated as a guest, so a client with an
// expired or mistyped token learns it at once.
func (s *server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return r, nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	bad := news.Errorf(news.Unauthorized, "The bearer token is not valid. Send Authorization: Bearer followed by an API token.")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="headline", error="invalid_request"`)
		return r, bad
	}
	a, err := s.Accounts.TokenAccount(r.Context(), token)
	if news.ErrorCode(err) == news.NotFound {
		// Logged without the token, so operators can see guessing.
		s.Log.InfoContext(r.Context(), "api token refused", "ip", httpx.ClientIP(r), "request_id", httpx.RequestID(r.Context()))
		w.Header().Set("WWW-Authenticate", `Bearer realm="headline", error="invalid_token"`)
		return r, bad
	}
	if err != nil {
		return r, err
	}
	return r.WithContext(httpx.WithAccount(r.Context(), a)), nil
}

// base returns the site's public address without a trailing slash.
func (s *server) base(r *http.Request) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// pathID reads a positive integer id from the path value name. Anything
// else (letters, signs, leading zeros, overflow) names no resource: 404.
func pathID(r *http.Request, name string, what string) (int64, error) {
	s := r.PathValue(name)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, news.Errorf(news.NotFound, "That %s does not exist.", what)
	}
	return id, nil
}

// queryLimit reads the limit query parameter: absent means def; otherwise
// it must be an integer from 1 to max, or the request is refused (422)
// rather than silently clamped.
func queryLimit(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		msg := "must be an integer from 1 to " + strconv.Itoa(max)
		return 0, invalid("limit", "The limit "+msg+".", msg)
	}
	return n, nil
}

// invalid is the 422 for one bad request field: message is the sentence,
// detail the note under error.fields[field] (lower case, like the
// services' query-parameter notes).
func invalid(field, message, detail string) error {
	return &news.Error{Code: news.Invalid, Message: message, Fields: map[string]string{field: detail}}
}

// cursorJSON is a next_cursor value: null at the end of a list.
func cursorJSON(c string) *string {
	if c == "" {
		return nil
	}
	return &c
}

// utc returns t in UTC, for RFC 3339 times ending in Z.
func utc(t time.Time) time.Time { return t.UTC() }

// utcOrNil returns nil for the zero time, else t in UTC.
func utcOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// created writes a 201 with a Location header.
func created(w http.ResponseWriter, location string, v any) error {
	w.Header().Set("Location", location)
	httpx.WriteJSON(w, http.StatusCreated, v)
	return nil
}
