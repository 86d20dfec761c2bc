package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// commentsPerPage is how many top-level comments (with their replies) the
// article page shows at once.
const commentsPerPage = 50

// maxLevel is the deepest visual nesting; deeper replies are shown at this
// level with "in reply to NAME".
const maxLevel = 4

// articlePage is a post and its discussion. With Thread set it is the
// thread page of one comment: that comment and a page of its replies.
type articlePage struct {
	Base
	Post       *news.Post
	Body       template.HTML // Post.BodyHTML, sanitized when it was written
	URL        string        // the readable address of the post
	Shown      news.PostStatus
	CanEdit    bool
	EditURL    string
	CanDelete  bool // moderators may delete what they may not edit
	DeleteURL  string
	Pinned     []commentView // first page only
	Hot        []commentView // first page only
	Comments   []commentView
	Sort       news.CommentSort
	SortTopURL string
	SortNewURL string
	SortOldURL string
	MoreURL    string
	Thread     *commentView // the thread page's comment
	Editing    *commentView // the comment whose edit form is open
	EditBody   string       // what the edit form holds
	EditError  string
	Form       commentForm
	Held       []commentView // the viewer's own comments awaiting moderation
	ReportForm *reportForm   // the report form app.js shows under a comment; nil without moderation
	// Actions are the follow button, the post's like and share (follow.go,
	// engagement.go). Not named Social: that would hide Base.Social, which
	// the site navigation reads.
	Actions articleSocial
	Media   *mediaView // the main media of a video or image post (media.go)

	vc viewCtx // what the comments were made into views with
}

// commentView is one comment as the thread shows it.
type commentView struct {
	*news.Comment
	HTML      template.HTML // Comment.BodyHTML, sanitized when it was written
	Anchor    string
	Level     int    // 0 … maxLevel
	InReplyTo string // the parent's name, for replies flattened at maxLevel
	AuthorURL string // the profile of an account; "" for guests
	ReplyURL  string // the no-JavaScript reply link
	Liked     bool   // the viewer likes it
	ActionURL string // /c/{id}: the like, edit, delete and pin forms post below it
	ThreadURL string // the thread page of this comment
	Back      string // where the forms return to
	CanEdit   bool
	CanDelete bool
	CanPin    bool
	MoreURL   string // "Show more replies" after the last reply shown
	MoreCount int64  // direct replies not shown, when known
	Report    bool   // show the "Report" form (moderation is on)
}

// articleBySlug serves GET /@{handle}/{slug}.
func (s *server) articleBySlug(w http.ResponseWriter, r *http.Request) error {
	cached, served := s.fromCache(w, r)
	if served {
		return nil
	}
	handle, err := handleSeg(r)
	if err != nil {
		return err
	}
	author, err := s.accounts.ByHandle(r.Context(), handle)
	if err != nil {
		return err
	}
	p, err := s.posts.BySlug(r.Context(), viewerOf(r), author, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if author.Handle != handle {
		http.Redirect(w, r, news.PostPath(p), http.StatusMovedPermanently)
		return nil
	}
	return s.showArticle(w, r, p, cached)
}

// articleByID serves GET /p/{id}: a visible post redirects (301) to its
// readable address; a draft or scheduled post is shown here to those who
// may see it.
func (s *server) articleByID(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postFromPath(r)
	if err != nil {
		return err
	}
	if dest := news.PostPath(p); p.Visible(s.now()) && dest != r.URL.Path {
		if r.URL.RawQuery != "" {
			dest += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, dest, http.StatusMovedPermanently)
		return nil
	}
	return s.showArticle(w, r, p, nil)
}

// postFromPath loads the post named by the {id} path value, if the viewer
// may see it.
func (s *server) postFromPath(r *http.Request) (*news.Post, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, news.Errorf(news.NotFound, "That post does not exist.")
	}
	return s.posts.Get(r.Context(), viewerOf(r), id)
}

// showArticle renders the article page of p; with cached set, it keeps
// the page for the next readers (cached.go).
func (s *server) showArticle(w http.ResponseWriter, r *http.Request, p *news.Post, cached *cachedPage) error {
	if cached != nil && p.Visible(s.now()) && !needsRender(viewerOf(r), p) {
		return s.renderCached(w, r, cached, p)
	}
	page, err := s.articleData(r, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "article", page)
}

