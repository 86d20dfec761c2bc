package api

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// TestDraftsAndScheduled: unpublished posts are 404 to everyone but their
// author (and moderators), who sees them with status draft or scheduled;
// a scheduled post appears by itself when its time comes.
func TestDraftsAndScheduled(t *testing.T) {
	e := newEnv(t, testBase)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	rival := e.account("weekly", news.RolePublisher, "", "")
	reader := e.account("reader", news.RoleReader, readerEmail, "")
	mod := e.account("mod", news.RoleModerator, "", "")

	draft := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"Draft","status":"draft"}`})
	if draft["status"] != "draft" || draft["published_at"] != nil {
		t.Errorf("draft = %v", draft)
	}
	at := e.clock.Now().Add(time.Hour)
	sched := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub,
		Body: fmt.Sprintf(`{"title":"Later","body":"Soon.","status":"scheduled","publish_at":%q}`, at.Format(time.RFC3339))})
	if sched["status"] != "scheduled" || sched["published_at"] != at.Format(time.RFC3339) {
		t.Errorf("scheduled = %v", sched)
	}
	// "published" with a future time is scheduled too, given in any zone.
	at2 := at.Add(time.Hour).In(time.FixedZone("UTC+8", 8*3600))
	sched2 := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub,
		Body: fmt.Sprintf(`{"title":"Later still","body":"Soon.","publish_at":%q}`, at2.Format(time.RFC3339))})
	if sched2["status"] != "scheduled" || sched2["published_at"] != at2.UTC().Format(time.RFC3339) {
		t.Errorf("published in the future = %v (want published_at in UTC)", sched2)
	}

	hidden := map[string]map[string]any{"draft": draft, "scheduled": sched}
	for name, p := range hidden {
		path := fmt.Sprintf("/api/v1/posts/%d", num(t, p, "id"))
		for who, token := range map[string]string{"guest": "", "reader": reader, "another publisher": rival} {
			for _, q := range []req{
				{Method: "GET", Path: path, Token: token},
				{Method: "GET", Path: path + "/comments", Token: token},
				{Method: "POST", Path: path + "/comments", Token: token, Body: `{"body":"x","name":"n","email":"` + guestEmail + `"}`},
			} {
				if r := e.do(q); r.Status != 404 || obj(t, r.JSON(t), "error")["code"] != "not_found" {
					t.Errorf("%s %s %s as %s: %d %s, want 404", name, q.Method, q.Path, who, r.Status, r.Body)
				}
			}
		}
		for who, token := range map[string]string{"author": pub, "moderator": mod} {
			got := e.must(200, req{Method: "GET", Path: path, Token: token})
			if got["status"] != name {
				t.Errorf("%s as %s: status %v", name, who, got["status"])
			}
			_, hasMD := got["body_markdown"]
			if hasMD != (who == "author") {
				t.Errorf("%s as %s: body_markdown present = %v", name, who, hasMD)
			}
		}
	}

	// Lists show neither, except to the author asking for them.
	if n := len(list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts", Token: pub}), "posts")); n != 0 {
		t.Errorf("public list has %d posts, want 0", n)
	}
	ds := list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts?author=daily&status=draft", Token: pub}), "posts")
	if len(ds) != 1 || ds[0]["status"] != "draft" {
		t.Errorf("drafts = %v", ds)
	}
	ss := list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts?author=daily&status=scheduled", Token: pub}), "posts")
	if len(ss) != 2 || ss[0]["status"] != "scheduled" {
		t.Errorf("scheduled = %v", ss)
	}
	e.must(403, req{Method: "GET", Path: "/api/v1/posts?author=daily&status=scheduled"})

	// The author publishes the draft by editing it.
	dpath := fmt.Sprintf("/api/v1/posts/%d", num(t, draft, "id"))
	pubd := e.must(200, req{Method: "PATCH", Path: dpath, Token: pub, Body: `{"status":"published","body":"Now with text."}`})
	if pubd["status"] != "published" || pubd["published_at"] != e.clock.Now().Format(time.RFC3339) || pubd["title"] != "Draft" {
		t.Errorf("published draft = %v", pubd)
	}
	e.must(200, req{Method: "GET", Path: dpath})

	// Time passes: the first scheduled post is out, to everyone.
	spath := fmt.Sprintf("/api/v1/posts/%d", num(t, sched, "id"))
	e.clock.Advance(time.Hour + time.Second)
	if got := e.must(200, req{Method: "GET", Path: spath}); got["status"] != "published" {
		t.Errorf("after its time the scheduled post is %v", got["status"])
	}
	e.must(201, req{Method: "POST", Path: spath + "/comments", Body: `{"body":"At last","name":"n","email":"` + guestEmail + `"}`})
	ids := list(t, e.must(200, req{Method: "GET", Path: "/api/v1/posts"}), "posts")
	if len(ids) != 2 || num(t, ids[0], "id") != num(t, sched, "id") {
		t.Errorf("public list after an hour = %v", ids)
	}
	if got := e.must(200, req{Method: "GET", Path: fmt.Sprintf("/api/v1/posts/%d", num(t, sched2, "id")), Token: pub}); got["status"] != "scheduled" {
		t.Errorf("the later post is %v, want still scheduled", got["status"])
	}
	if r := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/posts/%d", num(t, sched2, "id"))}); r.Status != 404 {
		t.Errorf("the later post to a guest: %d", r.Status)
	}
	e.checkNoPrivateData()
}

// TestHostileInput sends what attackers send. Each must be refused with a
// 4xx, or come back with body_html that holds no executable markup.
func TestHostileInput(t *testing.T) {
	e := newEnv(t, testBase)
	pub := e.account("daily", news.RolePublisher, publisherEmail, "")
	post := e.must(201, req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: `{"title":"Target","body":"x"}`})
	cpath := fmt.Sprintf("/api/v1/posts/%d/comments", num(t, post, "id"))

	bodies := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<svg onload=alert(1)>`,
		`<iframe src="https://evil.example"></iframe>`,
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[click](  javascript:alert(1))`,
		`<a href="javascript:alert(1)">x</a>`,
		`![x](javascript:alert(1))`,
		`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`"><script>alert(1)</script>`,
		`<p style="background:url(javascript:alert(1))">x</p>`,
		`{{.}} {{template "x"}} ${7*7}`,
		"javascript:alert(1)",
		"https://ok.example/\"onmouseover=\"alert(1)",
		"<<script>script>alert(1)<</script>/script>",
		"text \u202e reversed",
	}
	for i, b := range bodies {
		for _, kind := range []string{"post", "comment"} {
			var q req
			if kind == "post" {
				q = req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: jsonBody(t, map[string]any{"title": fmt.Sprintf("Hostile %d %s", i, b), "body": b})}
			} else {
				q = req{Method: "POST", Path: cpath, Body: jsonBody(t, map[string]any{"body": b, "name": "<b>Eve</b>", "email": guestEmail, "website": "https://eve.example/"})}
			}
			r := e.do(q)
			if r.Status >= 400 && r.Status < 500 {
				continue
			}
			if r.Status != 201 {
				t.Errorf("%s %q: status %d", kind, b, r.Status)
				continue
			}
			if strings.Contains(string(r.Body), "<") {
				t.Errorf("%s %q: raw JSON contains '<'; WriteJSON should escape it", kind, b)
			}
			html, _ := r.JSON(t)["body_html"].(string)
			if bad := unsafeHTML(html); bad != "" {
				t.Errorf("%s %q: body_html has %s: %s", kind, b, bad, html)
			}
		}
	}
	// A name with an RTL override is refused; markup in a name is kept as
	// text for clients to escape.
	if r := e.do(req{Method: "POST", Path: cpath, Body: jsonBody(t, map[string]any{"body": "x", "name": "Eve\u202etxt.exe", "email": guestEmail})}); r.Status != 422 {
		t.Errorf("RTL override in name: %d", r.Status)
	}
	cs := list(t, e.must(200, req{Method: "GET", Path: cpath + "?limit=200"}), "comments")
	for _, c := range cs {
		if bad := unsafeHTML(c["body_html"].(string)); bad != "" {
			t.Errorf("listed comment %v has %s", c["body_html"], bad)
		}
	}
	e.checkNoPrivateData()
}

