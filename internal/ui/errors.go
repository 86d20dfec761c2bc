package ui

import (
	"net/http"
	"net/url"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// handlerFunc is a UI handler: it writes a page or a redirect, or returns
// an error for handle to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// errorPage is the page for a failed request.
type errorPage struct {
	Base
	Status  int
	Heading string
	Message string
}

// handle adapts a handlerFunc: a returned error becomes an HTML error page
// with the status from httpx's one table, and faults (5xx) are logged. A
// signed-out reader who asks for a page that needs an account is sent to
// sign in first.
func (s *server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.NoteRoute(r)
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

func (s *server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogIfFault(r, err)
	status := httpx.Status(err)
	if status == http.StatusUnauthorized && r.Method == http.MethodGet && httpx.Account(r.Context()) == nil {
		http.Redirect(w, r, signinURL(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	p := &errorPage{Status: status, Heading: http.StatusText(status), Message: news.ErrorMessage(err)}
	switch status {
	case http.StatusNotFound:
		p.Heading = "Page not found"
		if news.ErrorCode(err) != news.NotFound {
			p.Message = "There is nothing at this address."
		}
	case http.StatusForbidden:
		p.Heading = "Not allowed"
	case http.StatusRequestEntityTooLarge:
		p.Heading = "Too large"
	}
	if status >= 500 {
		p.Heading = "Something went wrong"
	}
	p.Title = p.Heading
	httpx.SetRetryAfter(w, err)
	if rerr := s.render(w, r, status, "error", p); rerr != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", rerr, "request_id", httpx.RequestID(r.Context()))
		http.Error(w, http.StatusText(status), status)
	}
}

// notFound serves every address no route claims.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	return news.Errorf(news.NotFound, "There is nothing at this address.")
}

// crossOriginDenied answers a state-changing request sent from another site.
func (s *server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, news.Errorf(news.Forbidden, "This form was sent from another site, so it was refused. Go back, reload the page and try again."))
}

// signinURL is the sign-in page that returns to next afterwards.
func signinURL(next string) string {
	if next == "" || next == "/" {
		return "/signin"
	}
	return "/signin?next=" + url.QueryEscape(next)
}
