package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

func TestGuestCommentRoundTrip(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Storm warning", "Rain all week.")
	guest := e.browser()

	const email = "very-secret-guest@example.org"
	r := guest.post(news.PostIDPath(post.ID)+"/comments", url.Values{"name": {"Ann Guest"}, "email": {email},
		"website": {"https://ann.example/"}, "body": {"Stay dry, everyone."}})
	wantStatus(t, r, http.StatusSeeOther)
	loc, err := url.Parse(r.Location())
	if err != nil || loc.Path != news.PostPath(post) || !strings.HasPrefix(loc.Fragment, "comment-") {
		t.Fatalf("redirect to %q, want %s#comment-N", r.Location(), news.PostPath(post))
	}

	page := guest.get(loc.Path)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Stay dry, everyone.", "Ann Guest", `id="` + loc.Fragment + `"`,
		`href="https://ann.example/" rel="nofollow ugc noopener"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("article lacks %q", want)
		}
	}
	if !contains(page.body, "1 Comment") {
		t.Errorf("article lacks the count heading %q", "1 Comment")
	}
	if strings.Contains(page.body, "No comments yet") {
		t.Error("article says there are no comments")
	}
	// The guest's email is private: not on any page, for anyone.
	reader := e.browser()
	reader.signIn("daily")
	for _, b := range []*browser{guest, reader} {
		for _, path := range []string{"/", loc.Path, news.AccountPath("daily"), news.PostIDPath(post.ID) + "?sort=new", loc.Path + "?sort=new"} {
			r := b.get(path)
			if r.StatusCode >= 400 {
				t.Errorf("GET %s: %d", path, r.StatusCode)
			}
			if strings.Contains(r.body, email) || strings.Contains(r.body, "very-secret-guest") {
				t.Errorf("GET %s shows the guest's email", path)
			}
		}
	}
}

func TestEmptyArticleAndForm(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")

	r := e.browser().get(news.PostPath(post))
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "No comments yet. Why don't you start the discussion?") {
		t.Error("missing the no-comments sentence")
	}
	for _, want := range []string{"Leave a Reply", "Your email address will not be published. Required fields are marked *",
		"Name *", "Email *", "Website", "Comment *", "Post Comment"} {
		if !contains(r.body, want) {
			t.Errorf("guest form lacks %q", want)
		}
	}
	for _, want := range []string{`id="respond"`, `<label for="c-name">`, `name="email" type="email"`, `name="website" type="url"`,
		`<textarea id="c-body" name="body"`, fmt.Sprintf(`maxlength="%d"`, news.MaxCommentBody), `<html lang="en">`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("guest form lacks %q", want)
		}
	}

	// Signed in, the form asks only for the comment.
	b := e.browser()
	e.account("reader", "Rita Reader", news.RoleReader)
	b.signIn("reader")
	r = b.get(news.PostPath(post))
	if !contains(r.body, "Logged in as Rita Reader. Sign out?") {
		t.Error("signed-in form lacks the logged-in line")
	}
	if strings.Contains(r.body, `name="email"`) || strings.Contains(r.body, "will not be published") {
		t.Error("signed-in form asks for guest fields")
	}
	c := b.post(news.PostIDPath(post.ID)+"/comments", url.Values{"body": {"First!"}})
	wantStatus(t, c, http.StatusSeeOther)
	r = b.get(news.PostPath(post))
	if !strings.Contains(r.body, `<a class="comment-author" href="/@reader">Rita Reader</a>`) {
		t.Error("an account's comment does not link to its profile")
	}
}

func TestCommentFormErrorsKeepInput(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	good := url.Values{"name": {`Ann "the" <Guest>`}, "email": {"ann@example.org"}, "website": {"https://ann.example/?a=1&b=2"},
		"body": {"Hello <b>world</b> & \"friends\"\n</textarea><script>alert(1)</script>"}}
	cases := []struct {
		field, value, msg string
	}{
		{"name", "", "Name is required."},
		{"email", "not-an-email", "Enter an email address like name@example.com."},
		{"website", "javascript:alert(1)", "Website must be a web address starting with http:// or https://."},
		{"body", "  ", "Comment is required."},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(tc.field, tc.value)
			r := e.browser().post(news.PostIDPath(post.ID)+"/comments", form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if !strings.Contains(r.body, `id="c-`+tc.field+`-error">`+tc.msg) {
				t.Errorf("no message %q next to %s", tc.msg, tc.field)
			}
			if !strings.Contains(r.body, `role="alert">Please correct the marked field.`) {
				t.Error("no message at the top of the form")
			}
			for _, f := range []string{"name", "email", "website"} {
				if want := `name="` + f + `" type="` + map[string]string{"name": "text", "email": "email", "website": "url"}[f] +
					`" value="` + escape(form.Get(f)) + `"`; !strings.Contains(r.body, want) {
					t.Errorf("typed %s not kept: want %s", f, want)
				}
			}
			if tc.field != "body" && !strings.Contains(r.body, ">"+escape(form.Get("body"))+"</textarea>") {
				t.Error("typed comment not kept")
			}
			assertSafe(t, "re-rendered form", r.body)
		})
	}
}

