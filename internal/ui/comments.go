package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
)

// commentForm is the state of the "Leave a Reply" form: empty, replying to
// a comment, or sent back with what the person typed and what was wrong.
type commentForm struct {
	Action     string
	Guest      bool   // ask for name, email and website
	ViewerName string // the signed-in account's name
	Name       string
	Email      string
	Website    string
	Body       string
	ParentID   int64
	ReplyingTo string // the name of the parent's author, when known
	CancelURL  string
	Message    string
	Errors     map[string]string
	// Token is the signed moment the guest form was shown (moderation's
	// minimum fill time); "" when moderation is off.
	Token string
}

// postComment serves POST /p/{id}/comments. Success redirects (303) to the
// new comment; a problem with the input shows the article again with the
// messages next to the fields and everything typed still in them.
func (s *server) postComment(w http.ResponseWriter, r *http.Request) error {
	post, err := s.postFromPath(r)
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	in := discussion.Input{PostID: post.ID, Body: r.PostForm.Get("body"), Name: r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"), Website: r.PostForm.Get("website"),
		IP: httpx.ClientIP(r), UserAgent: r.UserAgent()}
	if viewerOf(r) == nil {
		// A guest's held comment is shown to the browser that wrote it,
		// which the guest cookie names.
		in.GuestID = s.guestID(w, r, true)
		if s.moderation != nil {
			in.Form = &moderation.Form{Honeypot: r.PostForm.Get(honeypotField), Token: r.PostForm.Get("form_token")}
		}
	}
	parentErr := ""
	if raw := strings.TrimSpace(r.PostForm.Get("parent_id")); raw != "" && raw != "0" {
		id, perr := strconv.ParseInt(raw, 10, 64)
		if perr != nil || id <= 0 {
			parentErr = "That is not a comment you can reply to."
		}
		in.ParentID = id
	}
	var c *news.Comment
	if parentErr != "" {
		err = &news.Error{Code: news.Invalid, Message: parentErr, Fields: map[string]string{"parent_id": parentErr}}
	} else {
		c, err = s.comments.Post(r.Context(), viewerOf(r), in)
	}
	if err == nil {
		anchor := news.CommentAnchor(c.ID)
		if c.Status != news.CommentPublished {
			anchor = "held-comments"
		}
		http.Redirect(w, r, news.PostPath(post)+"#"+anchor, http.StatusSeeOther)
		return nil
	}
	if news.ErrorCode(err) == news.NotFound && in.ParentID > 0 {
		// The post exists (we just loaded it), so what is missing is the
		// comment being replied to: a problem with this form, not a 404.
		msg := "The comment you are replying to no longer exists."
		err = &news.Error{Code: news.Invalid, Message: msg, Fields: map[string]string{"parent_id": msg}, Err: err}
	}
	if !formError(err) {
		return err
	}
	page, perr := s.articlePage(r, post, "", "")
	if perr != nil {
		return perr
	}
	f := &page.Form
	f.Name, f.Email, f.Website, f.Body = shown(in.Name), shown(in.Email), shown(in.Website), shown(in.Body)
	f.ParentID, f.Message, f.Errors = in.ParentID, news.ErrorMessage(err), news.ErrorFields(err)
	if f.ParentID > 0 {
		f.ReplyingTo = page.nameOf(f.ParentID)
	}
	if in.Form != nil && news.ErrorFields(err)["form"] == "" {
		// Sent back for another reason: the form keeps the moment it was
		// first shown, so fixing a field does not count as filling it fast.
		f.Token = in.Form.Token
	}
	httpx.SetRetryAfter(w, err)
	return s.render(w, r, httpx.Status(err), "article", page)
}

// formError reports whether err is about what was typed, so the form is
// shown again, rather than a reason to show an error page.
func formError(err error) bool {
	switch news.ErrorCode(err) {
	case news.Invalid, news.Conflict, news.TooMany, news.Unauthorized:
		return true
	}
	return false
}

// shown is a typed value as it goes back into a form: bytes that are not
// valid UTF-8 become U+FFFD, so the page stays valid text.
func shown(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// honeypotField is the name of the guest form's trap field: hidden from
// people by CSS (not type=hidden, which robots skip), labelled for screen
// readers to leave empty.
const honeypotField = "homepage"
