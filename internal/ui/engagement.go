package ui

import (
	"net/http"
	"strconv"

	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// articleSocial is the article page's follow button and post actions.
type articleSocial struct {
	Follow      followButton
	On          bool // engagement is on: show like and share
	Liked       bool
	Likes       int64
	Shares      int64
	ShareURL    string // the absolute address the share button copies
	LikeAction  string
	ShareAction string
	Back        string
}

// articleSocial fills the article's social parts and counts the view.
// The view goes to the in-memory buffer, so the page never waits on a
// counter write. Failures leave the parts out instead of failing the page.
func (s *server) articleSocial(r *http.Request, p *news.Post) articleSocial {
	back := news.PostPath(p)
	out := articleSocial{Follow: s.followButton(r, p.Author, back), Back: back}
	if s.engagement == nil || !p.Visible(s.now()) {
		return out
	}
	reader := engagement.ReaderOf(viewerOf(r), s.guestID(nil, r, false))
	if !viewCounted(r) {
		s.engagement.View(s.viewReader(r), p.ID)
	}
	st, err := s.engagement.Stats(r.Context(), p.ID)
	if err != nil {
		s.log.WarnContext(r.Context(), "post stats", "err", err)
		return out
	}
	liked, err := s.engagement.Liked(r.Context(), reader, []int64{p.ID})
	if err != nil {
		s.log.WarnContext(r.Context(), "liked", "err", err)
		return out
	}
	id := news.PostIDPath(p.ID)
	out.On, out.Liked, out.Likes, out.Shares = true, liked[p.ID], st.Likes, st.Shares
	out.ShareURL, out.LikeAction, out.ShareAction = s.base(r)+news.PostPath(p), id+"/like", id+"/share"
	return out
}

func postID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.Errorf(news.NotFound, "That post does not exist.")
	}
	return id, nil
}

// likePost serves POST /p/{id}/like (like=1 to like, like=0 to take it
// back). Guests are given a guest id cookie, so a like is one per reader
// either way. JSON for app.js, else a 303 back to the post.
func (s *server) likePost(w http.ResponseWriter, r *http.Request) error {
	if s.engagement == nil {
		return s.notFound(w, r)
	}
	id, err := postID(r)
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	reader := engagement.ReaderOf(viewerOf(r), s.guestID(w, r, viewerOf(r) == nil))
	if err := s.limitLike(r, reader); err != nil {
		if wantsJSON(r) {
			httpx.WriteError(w, r, err)
			return nil
		}
		return err
	}
	change := s.engagement.Like
	if r.PostForm.Get("like") == "0" {
		change = s.engagement.Unlike
	}
	res, err := change(r.Context(), reader, id)
	if wantsJSON(r) {
		if err != nil {
			httpx.WriteError(w, r, err)
			return nil
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"liked": res.Liked, "likes": res.Likes})
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, localBack(r.PostForm.Get("back"), news.PostIDPath(id)), http.StatusSeeOther)
	return nil
}

// sharePost serves POST /p/{id}/share: app.js calls it after copying the
// link; without JavaScript the form counts the share and returns to the
// post, whose address bar holds the link.
func (s *server) sharePost(w http.ResponseWriter, r *http.Request) error {
	if s.engagement == nil {
		return s.notFound(w, r)
	}
	id, err := postID(r)
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	n, err := s.engagement.Share(r.Context(), id)
	if wantsJSON(r) {
		if err != nil {
			httpx.WriteError(w, r, err)
			return nil
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"shares": n})
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, localBack(r.PostForm.Get("back"), news.PostIDPath(id)), http.StatusSeeOther)
	return nil
}

// base is the site's public address without a trailing slash: BaseURL,
// else the request's scheme and host.
func (s *server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
