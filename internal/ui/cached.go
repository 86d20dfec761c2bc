package ui

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"slices"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/publishing"
)

// cachedPage is a page about to be served to a reader whose pages are
// cached: the key it is kept under and the ticket taken before anything
// it shows was loaded.
type cachedPage struct {
	key    string
	ticket pagecache.Ticket
}

// fromCache serves r from the page cache when it can. One page is kept
// per address, as a reader without cookies sees it, with holes where
// readers differ (holes.go): the header, the follow button, what they
// like, their own comments' links, their held comments, the comment
// form. Every reader is served from it, signed in or not, except the
// post's author and moderators, whose pages carry controls for the whole
// thread and are rendered each time (needsRender). It reports whether it
// served the page; otherwise the returned cachedPage (nil when r may not
// share a page) is given to showArticle.
func (s *server) fromCache(w http.ResponseWriter, r *http.Request) (*cachedPage, bool) {
	if s.pagesCache == nil || r.Method != http.MethodGet {
		return nil, false
	}
	if _, err := r.Cookie(freshCookie); err == nil {
		return nil, false
	}
	key := r.URL.RequestURI()
	if s.baseURL == "" {
		// The share button copies an absolute address, made from the
		// request's host when no base URL is set.
		key = r.Host + key
	}
	// The ticket comes before the lookup, so that a page rendered after a
	// miss is refused if a write lands in between.
	ticket := s.pagesCache.Ticket()
	if page, ok := s.pagesCache.Get(key); ok {
		if needsRender(viewerOf(r), page.Data.(*holeData).post) {
			return nil, false
		}
		if err := s.writeCached(w, r, key, &page); err != nil {
			s.renderError(w, r, err)
		}
		return nil, true
	}
	return &cachedPage{key: key, ticket: ticket}, false
}

// freshCookie marks a browser that has just written something: for a
// few seconds its pages are rendered, not taken from the cache. On one
// instance a write drops the pages it changes before it is answered; on
// several, the other instances hear of it a moment later, and the writer,
// sent there by a load balancer, must not be shown a page without their
// comment or like in that moment.
const freshCookie = "headline_fresh"

// freshAfterWrites gives every browser that sends a form the fresh cookie.
func (s *server) freshAfterWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			http.SetCookie(w, &http.Cookie{Name: freshCookie, Value: "1", Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Secure: s.secure, MaxAge: 10})
		}
		next.ServeHTTP(w, r)
	})
}

// needsRender reports whether viewer's article page is rendered whole
// rather than filled in: the post's author and moderators see pin,
// edit and delete controls on the post and on every comment.
func needsRender(viewer *news.Account, p *news.Post) bool {
	return viewer != nil && (viewer.ID == p.AuthorID || viewer.Role.CanModerate() ||
		publishing.CanEdit(viewer, p) || publishing.CanDelete(viewer, p))
}

// serverFragBytes is what the signed-in readers' headers, follow buttons
// and forms may keep (fill.go, fragMemo), out of the page cache's budget:
// about 5,000 readers' headers.
const serverFragBytes = 4 << 20

// tokenHole stands in a cached page for the guest form's token: the token
// is the moment the form was shown, signed, and the minimum fill time
// counts from it, so each reader must get their own, not the moment the
// page was cached. It sits in an attribute, where a hole's marks would be
// escaped, so it is found by its text. Letters, digits and dots only:
// html/template writes it unchanged.
const tokenHole = "0.headlineformtokenhole"

// holeData is what filling a cached article page needs, kept with it.
type holeData struct {
	post     *news.Post
	path     string                 // the page's Base.Path, for "Sign in"
	vc       viewCtx                // as for a reader without cookies
	comments map[int64]*commentView // never changed: copied to change
	ids      []int64                // the comments' ids, ascending: what a reader's state asks about
	writers  map[int64]bool         // the accounts that wrote comments on the page: only they fill "own" holes
	social   articleSocial          // the post's actions as cached
	// frags are the liked forms of the comments and of the post, and the
	// links under a writer's own comments, as the page's readers need them.
	frags fragMemo
}

