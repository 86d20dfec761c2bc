package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
)

// newModeratedEnv is newEnv with moderation on, as serve wires it.
func newModeratedEnv(t *testing.T) *env {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	clk := &clock{t: time.Date(2030, 3, 4, 10, 0, 15, 0, time.UTC)}
	store.Now = clk.Now
	acc := accounts.New(store, clk.Now)
	mod := moderation.New(store, clk.Now, slog.New(slog.DiscardHandler))
	h := New(Deps{Accounts: acc, Posts: publishing.New(store, clk.Now), Comments: discussion.New(store, clk.Now).WithModeration(mod),
		Log: slog.New(slog.DiscardHandler), BaseURL: testBase, Now: clk.Now, Moderation: mod})
	return &env{t: t, h: h, srv: h.(*server), clock: clk, accounts: acc}
}

func TestModerationQueueAPI(t *testing.T) {
	e := newModeratedEnv(t)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	mod := e.account("mod", news.RoleModerator, "mod@example.org", "")
	reader := e.account("reader", news.RoleReader, readerEmail, "")
	post := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"T","body":"B"}`})
	postID := num(t, post, "id")
	comments := fmt.Sprintf("/api/v1/posts/%d/comments", postID)

	held := e.must(http.StatusAccepted, req{Method: "POST", Path: comments,
		Body: `{"name":"G","email":"g@example.org","body":"https://a.example https://b.example https://c.example https://d.example"}`})
	id := num(t, held, "id")
	if got := list(t, e.must(http.StatusOK, req{Method: "GET", Path: comments}), "comments"); len(got) != 0 {
		t.Fatalf("public list shows the held comment: %v", got)
	}
	queue := "/api/v1/moderation/comments?status=pending"
	e.must(http.StatusUnauthorized, req{Method: "GET", Path: queue})
	e.must(http.StatusForbidden, req{Method: "GET", Path: queue, Token: reader})
	e.must(http.StatusUnprocessableEntity, req{Method: "GET", Path: "/api/v1/moderation/comments?status=everything", Token: mod})
	q := list(t, e.must(http.StatusOK, req{Method: "GET", Path: queue, Token: mod}), "comments")
	if len(q) != 1 || num(t, q[0], "id") != id || q[0]["status"] != "pending" || q[0]["email"] != "g@example.org" {
		t.Fatalf("queue = %v", q)
	}
	if rs, _ := q[0]["reasons"].([]any); len(rs) != 1 || rs[0] != "4 links" {
		t.Fatalf("reasons = %v, want [4 links]", q[0]["reasons"])
	}
	// The author sees it too (it is on their post), without email and IP.
	aq := list(t, e.must(http.StatusOK, req{Method: "GET", Path: queue, Token: pub}), "comments")
	if len(aq) != 1 || aq[0]["email"] != nil || aq[0]["ip"] != nil {
		t.Fatalf("author's queue = %v, want the comment without email or IP", aq)
	}

	act := "/api/v1/moderation/comments"
	bad := e.do(req{Method: "POST", Path: act, Token: mod, Body: `{"ids":[` + strconv.FormatInt(id, 10) + `],"action":"explode"}`})
	if bad.Status != http.StatusUnprocessableEntity || obj(t, obj(t, bad.JSON(t), "error"), "fields")["action"] == nil {
		t.Fatalf("unknown action: %d %s", bad.Status, bad.Body)
	}
	e.must(http.StatusUnprocessableEntity, req{Method: "POST", Path: act, Token: mod, Body: `{"ids":[],"action":"approve"}`})
	e.must(http.StatusForbidden, req{Method: "POST", Path: act, Token: pub, Body: `{"ids":[` + strconv.FormatInt(id, 10) + `],"action":"ban"}`})
	e.must(http.StatusNotFound, req{Method: "POST", Path: act, Token: mod, Body: `{"ids":[999999],"action":"approve"}`})
	done := list(t, e.must(http.StatusOK, req{Method: "POST", Path: act, Token: pub, Body: `{"ids":[` + strconv.FormatInt(id, 10) + `],"action":"approve"}`}), "comments")
	if len(done) != 1 || done[0]["status"] != "published" {
		t.Fatalf("approve = %v", done)
	}
	if n := num(t, e.must(http.StatusOK, req{Method: "GET", Path: fmt.Sprintf("/api/v1/posts/%d", postID)}), "comments_count"); n != 1 {
		t.Fatalf("comments_count after approval = %d, want 1", n)
	}

	report := fmt.Sprintf("/api/v1/comments/%d/report", id)
	e.must(http.StatusUnauthorized, req{Method: "POST", Path: report, Body: `{"reason":"spam"}`})
	if r := e.must(http.StatusOK, req{Method: "POST", Path: report, Token: reader, Body: `{"reason":"spam","note":"ads"}`}); r["new"] != true {
		t.Fatalf("first report: %v", r)
	}
	if r := e.must(http.StatusOK, req{Method: "POST", Path: report, Token: reader, Body: `{"reason":"abuse"}`}); r["new"] != false {
		t.Fatalf("second report by the same reader: %v", r)
	}
	e.must(http.StatusUnprocessableEntity, req{Method: "POST", Path: report, Token: mod, Body: `{"reason":"boring"}`})
	rq := list(t, e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/moderation/comments?status=reported", Token: mod}), "comments")
	if len(rq) != 1 || num(t, rq[0], "reports") != 1 {
		t.Fatalf("reported queue = %v", rq)
	}
	// Trash the published comment: the count drops.
	e.must(http.StatusOK, req{Method: "POST", Path: act, Token: mod, Body: `{"ids":[` + strconv.FormatInt(id, 10) + `],"action":"trash"}`})
	if n := num(t, e.must(http.StatusOK, req{Method: "GET", Path: fmt.Sprintf("/api/v1/posts/%d", postID)}), "comments_count"); n != 0 {
		t.Fatalf("comments_count after trash = %d, want 0", n)
	}
}

func TestFloodFromOneIPIs429(t *testing.T) {
	e := newModeratedEnv(t)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	post := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"T","body":"B"}`})
	comments := fmt.Sprintf("/api/v1/posts/%d/comments", num(t, post, "id"))
	// Every post from another guest email: only the per-IP limit (20 a
	// minute by default) applies.
	for i := range 20 {
		e.must(http.StatusCreated, req{Method: "POST", Path: comments,
			Body: fmt.Sprintf(`{"name":"G","email":"g%d@example.org","body":"comment %d"}`, i, i)})
	}
	r := e.do(req{Method: "POST", Path: comments, Body: `{"name":"G","email":"late@example.org","body":"one too many"}`})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("21st comment from one IP: %d %s", r.Status, r.Body)
	}
	if ra := r.Header.Get("Retry-After"); ra != "45" {
		t.Fatalf("Retry-After = %q, want 45 (the clock is 15 s into the minute)", ra)
	}
	if code := obj(t, r.JSON(t), "error")["code"]; code != "too_many_requests" {
		t.Fatalf("error code %v", code)
	}
	e.clock.Advance(45 * time.Second)
	e.must(http.StatusCreated, req{Method: "POST", Path: comments, Body: `{"name":"G","email":"later@example.org","body":"next minute"}`})
}

