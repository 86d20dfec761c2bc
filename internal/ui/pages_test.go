package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

var (
	olderRe = regexp.MustCompile(`href="([^"]*)" rel="next">Older posts`)
	moreRe  = regexp.MustCompile(`href="([^"]*)" rel="next">More comments`)
)

// TestPagination follows the cursor links of the home page, a profile and
// a comment thread to their ends.
func TestPagination(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	for i := range 25 {
		e.publish(pub, fmt.Sprintf("Story %02d", i), "Text.")
	}
	post := e.publish(pub, "Talked about", "Text.")
	for i := range 55 {
		_, err := e.comments.Post(t.Context(), nil, discussion.Input{PostID: post.ID, Name: "Ann", Email: "a@example.org",
			Body: fmt.Sprintf("Comment number %02d", i)})
		if err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	for _, start := range []string{"/", "/@daily"} {
		first := b.get(start)
		m := olderRe.FindStringSubmatch(first.body)
		if m == nil || !contains(first.body, "Talked about") || contains(first.body, "Story 00") {
			t.Fatalf("%s: first page wrong", start)
		}
		second := b.get(html.UnescapeString(m[1]))
		wantStatus(t, second, http.StatusOK)
		if !contains(second.body, "Story 00") || olderRe.MatchString(second.body) {
			t.Errorf("%s: second page wrong", start)
		}
	}
	first := b.get(news.PostPath(post))
	if !contains(first.body, "55 Comments") || !contains(first.body, "Comment number 49") || contains(first.body, "Comment number 50") {
		t.Fatal("first page of comments wrong")
	}
	m := moreRe.FindStringSubmatch(first.body)
	if m == nil {
		t.Fatal("no More comments link")
	}
	second := b.get(html.UnescapeString(m[1]))
	wantStatus(t, second, http.StatusOK)
	if !contains(second.body, "Comment number 54") || contains(second.body, "Comment number 49") {
		t.Error("second page of comments wrong")
	}
	wantStatus(t, b.get("/?cursor=not-a-cursor"), http.StatusUnprocessableEntity)
}

// TestTagPage lists posts by tag, in any script, and refuses what is not a
// tag.
func TestTagPage(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	for _, in := range []publishing.Input{
		{Title: "Rail line opens", Body: "Text.", Tags: []string{"transport", "city"}},
		{Title: "新高铁线路开通", Body: "正文。", Lang: "zh", Tags: []string{"交通"}},
		{Title: "Weather", Body: "Cold.", Tags: []string{"weather"}},
	} {
		if _, err := e.posts.Publish(t.Context(), pub, in); err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	got := b.get("/t/transport")
	wantStatus(t, got, http.StatusOK)
	if !contains(got.body, "Rail line opens") || contains(got.body, "Weather") {
		t.Errorf("/t/transport lists the wrong posts")
	}
	got = b.get("/t/" + url.PathEscape("交通"))
	wantStatus(t, got, http.StatusOK)
	if !contains(got.body, "新高铁线路开通") || contains(got.body, "Rail line opens") {
		t.Errorf("/t/交通 lists the wrong posts")
	}
	wantStatus(t, b.get("/t/nothing-here"), http.StatusOK)
	wantStatus(t, b.get("/t/Transport"), http.StatusMovedPermanently)
	wantStatus(t, b.get("/t/"+url.PathEscape("<script>")), http.StatusNotFound)
}
