package ui

import (
	"net/http"
	"net/url"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/render"
)

// postCard is a post in a list: title, byline, time, excerpt, tags.
type postCard struct {
	*news.Post
	URL     string
	Excerpt string
	Shown   news.PostStatus // published, scheduled or draft
}

// homePage is the front page: the newest visible posts.
type homePage struct {
	Base
	Posts    []postCard
	OlderURL string
}

func (s *server) cards(posts []*news.Post) []postCard {
	now := s.now()
	out := make([]postCard, 0, len(posts))
	for _, p := range posts {
		ex := p.Summary
		if ex == "" {
			ex = render.Excerpt(p.BodyMarkdown, 240)
		}
		out = append(out, postCard{Post: p, URL: news.PostPath(p), Excerpt: ex, Shown: p.ShownStatus(now)})
	}
	return out
}

// olderURL links to the next page of a list, keeping the other parameters.
func olderURL(r *http.Request, param, cursor string) string {
	if cursor == "" {
		return ""
	}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	q.Set(param, cursor)
	return r.URL.Path + "?" + q.Encode()
}

// home serves GET /: the newest posts, with an "Older posts" cursor link.
func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	viewer := viewerOf(r)
	pg, err := s.posts.List(r.Context(), viewer, publishing.Query{Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	p := &homePage{Posts: s.cards(pg.Posts), OlderURL: olderURL(r, "cursor", pg.NextCursor)}
	if r.URL.Query().Get("cursor") != "" {
		p.Title = "Older posts"
	}
	return s.render(w, r, http.StatusOK, "home", p)
}