func TestModerationSettingsAPI(t *testing.T) {
	e := newModeratedEnv(t)
	admin := e.account("root", news.RoleAdmin, "root@example.org", "")
	mod := e.account("mod", news.RoleModerator, "mod@example.org", "")
	paper := e.account("paper", news.RolePublisher, publisherEmail, "Newspaper")
	e.account("plain", news.RolePublisher, "plain@example.org", "")
	path := "/api/v1/moderation/settings"
	e.must(http.StatusUnauthorized, req{Method: "GET", Path: path})
	e.must(http.StatusForbidden, req{Method: "GET", Path: path, Token: mod})
	got := e.must(http.StatusOK, req{Method: "GET", Path: path, Token: admin})
	if num(t, got, "comments_per_minute") != 5 || num(t, got, "max_links") != 3 || got["override"] != false {
		t.Fatalf("default settings = %v", got)
	}
	// A GET answer sent back with changes is accepted.
	got["blocked_words"] = []string{"Casino", "casino"}
	got["hold_first_time"] = true
	put := e.must(http.StatusOK, req{Method: "PUT", Path: path, Token: admin, Body: jsonBody(t, got)})
	if ws, _ := put["blocked_words"].([]any); len(ws) != 1 || ws[0] != "casino" || put["hold_first_time"] != true {
		t.Fatalf("PUT answer = %v, want the normalized blocklist", put)
	}
	bad := e.do(req{Method: "PUT", Path: path, Token: admin, Body: `{"max_links":-5,"blocked_ips":["nope"]}`})
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad settings: %d %s", bad.Status, bad.Body)
	}
	if f := obj(t, obj(t, bad.JSON(t), "error"), "fields"); f["max_links"] == nil || f["blocked_ips"] == nil {
		t.Fatalf("bad settings fields = %v", f)
	}
	e.must(http.StatusBadRequest, req{Method: "PUT", Path: path, Token: admin, Body: `{"hold_everything":true}`})

	e.must(http.StatusUnprocessableEntity, req{Method: "PUT", Path: path + "?account=plain", Token: admin, Body: `{"hold_all":true}`})
	e.must(http.StatusNotFound, req{Method: "GET", Path: path + "?account=nobody", Token: admin})
	over := e.must(http.StatusOK, req{Method: "PUT", Path: path + "?account=paper", Token: admin, Body: `{"hold_all":true}`})
	if over["override"] != true || over["hold_all"] != true {
		t.Fatalf("override = %v", over)
	}
	post := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/posts", Token: paper, Body: `{"title":"T","body":"B"}`})
	comments := fmt.Sprintf("/api/v1/posts/%d/comments", num(t, post, "id"))
	// The paper's own settings hold a guest's comment on its post; a
	// moderator's is trusted.
	e.must(http.StatusAccepted, req{Method: "POST", Path: comments, Body: `{"name":"G","email":"g@example.org","body":"held"}`})
	e.must(http.StatusCreated, req{Method: "POST", Path: comments, Token: mod, Body: `{"body":"trusted"}`})
	back := e.must(http.StatusOK, req{Method: "DELETE", Path: path + "?account=paper", Token: admin})
	if back["override"] != false || back["hold_first_time"] != true {
		t.Fatalf("after dropping the override = %v, want the site's", back)
	}
}