// renderCached renders the article page p as a reader without cookies
// sees it, with its holes marked, keeps it for every reader, and serves
// it filled in for r.
//
// Readers who miss the same page at the same time share one render: a
// comment on a hot post drops its page, and every reader arriving while
// it is rendered again (15 ms for 200 comments) would otherwise render
// it too; at 6 comments a second on the hot post, that herd cut the
// page's rate from 10,900 to 1,000 a second (BENCHMARKS.md). A reader
// who joins a render started before their request is shown what it
// loaded, as if they had come a few milliseconds earlier; the writer of
// the change that dropped the page has the fresh cookie and is rendered
// their own (freshAfterWrites).
func (s *server) renderCached(w http.ResponseWriter, r *http.Request, c *cachedPage, p *news.Post) error {
	v, err, _ := s.renders.Do(c.key, func() (any, error) {
		page, ok, err := s.renderToCache(r, c, p)
		if err != nil || !ok {
			return nil, err
		}
		return &page, nil
	})
	if err != nil {
		return err
	}
	page, _ := v.(*pagecache.Page)
	if page == nil {
		// The template moved a hole somewhere it is escaped, or shows the
		// token twice: render r's page whole.
		full, err := s.articleData(r, p)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "article", full)
	}
	return s.writeCached(w, r, c.key, page)
}

// renderToCache renders and cuts p's page for the cache under c.key and
// keeps it. ok is false when its holes do not pair up: nothing is kept.
// The render is shared by every reader waiting on it, so it is not tied
// to r's cancellation.
func (s *server) renderToCache(r *http.Request, c *cachedPage, p *news.Post) (pagecache.Page, bool, error) {
	anon := anonymous(r.WithContext(context.WithoutCancel(r.Context())))
	data, err := s.articleData(anon, p)
	if err != nil {
		return pagecache.Page{}, false, err
	}
	page, ok, err := s.cutPage(anon, p, data)
	if err != nil || !ok {
		if err == nil {
			s.log.WarnContext(r.Context(), "article page holes do not pair up; not cached", "post", p.ID)
		}
		return page, ok, err
	}
	s.pagesCache.Put(c.ticket, c.key, page, pagecache.PostTag(p.ID), pagecache.AccountTag(p.AuthorID))
	return page, true, nil
}

// anonymous is r as a reader without cookies makes it. The view is
// counted when the page is served (writeCached), for the real reader.
func anonymous(r *http.Request) *http.Request {
	ctx := context.WithValue(httpx.WithAccount(r.Context(), nil), viewCountedKey{}, true)
	a := r.Clone(ctx)
	a.Header.Del("Cookie")
	return a
}

// viewCountedKey marks a request whose view is counted elsewhere.
type viewCountedKey struct{}

func viewCounted(r *http.Request) bool { return r.Context().Value(viewCountedKey{}) != nil }

// cutPage renders data with the marked template and cuts it into the page
// to keep. ok is false when the marks do not pair up.
func (s *server) cutPage(anon *http.Request, p *news.Post, data *articlePage) (pagecache.Page, bool, error) {
	tok := data.Form.Token
	if tok != "" {
		data.Form.Token = tokenHole
	}
	marked, err := s.renderWith(anon, s.marked, "article", data)
	if err != nil {
		return pagecache.Page{}, false, err
	}
	body, holes, err := s.marks.Cut(marked)
	if err != nil {
		return pagecache.Page{}, false, nil
	}
	if tok != "" {
		at := bytes.Index(body, []byte(tokenHole))
		if at < 0 || bytes.Count(body, []byte(tokenHole)) != 1 {
			return pagecache.Page{}, false, nil
		}
		h := pagecache.Hole{Name: "token", Start: at, End: at + len(tokenHole)}
		i, _ := slices.BinarySearchFunc(holes, at, func(h pagecache.Hole, at int) int { return h.Start - at })
		holes = slices.Insert(holes, i, h)
	}
	hd := newHoleData(p, data)
	hd.frags.max = len(body) / 4
	return pagecache.Page{Body: body, PostID: p.ID, Holes: holes, Data: hd, Size: len(body) + hd.frags.max}, true, nil
}

// newHoleData keeps what filling p's page needs: the views of its comments
// and of its post's actions, to render their liked forms and a writer's
// links from, on the first request that needs each (hd.frags).
func newHoleData(p *news.Post, data *articlePage) *holeData {
	hd := &holeData{post: p, path: data.Path, vc: data.vc, social: data.Actions, comments: map[int64]*commentView{},
		writers: map[int64]bool{}}
	for _, l := range [][]commentView{data.Pinned, data.Hot, data.Comments} {
		for i := range l {
			hd.comments[l[i].ID] = &l[i]
			if id := l[i].AccountID; id != 0 {
				hd.writers[id] = true
			}
		}
	}
	hd.ids = slices.Sorted(maps.Keys(hd.comments))
	return hd
}

// fragment runs one of the article page's templates: a hole's content.
func (s *server) fragment(buf *bytes.Buffer, name string, data any) error {
	return s.pages["article"].t.ExecuteTemplate(buf, name, data)
}