// unsafeHTML names the first executable construct in h, or "".
func unsafeHTML(h string) string {
	l := strings.ToLower(h)
	for _, tag := range []string{"<script", "<iframe", "<svg", "<object", "<embed", "<style", "<math", "<form", "<base", "<meta", "<link"} {
		if strings.Contains(l, tag) {
			return tag
		}
	}
	if m := eventAttrRe.FindString(l); m != "" {
		return m
	}
	if m := badURLRe.FindString(l); m != "" {
		return m
	}
	if m := styleAttrRe.FindString(l); m != "" {
		return m
	}
	return ""
}

var (
	eventAttrRe = regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`)
	styleAttrRe = regexp.MustCompile(`<[^>]*\sstyle\s*=`)
	badURLRe    = regexp.MustCompile(`(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|data|vbscript):`)
)

// TestUnsafeHTML checks the checker: it must see live markup and pass
// escaped text.
func TestUnsafeHTML(t *testing.T) {
	for _, h := range []string{`<script>x</script>`, `<img src=x onerror=alert(1)>`, `<a href="javascript:x">`, `<a HREF = 'data:text/html,x'>`, `<p style="x">`, `<SVG>`} {
		if unsafeHTML(h) == "" {
			t.Errorf("unsafeHTML(%q) found nothing", h)
		}
	}
	for _, h := range []string{`<p>&lt;script&gt;</p>`, `<p>javascript:alert(1)</p>`, `<a href="https://x.example/?onerror=1" rel="nofollow">onload=x</a>`, `<p>style=x</p>`} {
		if bad := unsafeHTML(h); bad != "" {
			t.Errorf("unsafeHTML(%q) = %q, want none", h, bad)
		}
	}
}
