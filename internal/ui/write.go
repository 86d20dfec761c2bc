package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// publishAtLayout is the value format of <input type="datetime-local">.
const publishAtLayout = "2006-01-02T15:04"

// postForm is what the writing form holds, as typed.
type postForm struct {
	Title, Summary, Body, Lang, Tags, SourceName, SourceURL string
	PublishAt                                               string // datetime-local, UTC
	// MediaID is an upload already made for this post (by the editor's
	// script, or by a submit that failed for another reason), so that the
	// file is not sent again.
	MediaID string
}

// writePage is the form for a new post or an edit.
type writePage struct {
	Base
	Heading string
	Action  string // where the form posts
	PostURL string // the post being edited, "" for a new one
	Form    postForm
	Message string
	Errors  map[string]string
	// Uploads says whether the form takes files (media is configured).
	Uploads bool
	// DeleteURL is where the delete form posts, "" when the viewer may
	// not delete the post (or there is none yet).
	DeleteURL string
}

// requirePublisher refuses readers (403) and sends signed-out people to
// sign in (401, which handle turns into a redirect for GET).
func requirePublisher(viewer *news.Account) error {
	if viewer == nil {
		return news.Errorf(news.Unauthorized, "Sign in to write posts.")
	}
	if !viewer.Role.CanPublish() {
		return news.Errorf(news.Forbidden, "Your account cannot publish posts. Ask an admin to make you a publisher.")
	}
	return nil
}

// writeForm serves GET /write.
func (s *server) writeForm(w http.ResponseWriter, r *http.Request) error {
	if err := requirePublisher(viewerOf(r)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "write", s.newWritePage(nil, postForm{Lang: "en"}))
}

// write serves POST /write and redirects (303) to the new post. The form
// may carry a file (multipart, without JavaScript): it becomes the post's
// main media.
func (s *server) write(w http.ResponseWriter, r *http.Request) error {
	viewer := viewerOf(r)
	if err := requirePublisher(viewer); err != nil {
		return err
	}
	upErr := s.readWriteForm(w, r)
	if upErr != nil && !uploadFormError(upErr) {
		return upErr
	}
	form, in, err := readPostForm(r)
	if upErr != nil {
		err = upErr
	}
	var main *news.Media
	if err == nil {
		main, err = s.formMainMedia(r)
	}
	if main != nil {
		in.Kind = string(main.Kind)
	}
	var p *news.Post
	if err == nil {
		p, err = s.posts.Publish(r.Context(), viewer, in)
	}
	if err == nil {
		err = s.attach(r, p, main)
	}
	if err == nil {
		http.Redirect(w, r, news.PostPath(p), http.StatusSeeOther)
		return nil
	}
	return s.writeFailed(w, r, err, s.newWritePage(nil, form))
}

// uploadFormError reports whether err is about the form's file, so that
// the form is shown again with the message rather than an error page.
func uploadFormError(err error) bool {
	return news.ErrorFields(err)["file"] != ""
}

// editForm serves GET /p/{id}/edit.
func (s *server) editForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editable(r)
	if err != nil {
		return err
	}
	f := postForm{Title: p.Title, Summary: p.Summary, Body: p.BodyMarkdown, Lang: p.Lang,
		Tags: strings.Join(p.Tags, ", "), SourceName: p.SourceName, SourceURL: p.SourceURL}
	if p.ShownStatus(s.now()) == news.PostScheduled {
		f.PublishAt = p.PublishedAt.UTC().Format(publishAtLayout)
	}
	page := s.newWritePage(p, f)
	if publishing.CanDelete(viewerOf(r), p) {
		page.DeleteURL = news.PostIDPath(p.ID) + "/delete"
	}
	return s.render(w, r, http.StatusOK, "write", page)
}

