package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

func postForm(title, action string) url.Values {
	return url.Values{"title": {title}, "summary": {"A summary."}, "body": {"Some **bold** text."}, "lang": {"en"},
		"tags": {"World, Politics"}, "action": {action}}
}

func TestPublishingFlow(t *testing.T) {
	e := newEnv(t)
	e.account("daily", "The Daily", news.RolePublisher)
	e.account("root", "Root", news.RoleAdmin)
	e.account("rita", "Rita", news.RoleReader)
	pub, guest, reader, admin := e.browser(), e.browser(), e.browser(), e.browser()
	pub.signIn("daily")
	reader.signIn("rita")
	admin.signIn("root")

	// Who may write.
	r := guest.get("/write")
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != "/signin?next=%2Fwrite" {
		t.Errorf("signed-out /write goes to %q", r.Location())
	}
	wantStatus(t, reader.get("/write"), http.StatusForbidden)
	wantStatus(t, reader.post("/write", postForm("Nope", "publish")), http.StatusForbidden)
	r = pub.get("/write")
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "Publish at (UTC)") || !contains(r.body, "Save draft") || !contains(r.body, "Write") {
		t.Error("write form incomplete")
	}

	// A draft: only its author sees it.
	r = pub.post("/write", postForm("Draft story", "draft"))
	wantStatus(t, r, http.StatusSeeOther)
	draftURL := r.Location()
	if draftURL != "/@daily/draft-story" {
		t.Errorf("draft at %q", draftURL)
	}
	wantStatus(t, guest.get(draftURL), http.StatusNotFound)
	wantStatus(t, reader.get(draftURL), http.StatusNotFound)
	r = pub.get(draftURL)
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "This is a draft.") || !contains(r.body, "Edit") {
		t.Error("draft page lacks its banner or Edit link")
	}
	if r := pub.get("/@daily"); !contains(r.body, "Drafts Draft story") {
		t.Error("profile does not list the author's draft")
	}
	if r := guest.get("/@daily"); contains(r.body, "Draft story") {
		t.Error("profile shows a draft to a guest")
	}

	// Scheduled: visible once its time comes.
	at := e.clock.Now().Add(time.Hour).Format("2006-01-02T15:04")
	form := postForm("Scheduled story", "schedule")
	form.Set("publish_at", at)
	r = pub.post("/write", form)
	wantStatus(t, r, http.StatusSeeOther)
	schedURL := r.Location()
	wantStatus(t, guest.get(schedURL), http.StatusNotFound)
	if r := pub.get(schedURL); !contains(r.body, "Scheduled: this post will be published on 1 Mar 2025, 13:00 UTC.") {
		t.Errorf("scheduled banner missing:\n%s", text(r.body))
	}
	if r := guest.get("/"); contains(r.body, "Scheduled story") {
		t.Error("home shows a scheduled post early")
	}
	form.Set("publish_at", "2020-01-01T00:00")
	r = pub.post("/write", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !contains(r.body, "The publishing time must be in the future.") || !strings.Contains(r.body, `value="2020-01-01T00:00"`) {
		t.Error("past schedule not explained, or the time was lost")
	}
	e.clock.Add(2 * time.Hour)
	wantStatus(t, guest.get(schedURL), http.StatusOK)
	if r := guest.get("/"); !contains(r.body, "Scheduled story") {
		t.Error("home does not show the post after its time")
	}

	// Published now, with tags and a source credit.
	form = postForm("Breaking story", "publish")
	form.Set("source_name", "Wire Service")
	form.Set("source_url", "https://wire.example/story")
	r = pub.post("/write", form)
	wantStatus(t, r, http.StatusSeeOther)
	postURL := r.Location()
	r = guest.get(postURL)
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{`<a href="https://wire.example/story" rel="noopener">Wire Service</a>`, "<strong>bold</strong>",
		`<time datetime="2025-03-01T14:00:00Z">`, `href="/t/world"`, "A summary."} {
		if !strings.Contains(r.body, want) {
			t.Errorf("article lacks %s", want)
		}
	}
	if !contains(r.body, "Originally published by Wire Service") || contains(r.body, "Edit") {
		t.Error("credit missing, or a guest sees Edit")
	}
	if r := guest.get("/"); !contains(r.body, "Breaking story") || !contains(r.body, "A summary.") {
		t.Error("home lacks the post")
	}

	// Editing: the author may, a reader may not.
	id := postID(t, pub, postURL)
	r = pub.get("/p/" + id + "/edit")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `value="Breaking story"`) || !strings.Contains(r.body, `value="world, politics"`) {
		t.Error("edit form not prefilled")
	}
	wantStatus(t, reader.get("/p/"+id+"/edit"), http.StatusForbidden)
	form.Set("title", "Breaking story, updated")
	r = pub.post("/p/"+id+"/edit", form)
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != postURL {
		t.Errorf("edit moved the post to %q", r.Location())
	}
	if r := guest.get(postURL); !contains(r.body, "Breaking story, updated") {
		t.Error("edit not shown")
	}

	// The admin marks the publisher official; the badge shows.
	wantStatus(t, reader.get("/admin"), http.StatusForbidden)
	wantStatus(t, reader.post("/admin/accounts", url.Values{"handle": {"daily"}, "official": {"Newspaper"}}), http.StatusForbidden)
	r = admin.get("/admin")
	wantStatus(t, r, http.StatusOK)
	r = admin.post("/admin/accounts", url.Values{"handle": {"daily"}, "official": {"Newspaper"}, "role": {"publisher"}})
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "Updated @daily: role publisher, official “Newspaper”.") {
		t.Errorf("admin result missing:\n%s", text(r.body))
	}
	r = admin.post("/admin/accounts", url.Values{"handle": {"nobody"}, "official": {"X"}})
	wantStatus(t, r, http.StatusNotFound)
	if !contains(r.body, "No account has that handle.") {
		t.Error("unknown handle not explained")
	}
	r = guest.get(postURL)
	if !strings.Contains(r.body, `<span class="badge" title="Verified official account">Newspaper</span>`) {
		t.Error("official badge not on the article")
	}
	if !contains(admin.get("/").body, "Admin") || !contains(pub.get("/").body, "Write") {
		t.Error("header lacks Admin or Write")
	}
}

