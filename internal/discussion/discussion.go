// Package discussion owns comments: who may write them, what a valid
// comment is, threads of replies, and the order readers see them in.
package discussion

import (
	"context"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
)

// Store is what the discussion service needs from storage.
type Store interface {
	news.CommentStore
	PostByID(ctx context.Context, id int64) (*news.Post, error)
}

// Service applies the comment rules over a Store.
type Service struct {
	store Store
	now   func() time.Time
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
}

// Post checks and stores a comment by actor (nil for a guest).
func (s *Service) Post(ctx context.Context, actor *news.Account, in Input) (*news.Comment, error) {
	post, err := s.visiblePost(ctx, actor, in.PostID)
	if err != nil {
		return nil, err
	}
	c := &news.Comment{PostID: post.ID, ParentID: in.ParentID, Body: strings.TrimRight(in.Body, " \t\r\n"),
		Status: news.CommentPublished, IP: in.IP, UserAgent: truncate(in.UserAgent, 300)}
	p := news.Problems{}
	if actor == nil {
		c.AuthorName = strings.TrimSpace(in.Name)
		c.Email = strings.TrimSpace(in.Email)
		c.Website = strings.TrimSpace(in.Website)
		news.CheckLine(p, "name", "Name", c.AuthorName, news.MaxName, true)
		news.CheckEmail(p, "email", c.Email, true)
		news.CheckWebURL(p, "website", "Website", c.Website)
	} else {
		c.AccountID, c.AuthorName, c.AuthorHandle, c.AuthorOfficial = actor.ID, actor.Name, actor.Handle, actor.Official
	}
	news.CheckText(p, "body", "Comment", c.Body, news.MaxCommentBody, true)
	if in.ParentID < 0 {
		p.Add("parent_id", "That is not a comment id.")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	c.BodyHTML = render.Comment(c.Body)
	if err := s.store.CreateComment(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Service) visiblePost(ctx context.Context, viewer *news.Account, id int64) (*news.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Visible(s.now()) && (viewer == nil || (viewer.ID != p.AuthorID && !viewer.Role.CanModerate())) {
		return nil, news.Errorf(news.NotFound, "That post does not exist.")
	}
	return p, nil
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
// by another, instead of silently returning a wrong page.
var sortCodes = map[news.CommentSort]int64{news.SortOld: 1, news.SortNew: 2}

// ParseSort checks a sort name from a request; "" means old.
func ParseSort(s string) (news.CommentSort, error) {
	switch news.CommentSort(s) {
	case "", news.SortOld:
		return news.SortOld, nil
	case news.SortNew:
		return news.SortNew, nil
	}
	return "", &news.Error{Code: news.Invalid, Message: "Sort must be new or old.", Fields: map[string]string{"sort": "must be new or old"}}
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
		v, err := news.DecodeCursor(q.Cursor, 2)
		if err != nil {
			return Page{}, err
		}
		if v[0] != sortCodes[q.Sort] {
			return Page{}, &news.Error{Code: news.Invalid, Message: "That cursor belongs to another sort order; start again from the first page.", Fields: map[string]string{"cursor": "made for another sort"}}
		}
		f.AfterID = v[1]
	}
	cs, err := s.store.ListComments(ctx, f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Comments: cs}
	if len(cs) > q.Limit {
		page.Comments = cs[:q.Limit]
		page.NextCursor = news.EncodeCursor(sortCodes[q.Sort], page.Comments[q.Limit-1].ID)
	}
	return page, nil
}

// Thread is a top-level comment and its replies in thread order.
type Thread struct {
	Comment *news.Comment
	Replies []*news.Comment
}

// ThreadPage is a page of threads for the article page.
type ThreadPage struct {
	Threads    []Thread
	NextCursor string
}

// MaxRepliesPerPage bounds the replies loaded with one page of threads.
const MaxRepliesPerPage = 500

// Threads returns a page of top-level comments, each with its replies.
func (s *Service) Threads(ctx context.Context, viewer *news.Account, postID int64, sort news.CommentSort, cursor string, limit int) (ThreadPage, error) {
	top, err := s.List(ctx, viewer, postID, Query{Sort: sort, TopLevel: true, Cursor: cursor, Limit: limit})
	if err != nil {
		return ThreadPage{}, err
	}
	page := ThreadPage{NextCursor: top.NextCursor}
	var roots []int64
	for _, c := range top.Comments {
		page.Threads = append(page.Threads, Thread{Comment: c})
		if c.RepliesCount > 0 {
			roots = append(roots, c.ID)
		}
	}
	if len(roots) == 0 {
		return page, nil
	}
	replies, err := s.store.ListReplies(ctx, postID, roots, MaxRepliesPerPage)
	if err != nil {
		return ThreadPage{}, err
	}
	byRoot := map[int64][]*news.Comment{}
	for _, r := range replies {
		byRoot[r.RootID] = append(byRoot[r.RootID], r)
	}
	for i := range page.Threads {
		page.Threads[i].Replies = byRoot[page.Threads[i].Comment.ID]
	}
	return page, nil
}
