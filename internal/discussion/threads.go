package discussion

import (
	"context"

	"github.com/headline/headline/internal/news"
)

// Thread is a top-level comment and the first of its replies in thread
// order. More says that further replies were left for Replies.
type Thread struct {
	Comment *news.Comment
	Replies []*news.Comment
	More    bool
}

// ThreadPage is a page of threads for the article page.
type ThreadPage struct {
	Threads    []Thread
	NextCursor string
}

// RepliesPreview is how many replies of each thread a page of threads
// carries; the rest load on demand, a page at a time (Replies).
const RepliesPreview = 3

// Threads returns a page of top-level comments, each with its first
// RepliesPreview replies: what a page costs does not grow with threads.
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
	replies, err := s.store.ListThreadReplies(ctx, news.ReplyFilter{PostID: postID, ParentIDs: roots, Limit: RepliesPreview + 1})
	if err != nil {
		return ThreadPage{}, err
	}
	byRoot := map[int64][]*news.Comment{}
	for _, r := range replies {
		byRoot[r.RootID] = append(byRoot[r.RootID], r)
	}
	for i := range page.Threads {
		t := &page.Threads[i]
		t.Replies = byRoot[t.Comment.ID]
		if len(t.Replies) > RepliesPreview {
			t.Replies, t.More = t.Replies[:RepliesPreview], true
		}
	}
	return page, nil
}

// Replies returns a page of the replies under one comment, in thread
// order, after cursor (a cursor of an earlier page of the same comment).
func (s *Service) Replies(ctx context.Context, viewer *news.Account, commentID int64, cursor string, limit int) (*news.Comment, Page, error) {
	c, err := s.visibleComment(ctx, viewer, commentID)
	if err != nil {
		return nil, Page{}, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	f := news.ReplyFilter{PostID: c.PostID, ParentIDs: []int64{c.ID}, Limit: limit + 1}
	if cursor != "" {
		v, err := news.DecodeCursor(cursor, 2)
		if err == nil && v[0] != codeThread {
			err = &news.Error{Code: news.Invalid, Message: "That cursor is not a cursor of replies; start again from the first page.", Fields: map[string]string{"cursor": "not a replies cursor"}}
		}
		if err != nil {
			return nil, Page{}, err
		}
		f.AfterID = v[1]
	}
	rs, err := s.store.ListThreadReplies(ctx, f)
	if err != nil {
		return nil, Page{}, err
	}
	page := Page{Comments: rs}
	if len(rs) > limit {
		page.Comments = rs[:limit]
		page.NextCursor = ReplyCursor(rs[limit-1].ID)
	}
	return c, page, nil
}

// ReplyCursor is the cursor of Replies that continues after reply id, for
// the "Show more replies" link under a thread's preview.
func ReplyCursor(id int64) string { return news.EncodeCursor(codeThread, id) }

// HotMinLikes is how many likes a comment needs to be a hot comment;
// HotCount is how many hot comments are shown at most.
const (
	HotMinLikes = 5
	HotCount    = 3
)

// Hot returns the post's best top-level comments: the most liked, with at
// least HotMinLikes likes, not pinned (those are shown already) and not
// deleted; at most HotCount. One index range (sort top), however big the
// post.
func (s *Service) Hot(ctx context.Context, viewer *news.Account, postID int64) ([]*news.Comment, error) {
	if _, err := s.visiblePost(ctx, viewer, postID); err != nil {
		return nil, err
	}
	cs, err := s.store.ListComments(ctx, news.CommentFilter{PostID: postID, TopLevel: true, Sort: news.SortTop, Limit: HotCount + MaxPinned})
	if err != nil {
		return nil, err
	}
	var out []*news.Comment
	for _, c := range cs {
		if c.LikesCount < HotMinLikes || len(out) == HotCount {
			break
		}
		if c.PinnedAt.IsZero() && !c.Placeholder() {
			out = append(out, c)
		}
	}
	return out, nil
}

// Pinned returns the post's pinned comments, first pinned first.
func (s *Service) Pinned(ctx context.Context, viewer *news.Account, postID int64) ([]*news.Comment, error) {
	if _, err := s.visiblePost(ctx, viewer, postID); err != nil {
		return nil, err
	}
	return s.store.PinnedComments(ctx, postID)
}

// visibleComment loads a published comment (a placeholder included) on a
// post the viewer may see; anything else is NotFound.
func (s *Service) visibleComment(ctx context.Context, viewer *news.Account, id int64) (*news.Comment, error) {
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != news.CommentPublished {
		return nil, news.Errorf(news.NotFound, "That comment does not exist.")
	}
	if _, err := s.visiblePost(ctx, viewer, c.PostID); err != nil {
		return nil, err
	}
	return c, nil
}

// Comment returns a published comment (a placeholder included) on a post
// the viewer may see.
func (s *Service) Comment(ctx context.Context, viewer *news.Account, id int64) (*news.Comment, error) {
	return s.visibleComment(ctx, viewer, id)
}
