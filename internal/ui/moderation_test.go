package ui_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// newModeratedEnv is newEnv with moderation on, as serve wires it.
func newModeratedEnv(t *testing.T) (*env, *moderation.Service) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2025, 3, 1, 12, 0, 10, 0, time.UTC)}
	st.Now = clk.Now
	mod := moderation.New(st, clk.Now, slog.New(slog.DiscardHandler))
	e := &env{t: t, clock: clk, accounts: accounts.New(st, clk.Now), posts: publishing.New(st, clk.Now),
		comments: discussion.New(st, clk.Now).WithModeration(mod)}
	h, err := ui.New(ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler), Moderation: mod, Engagement: engagement.New(st, clk.Now)})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e, mod
}

var tokenRe = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// guestForm reads the article page and returns the form's fields as a
// browser would send them, with the signed token.
func guestForm(t *testing.T, b *browser, path, body string) url.Values {
	t.Helper()
	page := b.get(path)
	wantStatus(t, page, http.StatusOK)
	m := tokenRe.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the guest form has no form_token:\n%s", page.body)
	}
	if !strings.Contains(page.body, `name="homepage"`) || !strings.Contains(page.body, "Leave this field empty") ||
		strings.Contains(page.body, `type="hidden" name="homepage"`) {
		t.Fatal("the guest form lacks a labelled honeypot field hidden by CSS")
	}
	return url.Values{"name": {"Ann Guest"}, "email": {"ann@example.com"}, "body": {body}, "form_token": {m[1]}, "homepage": {""}}
}

func TestHeldGuestCommentShownToItsWriterOnly(t *testing.T) {
	e, _ := newModeratedEnv(t)
	author := e.account("daily", "The Daily", news.RolePublisher)
	mod := e.account("mod", "Mo Derator", news.RoleModerator)
	_ = mod
	post := e.publish(author, "Links", "Body")
	path := news.PostPath(post)
	writer, other := e.browser(), e.browser()

	form := guestForm(t, writer, path, "Read https://a.example https://b.example https://c.example https://d.example")
	e.clock.Add(5 * time.Second)
	r := writer.post(news.PostIDPath(post.ID)+"/comments", form)
	wantStatus(t, r, http.StatusSeeOther)
	if !strings.HasSuffix(r.Location(), "#held-comments") {
		t.Fatalf("redirect to %q, want the held comments", r.Location())
	}
	mine := writer.get(path)
	if !contains(mine.body, "Your comment is awaiting moderation.") || !contains(mine.body, "https://d.example") {
		t.Fatalf("the writer does not see the held comment:\n%s", text(mine.body))
	}
	theirs := other.get(path)
	if contains(theirs.body, "awaiting moderation") || contains(theirs.body, "https://d.example") {
		t.Fatal("another browser sees the held comment")
	}
	if contains(theirs.body, "1 Comment") {
		t.Fatal("the held comment is counted")
	}

	m := e.browser()
	m.signIn("mod")
	q := m.get("/moderation")
	wantStatus(t, q, http.StatusOK)
	if !contains(q.body, "4 links") || !contains(q.body, "Ann Guest") {
		t.Fatalf("the queue does not list the held comment with its reason:\n%s", text(q.body))
	}
	id := regexp.MustCompile(`name="ids" value="(\d+)"`).FindStringSubmatch(q.body)
	if id == nil {
		t.Fatal("no check box in the queue")
	}
	r = m.post("/moderation", url.Values{"status": {"pending"}, "ids": {id[1]}, "action": {"approve"}})
	wantStatus(t, r, http.StatusSeeOther)
	done := m.get(r.Location())
	if !contains(done.body, "1 comment approved.") || !contains(done.body, "Nothing here.") {
		t.Fatalf("after approving:\n%s", text(done.body))
	}
	now := other.get(path)
	if !contains(now.body, "https://d.example") || !contains(now.body, "1 Comment") {
		t.Fatalf("the approved comment is not shown to others:\n%s", text(now.body))
	}
}