// escape is what html/template makes of a value in text or an attribute.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

func TestCommentErrors(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	b := e.browser()
	form := url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "body": {"Hi"}, "parent_id": {"999999"}}

	r := b.post(news.PostIDPath(post.ID)+"/comments", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "The comment you are replying to no longer exists.") || !strings.Contains(r.body, `name="parent_id" value="999999"`) {
		t.Errorf("unknown parent: no message on the form or parent_id lost\n%s", r.body)
	}

	r = b.post("/p/424242/comments", form)
	wantStatus(t, r, http.StatusNotFound)
	if !contains(r.body, "Page not found") {
		t.Error("unknown post: not the 404 page")
	}

	big := url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "body": {strings.Repeat("a", news.MaxRequestBytes+10)}}
	r = b.post(news.PostIDPath(post.ID)+"/comments", big)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if !contains(r.body, "The request is too large") {
		t.Error("413 page lacks its message")
	}
}

func TestThreads(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	b := e.browser()
	parent := ""
	var ids []string
	for i := range 7 { // depths 0 … 6
		r := b.post(news.PostIDPath(post.ID)+"/comments", url.Values{"name": {fmt.Sprintf("Writer%d", i)},
			"email": {"w@example.org"}, "body": {fmt.Sprintf("Comment at depth %d", i)}, "parent_id": {parent}})
		wantStatus(t, r, http.StatusSeeOther)
		loc, _ := url.Parse(r.Location())
		parent = strings.TrimPrefix(loc.Fragment, "comment-")
		ids = append(ids, parent)
	}
	// The article shows the first replies of the thread and a link to
	// the rest; the thread page shows them all.
	r := b.get(news.PostPath(post))
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "Show more replies") || contains(r.body, "Comment at depth 4") {
		t.Error("the article page does not stop after the first replies")
	}
	r = b.get(news.PostIDPath(post.ID) + "/c/" + ids[0])
	wantStatus(t, r, http.StatusOK)
	for i, id := range ids {
		level := min(i, 4)
		if want := fmt.Sprintf(`class="comment level-%d" id="comment-%s"`, level, id); !strings.Contains(r.body, want) {
			t.Errorf("depth %d: want %s", i, want)
		}
	}
	if !contains(r.body, "in reply to Writer4") || !contains(r.body, "in reply to Writer5") {
		t.Error("flattened replies do not say whom they answer")
	}
	if strings.Contains(r.body, "in reply to Writer3") {
		t.Error("a reply that is nested says 'in reply to'")
	}
	if !contains(b.get(news.PostPath(post)).body, "7 Comments") {
		t.Error("count heading wrong")
	}

	// Without JavaScript, Reply loads the page with the form set to reply.
	r = b.get(news.PostPath(post) + "?replyto=" + ids[2])
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `name="parent_id" value="`+ids[2]+`"`) || !contains(r.body, "Replying to Writer2 · cancel") {
		t.Error("?replyto does not set up the form")
	}
	if !strings.Contains(r.body, `href="`+news.PostPath(post)+`?replyto=`+ids[2]+`#respond"`) {
		t.Error("no Reply link")
	}

	r = b.get(news.PostPath(post) + "?sort=new")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `href="`+news.PostPath(post)+`?sort=new#comments" aria-current="true"`) {
		t.Error("sort=new is not marked as the current order")
	}
}
