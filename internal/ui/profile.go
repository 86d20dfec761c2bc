package ui

import (
	"net/http"
	"strings"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// ownListLimit bounds the drafts and scheduled posts shown to their author.
const ownListLimit = 50

// profilePage is an account's page: who they are and what they wrote.
type profilePage struct {
	Base
	Account   *news.Account
	Own       bool // the viewer is this account
	Posts     []postCard
	OlderURL  string
	Drafts    []postCard
	Scheduled []postCard
	Follow    followButton // follow.go
	// Notice is a line about what just happened ("The post was deleted.").
	Notice string
}

func viewerOf(r *http.Request) *news.Account { return httpx.Account(r.Context()) }

// handleSeg returns the handle named by a /@handle path segment, or a
// NotFound error for any segment that does not start with "@".
func handleSeg(r *http.Request) (string, error) {
	seg := r.PathValue("seg")
	if !strings.HasPrefix(seg, "@") || len(seg) < 2 {
		return "", news.Errorf(news.NotFound, "There is nothing at this address.")
	}
	return seg[1:], nil
}

// profile serves GET /@{handle}.
func (s *server) profile(w http.ResponseWriter, r *http.Request) error {
	handle, err := handleSeg(r)
	if err != nil {
		return err
	}
	a, err := s.accounts.ByHandle(r.Context(), handle)
	if err != nil {
		return err
	}
	if a.Handle != handle {
		http.Redirect(w, r, news.AccountPath(a.Handle), http.StatusMovedPermanently)
		return nil
	}
	viewer := viewerOf(r)
	pg, err := s.posts.List(r.Context(), viewer, publishing.Query{AuthorID: a.ID, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	p := &profilePage{Account: a, Posts: s.cards(pg.Posts), OlderURL: olderURL(r, "cursor", pg.NextCursor)}
	p.Title = a.Name + " (@" + a.Handle + ")"
	if r.URL.Query().Get("deleted") == "1" {
		// Where deletePost sends the deleter; the post is gone either way.
		p.Notice = "The post was deleted."
	}
	p.Follow = s.followButton(r, a, news.AccountPath(a.Handle))
	p.Alternates = s.feedLinks(news.AccountPath(a.Handle)+"/", a.Name)
	if viewer != nil && viewer.ID == a.ID {
		p.Own = true
		drafts, err := s.posts.List(r.Context(), viewer, publishing.Query{AuthorID: a.ID, Drafts: true, Limit: ownListLimit})
		if err != nil {
			return err
		}
		sched, err := s.posts.List(r.Context(), viewer, publishing.Query{AuthorID: a.ID, Scheduled: true, Limit: ownListLimit})
		if err != nil {
			return err
		}
		p.Drafts, p.Scheduled = s.cards(drafts.Posts), s.cards(sched.Posts)
	}
	return s.render(w, r, http.StatusOK, "profile", p)
}
