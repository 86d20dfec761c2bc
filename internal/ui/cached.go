package ui

import (
	"bytes"
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
// Their view still counts (viewReader), and their guest form gets a
// freshly signed time (tokenHole). It reports whether it served the page;
// otherwise the returned cachedPage (nil when r may not share a page) is
// given to renderCached with the page.
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
		s.writeCached(w, r, page)
		return nil, true
	}
	return &cachedPage{key: key, ticket: ticket}, false
}

// tokenHole stands in a cached page for the guest form's token: the token
// is the moment the form was shown, signed, and the minimum fill time
// counts from it, so each reader must get their own, not the moment the
// page was cached. Letters, digits and dots only: html/template writes it
// unchanged.
const tokenHole = "0.headlineformtokenhole"

// writeCached sends a cached page, with a fresh form token in its hole.
func (s *server) writeCached(w http.ResponseWriter, r *http.Request, page pagecache.Page) {
	if !page.HasHole {
		s.writePage(w, r, http.StatusOK, page.Body)
		return
	}
	tok := ""
	if s.moderation != nil {
		var err error
		if tok, err = s.moderation.FormToken(r.Context(), page.PostID); err != nil {
			// As on a rendered page: the form shows, and sending it is
			// refused with a clear message until the database answers.
			s.log.WarnContext(r.Context(), "guest form token", "err", err)
		}
	}
	// Written in three parts: copying a 100 KB page per reader to change
	// 30 bytes would cost more than the rest of the hit.
	s.writePage(w, r, http.StatusOK, page.Body[:page.Hole], []byte(tok), page.Body[page.Hole+len(tokenHole):])
}

// renderCached renders the article page p and keeps it for the next reader
// without cookies, tagged with what it shows.
func (s *server) renderCached(w http.ResponseWriter, r *http.Request, c *cachedPage, p *news.Post, data *articlePage) error {
	tok := data.Form.Token
	if tok != "" {
		data.Form.Token = tokenHole
	}
	body, err := s.renderPage(r, "article", data)
	if err != nil {
		return err
	}
	page := pagecache.Page{Body: body, PostID: p.ID}
	if tok != "" {
		page.Hole = bytes.Index(body, []byte(tokenHole))
		page.HasHole = page.Hole >= 0
		if !page.HasHole || bytes.Count(body, []byte(tokenHole)) != 1 {
			// The template moved the token somewhere it is escaped, or
			// shows it twice: do not keep a page that cannot be filled.
			return s.render(w, r, http.StatusOK, "article", withToken(data, tok))
		}
	}
	s.pagesCache.Put(c.ticket, c.key, page, pagecache.PostTag(p.ID), pagecache.AccountTag(p.AuthorID))
	s.writeCached(w, r, page)
	return nil
}

func withToken(p *articlePage, tok string) *articlePage {
	p.Form.Token = tok
	return p
}
