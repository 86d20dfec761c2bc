package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
)

// TestCommentLikesWithoutJS likes as a guest (given a guest id cookie) and
// as an account through the plain form, then through the JSON answer
// app.js asks for, and checks the refusals.
func TestCommentLikesWithoutJS(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	c, err := e.comments.Post(t.Context(), pub, discussion.Input{PostID: post.ID, Body: "Like me"})
	if err != nil {
		t.Fatal(err)
	}
	like := "/c/" + strconv.FormatInt(c.ID, 10) + "/like"
	guest := e.browser()
	r := guest.post(like, url.Values{"like": {"1"}, "back": {news.PostPath(post)}})
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != news.PostPath(post)+"#"+news.CommentAnchor(c.ID) {
		t.Errorf("like redirects to %q", r.Location())
	}
	guest.post(like, url.Values{"like": {"1"}})
	page := guest.get(news.PostPath(post))
	if !strings.Contains(page.body, `aria-pressed="true"`) || !strings.Contains(page.body, `<span class="like-count">1</span>`) {
		t.Error("the guest's like is not shown once on the page")
	}
	// An off-site back address is not followed.
	r = guest.post(like, url.Values{"like": {"1"}, "back": {"//evil.example/x"}})
	if strings.Contains(r.Location(), "evil") {
		t.Errorf("redirected off site: %q", r.Location())
	}

	reader := e.browser()
	e.account("ann", "Ann", news.RoleReader)
	reader.signIn("ann")
	r = reader.post(like, url.Values{"like": {"1"}}, "Accept", "application/json")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `"likes":2`) || !strings.Contains(r.body, `"liked":true`) {
		t.Errorf("JSON like = %s", r.body)
	}
	r = reader.post(like, url.Values{"like": {"0"}}, "Accept", "application/json")
	if !strings.Contains(r.body, `"likes":1`) || !strings.Contains(r.body, `"liked":false`) {
		t.Errorf("JSON unlike = %s", r.body)
	}
	wantStatus(t, reader.post("/c/999999/like", url.Values{"like": {"1"}}), http.StatusNotFound)
	if err := e.comments.Delete(t.Context(), pub, c.ID); err != nil {
		t.Fatal(err)
	}
	r = reader.post(like, url.Values{"like": {"1"}}, "Accept", "application/json")
	wantStatus(t, r, http.StatusConflict)
}

// TestCommentSortHotPinEditDelete walks the rest of the comment UI.
func TestCommentSortHotPinEditDelete(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	ann := e.account("ann", "Ann", news.RoleReader)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	var cs []*news.Comment
	for i := range 3 {
		c, err := e.comments.Post(t.Context(), ann, discussion.Input{PostID: post.ID, Body: fmt.Sprintf("Comment %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	for i := range discussion.HotMinLikes {
		if _, err := e.comments.Like(t.Context(), nil, news.Reader{GuestID: fmt.Sprintf("guest%017d", i)}, cs[2].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	page := b.get(news.PostPath(post) + "?sort=top")
	wantStatus(t, page, http.StatusOK)
	hot := strings.Index(page.body, "Hot comments")
	if hot < 0 || !strings.Contains(page.body[hot:], "Comment 2") {
		t.Error("no Hot comments block with the liked comment")
	}
	if list := page.body[strings.Index(page.body, "thread-list"):]; strings.Index(list, "Comment 2") > strings.Index(list, "Comment 0") {
		t.Error("sort=top does not put the liked comment first")
	}
	wantStatus(t, b.get(news.PostPath(post)+"?sort=best"), http.StatusUnprocessableEntity)

	// The post's author pins; readers see it marked.
	author := e.browser()
	author.signIn("daily")
	id := func(c *news.Comment) string { return strconv.FormatInt(c.ID, 10) }
	wantStatus(t, author.post("/c/"+id(cs[0])+"/pin", url.Values{"pin": {"1"}}), http.StatusSeeOther)
	if !contains(b.get(news.PostPath(post)).body, "Pinned") {
		t.Error("pinned comment not marked")
	}
	writer := e.browser()
	writer.signIn("ann")
	wantStatus(t, writer.post("/c/"+id(cs[1])+"/pin", url.Values{"pin": {"1"}}), http.StatusForbidden)

	// The writer edits within the window (form on the thread page).
	threadURL := news.PostIDPath(post.ID) + "/c/" + id(cs[1])
	form := writer.get(threadURL + "?edit=1")
	if !strings.Contains(form.body, `action="/c/`+id(cs[1])+`/edit"`) {
		t.Fatal("no edit form on the thread page")
	}
	wantStatus(t, writer.post("/c/"+id(cs[1])+"/edit", url.Values{"body": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, writer.post("/c/"+id(cs[1])+"/edit", url.Values{"body": {"Comment 1, <b>fixed</b>"}}), http.StatusSeeOther)
	page = b.get(news.PostPath(post))
	if !contains(page.body, "fixed") || !contains(page.body, "edited") || strings.Contains(page.body, "<b>fixed") {
		t.Error("edit not shown, not marked or not escaped")
	}
	e.clock.Add(discussion.EditWindow + time.Minute)
	wantStatus(t, writer.post("/c/"+id(cs[1])+"/edit", url.Values{"body": {"late"}}), http.StatusForbidden)

	// A reply, then delete: a placeholder keeps the thread.
	reply, err := e.comments.Post(t.Context(), pub, discussion.Input{PostID: post.ID, ParentID: cs[1].ID, Body: "A reply"})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, writer.post("/c/"+id(cs[1])+"/delete", url.Values{"back": {news.PostPath(post)}}), http.StatusSeeOther)
	page = b.get(news.PostPath(post))
	if !contains(page.body, "Comment deleted") || contains(page.body, "Comment 1, fixed") || !contains(page.body, "A reply") {
		t.Error("deleted comment with a reply is not a placeholder")
	}
	r := b.post(news.PostIDPath(post.ID)+"/comments", url.Values{"name": {"Bo"}, "email": {"bo@example.org"}, "body": {"late"}, "parent_id": {id(cs[1])}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantStatus(t, writer.post("/c/"+id(reply)+"/delete", nil), http.StatusForbidden)
}

// TestRepliesOnDemand shows the first replies of a thread and a link to
// the rest that works without JavaScript.
func TestRepliesOnDemand(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	root, err := e.comments.Post(t.Context(), pub, discussion.Input{PostID: post.ID, Body: "Root"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		if _, err := e.comments.Post(t.Context(), pub, discussion.Input{PostID: post.ID, ParentID: root.ID, Body: fmt.Sprintf("Reply %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	page := b.get(news.PostPath(post))
	if !contains(page.body, "Reply 2") || contains(page.body, "Reply 3") || !contains(page.body, "Show 5 more replies") {
		t.Fatal("article page does not preview three replies with a link to five more")
	}
	link := moreRepliesRe.FindStringSubmatch(page.body)
	if link == nil {
		t.Fatal("no Show more replies link")
	}
	rest := b.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	wantStatus(t, rest, http.StatusOK)
	if !contains(rest.body, "Reply 3") || !contains(rest.body, "Reply 7") || contains(rest.body, "Reply 2") {
		t.Error("the rest of the thread is wrong")
	}
}

var moreRepliesRe = regexp.MustCompile(`<a href="([^"]*)" class="show-more-replies">`)
