package ui

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// reportForm is the form that reports a comment. The article page holds
// it once, for app.js to show under the comment a reader reports; without
// JavaScript the "Report" link opens it on a page of its own.
type reportForm struct {
	Action string // POST /c/{id}/report; app.js sets it on the article page
	Back   string // where to return after the report
	Suffix string // makes the fields' ids unique on the page
	Note   string // what the reader typed, when the form comes back
}

// reportPage is GET /c/{id}/report: the comment quoted, and the form.
type reportPage struct {
	Base
	Comment *commentView
	Form    reportForm
	Error   string
}

// reportCommentForm serves GET /c/{id}/report.
func (s *server) reportCommentForm(w http.ResponseWriter, r *http.Request) error {
	return s.showReport(w, r, http.StatusOK, "", "")
}

// showReport renders the report page of the comment in the path, with an
// error message and the note typed when a report was refused.
func (s *server) showReport(w http.ResponseWriter, r *http.Request, status int, msg, note string) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	id, err := commentID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.comments.Comment(r.Context(), viewerOf(r), id)
	if err != nil {
		return err
	}
	if c.Placeholder() {
		return news.Errorf(news.NotFound, "That comment was deleted.")
	}
	back := r.FormValue("back")
	back = localBack(back, news.PostIDPath(c.PostID))
	view := commentView{Comment: c, HTML: template.HTML(c.BodyHTML)} // sanitized when it was written
	page := &reportPage{Comment: &view, Error: msg,
		Form: reportForm{Action: "/c/" + strconv.FormatInt(id, 10) + "/report", Back: back, Note: note}}
	page.Title = "Report a comment"
	return s.render(w, r, status, "report", page)
}

// reportRefused re-shows the report page for a refused report: a wrong
// reason, or too many reports; anything else is the usual error page.
func (s *server) reportRefused(w http.ResponseWriter, r *http.Request, err error) error {
	var ne *news.Error
	if !errors.As(err, &ne) || (ne.Code != news.Invalid && ne.Code != news.TooMany) {
		return err
	}
	return s.showReport(w, r, httpx.Status(err), ne.Message, r.PostForm.Get("note"))
}