// articleData is the article page of p as r asks for it.
func (s *server) articleData(r *http.Request, p *news.Post) (*articlePage, error) {
	q := r.URL.Query()
	page, err := s.articlePage(r, p, q.Get("sort"), q.Get("cursor"))
	if err != nil {
		return nil, err
	}
	if id, err := strconv.ParseInt(q.Get("replyto"), 10, 64); err == nil && id > 0 {
		page.Form.ParentID = id
		page.Form.ReplyingTo = page.nameOf(id)
	}
	return page, nil
}

// articlePage loads everything the article page shows except the state of
// the comment form, which the caller fills.
func (s *server) articlePage(r *http.Request, p *news.Post, sortName, cursor string) (*articlePage, error) {
	viewer := viewerOf(r)
	sort, err := discussion.ParseSort(sortName)
	if err != nil {
		return nil, err
	}
	tp, err := s.comments.Threads(r.Context(), viewer, p.ID, sort, cursor, commentsPerPage)
	if err != nil {
		return nil, err
	}
	page := s.newArticlePage(r, p)
	if page.Media, err = s.postMedia(r, p); err != nil {
		return nil, err
	}
	page.Sort = sort
	postURL := page.URL
	page.SortTopURL, page.SortNewURL, page.SortOldURL = postURL+"?sort=top#comments", postURL+"?sort=new#comments", postURL+"?sort=old#comments"
	vc := s.viewContext(r, p, postURL+"?"+articleQuery(sortName, cursor, 0), sortName, cursor)
	if cursor == "" {
		pinned, err := s.comments.Pinned(r.Context(), viewer, p.ID)
		if err != nil {
			return nil, err
		}
		hot, err := s.comments.Hot(r.Context(), viewer, p.ID)
		if err != nil {
			return nil, err
		}
		page.Pinned, page.Hot = vc.list(pinned), vc.list(hot)
	}
	page.Comments, page.vc = vc.threads(tp.Threads), vc
	if err := s.fillModeration(r, page, vc); err != nil {
		return nil, err
	}
	if tp.NextCursor != "" {
		page.MoreURL = postURL + "?" + articleQuery(sortName, tp.NextCursor, 0) + "#comments"
	}
	return page, s.markLiked(r, page)
}

// newArticlePage is the part of the article page that is the same for the
// article and for a thread page.
func (s *server) newArticlePage(r *http.Request, p *news.Post) *articlePage {
	viewer := viewerOf(r)
	postURL := news.PostPath(p)
	page := &articlePage{Post: p, Body: template.HTML(p.BodyHTML), URL: postURL, Shown: p.ShownStatus(s.now()), CanEdit: publishing.CanEdit(viewer, p),
		EditURL: news.PostIDPath(p.ID) + "/edit", CanDelete: publishing.CanDelete(viewer, p), DeleteURL: news.PostIDPath(p.ID) + "/delete"}
	page.Title, page.Lang, page.Path = p.Title, p.Lang, postURL
	page.Actions = s.articleSocial(r, p)
	page.Form = commentForm{Action: news.PostIDPath(p.ID) + "/comments", Guest: viewer == nil, CancelURL: postURL + "#respond"}
	if viewer != nil {
		page.Form.ViewerName = viewer.Name
	} else if s.moderation != nil {
		tok, err := s.moderation.FormToken(r.Context(), p.ID)
		if err != nil {
			// The form still shows; sending it is refused with a clear
			// message until the database answers again.
			s.log.WarnContext(r.Context(), "guest form token", "err", err)
		}
		page.Form.Token = tok
	}
	return page
}

// markLiked sets Liked on every comment of the page the viewer likes: one
// query for the whole page.
func (s *server) markLiked(r *http.Request, page *articlePage) error {
	reader := s.reader(nil, r, false)
	if reader.Key() == "" {
		return nil
	}
	var ids []int64
	all := [][]commentView{page.Pinned, page.Hot, page.Comments}
	for _, l := range all {
		for _, c := range l {
			ids = append(ids, c.ID)
		}
	}
	liked, err := s.comments.LikedBy(r.Context(), reader, ids)
	if err != nil {
		return err
	}
	for _, l := range all {
		for i := range l {
			l[i].Liked = liked[l[i].ID]
		}
	}
	return nil
}

