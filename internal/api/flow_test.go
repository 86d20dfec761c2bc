package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// TestFlow walks what a client does: publish, read, list, comment as a guest
// and reply, then page through the comments both ways. At the end no
// response of any endpoint may contain a private value.
func TestFlow(t *testing.T) {
	e := newEnv(t, testBase)
	t0 := e.clock.Now()
	pub := e.account("daily", news.RolePublisher, publisherEmail, "Newspaper")
	reader := e.account("reader", news.RoleReader, readerEmail, "")

	// Publish.
	created := e.do(req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: jsonBody(t, map[string]any{
		"title": "Rivers rise in the north", "summary": "Floods expected.", "body": "# Update\n\nWater **rising**.",
		"lang": "en", "tags": []string{"Weather", "#floods"}, "source_name": "Wire", "source_url": "https://wire.example/a",
	})})
	if created.Status != http.StatusCreated {
		t.Fatalf("create post: %d %s", created.Status, created.Body)
	}
	p := created.JSON(t)
	id := num(t, p, "id")
	if got, want := created.Header.Get("Location"), testBase+"/api/v1/posts/"+strconv.FormatInt(id, 10); got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if got, want := p["url"], testBase+"/@daily/rivers-rise-in-the-north"; got != want {
		t.Errorf("url = %v, want %v", got, want)
	}
	if p["status"] != "published" || p["published_at"] != e.clock.Now().Format(time.RFC3339) {
		t.Errorf("status %v published_at %v, want published at %v", p["status"], p["published_at"], e.clock.Now().Format(time.RFC3339))
	}
	if p["body_markdown"] != "# Update\n\nWater **rising**." {
		t.Errorf("the author should get body_markdown, got %v", p["body_markdown"])
	}
	if !strings.Contains(p["body_html"].(string), "<strong>rising</strong>") {
		t.Errorf("body_html = %v", p["body_html"])
	}
	if tags := fmt.Sprint(p["tags"]); tags != "[weather floods]" {
		t.Errorf("tags = %s", tags)
	}
	if src := obj(t, p, "source"); src["name"] != "Wire" || src["url"] != "https://wire.example/a" {
		t.Errorf("source = %v", src)
	}
	author := obj(t, p, "author")
	if author["handle"] != "daily" || author["official"] != "Newspaper" || author["url"] != testBase+"/@daily" {
		t.Errorf("author = %v", author)
	}
	num(t, author, "followers_count")

	// Read as a guest: the same post, without the Markdown source.
	path := "/api/v1/posts/" + strconv.FormatInt(id, 10)
	g := e.must(200, req{Method: "GET", Path: path})
	if g["title"] != "Rivers rise in the north" || num(t, g, "id") != id || num(t, g, "comments_count") != 0 {
		t.Errorf("get = %v", g)
	}
	if _, ok := g["body_markdown"]; ok {
		t.Error("a guest got body_markdown")
	}
	if _, ok := e.must(200, req{Method: "GET", Path: path, Token: reader})["body_markdown"]; ok {
		t.Error("a reader got body_markdown")
	}

	// A second post, then the list, newest first, and by author and tag.
	e.clock.Advance(time.Minute)
	other := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"Second","body":"Two."}`})
	if other["source"] != nil {
		t.Errorf("a post without source has source %v, want null", other["source"])
	}
	l := e.must(200, req{Method: "GET", Path: "/api/v1/posts"})
	posts := list(t, l, "posts")
	if len(posts) != 2 || num(t, posts[0], "id") != num(t, other, "id") || num(t, posts[1], "id") != id || l["next_cursor"] != nil {
		t.Fatalf("list = %s", jsonBody(t, l))
	}
	if _, ok := posts[0]["body_html"]; ok {
		t.Error("list items should not carry body_html")
	}
	if got := list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts?tag=weather"}), "posts"); len(got) != 1 || num(t, got[0], "id") != id {
		t.Errorf("tag list = %v", got)
	}
	if got := list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts?author=DAILY&limit=1"}), "posts"); len(got) != 1 {
		t.Errorf("author list = %v", got)
	}
	seen := pagePosts(t, e, "/api/v1/posts?author=daily&limit=1")
	if len(seen) != 2 {
		t.Errorf("paging posts by 1 saw %v", seen)
	}

	// A guest comment and a reply by an account.
	cpath := path + "/comments"
	c1r := e.do(req{Method: "POST", Path: cpath, Body: jsonBody(t, map[string]any{
		"body": "First! See https://example.com/x.", "name": "Guest Gao", "email": guestEmail, "website": "https://gao.example"})})
	if c1r.Status != 201 {
		t.Fatalf("guest comment: %d %s", c1r.Status, c1r.Body)
	}
	c1 := c1r.JSON(t)
	c1id := num(t, c1, "id")
	if got, want := c1r.Header.Get("Location"), fmt.Sprintf("%s/p/%d#comment-%d", testBase, id, c1id); got != want {
		t.Errorf("comment Location = %q, want %q", got, want)
	}
	ca := obj(t, c1, "author")
	if ca["name"] != "Guest Gao" || ca["handle"] != nil || ca["website"] != "https://gao.example" || ca["url"] != nil {
		t.Errorf("guest author = %v", ca)
	}
	if c1["parent_id"] != nil || num(t, c1, "depth") != 0 || num(t, c1, "post_id") != id {
		t.Errorf("guest comment = %v", c1)
	}
	if h := c1["body_html"].(string); !strings.Contains(h, `<a href="https://example.com/x" rel="nofollow ugc">`) {
		t.Errorf("comment body_html = %s", h)
	}
	c2 := e.must(201, req{Method: "POST", Path: cpath, Token: reader, Body: fmt.Sprintf(`{"body":"A reply.","parent_id":%d,"name":"ignored","email":"ignored@example.com"}`, c1id)})
	if num(t, c2, "parent_id") != c1id || num(t, c2, "depth") != 1 {
		t.Errorf("reply = %v", c2)
	}
	if ra := obj(t, c2, "author"); ra["handle"] != "reader" || ra["name"] != "Name of reader" || ra["url"] != testBase+"/@reader" {
		t.Errorf("reply author = %v", ra)
	}

	// More comments, so that limit=2 takes more than two pages.
	want := []int64{c1id, num(t, c2, "id")}
	for i := range 5 {
		e.clock.Advance(time.Second)
		c := e.must(201, req{Method: "POST", Path: cpath, Body: jsonBody(t, map[string]any{
			"body": fmt.Sprintf("Comment %d", i), "name": "Guest " + strconv.Itoa(i), "email": guestEmail})})
		want = append(want, num(t, c, "id"))
	}
	for _, sort := range []string{"old", "new"} {
		got := pageComments(t, e, cpath+"?limit=2&sort="+sort)
		exp := slices.Clone(want)
		if sort == "new" {
			slices.Reverse(exp)
		}
		if !slices.Equal(got, exp) {
			t.Errorf("sort=%s paged ids %v, want %v", sort, got, exp)
		}
	}
	if got := pageComments(t, e, cpath); !slices.Equal(got, want) {
		t.Errorf("default order %v, want %v", got, want)
	}
	replies := list(t, e.must(200, req{Method: "GET", Path: fmt.Sprintf("%s?parent_id=%d", cpath, c1id)}), "comments")
	if len(replies) != 1 || num(t, replies[0], "id") != num(t, c2, "id") {
		t.Errorf("replies = %v", replies)
	}
	if top := list(t, e.must(200, req{Method: "GET", Path: cpath + "?top_level=true&limit=200"}), "comments"); len(top) != len(want)-1 {
		t.Errorf("top-level count = %d, want %d", len(top), len(want)-1)
	}
	first := list(t, e.must(200, req{Method: "GET", Path: cpath + "?limit=1"}), "comments")[0]
	if num(t, first, "replies_count") != 1 || num(t, first, "likes") != 0 {
		t.Errorf("first comment counts = %v", first)
	}
	if n := num(t, e.must(200, req{Method: "GET", Path: path}), "comments_count"); n != int64(len(want)) {
		t.Errorf("comments_count = %d, want %d", n, len(want))
	}

	// Accounts.
	a := e.must(200, req{Method: "GET", Path: "/api/v1/accounts/daily"})
	if a["handle"] != "daily" || a["official"] != "Newspaper" || a["role"] != "publisher" || num(t, a, "posts_count") != 2 ||
		a["url"] != testBase+"/@daily" || a["created_at"] != t0.Format(time.RFC3339) {
		t.Errorf("account = %v", a)
	}
	num(t, a, "followers_count")
	num(t, a, "following_count")
	if me := e.must(200, req{Method: "GET", Path: "/api/v1/me", Token: reader}); me["handle"] != "reader" || me["role"] != "reader" {
		t.Errorf("me = %v", me)
	}
	e.must(200, req{Method: "GET", Path: "/api/v1/accounts/@Daily"})

	// Edit: only the fields sent change; the address stays.
	ed := e.must(200, req{Method: "PATCH", Path: path, Token: pub, Body: `{"title":"Rivers rise further","tags":["weather"]}`})
	if ed["title"] != "Rivers rise further" || ed["summary"] != "Floods expected." || ed["url"] != p["url"] ||
		ed["published_at"] != p["published_at"] || ed["status"] != "published" || fmt.Sprint(ed["tags"]) != "[weather]" {
		t.Errorf("edited = %v", ed)
	}

	e.checkNoPrivateData()
}

// pageComments follows next_cursor from first and returns the ids seen, in
// order, failing on a repeat.
func pageComments(t *testing.T, e *env, first string) []int64 {
	t.Helper()
	return follow(t, e, first, "comments")
}

func pagePosts(t *testing.T, e *env, first string) []int64 {
	t.Helper()
	return follow(t, e, first, "posts")
}

func follow(t *testing.T, e *env, first, key string) []int64 {
	t.Helper()
	var ids []int64
	seen := map[int64]bool{}
	next, pages := first, 0
	for next != "" {
		pages++
		if pages > 50 {
			t.Fatal("too many pages")
		}
		page := e.must(200, req{Method: "GET", Path: next})
		for _, c := range list(t, page, key) {
			id := num(t, c, "id")
			if seen[id] {
				t.Fatalf("id %d seen twice", id)
			}
			seen[id] = true
			ids = append(ids, id)
		}
		next = ""
		if cur, ok := page["next_cursor"].(string); ok {
			sep := "&"
			if !strings.Contains(first, "?") {
				sep = "?"
			}
			next = first + sep + "cursor=" + cur
		}
	}
	return ids
}

// TestBaseURLFromRequest: with no BaseURL, links use the request's host.
func TestBaseURLFromRequest(t *testing.T) {
	e := newEnv(t, "")
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	r := e.do(req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"Hello","body":"Hi."}`})
	if r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if got := r.JSON(t)["url"]; got != "http://example.com/@daily/hello" {
		t.Errorf("url = %v", got)
	}
	if got := r.Header.Get("Location"); !strings.HasPrefix(got, "http://example.com/api/v1/posts/") {
		t.Errorf("Location = %v", got)
	}
}
