package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// TestCommentReactions drives every comment route added for likes, sorts,
// replies, pins, edits and deletions, and their bad inputs.
func TestCommentReactions(t *testing.T) {
	e := newEnv(t, testBase)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	reader := e.account("reader", news.RoleReader, readerEmail, "")
	mod := e.account("mod", news.RoleModerator, "", "")
	post := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"One","body":"x"}`})
	comments := fmt.Sprintf("/api/v1/posts/%d/comments", num(t, post, "id"))
	write := func(token, body string, parent int64) int64 {
		t.Helper()
		in := fmt.Sprintf(`{"body":%q}`, body)
		if parent != 0 {
			in = fmt.Sprintf(`{"body":%q,"parent_id":%d}`, body, parent)
		}
		return num(t, e.must(201, req{Method: "POST", Path: comments, Token: token, Body: in}), "id")
	}
	a, b := write(reader, "first", 0), write(reader, "second", 0)
	path := func(id int64, rest string) string { return fmt.Sprintf("/api/v1/comments/%d%s", id, rest) }

	// Likes: a token is needed, twice is once, DELETE takes it back.
	e.must(401, req{Method: "POST", Path: path(b, "/like")})
	for _, tok := range []string{reader, reader, pub} {
		e.must(200, req{Method: "POST", Path: path(b, "/like"), Token: tok})
	}
	got := e.must(200, req{Method: "POST", Path: path(b, "/like"), Token: mod})
	if num(t, got, "likes") != 3 || got["liked"] != true {
		t.Fatalf("like = %v, want 3 likes", got)
	}
	got = e.must(200, req{Method: "DELETE", Path: path(b, "/like"), Token: mod})
	if num(t, got, "likes") != 2 || got["liked"] != false {
		t.Fatalf("unlike = %v, want 2 likes", got)
	}
	e.must(404, req{Method: "POST", Path: path(999999, "/like"), Token: reader})

	// Sort top, and cursors bound to their sort.
	top := e.must(200, req{Method: "GET", Path: comments + "?sort=top&limit=1"})
	if l := list(t, top, "comments"); num(t, l[0], "id") != b {
		t.Fatalf("top first = %v, want the liked comment", l[0])
	}
	cur := top["next_cursor"].(string)
	next := e.must(200, req{Method: "GET", Path: comments + "?sort=top&limit=1&cursor=" + cur})
	if l := list(t, next, "comments"); num(t, l[0], "id") != a {
		t.Fatalf("top second = %v", l[0])
	}
	e.must(422, req{Method: "GET", Path: comments + "?sort=new&cursor=" + cur})
	e.must(422, req{Method: "GET", Path: comments + "?sort=best"})

	// Replies on demand, paged, and parent_id still works.
	r1 := write(pub, "reply 1", a)
	r2 := write(reader, "reply 2", r1)
	page := e.must(200, req{Method: "GET", Path: path(a, "/replies?limit=1")})
	if l := list(t, page, "comments"); len(l) != 1 || num(t, l[0], "id") != r1 {
		t.Fatalf("replies page 1 = %v", l)
	}
	page = e.must(200, req{Method: "GET", Path: path(a, "/replies?limit=1&cursor=") + page["next_cursor"].(string)})
	if l := list(t, page, "comments"); len(l) != 1 || num(t, l[0], "id") != r2 {
		t.Fatalf("replies page 2 = %v", l)
	}
	e.must(200, req{Method: "GET", Path: comments + fmt.Sprintf("?parent_id=%d", a)})
	e.must(404, req{Method: "GET", Path: path(999999, "/replies")})

	// Pins: the post's author, not a reader; not replies.
	e.must(403, req{Method: "POST", Path: path(a, "/pin"), Token: reader})
	pinned := e.must(200, req{Method: "POST", Path: path(a, "/pin"), Token: pub})
	if pinned["pinned"] != true {
		t.Fatalf("pin = %v", pinned)
	}
	e.must(200, req{Method: "POST", Path: path(a, "/pin"), Token: pub})
	e.must(422, req{Method: "POST", Path: path(r1, "/pin"), Token: mod})
	e.must(200, req{Method: "DELETE", Path: path(a, "/pin"), Token: pub})

	// Edits: the writer within the window, re-rendered; others refused.
	ed := e.must(200, req{Method: "PATCH", Path: path(b, ""), Token: reader, Body: `{"body":"second <b>edited</b>"}`})
	if ed["edited_at"] == nil || !strings.Contains(ed["body_html"].(string), "&lt;b&gt;") {
		t.Fatalf("edit = %v", ed)
	}
	e.must(403, req{Method: "PATCH", Path: path(b, ""), Token: pub, Body: `{"body":"not mine"}`})
	e.must(401, req{Method: "PATCH", Path: path(b, ""), Body: `{"body":"guest"}`})
	e.must(422, req{Method: "PATCH", Path: path(b, ""), Token: reader, Body: `{"body":""}`})
	e.must(413, req{Method: "PATCH", Path: path(b, ""), Token: reader, Body: `{"body":"` + strings.Repeat("a", news.MaxRequestBytes) + `"}`})
	e.clock.Advance(16 * time.Minute)
	e.must(403, req{Method: "PATCH", Path: path(b, ""), Token: reader, Body: `{"body":"too late"}`})
	e.must(200, req{Method: "PATCH", Path: path(b, ""), Token: mod, Body: `{"body":"moderated"}`})

	// Deletes: with replies a placeholder; liking or replying to it fails.
	e.must(403, req{Method: "DELETE", Path: path(r1, ""), Token: reader})
	e.must(200, req{Method: "DELETE", Path: path(r1, ""), Token: pub})
	e.must(200, req{Method: "DELETE", Path: path(r1, ""), Token: pub})
	e.must(409, req{Method: "POST", Path: path(r1, "/like"), Token: reader})
	e.must(422, req{Method: "POST", Path: comments, Token: reader, Body: fmt.Sprintf(`{"body":"late","parent_id":%d}`, r1)})
	thread := e.must(200, req{Method: "GET", Path: path(a, "/replies")})
	l := list(t, thread, "comments")
	if len(l) != 2 || l[0]["deleted"] != true || l[0]["body_html"] != "" || obj(t, l[0], "author")["name"] != "" {
		t.Fatalf("thread after delete = %v", l)
	}
	e.must(200, req{Method: "DELETE", Path: path(b, ""), Token: mod})
	e.must(409, req{Method: "POST", Path: path(b, "/like"), Token: reader})
	e.checkNoPrivateData()
}

// TestDuplicateComment: the same comment sent twice within seconds is
// written once; the second answer is 200 with the first comment.
func TestDuplicateComment(t *testing.T) {
	e := newEnv(t, testBase)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	post := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"One","body":"x"}`})
	comments := fmt.Sprintf("/api/v1/posts/%d/comments", num(t, post, "id"))
	body := `{"body":"Same words","name":"Ann","email":"` + guestEmail + `"}`
	first := e.must(201, req{Method: "POST", Path: comments, Body: body})
	again := e.must(200, req{Method: "POST", Path: comments, Body: body})
	if num(t, first, "id") != num(t, again, "id") {
		t.Fatalf("duplicate got a new id: %v vs %v", first["id"], again["id"])
	}
	e.clock.Advance(31 * time.Second)
	e.must(201, req{Method: "POST", Path: comments, Body: body})
	// Names with zero-width or right-to-left override characters are refused.
	for _, name := range []string{"Ann\u200b", "Ann\u202egnp.exe"} {
		r := e.do(req{Method: "POST", Path: comments, Body: fmt.Sprintf(`{"body":"x","name":%q,"email":"a@b.co"}`, name)})
		if r.Status != 422 || !strings.Contains(string(r.Body), `"name"`) {
			t.Errorf("name %q: status %d %s", name, r.Status, r.Body)
		}
	}
	e.checkNoPrivateData()
}
