package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// Page sizes of GET /api/v1/posts/{id}/comments.
const (
	defaultCommentsLimit = 50
	maxCommentsLimit     = 200
)

// commentJSON is one comment. It never carries the guest's email, IP or
// user agent.
type commentJSON struct {
	ID           int64             `json:"id"`
	PostID       int64             `json:"post_id"`
	ParentID     *int64            `json:"parent_id"`
	URL          string            `json:"url"`
	Author       commentAuthorJSON `json:"author"`
	BodyHTML     string            `json:"body_html"`
	Likes        int64             `json:"likes"`
	RepliesCount int64             `json:"replies_count"`
	Depth        int               `json:"depth"`
	CreatedAt    time.Time         `json:"created_at"`
	EditedAt     *time.Time        `json:"edited_at"`
	Pinned       bool              `json:"pinned"`
	Deleted      bool              `json:"deleted"` // a "comment deleted" placeholder: no author, no body
}

// commentAuthorJSON is who wrote a comment: an account (handle set) or a
// guest (handle null, website as given, possibly "").
type commentAuthorJSON struct {
	Name     string  `json:"name"`
	Handle   *string `json:"handle"`
	Official string  `json:"official"`
	Website  string  `json:"website"`
	URL      *string `json:"url"`
}

func (s *server) comment(r *http.Request, c *news.Comment) commentJSON {
	base := s.base(r)
	out := commentJSON{
		ID: c.ID, PostID: c.PostID, URL: base + news.PostIDPath(c.PostID) + "#" + news.CommentAnchor(c.ID),
		Author:   commentAuthorJSON{Name: c.AuthorName, Official: c.AuthorOfficial, Website: c.Website},
		BodyHTML: c.BodyHTML, Likes: c.LikesCount, RepliesCount: c.RepliesCount, Depth: c.Depth, CreatedAt: utc(c.CreatedAt),
	}
	if c.ParentID != 0 {
		id := c.ParentID
		out.ParentID = &id
	}
	out.EditedAt, out.Pinned = utcOrNil(c.EditedAt), !c.PinnedAt.IsZero()
	if c.Placeholder() {
		out.Deleted, out.Author, out.BodyHTML = true, commentAuthorJSON{}, ""
		return out
	}
	if c.AccountID != 0 && c.AuthorHandle != "" {
		h, u := c.AuthorHandle, base+news.AccountPath(c.AuthorHandle)
		out.Author.Handle, out.Author.URL = &h, &u
	}
	return out
}

// listComments handles GET /api/v1/posts/{id}/comments: a flat page of
// published comments, each with its parent_id, for clients that build
// threads themselves. parent_id narrows to the direct replies of one
// comment; top_level=true to comments without a parent.
func (s *server) listComments(w http.ResponseWriter, r *http.Request) error {
	postID, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sort, err := discussion.ParseSort(q.Get("sort"))
	if err != nil {
		return err
	}
	limit, err := queryLimit(r, defaultCommentsLimit, maxCommentsLimit)
	if err != nil {
		return err
	}
	dq := discussion.Query{Sort: sort, Cursor: q.Get("cursor"), Limit: limit}
	switch q.Get("top_level") {
	case "", "false":
	case "true":
		dq.TopLevel = true
	default:
		return invalid("top_level", "top_level must be true or false.", "must be true or false")
	}
	if v := q.Get("parent_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 || dq.TopLevel {
			return invalid("parent_id", "parent_id must be a comment id, without top_level.", "must be a positive integer, and not combined with top_level")
		}
		dq.ParentID = id
	}
	page, err := s.Comments.List(r.Context(), httpx.Account(r.Context()), postID, dq)
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

// commentInput is the body of POST /api/v1/posts/{id}/comments. Name, Email
// and Website are read only from guests; a token holder comments as their
// account.
type commentInput struct {
	Body     string `json:"body"`
	ParentID *int64 `json:"parent_id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Website  string `json:"website"`
}

// createComment handles POST /api/v1/posts/{id}/comments: 201 with the
// comment, or 202 when it is held for moderation.
func (s *server) createComment(w http.ResponseWriter, r *http.Request) error {
	postID, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	var in commentInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	var parent int64
	if in.ParentID != nil {
		if *in.ParentID <= 0 {
			return invalid("parent_id", "parent_id must be a comment id.", "must be a positive integer or null")
		}
		parent = *in.ParentID
	}
	c, dup, err := s.Comments.Write(r.Context(), httpx.Account(r.Context()), discussion.Input{
		PostID: postID, ParentID: parent, Body: in.Body, Name: in.Name, Email: in.Email, Website: in.Website,
		IP: httpx.ClientIP(r), UserAgent: r.UserAgent(),
	})
	if err != nil {
		return err
	}
	out := s.comment(r, c)
	if dup && c.Status == news.CommentPublished {
		// The same comment sent again within seconds: the first one.
		w.Header().Set("Location", out.URL)
		httpx.WriteJSON(w, http.StatusOK, out)
		return nil
	}
	if c.Status != news.CommentPublished {
		w.Header().Set("Location", out.URL)
		httpx.WriteJSON(w, http.StatusAccepted, out)
		return nil
	}
	return created(w, out.URL, out)
}