// edit serves POST /p/{id}/edit and redirects (303) to the post. A file
// sent with the form replaces the post's main media.
func (s *server) edit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editable(r)
	if err != nil {
		return err
	}
	upErr := s.readWriteForm(w, r)
	if upErr != nil && !uploadFormError(upErr) {
		return upErr
	}
	form, in, err := readPostForm(r)
	if upErr != nil {
		err = upErr
	}
	in.Kind = p.Kind
	var main *news.Media
	if err == nil {
		main, err = s.formMainMedia(r)
	}
	if err == nil && main == nil {
		main, err = s.currentMedia(r, p)
	}
	if err == nil {
		p, err = s.posts.Update(r.Context(), viewerOf(r), p.ID, in)
	}
	if err == nil {
		err = s.attach(r, p, main)
	}
	if err == nil {
		http.Redirect(w, r, news.PostPath(p), http.StatusSeeOther)
		return nil
	}
	return s.writeFailed(w, r, err, s.newWritePage(p, form))
}

// currentMedia is the post's main media before an edit.
func (s *server) currentMedia(r *http.Request, p *news.Post) (*news.Media, error) {
	if s.media == nil {
		return nil, nil
	}
	if err := s.media.Fill(r.Context(), p); err != nil {
		return nil, err
	}
	return p.Media, nil
}

// editable loads the post in the path if the viewer may edit it.
func (s *server) editable(r *http.Request) (*news.Post, error) {
	viewer := viewerOf(r)
	if err := requirePublisher(viewer); err != nil {
		return nil, err
	}
	p, err := s.postFromPath(r)
	if err != nil {
		return nil, err
	}
	if !publishing.CanEdit(viewer, p) {
		return nil, news.Errorf(news.Forbidden, "Only the author can edit this post.")
	}
	return p, nil
}

func (s *server) writeFailed(w http.ResponseWriter, r *http.Request, err error, page *writePage) error {
	if !formError(err) && !uploadFormError(err) {
		return err
	}
	page.Message, page.Errors = news.ErrorMessage(err), news.ErrorFields(err)
	return s.render(w, r, httpx.Status(err), "write", page)
}

func (s *server) newWritePage(p *news.Post, f postForm) *writePage {
	page := &writePage{Heading: "Write a post", Action: "/write", Form: f, Uploads: s.media != nil}
	if p != nil {
		page.Heading, page.Action, page.PostURL = "Edit post", news.PostIDPath(p.ID)+"/edit", news.PostPath(p)
	}
	page.Title = page.Heading
	return page
}

// readPostForm reads the writing form: the values to show again and the
// input for the service. The pressed button says publish, save as draft or
// schedule; publish_at is read as UTC.
func readPostForm(r *http.Request) (postForm, publishing.Input, error) {
	f := r.PostForm
	form := postForm{Title: shown(f.Get("title")), Summary: shown(f.Get("summary")), Body: shown(f.Get("body")),
		Lang: shown(f.Get("lang")), Tags: shown(f.Get("tags")), SourceName: shown(f.Get("source_name")),
		SourceURL: shown(f.Get("source_url")), PublishAt: shown(f.Get("publish_at")), MediaID: shown(f.Get("media_id"))}
	in := publishing.Input{Title: f.Get("title"), Summary: f.Get("summary"), Body: f.Get("body"), Lang: f.Get("lang"),
		Tags: []string{f.Get("tags")}, SourceName: f.Get("source_name"), SourceURL: f.Get("source_url")}
	switch f.Get("action") {
	case "", "publish":
		in.Status = string(news.PostPublished)
	case "draft":
		in.Status = string(news.PostDraft)
	case "schedule":
		in.Status = string(news.PostScheduled)
		if at := strings.TrimSpace(f.Get("publish_at")); at != "" {
			t, err := parsePublishAt(at)
			if err != nil {
				return form, in, err
			}
			in.PublishAt = t
		}
	default:
		return form, in, &news.Error{Code: news.Invalid, Message: "Choose Publish, Save draft or Schedule.",
			Fields: map[string]string{"action": "Choose Publish, Save draft or Schedule."}}
	}
	return form, in, nil
}

func parsePublishAt(s string) (time.Time, error) {
	for _, layout := range []string{publishAtLayout, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	msg := "Enter the time as YYYY-MM-DDTHH:MM, in UTC."
	return time.Time{}, &news.Error{Code: news.Invalid, Message: "Please correct the marked field.",
		Fields: map[string]string{"publish_at": msg}}
}
