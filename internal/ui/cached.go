package ui

import (
	"net/http"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
)

// cachedPage is a page about to be served to a reader whose pages are
// cached: the key it is kept under and the ticket taken before anything
// it shows was loaded.
type cachedPage struct {
	key    string
	ticket pagecache.Ticket
}

// fromCache serves r from the page cache when it can. A page is shared
// only by readers who carry no cookie at all: such a reader is not signed
// in and has no guest id (no likes of their own, no comment of theirs
// waiting for moderation), so every such reader is shown the same bytes.
// Their view still counts (viewReader). It reports whether it served the page; otherwise the
// returned cachedPage (nil when r may not share a page) is given to
// storeCached with the rendered page.
func (s *server) fromCache(w http.ResponseWriter, r *http.Request) (*cachedPage, bool) {
	if s.pagesCache == nil || r.Method != http.MethodGet || r.Header.Get("Cookie") != "" || viewerOf(r) != nil {
		return nil, false
	}
	key := r.URL.RequestURI()
	// The ticket comes before the lookup, so that a page rendered after a
	// miss is refused if a write lands in between.
	ticket := s.pagesCache.Ticket()
	if page, ok := s.pagesCache.Get(key); ok {
		if s.engagement != nil {
			s.engagement.View(s.viewReader(r), page.PostID)
		}
		s.writePage(w, r, http.StatusOK, page.Body)
		return nil, true
	}
	return &cachedPage{key: key, ticket: ticket}, false
}

// renderCached renders the article page p and keeps it for the next reader
// without cookies, tagged with what it shows.
func (s *server) renderCached(w http.ResponseWriter, r *http.Request, c *cachedPage, p *news.Post, data page) error {
	body, err := s.renderPage(r, "article", data)
	if err != nil {
		return err
	}
	s.pagesCache.Put(c.ticket, c.key, pagecache.Page{Body: body, PostID: p.ID}, pagecache.PostTag(p.ID), pagecache.AccountTag(p.AuthorID))
	s.writePage(w, r, http.StatusOK, body)
	return nil
}
