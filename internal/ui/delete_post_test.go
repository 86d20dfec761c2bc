package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/headline/headline/internal/news"
)

// TestDeletePostFlow deletes posts the way a person does without
// JavaScript: the form on the edit page, the confirmation box, the
// confirmation page when the box was not ticked, and the profile after.
func TestDeletePostFlow(t *testing.T) {
	e := newEnv(t)
	daily := e.account("daily", "The Daily", news.RolePublisher)
	e.account("rita", "Rita", news.RoleReader)
	e.account("mod", "Mod", news.RoleModerator)
	pub, guest, reader, mod := e.browser(), e.browser(), e.browser(), e.browser()
	pub.signIn("daily")
	reader.signIn("rita")
	mod.signIn("mod")
	p := e.publish(daily, "Retracted story", "Wrong facts.")
	other := e.publish(daily, "Spam story", "Buy now.")
	kept := e.publish(daily, "Kept story", "Fine.")
	del := func(p *news.Post) string { return fmt.Sprintf("/p/%d/delete", p.ID) }
	yes := url.Values{"confirm": {"yes"}}

	// The edit page carries the form; the article a link, for those who may.
	r := pub.get(fmt.Sprintf("/p/%d/edit", p.ID))
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "Delete this post") || !contains(r.body, "Yes, delete this post") {
		t.Fatalf("edit page lacks the delete form:\n%s", text(r.body))
	}
	if r := reader.get(news.PostPath(p)); contains(r.body, "· Delete") {
		t.Error("a reader is offered Delete")
	}
	if r := mod.get(news.PostPath(p)); !contains(r.body, "· Delete") || contains(r.body, "· Edit") {
		t.Errorf("a moderator should get Delete and not Edit:\n%s", text(r.body))
	}

	// Who may not.
	r = guest.get(del(p))
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != "/signin?next="+url.QueryEscape(del(p)) {
		t.Errorf("signed-out confirmation page goes to %q", r.Location())
	}
	wantStatus(t, reader.get(del(p)), http.StatusForbidden)
	wantStatus(t, reader.post(del(p), yes), http.StatusForbidden)
	wantStatus(t, pub.get(news.PostPath(p)), http.StatusOK)

	// Without the box ticked nothing happens: the confirmation page asks.
	r = pub.post(del(p), url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !contains(r.body, "Delete “Retracted story”?") || !contains(r.body, "Tick “Yes, delete this post” to delete it.") {
		t.Fatalf("confirmation page:\n%s", text(r.body))
	}
	wantStatus(t, pub.get(news.PostPath(p)), http.StatusOK)

	// Ticked: gone, and the profile says so.
	r = pub.post(del(p), yes)
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != "/@daily?deleted=1" {
		t.Fatalf("after delete: redirect to %q", r.Location())
	}
	r = pub.get(r.Location())
	if !contains(r.body, "The post was deleted.") || contains(r.body, "Retracted story") || !contains(r.body, "Kept story") {
		t.Fatalf("profile after delete:\n%s", text(r.body))
	}
	if !contains(r.body, "2 posts") {
		t.Errorf("profile count after delete:\n%s", text(r.body))
	}
	wantStatus(t, guest.get(news.PostPath(p)), http.StatusNotFound)
	wantStatus(t, pub.post(del(p), yes), http.StatusNotFound)

	// A moderator takes down another's post through the confirmation page.
	r = mod.get(del(other))
	wantStatus(t, r, http.StatusOK)
	if !contains(r.body, "Yes, delete this post") {
		t.Fatalf("confirmation page:\n%s", text(r.body))
	}
	r = mod.post(del(other), yes)
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != "/@daily?deleted=1" {
		t.Errorf("moderator delete goes to %q", r.Location())
	}
	wantStatus(t, guest.get(news.PostPath(other)), http.StatusNotFound)
	wantStatus(t, guest.get(news.PostPath(kept)), http.StatusOK)
}
