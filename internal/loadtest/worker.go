package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Post is a published post found on the site before the run.
type Post struct {
	ID       int64
	Path     string // /@handle/slug, escaped, as the API gives it
	Comments int64
}

// env is what every worker shares: read-only during the run.
type env struct {
	client    *http.Client
	base      string
	bases     []string // base and the other instances of the same site
	posts     []Post
	commented []Post // posts with comments; all posts when none has any
	thread    Post   // the post with the most comments
	runID     string
}

func newEnv(client *http.Client, base *url.URL, posts []Post) *env {
	e := &env{client: client, base: strings.TrimSuffix(base.String(), "/"), posts: posts,
		runID: strconv.FormatInt(time.Now().Unix(), 36)}
	for _, p := range posts {
		if p.Comments > 0 {
			e.commented = append(e.commented, p)
		}
		if p.Comments > e.thread.Comments || e.thread.ID == 0 {
			e.thread = p
		}
	}
	if len(e.commented) == 0 {
		e.commented = posts
	}
	return e
}

// Worker is one simulated client: it runs operations one after another and
// keeps the state that makes a session realistic (the thread it is
// scrolling through, how many comments it has written).
type Worker struct {
	id         int
	env        *env
	rng        *rand.Rand
	deadline   time.Time // end of the current phase
	seq        int64
	walkPost   int64
	walkCursor string
	base       string // the instance this client talks to
	token      string // bearer token of this client's reader; "" for none
	session    string // browser session cookie of this client; "" for none

	// The social scenarios' state (social.go).
	feedPath, feedCursor string
	feedPages            int
	liked                int64  // post to unlike on the next like turn
	followed             string // handle to unfollow on the next follow turn
	scenario             *Scenario
}

func newWorker(id int, e *env) *Worker {
	seed := uint64(time.Now().UnixNano())
	w := &Worker{id: id, env: e, rng: rand.New(rand.NewPCG(seed, uint64(id))), base: e.base}
	if len(e.bases) > 0 {
		// Clients spread over the instances as a load balancer spreads
		// connections: each keeps to one.
		w.base = e.bases[id%len(e.bases)]
	}
	return w
}

func (w *Worker) randomPost() Post {
	return w.env.posts[w.rng.IntN(len(w.env.posts))]
}

func (w *Worker) get(ctx context.Context, path string, into any) Result {
	return w.do(ctx, "GET", path, nil, into)
}

// do makes one request to the target, reads the whole answer (so the
// connection is reused and the transfer is part of the latency) and, when
// into is given, decodes it as JSON. A status outside 2xx/3xx is an error
// whose text carries the start of the body, for the report's samples.
func (w *Worker) do(ctx context.Context, method, path string, body []byte, into any) Result {
	res := Result{Requests: 1}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.base+path, rd)
	if err != nil {
		res.Err = fmt.Errorf("%s %s: %w", method, path, err)
		return res
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "headline-bench")
	if w.token != "" && w.scenario != nil && w.scenario.Token != NoToken {
		req.Header.Set("Authorization", "Bearer "+w.token)
	}
	if w.session != "" && w.scenario != nil && w.scenario.Session {
		req.Header.Set("Cookie", sessionCookie+"="+w.session)
	}
	resp, err := w.env.client.Do(req)
	if err != nil {
		res.Err = fmt.Errorf("%s %s: %w", method, path, err)
		return res
	}
	defer resp.Body.Close()
	cr := &countingReader{r: resp.Body}
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		snippet, _ := io.ReadAll(io.LimitReader(cr, 160))
		io.Copy(io.Discard, cr)
		res.Bytes = cr.n
		res.Err = fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(snippet)))
		return res
	}
	if into != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(cr).Decode(into); err != nil {
			res.Err = fmt.Errorf("%s %s: answer is not the expected JSON: %w", method, path, err)
		}
	}
	if _, err := io.Copy(io.Discard, cr); err != nil && res.Err == nil {
		res.Err = fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	res.Bytes = cr.n
	return res
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// maxDiscover bounds the posts read before the run: enough to spread reads
// over many pages and keep the discovery under a few seconds on a big site.
const maxDiscover = 10_000

// Discover pages through GET /api/v1/posts and returns up to maxDiscover
// published posts, newest first.
func Discover(ctx context.Context, client *http.Client, base *url.URL) ([]Post, error) {
	b := strings.TrimSuffix(base.String(), "/")
	w := &Worker{env: &env{client: client, base: b}, base: b}
	var posts []Post
	cursor := ""
	for len(posts) < maxDiscover {
		var page struct {
			Posts []struct {
				ID            int64  `json:"id"`
				URL           string `json:"url"`
				CommentsCount int64  `json:"comments_count"`
			} `json:"posts"`
			NextCursor *string `json:"next_cursor"`
		}
		path := "/api/v1/posts?limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		if res := w.get(ctx, path, &page); res.Err != nil {
			return nil, fmt.Errorf("finding posts: %w", res.Err)
		}
		for _, p := range page.Posts {
			posts = append(posts, Post{ID: p.ID, Path: localPath(p.URL, p.ID), Comments: p.CommentsCount})
		}
		if page.NextCursor == nil || len(page.Posts) == 0 {
			break
		}
		cursor = *page.NextCursor
	}
	return posts, nil
}

// localPath keeps only the path of a post's URL: with --base-url set the
// API names the public host, and the bench must stay on its target.
func localPath(raw string, id int64) string {
	u, err := url.Parse(raw)
	if err != nil || u.EscapedPath() == "" || !strings.HasPrefix(u.EscapedPath(), "/") {
		return "/p/" + strconv.FormatInt(id, 10)
	}
	return u.EscapedPath()
}
