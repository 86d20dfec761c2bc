package ui

import (
	"net/http"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// confirmDeleteValue is what the "Yes, delete this post" box sends. The
// box is the confirmation step without JavaScript: a delete button alone
// is one slip away from losing a post.
const confirmDeleteValue = "yes"

// deletePostPage asks whether to delete a post, and says what goes with it.
type deletePostPage struct {
	Base
	Post    *news.Post
	PostURL string
	Action  string // where the form posts
	Message string
}

// deletableFromPath loads the post in the path if the viewer may delete it.
func (s *server) deletableFromPath(r *http.Request) (*news.Post, error) {
	viewer := viewerOf(r)
	if viewer == nil {
		return nil, news.Errorf(news.Unauthorized, "Sign in to delete posts.")
	}
	p, err := s.postFromPath(r)
	if err != nil {
		return nil, err
	}
	if !publishing.CanDelete(viewer, p) {
		return nil, news.Errorf(news.Forbidden, "Only the author or a moderator can delete this post.")
	}
	return p, nil
}

func newDeletePostPage(p *news.Post, message string) *deletePostPage {
	page := &deletePostPage{Post: p, PostURL: news.PostPath(p), Action: news.PostIDPath(p.ID) + "/delete", Message: message}
	page.Title = "Delete “" + p.Title + "”"
	return page
}

// deletePostForm serves GET /p/{id}/delete: the confirmation page.
func (s *server) deletePostForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.deletableFromPath(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "delete_post", newDeletePostPage(p, ""))
}

// deletePost serves POST /p/{id}/delete. Without the confirmation box
// ticked it shows the confirmation page again (422); with it, it deletes
// the post and redirects (303) to the author's profile, which says so.
func (s *server) deletePost(w http.ResponseWriter, r *http.Request) error {
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	p, err := s.deletableFromPath(r)
	if err != nil {
		return err
	}
	if r.PostForm.Get("confirm") != confirmDeleteValue {
		page := newDeletePostPage(p, "Tick “Yes, delete this post” to delete it.")
		return s.render(w, r, http.StatusUnprocessableEntity, "delete_post", page)
	}
	if err := s.posts.Delete(r.Context(), viewerOf(r), p.ID); err != nil {
		return err
	}
	http.Redirect(w, r, news.AccountPath(p.Author.Handle)+"?deleted=1", http.StatusSeeOther)
	return nil
}
