package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/headline/headline/internal/news"
)

// TestDeletePost drives DELETE /api/v1/posts/{id}: who may, what the
// others get, and that the post, its comments and its count are gone.
func TestDeletePost(t *testing.T) {
	e := newEnv(t, testBase)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	rival := e.account("rival", news.RolePublisher, "", "")
	reader := e.account("reader", news.RoleReader, readerEmail, "")
	mod := e.account("mod", news.RoleModerator, "", "")
	create := func(body string) string {
		t.Helper()
		p := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: body})
		return fmt.Sprintf("/api/v1/posts/%d", num(t, p, "id"))
	}
	post, other, draft := create(`{"title":"One","body":"x"}`), create(`{"title":"Two","body":"y"}`),
		create(`{"title":"Draft","body":"z","status":"draft"}`)
	comment := num(t, e.must(201, req{Method: "POST", Path: post + "/comments", Token: reader, Body: `{"body":"hello"}`}), "id")

	for _, tc := range []struct {
		name, path, token string
		status            int
		code              string
	}{
		{"guest", post, "", 401, "unauthorized"},
		{"reader", post, reader, 403, "forbidden"},
		{"another publisher", post, rival, 403, "forbidden"},
		{"someone else's draft", draft, reader, 404, "not_found"},
		{"missing post", "/api/v1/posts/987654", pub, 404, "not_found"},
		{"bad id", "/api/v1/posts/x", pub, 404, "not_found"},
	} {
		r := e.do(req{Method: "DELETE", Path: tc.path, Token: tc.token})
		if r.Status != tc.status {
			t.Fatalf("%s: status %d, want %d\n%s", tc.name, r.Status, tc.status, r.Body)
		}
		if code := obj(t, r.JSON(t), "error")["code"]; code != tc.code {
			t.Errorf("%s: error code %v, want %s", tc.name, code, tc.code)
		}
	}
	e.must(200, req{Method: "GET", Path: post})

	r := e.do(req{Method: "DELETE", Path: post, Token: pub})
	if r.Status != http.StatusNoContent || len(r.Body) != 0 {
		t.Fatalf("author delete: %d %q, want 204 without a body", r.Status, r.Body)
	}
	e.must(404, req{Method: "GET", Path: post})
	e.must(404, req{Method: "GET", Path: post + "/comments"})
	e.must(404, req{Method: "GET", Path: fmt.Sprintf("/api/v1/comments/%d/replies", comment)})
	e.must(404, req{Method: "DELETE", Path: post, Token: pub})
	if n := num(t, e.must(200, req{Method: "GET", Path: "/api/v1/accounts/daily"}), "posts_count"); n != 1 {
		t.Fatalf("posts_count = %d after deleting one of two published posts, want 1", n)
	}

	// Moderators take down others' posts; the author's draft goes too.
	if r := e.do(req{Method: "DELETE", Path: other, Token: mod}); r.Status != http.StatusNoContent {
		t.Fatalf("moderator delete: %d %s", r.Status, r.Body)
	}
	if r := e.do(req{Method: "DELETE", Path: draft, Token: pub}); r.Status != http.StatusNoContent {
		t.Fatalf("draft delete: %d %s", r.Status, r.Body)
	}
	if n := num(t, e.must(200, req{Method: "GET", Path: "/api/v1/accounts/daily"}), "posts_count"); n != 0 {
		t.Fatalf("posts_count = %d, want 0", n)
	}
	e.checkNoPrivateData()
}
