package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

// TestErrors holds every failure to its status, error code and field, in
// the one JSON error shape.
func TestErrors(t *testing.T) {
	e := newEnv(t, testBase)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	pub2 := e.account("weekly", news.RolePublisher, "", "")
	reader := e.account("reader", news.RoleReader, readerEmail, "")

	post := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"One","body":"x"}`})
	postPath := fmt.Sprintf("/api/v1/posts/%d", num(t, post, "id"))
	other := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"Two","body":"y"}`})
	otherComments := fmt.Sprintf("/api/v1/posts/%d/comments", num(t, other, "id"))
	foreign := e.must(201, req{Method: "POST", Path: otherComments, Token: reader, Body: `{"body":"elsewhere"}`})
	for i := range 3 { // different bodies: the same one again would be a duplicate (200)
		e.must(201, req{Method: "POST", Path: postPath + "/comments", Token: reader, Body: fmt.Sprintf(`{"body":"hi %d"}`, i)})
	}
	oldCursor := e.must(200, req{Method: "GET", Path: postPath + "/comments?limit=1&sort=old"})["next_cursor"].(string)

	big := `{"title":"` + strings.Repeat("a", news.MaxRequestBytes) + `"}`
	tests := []struct {
		name   string
		q      req
		status int
		code   string
		field  string // a key error.fields must have; "" for none required
	}{
		{"malformed JSON", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":`}, 400, "bad_request", ""},
		{"unknown field", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","bogus":1}`}, 400, "bad_request", ""},
		{"wrong JSON type", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":5}`}, 400, "bad_request", ""},
		{"two JSON values", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y"} {}`}, 400, "bad_request", ""},
		{"comment unknown field", req{Method: "POST", Path: postPath + "/comments", Body: `{"body":"x","name":"n","email":"a@b.co","ip":"1.2.3.4"}`}, 400, "bad_request", ""},
		{"parent_id as string", req{Method: "POST", Path: postPath + "/comments", Token: reader, Body: `{"body":"x","parent_id":"1"}`}, 400, "bad_request", ""},

		{"bad token", req{Method: "GET", Path: "/api/v1/posts", Token: "not-a-token"}, 401, "unauthorized", ""},
		{"bad token on a write", req{Method: "POST", Path: postPath + "/comments", Token: "nope", Body: `{"body":"x","name":"n","email":"a@b.co"}`}, 401, "unauthorized", ""},
		{"basic auth", req{Method: "GET", Path: "/api/v1/me", Auth: "Basic ZGFpbHk6cHc="}, 401, "unauthorized", ""},
		{"empty bearer", req{Method: "GET", Path: "/api/v1/me", Auth: "Bearer "}, 401, "unauthorized", ""},
		{"post signed out", req{Method: "POST", Path: "/api/v1/posts", Body: `{"title":"x","body":"y"}`}, 401, "unauthorized", ""},
		{"me signed out", req{Method: "GET", Path: "/api/v1/me"}, 401, "unauthorized", ""},
		{"edit signed out", req{Method: "PATCH", Path: postPath, Body: `{"title":"x"}`}, 401, "unauthorized", ""},

		{"reader posting", req{Method: "POST", Path: "/api/v1/posts", Token: reader, Body: `{"title":"x","body":"y"}`}, 403, "forbidden", ""},
		{"editing another's post", req{Method: "PATCH", Path: postPath, Token: pub2, Body: `{"title":"mine now"}`}, 403, "forbidden", ""},
		{"reader editing", req{Method: "PATCH", Path: postPath, Token: reader, Body: `{"title":"x"}`}, 403, "forbidden", ""},
		{"others' drafts", req{Method: "GET", Path: "/api/v1/posts?author=daily&status=draft", Token: pub2}, 403, "forbidden", ""},

		{"unknown post", req{Method: "GET", Path: "/api/v1/posts/999999"}, 404, "not_found", ""},
		{"non-numeric id", req{Method: "GET", Path: "/api/v1/posts/abc"}, 404, "not_found", ""},
		{"zero id", req{Method: "GET", Path: "/api/v1/posts/0"}, 404, "not_found", ""},
		{"leading zero id", req{Method: "GET", Path: "/api/v1/posts/0" + postPath[len("/api/v1/posts/"):]}, 404, "not_found", ""},
		{"overflowing id", req{Method: "GET", Path: "/api/v1/posts/99999999999999999999"}, 404, "not_found", ""},
		{"comments of unknown post", req{Method: "GET", Path: "/api/v1/posts/999999/comments"}, 404, "not_found", ""},
		{"comment on unknown post", req{Method: "POST", Path: "/api/v1/posts/999999/comments", Token: reader, Body: `{"body":"x"}`}, 404, "not_found", ""},
		{"unknown parent", req{Method: "POST", Path: postPath + "/comments", Token: reader, Body: `{"body":"x","parent_id":999999}`}, 404, "not_found", ""},
		{"unknown handle", req{Method: "GET", Path: "/api/v1/accounts/nobody"}, 404, "not_found", ""},
		{"unknown author filter", req{Method: "GET", Path: "/api/v1/posts?author=nobody"}, 404, "not_found", ""},
		{"unknown path", req{Method: "GET", Path: "/api/v1/nope"}, 404, "not_found", ""},
		{"unknown nested path", req{Method: "GET", Path: postPath + "/likes"}, 404, "not_found", ""},
		{"edit unknown post", req{Method: "PATCH", Path: "/api/v1/posts/999999", Token: pub, Body: `{"title":"x"}`}, 404, "not_found", ""},

		{"wrong method", req{Method: "PUT", Path: postPath}, 405, "method_not_allowed", ""},
		{"wrong method on a list", req{Method: "PUT", Path: "/api/v1/posts"}, 405, "method_not_allowed", ""},

		{"body over 1 MB", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: big}, 413, "too_large", ""},
		{"comment over 1 MB", req{Method: "POST", Path: postPath + "/comments", Body: big}, 413, "too_large", ""},
		{"text/plain", req{Method: "POST", Path: "/api/v1/posts", Token: pub, ContentType: "text/plain", Body: `{"title":"x","body":"y"}`}, 415, "unsupported", ""},
		{"form body", req{Method: "POST", Path: postPath + "/comments", ContentType: "application/x-www-form-urlencoded", Body: "body=x"}, 415, "unsupported", ""},

		{"missing title", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{}`}, 422, "invalid", "title"},
		{"missing body", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x"}`}, 422, "invalid", "body"},
		{"javascript source_url", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","source_name":"s","source_url":"javascript:alert(1)"}`}, 422, "invalid", "source_url"},
		{"source_url without name", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","source_url":"https://a.example"}`}, 422, "invalid", "source_name"},
		{"bad publish_at", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","status":"scheduled","publish_at":"tomorrow"}`}, 422, "invalid", "publish_at"},
		{"publish_at without zone", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","publish_at":"2031-01-01T10:00:00"}`}, 422, "invalid", "publish_at"},
		{"scheduled without time", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","status":"scheduled"}`}, 422, "invalid", "publish_at"},
		{"scheduled in the past", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","status":"scheduled","publish_at":"2001-01-01T00:00:00Z"}`}, 422, "invalid", "publish_at"},
		{"unknown status", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","status":"live"}`}, 422, "invalid", "status"},
		{"bad lang", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","lang":"english!"}`}, 422, "invalid", "lang"},
		{"bad tag", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"x","body":"y","tags":["a b"]}`}, 422, "invalid", "tags"},
		{"rescheduling a public post", req{Method: "PATCH", Path: postPath, Token: pub, Body: `{"publish_at":"2099-01-01T00:00:00Z"}`}, 422, "invalid", "publish_at"},
		{"invalid UTF-8 in a JSON string", req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: "{\"title\":\"bad \xff\xfe\",\"body\":\"y\"}"}, 422, "invalid", ""},
		{"invalid UTF-8 in a comment", req{Method: "POST", Path: postPath + "/comments", Body: "{\"body\":\"\xc3\x28\",\"name\":\"n\",\"email\":\"a@b.co\"}"}, 422, "invalid", ""},
		{"guest without name", req{Method: "POST", Path: postPath + "/comments", Body: `{"body":"x","email":"a@b.co"}`}, 422, "invalid", "name"},
		{"guest without email", req{Method: "POST", Path: postPath + "/comments", Body: `{"body":"x","name":"n"}`}, 422, "invalid", "email"},
		{"guest bad email", req{Method: "POST", Path: postPath + "/comments", Body: `{"body":"x","name":"n","email":"not an email"}`}, 422, "invalid", "email"},
		{"javascript website", req{Method: "POST", Path: postPath + "/comments", Body: `{"body":"x","name":"n","email":"a@b.co","website":"javascript:alert(1)"}`}, 422, "invalid", "website"},
		{"RTL override in name", req{Method: "POST", Path: postPath + "/comments", Body: "{\"body\":\"x\",\"name\":\"admin\u202egnp.exe\",\"email\":\"a@b.co\"}"}, 422, "invalid", "name"},
		{"empty comment", req{Method: "POST", Path: postPath + "/comments", Token: reader, Body: `{"body":"   "}`}, 422, "invalid", "body"},
		{"parent on another post", req{Method: "POST", Path: postPath + "/comments", Token: reader, Body: fmt.Sprintf(`{"body":"x","parent_id":%d}`, num(t, foreign, "id"))}, 422, "invalid", "parent_id"},
		{"negative parent", req{Method: "POST", Path: postPath + "/comments", Token: reader, Body: `{"body":"x","parent_id":-1}`}, 422, "invalid", "parent_id"},
		{"tampered comments cursor", req{Method: "GET", Path: postPath + "/comments?cursor=" + oldCursor + "x"}, 422, "invalid", "cursor"},
		{"garbage comments cursor", req{Method: "GET", Path: postPath + "/comments?cursor=%F0%9F%92%A9"}, 422, "invalid", "cursor"},
		{"cursor of another sort", req{Method: "GET", Path: postPath + "/comments?sort=new&cursor=" + oldCursor}, 422, "invalid", "cursor"},
		{"tampered posts cursor", req{Method: "GET", Path: "/api/v1/posts?cursor=YzEuenp6"}, 422, "invalid", "cursor"},
		{"bad sort", req{Method: "GET", Path: postPath + "/comments?sort=best"}, 422, "invalid", "sort"},
		{"limit zero", req{Method: "GET", Path: postPath + "/comments?limit=0"}, 422, "invalid", "limit"},
		{"limit too big", req{Method: "GET", Path: postPath + "/comments?limit=201"}, 422, "invalid", "limit"},
		{"limit not a number", req{Method: "GET", Path: "/api/v1/posts?limit=ten"}, 422, "invalid", "limit"},
		{"posts limit too big", req{Method: "GET", Path: "/api/v1/posts?limit=101"}, 422, "invalid", "limit"},
		{"bad parent_id query", req{Method: "GET", Path: postPath + "/comments?parent_id=x"}, 422, "invalid", "parent_id"},
		{"bad top_level", req{Method: "GET", Path: postPath + "/comments?top_level=yes"}, 422, "invalid", "top_level"},
		{"bad list status", req{Method: "GET", Path: "/api/v1/posts?status=deleted"}, 422, "invalid", "status"},
		{"drafts without author", req{Method: "GET", Path: "/api/v1/posts?status=draft", Token: pub}, 422, "invalid", "author"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.q)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d\n%.300s", r.Status, tc.status, r.Body)
			}
			body := r.JSON(t)
			errObj := obj(t, body, "error")
			if errObj["code"] != tc.code {
				t.Errorf("code %v, want %s", errObj["code"], tc.code)
			}
			if msg, _ := errObj["message"].(string); msg == "" {
				t.Error("empty message")
			}
			if tc.field != "" {
				fields, _ := errObj["fields"].(map[string]any)
				if _, ok := fields[tc.field]; !ok {
					t.Errorf("fields %v lack %q", fields, tc.field)
				}
			}
			if len(body) != 1 {
				t.Errorf("error body has keys besides error: %v", body)
			}
			switch tc.status {
			case 401:
				if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
					t.Errorf("WWW-Authenticate = %q", h)
				}
			case 405:
				if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") {
					t.Errorf("Allow = %q", allow)
				}
			}
		})
	}
	if allow := e.do(req{Method: "PUT", Path: postPath}).Header.Get("Allow"); !strings.Contains(allow, "PATCH") || !strings.Contains(allow, "DELETE") {
		t.Errorf("Allow for a post = %q, want GET, PATCH and DELETE", allow)
	}
	if h := e.do(req{Method: "GET", Path: "/api/v1/me", Token: "bad"}).Header.Get("WWW-Authenticate"); !strings.Contains(h, `error="invalid_token"`) {
		t.Errorf("WWW-Authenticate for a refused token = %q", h)
	}
	// Nothing above was stored: the failed writes left no trace.
	if n := num(t, e.must(200, req{Method: "GET", Path: postPath}), "comments_count"); n != 3 {
		t.Errorf("comments_count = %d, want 3", n)
	}
	if got := list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts?limit=100"}), "posts"); len(got) != 2 {
		t.Errorf("%d posts after the failures, want 2", len(got))
	}
	e.checkNoPrivateData()
}
