// Package ui is Headline's server-rendered HTML site: every page and form a
// person uses in a browser. It works fully without JavaScript; app.js only
// makes replying and writing comments smoother. Handlers are thin: parse the
// request, call a service, render a typed page struct with an embedded
// html/template.
package ui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"golang.org/x/sync/singleflight"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/ranking"
)

// Deps is what the UI needs from the rest of the program.
type Deps struct {
	Accounts      *accounts.Service
	Posts         *publishing.Service
	Comments      *discussion.Service
	Log           *slog.Logger
	SecureCookies bool   // set the Secure flag on cookies (site behind HTTPS)
	SiteName      string // "" → "Headline"
	// Now is the clock used to tell scheduled from published posts; it
	// should be the services' clock. nil means time.Now.
	Now func() time.Time

	// The social features: follows and the following timeline, the ranked
	// headlines and trending, likes/shares/views of posts, notifications.
	// Each is optional: without it its routes answer 404 and its parts of
	// pages are left out (and without Ranking the home page is the latest
	// posts).
	Following  *following.Service
	Ranking    *ranking.Service
	Engagement *engagement.Service
	Notify     *notify.Service
	// Moderation, when set, adds the guest form's anti-spam fields, shows
	// writers their held comments, and serves /moderation; without it
	// those routes answer 404.
	Moderation *moderation.Service
	// BaseURL is the public address of the site ("https://news.example"),
	// for the absolute links feeds need. Empty: taken from each request.
	BaseURL string
	// Pages keeps whole article pages, filled in per reader (cached.go); nil
	// renders every page. The store under the services must be watched
	// (pagecache.Watch) so that writes invalidate it.
	Pages *pagecache.Cache

	// Jobs is the background job queue shown at /admin/jobs (nil: the page
	// says none runs), and Capabilities what the machine offers the jobs
	// (tools found or missing), listed on the same page.
	Jobs         JobsOverview
	Capabilities []jobs.Capability

	// Media is uploads and video/image posts; nil: the editor takes no
	// files and /media/ answers 404.
	Media *media.Service
	// MediaCapabilities is what media processing can do here (ffmpeg
	// found or not), shown on the admin page.
	MediaCapabilities []media.Capability
}

// server holds the parsed templates and the services; its methods are the
// handlers listed in routes.go.
type server struct {
	accounts *accounts.Service
	posts    *publishing.Service
	comments *discussion.Service
	log      *slog.Logger
	secure   bool
	siteName string
	now      func() time.Time
	pages    map[string]*pageTemplate
	static   *staticFiles

	following  *following.Service
	ranking    *ranking.Service
	engagement *engagement.Service
	notify     *notify.Service
	moderation *moderation.Service
	baseURL    string
	pagesCache *pagecache.Cache
	marks      pagecache.Marks    // delimit the holes of cached pages
	renders    singleflight.Group // one render at a time of a page missing from the cache (cached.go)
	marked     *pageTemplate      // the article page with its holes marked
	frags      fragMemo           // parts of holes, by what they show (fill.go)
	viewKey    [32]byte           // keys the pseudonyms of readers without cookies (viewReader)

	jobs         JobsOverview
	capabilities []jobs.Capability

	media     *media.Service
	mediaCaps []media.Capability
}

// New returns the handler for every UI route, /static/ included. State
// changing requests from other sites are refused (403) before they reach a
// handler, and the signed-in account is loaded from the session cookie.
func New(d Deps) (http.Handler, error) {
	if d.Accounts == nil || d.Posts == nil || d.Comments == nil {
		return nil, errors.New("ui: Accounts, Posts and Comments are required")
	}
	s := &server{accounts: d.Accounts, posts: d.Posts, comments: d.Comments, log: d.Log,
		secure: d.SecureCookies, siteName: d.SiteName, now: d.Now,
		following: d.Following, ranking: d.Ranking, engagement: d.Engagement, notify: d.Notify, moderation: d.Moderation,
		baseURL: strings.TrimRight(d.BaseURL, "/"), pagesCache: d.Pages, jobs: d.Jobs, capabilities: d.Capabilities,
		media: d.Media, mediaCaps: d.MediaCapabilities}
	if s.log == nil {
		s.log = slog.Default()
	}
	rand.Read(s.viewKey[:])
	if s.siteName == "" {
		s.siteName = "Headline"
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.static.url); err != nil {
		return nil, err
	}
	if s.pagesCache != nil {
		var secret [12]byte
		rand.Read(secret[:])
		s.marks = pagecache.NewMarks(hex.EncodeToString(secret[:]))
		s.frags.max = s.pagesCache.Reserve(serverFragBytes)
		if s.marked, err = parseMarked(s.static.url, "article", s.marks); err != nil {
			return nil, err
		}
		memo := newCommentMemo(s.pagesCache.Reserve(commentMemoBytes))
		s.marked.memo, s.pages["article"].memo = memo, memo
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	routes := s.routes()
	if s.pagesCache != nil {
		routes = s.freshAfterWrites(routes)
	}
	return s.withSession(cop.Handler(routes)), nil
}
