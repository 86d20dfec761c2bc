package ui

import (
	"net/http"
	"strings"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// tagPage lists the newest posts with one tag.
type tagPage struct {
	Base
	Tag      string
	Posts    []postCard
	OlderURL string
	Trending []rankedCard // the hottest of the last 24 hours, first page only
}

// tag serves GET /t/{tag}: the newest posts tagged so, newest first.
func (s *server) tag(w http.ResponseWriter, r *http.Request) error {
	tags := news.NormalizeTags([]string{r.PathValue("tag")})
	p := news.Problems{}
	news.CheckTags(p, "tag", tags)
	if len(tags) != 1 || len(p) > 0 {
		return news.Errorf(news.NotFound, "There is no such tag.")
	}
	if tags[0] != r.PathValue("tag") {
		http.Redirect(w, r, "/t/"+strings.ReplaceAll(tags[0], "/", ""), http.StatusMovedPermanently)
		return nil
	}
	pg, err := s.posts.List(r.Context(), viewerOf(r), publishing.Query{Tag: tags[0], Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	page := &tagPage{Tag: tags[0], Posts: s.cards(pg.Posts), OlderURL: olderURL(r, "cursor", pg.NextCursor)}
	page.Title = "#" + tags[0]
	page.Alternates = s.feedLinks("/t/"+tags[0]+"/", "#"+tags[0])
	if s.ranking != nil && r.URL.Query().Get("cursor") == "" {
		trend, err := s.ranking.Trending(r.Context(), tags[0], trendingSize)
		if err != nil {
			return err
		}
		page.Trending = s.ranked(trend)
	}
	return s.render(w, r, http.StatusOK, "tag", page)
}
