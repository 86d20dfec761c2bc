package ui

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// samplePages holds one filled page struct for every page template, with
// the optional parts set so that every branch that reads a field runs.
func samplePages() map[string]page {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	author := &news.Account{ID: 1, Handle: "daily", Name: "The Daily", Official: "Newspaper", Bio: "News.",
		FollowersCount: 3, FollowingCount: 1, PostsCount: 2, Role: news.RolePublisher}
	post := &news.Post{ID: 7, AuthorID: 1, Author: author, Title: "Title", Slug: "title", Summary: "Sum",
		BodyHTML: "<p>Body</p>", Lang: "en", Tags: []string{"a", "b"}, SourceName: "Wire", SourceURL: "https://wire.example/",
		Status: news.PostPublished, PublishedAt: now, CommentsCount: 2}
	card := postCard{Post: post, URL: "/@daily/title", Excerpt: "Sum", Shown: news.PostPublished}
	sched := card
	sched.Shown = news.PostScheduled
	draft := card
	draft.Shown = news.PostDraft
	guest := &news.Comment{ID: 2, PostID: 7, AuthorName: "Guest", Website: "https://g.example/", BodyHTML: "<p>Hi</p>", CreatedAt: now}
	member := &news.Comment{ID: 3, PostID: 7, ParentID: 2, Depth: 5, AuthorName: "The Daily", AuthorHandle: "daily",
		AuthorOfficial: "Newspaper", BodyHTML: "<p>Yo</p>", CreatedAt: now}
	errs := map[string]string{"name": "n", "email": "e", "website": "w", "body": "b", "parent_id": "p", "handle": "h",
		"password": "pw", "title": "t", "summary": "s", "lang": "l", "tags": "tg", "source_name": "sn", "source_url": "su",
		"publish_at": "pa", "status": "st", "action": "a", "official": "o", "role": "r", "file": "f"}
	return map[string]page{
		"home":    &homePage{Posts: []postCard{card, sched, draft}, OlderURL: "/?cursor=x"},
		"tag":     &tagPage{Tag: "health", Posts: []postCard{card}, OlderURL: "/t/health?cursor=x"},
		"profile": &profilePage{Account: author, Own: true, Posts: []postCard{card}, OlderURL: "/@daily?cursor=x", Drafts: []postCard{draft}, Scheduled: []postCard{sched}, Notice: "The post was deleted."},
		"article": &articlePage{Post: post, Body: template.HTML(post.BodyHTML), URL: "/@daily/title", Shown: news.PostScheduled,
			CanEdit: true, EditURL: "/p/7/edit", CanDelete: true, DeleteURL: "/p/7/delete", Sort: news.SortNew, SortNewURL: "?sort=new", SortOldURL: "?sort=old", MoreURL: "?cursor=x",
			Comments: []commentView{
				{Comment: guest, HTML: "<p>Hi</p>", Anchor: "comment-2", ReplyURL: "?replyto=2#respond", Report: true},
				{Comment: member, HTML: "<p>Yo</p>", Anchor: "comment-3", Level: 4, InReplyTo: "Guest", AuthorURL: "/@daily", ReplyURL: "?replyto=3#respond"},
			},
			Form: commentForm{Action: "/p/7/comments", Guest: true, Name: "N", Email: "e@x.org", Website: "https://x.org", Body: "B",
				ParentID: 2, ReplyingTo: "Guest", CancelURL: "/@daily/title#respond", Message: "Fix it.", Errors: errs, Token: "t.s"},
			Media: &mediaView{Kind: "video", URL: "/media/a.mp4", Poster: "/media/p.jpg", Width: 640, Height: 360, Duration: "1:02",
				Processing: true, Subtitles: []subtitleView{{Lang: "ru", Label: "Русский", URL: "/media/s.vtt"}}},
			Held: []commentView{{Comment: guest, HTML: "<p>Hi</p>", Anchor: "comment-2"}}},
		"signin": &authPage{Handle: "h", Next: "/write", Message: "m", Errors: errs},
		"signup": &authPage{Handle: "h", Name: "n", Email: "e@x.org", Next: "/", Message: "m", Errors: errs},
		"write": &writePage{Heading: "Edit post", Action: "/p/7/edit", PostURL: "/@daily/title", Message: "m", Errors: errs, Uploads: true, DeleteURL: "/p/7/delete",
			Form: postForm{Title: "t", Summary: "s", Body: "b", Lang: "en", Tags: "a, b", SourceName: "W", SourceURL: "https://w.example", PublishAt: "2025-03-02T10:00"}},
		"admin": &adminPage{Handle: "daily", Official: "Newspaper", Role: "publisher", Roles: roles, Done: "Updated.", Message: "m", Errors: errs,
			Media: []media.Capability{{Name: "ffmpeg", OK: false, Note: "not installed"}}},
		"delete_post": &deletePostPage{Post: post, PostURL: "/@daily/title", Action: "/p/7/delete", Message: "Tick the box."},
		"error":       &errorPage{Status: 404, Heading: "Page not found", Message: "Nothing here."},
		// The social pages (social_test.go has the fixtures).
		"headlines":     socialSample("headlines", card, author),
		"timeline":      socialSample("timeline", card, author),
		"notifications": socialSample("notifications", card, author),
		"follows":       socialSample("follows", card, author),
		"admin_jobs": &adminJobsPage{Running: true, Backend: "sqlite", States: jobs.States,
			Kinds:        []jobKindRow{{Kind: "media", Counts: []int64{1, 2, 3, 4, 5, 6, 7, 8}}},
			Failures:     []jobs.Failure{{ID: 9, Kind: "media", State: "retryable", Attempt: 2, MaxAttempts: 5, Error: "<b>x</b>", At: now, NextAt: now}},
			Capabilities: []jobs.Capability{{Name: "ffmpeg", Note: "not found"}, {Name: "ffprobe", OK: true}}},
		// The moderation pages (moderation_test.go has the fixtures).
		"moderation":          moderationSample("moderation", guest, errs),
		"moderation_settings": moderationSample("moderation_settings", guest, errs),
		"report": &reportPage{Comment: &commentView{Comment: guest, HTML: "<p>Hi</p>"}, Error: "Pick a reason.",
			Form: reportForm{Action: "/c/2/report", Back: "/@daily/title", Note: "why <b>"}},
	}
}