// postID finds the id of the post at path from its Edit link.
func postID(t *testing.T, b *browser, path string) string {
	t.Helper()
	body := b.get(path).body
	i := strings.Index(body, `class="edit-link" href="/p/`)
	if i < 0 {
		t.Fatalf("no edit link on %s", path)
	}
	rest := body[i+len(`class="edit-link" href="/p/`):]
	return rest[:strings.IndexByte(rest, '/')]
}

func TestPostURLs(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	b := e.browser()
	for _, title := range []string{"北京新闻：今天的头条", "Новости дня", "Hello, World!"} {
		p := e.publish(pub, title, "Text.")
		r := b.get(news.PostIDPath(p.ID))
		wantStatus(t, r, http.StatusMovedPermanently)
		if r.Location() != news.PostPath(p) {
			t.Errorf("%s: /p/%d redirects to %q, want %q", title, p.ID, r.Location(), news.PostPath(p))
		}
		r = b.get(r.Location())
		wantStatus(t, r, http.StatusOK)
		if !contains(r.body, title) {
			t.Errorf("%s: the readable URL does not show the post", title)
		}
		if home := b.get("/"); !strings.Contains(home.body, `href="`+news.PostPath(p)+`"`) {
			t.Errorf("%s: home does not link the readable URL", title)
		}
	}
	zh, err := e.posts.Publish(t.Context(), pub, publishingInput("中文标题", "zh"))
	if err != nil {
		t.Fatal(err)
	}
	if r := b.get(news.PostPath(zh)); !strings.Contains(r.body, `<html lang="zh">`) {
		t.Error("article lang not from the post")
	}
	wantStatus(t, b.get("/daily"), http.StatusNotFound)
	wantStatus(t, b.get("/daily/hello-world"), http.StatusNotFound)
	wantStatus(t, b.get("/@nobody"), http.StatusNotFound)
	wantStatus(t, b.get("/@daily/no-such-post"), http.StatusNotFound)
	wantStatus(t, b.get("/p/abc"), http.StatusNotFound)
	wantStatus(t, b.get("/a/b/c"), http.StatusNotFound)
	wantStatus(t, b.get("/@daily"), http.StatusOK)
	if r := b.get("/@Daily"); r.StatusCode != http.StatusMovedPermanently || r.Location() != "/@daily" {
		t.Errorf("/@Daily: %d %q", r.StatusCode, r.Location())
	}
}

func TestStatic(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	home := b.get("/").body
	for _, name := range []string{"style.css", "app.js"} {
		i := strings.Index(home, "/static/"+name+"?v=")
		if i < 0 {
			t.Fatalf("home does not link %s with a hash", name)
		}
		link := home[i : i+strings.IndexByte(home[i:], '"')]
		r := b.get(link)
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		if r := b.get("/static/" + name); r.Header.Get("Cache-Control") != "public, max-age=3600" {
			t.Errorf("%s without hash: Cache-Control %q", name, r.Header.Get("Cache-Control"))
		}
	}
	if ct := b.get("/static/style.css").Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("style.css: %s", ct)
	}
	wantStatus(t, b.get("/static/nope.js"), http.StatusNotFound)
}

func publishingInput(title, lang string) publishing.Input {
	return publishing.Input{Title: title, Body: "Text.", Lang: lang}
}
