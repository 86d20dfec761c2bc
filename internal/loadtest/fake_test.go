package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// fakeSite answers the routes the scenarios use, with three posts of which
// post 2 has a 450-comment thread, and records what it was sent.
type fakeSite struct {
	URL        *url.URL
	failWrites bool
	noPosts    bool

	mu       sync.Mutex
	cursors  []string       // cursors of comment-page requests, in order
	pages    map[string]int // article page reads by session cookie ("" for none)
	comments []map[string]string
}

const fakeThread = 450

func newFakeSite(t *testing.T) *fakeSite {
	t.Helper()
	f := &fakeSite{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/posts", f.listPosts)
	mux.HandleFunc("GET /api/v1/posts/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id":%s,"title":"A post"}`, r.PathValue("id"))
	})
	mux.HandleFunc("GET /api/v1/posts/{id}/comments", f.listComments)
	mux.HandleFunc("POST /api/v1/posts/{id}/comments", f.postComment)
	page := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<!doctype html><p>page</p>") }
	mux.HandleFunc("GET /{$}", page)
	mux.HandleFunc("GET /static/baseline.html", page)
	mux.HandleFunc("GET /{handle}/{slug}", func(w http.ResponseWriter, r *http.Request) {
		s := ""
		if c, err := r.Cookie("headline_session"); err == nil {
			s = c.Value
		}
		f.mu.Lock()
		if f.pages == nil {
			f.pages = map[string]int{}
		}
		f.pages[s]++
		f.mu.Unlock()
		page(w, r)
	})
	mux.HandleFunc("POST /signin", func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("password") != "pw-"+r.PostFormValue("handle") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "headline_session", Value: "s-" + r.PostFormValue("handle")})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.URL, _ = url.Parse(srv.URL)
	return f
}

// listPosts serves two pages, so that discovery must follow the cursor.
func (f *fakeSite) listPosts(w http.ResponseWriter, r *http.Request) {
	post := func(id, comments int) string {
		return fmt.Sprintf(`{"id":%d,"url":"http://news.example/@desk/post-%d","comments_count":%d}`, id, id, comments)
	}
	switch {
	case f.noPosts:
		io.WriteString(w, `{"posts":[],"next_cursor":null}`)
	case r.URL.Query().Get("cursor") == "":
		fmt.Fprintf(w, `{"posts":[%s,%s],"next_cursor":"page2"}`, post(1, 0), post(2, fakeThread))
	default:
		fmt.Fprintf(w, `{"posts":[%s],"next_cursor":null}`, post(3, 0))
	}
}

// listComments pages through post 2's thread; the cursor is the offset.
func (f *fakeSite) listComments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.cursors = append(f.cursors, q.Get("cursor"))
	f.mu.Unlock()
	total := 0
	if r.PathValue("id") == "2" {
		total = fakeThread
	}
	from, _ := strconv.Atoi(q.Get("cursor"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	to := min(from+limit, total)
	out := struct {
		Comments   []map[string]int `json:"comments"`
		NextCursor *string          `json:"next_cursor"`
	}{Comments: []map[string]int{}}
	for i := from; i < to; i++ {
		out.Comments = append(out.Comments, map[string]int{"id": i + 1})
	}
	if to < total {
		next := strconv.Itoa(to)
		out.NextCursor = &next
	}
	json.NewEncoder(w).Encode(out)
}

func (f *fakeSite) postComment(w http.ResponseWriter, r *http.Request) {
	if f.failWrites {
		http.Error(w, `{"error":{"code":"internal","message":"disk full"}}`, http.StatusInternalServerError)
		return
	}
	var in map[string]string
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.comments = append(f.comments, in)
	id := len(f.comments)
	f.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"id":%d}`, id)
}