// viewCtx is what turning comments into views needs.
type viewCtx struct {
	viewer           *news.Account
	post             *news.Post
	now              time.Time
	postURL, back    string
	sortName, cursor string
	report           bool
}

func (s *server) viewContext(r *http.Request, p *news.Post, back, sortName, cursor string) viewCtx {
	return viewCtx{viewer: viewerOf(r), post: p, now: s.now(), postURL: news.PostPath(p), back: back, sortName: sortName, cursor: cursor,
		report: s.moderation != nil}
}

func (vc viewCtx) list(cs []*news.Comment) []commentView {
	out := make([]commentView, 0, len(cs))
	for _, c := range cs {
		out = append(out, vc.view(c))
	}
	return out
}

// threads flattens threads into the list the page shows, capping the
// nesting at maxLevel, with a "Show more replies" link under a thread
// whose replies were not all loaded.
func (vc viewCtx) threads(threads []discussion.Thread) []commentView {
	n := 0
	for _, t := range threads {
		n += 1 + len(t.Replies)
	}
	out := make([]commentView, 0, n)
	for _, t := range threads {
		out = append(out, vc.view(t.Comment))
		out = append(out, vc.replies(t.Comment, t.Replies)...)
		if t.More && len(t.Replies) > 0 {
			last := &out[len(out)-1]
			last.MoreURL = vc.threadURL(t.Comment.ID) + "?cursor=" + url.QueryEscape(discussion.ReplyCursor(t.Replies[len(t.Replies)-1].ID))
			last.MoreCount = t.Comment.RepliesCount - directReplies(t.Comment.ID, t.Replies)
		}
	}
	return out
}

// replies are the views of root's replies, levels counted from root.
func (vc viewCtx) replies(root *news.Comment, rs []*news.Comment) []commentView {
	names := map[int64]string{root.ID: root.AuthorName}
	out := make([]commentView, 0, len(rs))
	for _, c := range rs {
		v := vc.view(c)
		v.Level = c.Depth - root.Depth
		if v.Level > maxLevel {
			v.Level, v.InReplyTo = maxLevel, names[c.ParentID]
		}
		names[c.ID] = c.AuthorName
		out = append(out, v)
	}
	return out
}

func directReplies(parent int64, rs []*news.Comment) int64 {
	var n int64
	for _, r := range rs {
		if r.ParentID == parent {
			n++
		}
	}
	return n
}

func (vc viewCtx) threadURL(id int64) string {
	return news.PostIDPath(vc.post.ID) + "/c/" + strconv.FormatInt(id, 10)
}

func (vc viewCtx) view(c *news.Comment) commentView {
	v := commentView{Comment: c, HTML: template.HTML(c.BodyHTML), Anchor: news.CommentAnchor(c.ID), Level: c.Depth,
		ReplyURL:  vc.postURL + "?" + articleQuery(vc.sortName, vc.cursor, c.ID) + "#respond",
		ActionURL: "/c/" + strconv.FormatInt(c.ID, 10), ThreadURL: vc.threadURL(c.ID), Back: vc.back,
		CanEdit: discussion.CanEdit(vc.viewer, c, vc.now), CanDelete: discussion.CanDelete(vc.viewer, c),
		CanPin: c.ParentID == 0 && !c.Placeholder() && discussion.CanPin(vc.viewer, vc.post), Report: vc.report}
	if c.AuthorHandle != "" {
		v.AuthorURL = news.AccountPath(c.AuthorHandle)
	}
	return v
}

// articleQuery encodes the article page's query: sort, comment cursor and the
// comment being replied to, each only when set, in url.Values.Encode's
// order (by key), without its map: it is made for every comment's reply link.
func articleQuery(sortName, cursor string, replyTo int64) string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	if cursor != "" {
		add("cursor", cursor)
	}
	if replyTo > 0 {
		add("replyto", strconv.FormatInt(replyTo, 10))
	}
	if sortName != "" {
		add("sort", sortName)
	}
	return b.String()
}

// nameOf is the author name of a comment on this page, for "Replying to".
func (p *articlePage) nameOf(id int64) string {
	for _, c := range p.Comments {
		if c.ID == id {
			return c.AuthorName
		}
	}
	return ""
}
