package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// threadPageSize is how many replies a thread page shows at once.
const threadPageSize = 50

// reader is who the request is for likes: the signed-in account, else the
// browser's guest id, given one first when create is set. w may be nil
// when create is not set.
func (s *server) reader(w http.ResponseWriter, r *http.Request, create bool) news.Reader {
	if a := viewerOf(r); a != nil {
		return news.Reader{AccountID: a.ID}
	}
	return news.Reader{GuestID: s.guestID(w, r, create)}
}

// commentID reads the {cid} or {id} path value naming a comment.
func commentID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.Errorf(news.NotFound, "That comment does not exist.")
	}
	return id, nil
}

// commentThread serves GET /p/{id}/c/{cid}: one comment and a page of its
// replies, in thread order, after ?cursor=; ?edit=1 opens its edit form.
// It is where "Show more replies" leads without JavaScript (app.js loads
// the same page and moves its replies in place).
func (s *server) commentThread(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postFromPath(r)
	if err != nil {
		return err
	}
	cid, err := commentID(r, "cid")
	if err != nil {
		return err
	}
	page, err := s.threadPage(r, p, cid, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("edit") == "1" && page.Thread.CanEdit {
		page.Editing, page.EditBody = page.Thread, page.Thread.Body
	}
	return s.render(w, r, http.StatusOK, "article", page)
}

func (s *server) threadPage(r *http.Request, p *news.Post, cid int64, cursor string) (*articlePage, error) {
	c, rp, err := s.comments.Replies(r.Context(), viewerOf(r), cid, cursor, threadPageSize)
	if err != nil {
		return nil, err
	}
	if c.PostID != p.ID {
		return nil, news.Errorf(news.NotFound, "That comment does not exist.")
	}
	page := s.newArticlePage(r, p)
	threadURL := news.PostIDPath(p.ID) + "/c/" + strconv.FormatInt(c.ID, 10)
	vc := s.viewContext(r, p, threadURL, "", "")
	root := vc.view(c)
	root.Level = 0
	page.Thread, page.Path = &root, threadURL
	page.Comments = append([]commentView{root}, vc.replies(c, rp.Comments)...)
	if rp.NextCursor != "" {
		page.MoreURL = threadURL + "?cursor=" + url.QueryEscape(rp.NextCursor)
	}
	page.Form.ParentID, page.Form.ReplyingTo = c.ID, c.AuthorName
	if c.Placeholder() {
		page.Form.ParentID, page.Form.ReplyingTo = 0, ""
	}
	return page, s.markLiked(r, page)
}

// likeComment serves POST /c/{id}/like (like=1 to like, like=0 to take it
// back). Guests are given a guest id cookie. A script asking for JSON gets
// {"likes","liked"}; a form gets a 303 back to the comment.
func (s *server) likeComment(w http.ResponseWriter, r *http.Request) error {
	id, err := commentID(r, "id")
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	on := r.PostForm.Get("like") != "0"
	l, err := s.comments.LikeFrom(r.Context(), viewerOf(r), s.reader(w, r, true), httpx.ClientIP(r), id, on)
	if wantsJSON(r) {
		if err != nil {
			httpx.WriteError(w, r, err)
			return nil
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"likes": l.Likes, "liked": l.Liked})
		return nil
	}
	if err != nil {
		return err
	}
	return s.backTo(w, r, id)
}

// editComment serves POST /c/{id}/edit. A problem with the text shows the
// thread page again with the form open and the message.
func (s *server) editComment(w http.ResponseWriter, r *http.Request) error {
	id, err := commentID(r, "id")
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	body := r.PostForm.Get("body")
	c, err := s.comments.Edit(r.Context(), viewerOf(r), id, body)
	if err == nil {
		http.Redirect(w, r, news.PostIDPath(c.PostID)+"/c/"+strconv.FormatInt(id, 10)+"#"+news.CommentAnchor(id), http.StatusSeeOther)
		return nil
	}
	if news.ErrorCode(err) != news.Invalid {
		return err
	}
	old, cerr := s.comments.Comment(r.Context(), viewerOf(r), id)
	if cerr != nil {
		return cerr
	}
	p, perr := s.posts.Get(r.Context(), viewerOf(r), old.PostID)
	if perr != nil {
		return perr
	}
	page, perr := s.threadPage(r, p, id, "")
	if perr != nil {
		return perr
	}
	page.Editing, page.EditBody, page.EditError = page.Thread, shown(body), news.ErrorMessage(err)
	return s.render(w, r, httpx.Status(err), "article", page)
}

// deleteComment serves POST /c/{id}/delete.
func (s *server) deleteComment(w http.ResponseWriter, r *http.Request) error {
	id, err := commentID(r, "id")
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	if err := s.comments.Delete(r.Context(), viewerOf(r), id); err != nil {
		return err
	}
	return s.backTo(w, r, id)
}

// pinComment serves POST /c/{id}/pin (pin=1 to pin, pin=0 to unpin).
func (s *server) pinComment(w http.ResponseWriter, r *http.Request) error {
	id, err := commentID(r, "id")
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	if _, err := s.comments.Pin(r.Context(), viewerOf(r), id, r.PostForm.Get("pin") != "0"); err != nil {
		return err
	}
	return s.backTo(w, r, id)
}

// backTo redirects (303) to the form's "back" address, a path on this
// site, at the comment. Anything else (another site, "//host") is
// replaced by the comment's own thread page.
func (s *server) backTo(w http.ResponseWriter, r *http.Request, id int64) error {
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") || strings.ContainsAny(back, "#\r\n") {
		c, err := s.comments.Comment(r.Context(), viewerOf(r), id)
		if err != nil {
			back = "/"
		} else {
			back = news.PostIDPath(c.PostID)
		}
	}
	http.Redirect(w, r, back+"#"+news.CommentAnchor(id), http.StatusSeeOther)
	return nil
}

// wantsJSON reports whether the request is app.js asking for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}
