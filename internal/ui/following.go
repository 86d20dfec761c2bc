package ui

import (
	"net/http"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/ranking"
)

// timelinePage is the following timeline: the newest posts of the
// accounts the viewer follows.
type timelinePage struct {
	Base
	Posts    []postCard
	OlderURL string
}

// timeline serves GET /following. Guests are sent to sign in.
func (s *server) timeline(w http.ResponseWriter, r *http.Request) error {
	if s.following == nil {
		return s.notFound(w, r)
	}
	pg, err := s.following.Timeline(r.Context(), viewerOf(r), r.URL.Query().Get("cursor"), 0)
	if err != nil {
		return err
	}
	p := &timelinePage{Posts: s.cards(pg.Posts), OlderURL: olderURL(r, "cursor", pg.NextCursor)}
	p.Title = "Following"
	return s.render(w, r, http.StatusOK, "timeline", p)
}

// rankedCard is a post in a ranked list, with why it is there.
type rankedCard struct {
	postCard
	Reason string
}

// headlinesPage is the home page: the ranked headlines, with trending.
type headlinesPage struct {
	Base
	Items    []rankedCard
	Trending []rankedCard
	MoreURL  string
}

func (s *server) ranked(items []ranking.Item) []rankedCard {
	posts := make([]*news.Post, len(items))
	for i, it := range items {
		posts[i] = it.Post
	}
	cards := s.cards(posts)
	out := make([]rankedCard, len(items))
	for i, c := range cards {
		out[i] = rankedCard{postCard: c, Reason: items[i].Reason}
	}
	return out
}

// trendingSize is how many posts the trending boxes show.
const trendingSize = 5

// headlines serves GET /: the ranked headlines for the viewer (the global
// ranking for guests), paged by an opaque cursor over one snapshot, so no
// post shows twice while paging. Without the ranking service it is the
// latest posts.
func (s *server) headlines(w http.ResponseWriter, r *http.Request) error {
	if s.ranking == nil {
		return s.home(w, r)
	}
	cursor := r.URL.Query().Get("cursor")
	pg, err := s.ranking.Headlines(r.Context(), viewerOf(r), cursor)
	if err != nil {
		return err
	}
	p := &headlinesPage{Items: s.ranked(pg.Items), MoreURL: olderURL(r, "cursor", pg.NextCursor)}
	if cursor == "" {
		trend, err := s.ranking.Trending(r.Context(), "", trendingSize)
		if err != nil {
			return err
		}
		p.Trending = s.ranked(trend)
	} else {
		p.Title = "More headlines"
	}
	p.Alternates = s.feedLinks("/", s.siteName)
	return s.render(w, r, http.StatusOK, "headlines", p)
}

// latest serves GET /latest: every visible post, newest first.
func (s *server) latest(w http.ResponseWriter, r *http.Request) error { return s.home(w, r) }
