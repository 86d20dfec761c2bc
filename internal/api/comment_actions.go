package api

import (
	"net/http"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// likeJSON is the state of the caller's like of a comment.
type likeJSON struct {
	CommentID int64 `json:"comment_id"`
	Likes     int64 `json:"likes"`
	Liked     bool  `json:"liked"`
}

// likeComment handles POST and DELETE /api/v1/comments/{id}/like. It needs
// a token: the API reads no cookies, so it has no guest id to count a
// guest's like once (guests like on the site). 404 for a missing or held
// comment, 409 for a deleted one.
func (s *server) likeComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "comment")
	if err != nil {
		return err
	}
	a := httpx.Account(r.Context())
	if a == nil {
		return news.Errorf(news.Unauthorized, "Liking needs an API token.")
	}
	l, err := s.Comments.LikeFrom(r.Context(), a, news.Reader{AccountID: a.ID}, httpx.ClientIP(r), id, r.Method == http.MethodPost)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, likeJSON{CommentID: id, Likes: l.Likes, Liked: l.Liked})
	return nil
}

// editInput is the body of PATCH /api/v1/comments/{id}.
type editInput struct {
	Body string `json:"body"`
}

// editComment handles PATCH /api/v1/comments/{id}: its writer within the
// edit window, or a moderator.
func (s *server) editComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "comment")
	if err != nil {
		return err
	}
	var in editInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.Comments.Edit(r.Context(), httpx.Account(r.Context()), id, in.Body)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s.comment(r, c))
	return nil
}

// deleteComment handles DELETE /api/v1/comments/{id}: 200 {"id","deleted"}
// (a JSON body, like every answer of this API). A comment with
// replies stays as a placeholder ("deleted": true).
func (s *server) deleteComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "comment")
	if err != nil {
		return err
	}
	if err := s.Comments.Delete(r.Context(), httpx.Account(r.Context()), id); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "deleted": true})
	return nil
}

// pinComment handles POST and DELETE /api/v1/comments/{id}/pin: the post's
// author and moderators; 409 beyond the pins a post may have.
func (s *server) pinComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "comment")
	if err != nil {
		return err
	}
	c, err := s.Comments.Pin(r.Context(), httpx.Account(r.Context()), id, r.Method == http.MethodPost)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s.comment(r, c))
	return nil
}

// listReplies handles GET /api/v1/comments/{id}/replies: the whole
// subtree under a comment in thread order (each reply after its parent),
// a page at a time by cursor.
func (s *server) listReplies(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "comment")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r, defaultCommentsLimit, maxCommentsLimit)
	if err != nil {
		return err
	}
	_, page, err := s.Comments.Replies(r.Context(), httpx.Account(r.Context()), id, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	out := struct {
		Comments   []commentJSON `json:"comments"`
		NextCursor *string       `json:"next_cursor"`
	}{Comments: make([]commentJSON, 0, len(page.Comments)), NextCursor: cursorJSON(page.NextCursor)}
	for _, c := range page.Comments {
		out.Comments = append(out.Comments, s.comment(r, c))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