func TestGuestFormProblemsKeepWhatWasTyped(t *testing.T) {
	e, mod := newModeratedEnv(t)
	author := e.account("daily", "The Daily", news.RolePublisher)
	admin := e.account("root", "Root", news.RoleAdmin)
	post := e.publish(author, "Form", "Body")
	path := news.PostPath(post)
	b := e.browser()

	form := guestForm(t, b, path, "A thoughtful comment, kept.")
	form.Set("form_token", form.Get("form_token")+"0")
	r := b.post(news.PostIDPath(post.ID)+"/comments", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !contains(r.body, "This form is too old or was changed") || !strings.Contains(r.body, "A thoughtful comment, kept.") ||
		!strings.Contains(r.body, `value="Ann Guest"`) {
		t.Fatalf("a tampered form is not shown again with its text:\n%s", text(r.body))
	}

	// Over the limit: 429 with Retry-After, the form shown again as typed.
	// Refused attempts count too, so the tampered form above was the
	// first of this minute's two.
	s, _, _ := mod.Settings(context.Background(), 0)
	s.CommentsPerMinute = 2
	if err := mod.SaveSettings(context.Background(), admin, 0, s); err != nil {
		t.Fatal(err)
	}
	form = guestForm(t, b, path, "first")
	e.clock.Add(4 * time.Second)
	wantStatus(t, b.post(news.PostIDPath(post.ID)+"/comments", form), http.StatusSeeOther)
	form = guestForm(t, b, path, "second, too soon")
	e.clock.Add(4 * time.Second)
	r = b.post(news.PostIDPath(post.ID)+"/comments", form)
	wantStatus(t, r, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q, want 1..60 seconds", r.Header.Get("Retry-After"))
	}
	if !contains(r.body, "You are posting comments too fast") || !strings.Contains(r.body, "second, too soon") {
		t.Fatalf("429 page does not keep the comment:\n%s", text(r.body))
	}
}

func TestReportAndSettingsPages(t *testing.T) {
	e, _ := newModeratedEnv(t)
	author := e.account("daily", "The Daily", news.RolePublisher)
	e.account("root", "Root", news.RoleAdmin)
	e.account("mod", "Mo", news.RoleModerator)
	post := e.publish(author, "Reports", "Body")
	c, err := e.comments.Post(context.Background(), author, discussion.Input{PostID: post.ID, Body: "Something rude"})
	if err != nil {
		t.Fatal(err)
	}
	reader := e.browser()
	cid := strconv.FormatInt(c.ID, 10)
	page := reader.get(news.PostPath(post))
	// A link under each comment, and the form once on the page (app.js
	// shows it under the comment), not a form per comment.
	if !strings.Contains(page.body, `href="/c/`+cid+`/report?back=`) || strings.Count(page.body, `class="report-form"`) != 1 ||
		!strings.Contains(page.body, `<template id="report-form-template">`) {
		t.Fatal("article page: want a report link per comment and one report form template")
	}
	// Without JavaScript the link opens the report page.
	form := reader.get("/c/" + cid + "/report?back=" + url.QueryEscape(news.PostPath(post)))
	wantStatus(t, form, http.StatusOK)
	if !strings.Contains(form.body, `action="/c/`+cid+`/report"`) || !contains(form.body, "Something rude") ||
		!strings.Contains(form.body, `name="back" value="`+news.PostPath(post)+`"`) {
		t.Fatalf("report page:\n%s", text(form.body))
	}
	wantStatus(t, reader.get("/c/999999/report"), http.StatusNotFound)
	// A refused report comes back as the form, with the note kept.
	r := reader.post("/c/"+cid+"/report", url.Values{"reason": {"nonsense"}, "note": {"kept <note>"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "kept &lt;note&gt;</textarea>") || !strings.Contains(r.body, `class="report-form"`) {
		t.Fatalf("refused report:\n%s", text(r.body))
	}
	r = reader.post("/c/"+cid+"/report", url.Values{"reason": {"abuse"}, "note": {"insulting"}, "back": {news.PostPath(post)}})
	wantStatus(t, r, http.StatusSeeOther)

	m := e.browser()
	m.signIn("mod")
	q := m.get("/moderation?status=reported")
	if !contains(q.body, "1 report") || !contains(q.body, "Something rude") {
		t.Fatalf("reported queue:\n%s", text(q.body))
	}
	wantStatus(t, m.get("/moderation/settings"), http.StatusForbidden)
	r = m.post("/moderation", url.Values{"status": {"reported"}, "one": {"dismiss:" + strconv.FormatInt(c.ID, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	if q := m.get("/moderation?status=reported"); !contains(q.body, "Nothing here.") {
		t.Fatal("the dismissed report is still queued")
	}

	reader2 := e.browser()
	reader2.signIn("daily")
	if r := reader2.get("/moderation"); r.StatusCode != http.StatusOK {
		t.Fatalf("an author's queue: %d", r.StatusCode)
	}
	// A guest's email is for moderators: an author's queue does not show it.
	if _, err := e.comments.Post(context.Background(), nil, discussion.Input{PostID: post.ID, Name: "Gil", Email: "gil-private@example.com",
		Body: "https://a.example https://b.example https://c.example https://d.example"}); err != nil {
		t.Fatal(err)
	}
	if r := reader2.get("/moderation"); !contains(r.body, "Gil") || strings.Contains(r.body, "gil-private@example.com") {
		t.Fatalf("an author's queue shows a guest's email, or not the comment:\n%s", text(r.body))
	}
	if r := m.get("/moderation"); !strings.Contains(r.body, "gil-private@example.com") {
		t.Fatal("a moderator's queue lacks the guest's email")
	}
	r = reader2.post("/moderation", url.Values{"status": {"pending"}, "one": {"ban:" + strconv.FormatInt(c.ID, 10)}})
	wantStatus(t, r, http.StatusForbidden)
	if !contains(r.body, "Only moderators can ban commenters.") {
		t.Fatalf("an author's ban: %s", text(r.body))
	}

	a := e.browser()
	a.signIn("root")
	s := a.get("/moderation/settings")
	wantStatus(t, s, http.StatusOK)
	bad := url.Values{"max_links": {"many"}, "min_fill_seconds": {"3"}, "comments_per_minute": {"5"}, "comments_per_minute_ip": {"20"},
		"likes_per_minute": {"60"}, "likes_per_minute_ip": {"120"}, "blocked_words": {"casino\nbingo"}}
	r = a.post("/moderation/settings", bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !contains(r.body, "Enter a whole number.") || !strings.Contains(r.body, "casino\nbingo") || !strings.Contains(r.body, `value="many"`) {
		t.Fatalf("bad settings not shown again as typed:\n%s", text(r.body))
	}
	bad.Set("max_links", "1")
	wantStatus(t, a.post("/moderation/settings", bad), http.StatusSeeOther)
	if s := a.get("/moderation/settings"); !strings.Contains(s.body, "casino\nbingo") || !strings.Contains(s.body, `name="max_links" type="number" value="1"`) {
		t.Fatal("saved settings are not shown")
	}
}

func TestLikeRateLimit(t *testing.T) {
	e, mod := newModeratedEnv(t)
	author := e.account("daily", "The Daily", news.RolePublisher)
	admin := e.account("root", "Root", news.RoleAdmin)
	post := e.publish(author, "Likes", "Body")
	s, _, _ := mod.Settings(context.Background(), 0)
	s.LikesPerMinute = 2
	if err := mod.SaveSettings(context.Background(), admin, 0, s); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	like := func(v string) *resp {
		return b.post(news.PostIDPath(post.ID)+"/like", url.Values{"like": {v}}, "Accept", "application/json")
	}
	wantStatus(t, like("1"), http.StatusOK)
	wantStatus(t, like("0"), http.StatusOK)
	r := like("1")
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" || !strings.Contains(r.body, "You are liking too fast.") {
		t.Fatalf("third like in a minute: Retry-After %q, body %s", r.Header.Get("Retry-After"), r.body)
	}
	// Without JavaScript: the error page, with the header too.
	r = b.post(news.PostIDPath(post.ID)+"/like", url.Values{"like": {"1"}})
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 page without Retry-After")
	}
}

func TestHeldAccountCommentShownToItsWriterOnly(t *testing.T) {
	e, mod := newModeratedEnv(t)
	author := e.account("daily", "The Daily", news.RolePublisher)
	admin := e.account("root", "Root", news.RoleAdmin)
	e.account("newbie", "New Reader", news.RoleReader)
	e.account("other", "Other Reader", news.RoleReader)
	post := e.publish(author, "First timers", "Body")
	s, _, _ := mod.Settings(context.Background(), 0)
	s.HoldFirstTime = true
	if err := mod.SaveSettings(context.Background(), admin, 0, s); err != nil {
		t.Fatal(err)
	}
	writer, other := e.browser(), e.browser()
	writer.signIn("newbie")
	other.signIn("other")
	r := writer.post(news.PostIDPath(post.ID)+"/comments", url.Values{"body": {"My very first comment"}})
	wantStatus(t, r, http.StatusSeeOther)
	if page := writer.get(news.PostPath(post)); !contains(page.body, "Your comment is awaiting moderation.") || !contains(page.body, "My very first comment") {
		t.Fatalf("the signed-in writer does not see their held comment:\n%s", text(page.body))
	}
	if page := other.get(news.PostPath(post)); contains(page.body, "My very first comment") {
		t.Fatal("another account sees the held comment")
	}
}