// TestTemplates renders every page template with its page type, signed out
// and signed in as an admin, so a broken template fails here.
func TestTemplates(t *testing.T) {
	sf, err := loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(sf.url)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{pages: pages, static: sf, siteName: "Headline", now: time.Now, log: slog.New(slog.DiscardHandler)}
	samples := samplePages()
	for _, name := range pageNames {
		if _, ok := samples[name]; !ok {
			t.Errorf("no sample page for template %q", name)
		}
	}
	admin := &news.Account{ID: 9, Handle: "root", Name: "Root", Role: news.RoleAdmin}
	for _, viewer := range []*news.Account{nil, admin} {
		for name, p := range samplePages() {
			r := httptest.NewRequest("GET", "/x", nil)
			if viewer != nil {
				r = r.WithContext(httpx.WithAccount(r.Context(), viewer))
			}
			w := httptest.NewRecorder()
			if err := s.render(w, r, http.StatusOK, name, p); err != nil {
				t.Errorf("render %s (viewer %v): %v", name, viewer != nil, err)
				continue
			}
			body := w.Body.String()
			if !strings.Contains(body, `<meta name="viewport"`) || !strings.Contains(body, "</html>") {
				t.Errorf("render %s: incomplete page", name)
			}
			if strings.Contains(body, "ZgotmplZ") {
				t.Errorf("render %s: a value was refused by the escaper (ZgotmplZ)", name)
			}
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/",
		"/write":               "/write",
		"/@a/b?x=1#c":          "/@a/b?x=1#c",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"javascript:alert(1)":  "/",
		"/\t/evil.example":     "/",
		"evil":                 "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
