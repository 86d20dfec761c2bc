package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

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

// articlePage is a post and its discussion.
type articlePage struct {
	Base
	Post       *news.Post
	Body       template.HTML // Post.BodyHTML, sanitized when it was written
	URL        string        // the readable address of the post
	Shown      news.PostStatus
	CanEdit    bool
	EditURL    string
	Comments   []commentView
	Sort       news.CommentSort
	SortNewURL string
	SortOldURL string
	MoreURL    string
	Form       commentForm
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
}

// articleBySlug serves GET /@{handle}/{slug}.
func (s *server) articleBySlug(w http.ResponseWriter, r *http.Request) error {
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
	return s.showArticle(w, r, p)
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
	return s.showArticle(w, r, p)
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

func (s *server) showArticle(w http.ResponseWriter, r *http.Request, p *news.Post) error {
	q := r.URL.Query()
	page, err := s.articlePage(r, p, q.Get("sort"), q.Get("cursor"))
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(q.Get("replyto"), 10, 64); err == nil && id > 0 {
		page.Form.ParentID = id
		page.Form.ReplyingTo = page.nameOf(id)
	}
	return s.render(w, r, http.StatusOK, "article", page)
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
	postURL := news.PostPath(p)
	page := &articlePage{Post: p, Body: template.HTML(p.BodyHTML), URL: postURL, Shown: p.ShownStatus(s.now()), CanEdit: publishing.CanEdit(viewer, p),
		EditURL: news.PostIDPath(p.ID) + "/edit", Sort: sort,
		SortNewURL: postURL + "?sort=new#comments", SortOldURL: postURL + "?sort=old#comments"}
	page.Title, page.Lang, page.Path = p.Title, p.Lang, postURL
	page.Comments = threadViews(tp.Threads, postURL, sortName, cursor)
	if tp.NextCursor != "" {
		page.MoreURL = postURL + "?" + articleQuery(sortName, tp.NextCursor, 0) + "#comments"
	}
	page.Form = commentForm{Action: news.PostIDPath(p.ID) + "/comments", Guest: viewer == nil, CancelURL: postURL + "#respond"}
	if viewer != nil {
		page.Form.ViewerName = viewer.Name
	}
	return page, nil
}

// threadViews flattens threads into the list the page shows, capping the
// nesting at maxLevel.
func threadViews(threads []discussion.Thread, postURL, sortName, cursor string) []commentView {
	var out []commentView
	for _, t := range threads {
		names := map[int64]string{t.Comment.ID: t.Comment.AuthorName}
		out = append(out, newCommentView(t.Comment, postURL, sortName, cursor))
		for _, c := range t.Replies {
			v := newCommentView(c, postURL, sortName, cursor)
			if c.Depth > maxLevel {
				v.Level, v.InReplyTo = maxLevel, names[c.ParentID]
			}
			names[c.ID] = c.AuthorName
			out = append(out, v)
		}
	}
	return out
}

func newCommentView(c *news.Comment, postURL, sortName, cursor string) commentView {
	v := commentView{Comment: c, HTML: template.HTML(c.BodyHTML), Anchor: news.CommentAnchor(c.ID), Level: c.Depth,
		ReplyURL: postURL + "?" + articleQuery(sortName, cursor, c.ID) + "#respond"}
	if c.AuthorHandle != "" {
		v.AuthorURL = news.AccountPath(c.AuthorHandle)
	}
	return v
}

// articleQuery encodes the article page's query: sort, comment cursor and the
// comment being replied to, each only when set.
func articleQuery(sortName, cursor string, replyTo int64) string {
	q := url.Values{}
	if sortName != "" {
		q.Set("sort", sortName)
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if replyTo > 0 {
		q.Set("replyto", strconv.FormatInt(replyTo, 10))
	}
	return q.Encode()
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
