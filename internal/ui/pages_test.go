package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
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
