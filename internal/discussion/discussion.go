// Package discussion owns comments: who may write them, what a valid
// comment is, threads of replies, and the order readers see them in.
package discussion

import (
	"context"
	"strings"
	"time"

	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
)

// Store is what the discussion service needs from storage.
type Store interface {
	news.CommentStore
	news.ReactionStore
	news.ReaderStateStore
	PostByID(ctx context.Context, id int64) (*news.Post, error)
}

// Service applies the comment rules over a Store.
type Service struct {
	store Store
	now   func() time.Time
	// mod, when set, rate-limits writes, refuses banned writers and holds
	// comments its rules flag; without it every comment is published.
	mod *moderation.Service
}

// WithModeration makes every write go through m, and returns s.
func (s *Service) WithModeration(m *moderation.Service) *Service {
	s.mod = m
	return s
}

// New returns a Service. now may be nil for time.Now.
func New(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// Input is a comment as submitted. Name, Email and Website are read only
// for guests; a signed-in writer comments as their account.
type Input struct {
	PostID    int64
	ParentID  int64
	Body      string
	Name      string
	Email     string
	Website   string
	IP        string
	UserAgent string
	// GuestID is the browser's anonymous guest id, if any: a held guest
	// comment is shown to the browser that wrote it.
	GuestID string
	// Form carries the guest form's honeypot and signed time; nil for the
	// API and for signed-in writers.
	Form *moderation.Form
}

// Post checks and stores a comment by actor (nil for a guest). A repeat
// of the same comment within DedupWindow returns the first one instead.
func (s *Service) Post(ctx context.Context, actor *news.Account, in Input) (*news.Comment, error) {
	c, _, err := s.Write(ctx, actor, in)
	return c, err
}

// DedupWindow is how long the same comment sent again is taken for a
// double submission. "The same" is: same post, same parent, same writer
// (account, or guest email) and the same body after trimming.
const DedupWindow = 30 * time.Second

// Write is Post that also reports whether the comment was a duplicate of
// one written within DedupWindow, which it returns instead of a new one.
func (s *Service) Write(ctx context.Context, actor *news.Account, in Input) (*news.Comment, bool, error) {
	c := &news.Comment{PostID: in.PostID, ParentID: in.ParentID, Body: strings.TrimRight(in.Body, " \t\r\n"),
		Status: news.CommentPublished, IP: in.IP, UserAgent: truncate(in.UserAgent, 300)}
	if actor == nil {
		c.AuthorName = strings.TrimSpace(in.Name)
		c.Email = strings.TrimSpace(in.Email)
		c.Website = strings.TrimSpace(in.Website)
	} else {
		c.AccountID, c.AuthorName, c.AuthorHandle, c.AuthorOfficial = actor.ID, actor.Name, actor.Handle, actor.Official
	}
	// The post, a duplicate and the writer's moderation facts are read at
	// once, before anything is checked (one read transaction on SQLite);
	// they are used in the order the rules go: the post must be visible,
	// the writer within limits, the input valid, then a duplicate is
	// answered with the first comment, and only a new one is judged.
	q := news.CommentCheckQuery{Comment: c, DedupSince: s.now().Add(-DedupWindow)}
	if s.mod != nil {
		wq := moderation.WriterQuery(c)
		q.Writer = &wq
	}
	chk, err := s.store.CheckComment(ctx, q)
	if err != nil {
		return nil, false, err
	}
	post := chk.Post
	if err := s.visible(post, actor); err != nil {
		return nil, false, err
	}
	writer := moderation.WriterKey(actor, in.GuestID)
	if s.mod != nil {
		ids := []string{writer}
		if email := strings.TrimSpace(in.Email); actor == nil && email != "" {
			ids = append(ids, "e:"+email)
		}
		if err := s.mod.Limit(ctx, moderation.ActComment, in.IP, ids...); err != nil {
			return nil, false, err
		}
	}
	p := news.Problems{}
	if actor == nil {
		news.CheckLine(p, "name", "Name", c.AuthorName, news.MaxName, true)
		news.CheckEmail(p, "email", c.Email, true)
		news.CheckWebURL(p, "website", "Website", c.Website)
	}
	news.CheckText(p, "body", "Comment", c.Body, news.MaxCommentBody, true)
	if in.ParentID < 0 {
		p.Add("parent_id", "That is not a comment id.")
	}
	if err := p.Err(); err != nil {
		return nil, false, err
	}
	if chk.Duplicate != nil {
		return chk.Duplicate, true, nil
	}
	if s.mod != nil {
		sub := moderation.Submission{Comment: c, Post: post, Writer: actor, WriterKey: writer}
		if actor == nil {
			sub.Form = in.Form
		}
		if err := s.mod.DecideWith(ctx, sub, chk.Writer); err != nil {
			return nil, false, err
		}
	}
	c.BodyHTML = render.Comment(c.Body)
	// The duplicate read above misses one sent at the same moment (an app
	// retrying while this request is still being written): the store
	// looks again as it writes.
	dup, err := s.store.CreateCommentOnce(ctx, c, q.DedupSince)
	if err != nil {
		return nil, false, err
	}
	if dup != nil {
		return dup, true, nil
	}
	return c, false, nil
}

func (s *Service) visiblePost(ctx context.Context, viewer *news.Account, id int64) (*news.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, s.visible(p, viewer)
}

// visible answers NotFound for a post viewer may not see: one not yet
// published, unless viewer wrote it or moderates.
func (s *Service) visible(p *news.Post, viewer *news.Account) error {
	if !p.Visible(s.now()) && (viewer == nil || (viewer.ID != p.AuthorID && !viewer.Role.CanModerate())) {
		return news.Errorf(news.NotFound, "That post does not exist.")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// Query selects a page of comments.
type Query struct {
	Sort     news.CommentSort // "" means old
	ParentID int64            // only direct replies to this comment
	TopLevel bool             // only top-level comments
	Cursor   string
	Limit    int
}

// Page is one page of comments and the cursor of the next, "" at the end.
type Page struct {
	Comments   []*news.Comment
	NextCursor string
}

// sortCodes go into cursors so that a cursor made for one order is refused
// by another, instead of silently returning a wrong page. codeThread marks
// the cursors of Replies.
var sortCodes = map[news.CommentSort]int64{news.SortOld: 1, news.SortNew: 2, news.SortTop: 3}

const codeThread = 4

// ParseSort checks a sort name from a request; "" means old.
func ParseSort(s string) (news.CommentSort, error) {
	switch news.CommentSort(s) {
	case "", news.SortOld:
		return news.SortOld, nil
	case news.SortNew:
		return news.SortNew, nil
	case news.SortTop:
		return news.SortTop, nil
	}
	return "", &news.Error{Code: news.Invalid, Message: "Sort must be top, new or old.", Fields: map[string]string{"sort": "must be top, new or old"}}
}

// List returns a page of a post's published comments as a flat list, each
// with its ParentID, for clients that build threads themselves.
func (s *Service) List(ctx context.Context, viewer *news.Account, postID int64, q Query) (Page, error) {
	if _, err := s.visiblePost(ctx, viewer, postID); err != nil {
		return Page{}, err
	}
	if q.Sort == "" {
		q.Sort = news.SortOld
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	f := news.CommentFilter{PostID: postID, TopLevel: q.TopLevel, ParentID: q.ParentID, Sort: q.Sort, Limit: q.Limit + 1}
	if q.Cursor != "" {
		if err := decodeListCursor(q.Cursor, &f); err != nil {
			return Page{}, err
		}
	}
	cs, err := s.store.ListComments(ctx, f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Comments: cs}
	if len(cs) > q.Limit {
		page.Comments = cs[:q.Limit]
		last := page.Comments[q.Limit-1]
		page.NextCursor = news.EncodeCursor(sortCodes[q.Sort], last.ID)
		if q.Sort == news.SortTop {
			page.NextCursor = news.EncodeCursor(sortCodes[q.Sort], last.LikesCount, last.ID)
		}
	}
	return page, nil
}

// decodeListCursor fills f's keyset from a List cursor made for f.Sort:
// (sort, id), or (sort, likes, id) for top. Likes move while a reader
// pages, and the cursor keeps the likes the last comment had when it was
// read: a comment whose likes change between two pages may be shown twice
// or skipped. That is the price of pages that cost the same at any depth
// without a snapshot per reader; clients de-duplicate by id.
func decodeListCursor(cursor string, f *news.CommentFilter) error {
	n := 2
	if f.Sort == news.SortTop {
		n = 3
	}
	v, err := news.DecodeCursor(cursor, n)
	if err == nil && v[0] != sortCodes[f.Sort] {
		err = &news.Error{Code: news.Invalid, Message: "That cursor belongs to another sort order; start again from the first page.", Fields: map[string]string{"cursor": "made for another sort"}}
	}
	if err != nil {
		if _, other := news.DecodeCursor(cursor, 5-n); other == nil {
			err = &news.Error{Code: news.Invalid, Message: "That cursor belongs to another sort order; start again from the first page.", Fields: map[string]string{"cursor": "made for another sort"}}
		}
		return err
	}
	f.AfterID = v[n-1]
	if n == 3 {
		f.AfterLikes = v[1]
	}
	return nil
}
