package news

import (
	"context"
	"strings"
	"time"
)

// MaxCommentDepth is the deepest a reply is stored. A reply to a comment
// at this depth is kept at this depth (its ParentID still names the comment
// it answers), so a chain of any length keeps a bounded materialized path:
// 100 segments of 9 bytes, well under an index entry's limit on both
// databases, and no code ever walks more than 100 levels.
const MaxCommentDepth = 100

// Like is the state of one reader's like after a change: the comment's
// likes count, and whether the reader now likes it.
type Like struct {
	CommentID int64
	PostID    int64 // the comment's post, so caches of its pages can be dropped
	Likes     int64
	Liked     bool
}

// ReplyFilter selects replies in thread order (each reply right after its
// parent, siblings oldest first) for ListThreadReplies.
type ReplyFilter struct {
	PostID    int64
	ParentIDs []int64 // whole subtrees under each of these comments
	// AfterID continues one parent's subtree after this reply, in thread
	// order; it needs exactly one ParentID.
	AfterID int64
	Limit   int // at most this many replies under each parent
}

// ReactionStore keeps what readers do to comments after writing them:
// likes, pins, edits and deletions. Counters change in the same
// transaction as the rows they count.
type ReactionStore interface {
	// LikeComment records r's like of a published, not deleted comment
	// (otherwise NotFound). Liking twice changes nothing.
	LikeComment(ctx context.Context, commentID int64, r Reader) (Like, error)
	// UnlikeComment removes r's like, if any, from such a comment.
	UnlikeComment(ctx context.Context, commentID int64, r Reader) (Like, error)
	// LikedComments returns which of ids r likes.
	LikedComments(ctx context.Context, r Reader, ids []int64) (map[int64]bool, error)
	// EditComment replaces the body of a comment that is not deleted and
	// stamps EditedAt.
	EditComment(ctx context.Context, id int64, body, bodyHTML string) (*Comment, error)
	// DeleteComment deletes a comment. One with published replies becomes
	// a placeholder (DeletedAt set, BodyHTML emptied, Body kept for
	// moderators); one without is marked deleted and leaves every list,
	// and so does each placeholder above it that has no replies left.
	// The post's CommentsCount drops by one either way; RepliesCount of a
	// parent drops when a child leaves. Deleting again changes nothing.
	DeleteComment(ctx context.Context, id int64) error
	// PinComment pins or unpins a published, top-level, not deleted
	// comment. Pinning is idempotent; pinning more than max comments of a
	// post is a Conflict.
	PinComment(ctx context.Context, id int64, pin bool, max int) (*Comment, error)
	// PinnedComments returns the pinned published comments of a post,
	// first pinned first.
	PinnedComments(ctx context.Context, postID int64) ([]*Comment, error)
	// ListThreadReplies returns published replies (placeholders included)
	// under f.ParentIDs in thread order, grouped by parent in the order
	// given, at most f.Limit under each.
	ListThreadReplies(ctx context.Context, f ReplyFilter) ([]*Comment, error)
	// RecentDuplicate returns the newest comment by c's writer (account, or
	// guest email when c.AccountID is 0) on c's post under c's parent with
	// c's body written at or after since, or NotFound. Only the writer's
	// The bodies are compared whole.
	RecentDuplicate(ctx context.Context, c *Comment, since time.Time) (*Comment, error)
	// CreateCommentOnce is CreateComment unless RecentDuplicate of c since
	// since finds a comment: then it writes nothing and returns that one
	// (nil when it wrote c). The check and the insert are one transaction
	// and serialised per writer and body, so of identical comments sent at
	// once (an app retrying, a form sent twice) one is stored.
	CreateCommentOnce(ctx context.Context, c *Comment, since time.Time) (*Comment, error)
	// CheckComment reads what posting q.Comment needs to know before it
	// writes: the post (NotFound when there is none), RecentDuplicate of
	// q.Comment since q.DedupSince, and, when q.Writer is set,
	// WriterFacts. A comment post makes these three reads every time; as
	// one call a store can make them in one transaction.
	CheckComment(ctx context.Context, q CommentCheckQuery) (CommentCheck, error)
}

// CommentCheckQuery asks CheckComment about a comment about to be posted.
type CommentCheckQuery struct {
	Comment    *Comment // PostID, ParentID, AccountID, Email and Body set
	DedupSince time.Time
	Writer     *WriterQuery // nil: moderation is off, the facts are not read
}

// CommentCheck is CheckComment's answer.
type CommentCheck struct {
	// Post is the post commented on with what the checks use: its ID,
	// AuthorID, Status and PublishedAt, nothing else.
	Post      *Post
	Duplicate *Comment    // nil when there is none
	Writer    WriterFacts // zero when CommentCheckQuery.Writer is nil
}

// BodyHash is the hash of a comment's body that the stores keep beside it
// (comments.body_hash), so that the duplicate check seeks the writer's
// comments with this hash instead of reading their bodies. Equal hashes
// are confirmed by comparing the bodies. FNV-1a: fast on short texts, and
// the same on every instance and store.
func BodyHash(body string) int64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(body); i++ {
		h ^= uint64(body[i])
		h *= 1099511628211
	}
	return int64(h)
}

// Placeholder reports whether c is a deleted comment kept as "comment
// deleted" because it has replies.
func (c *Comment) Placeholder() bool { return !c.DeletedAt.IsZero() }

// CheckParent is the rule for the comment a reply answers, which both
// stores apply inside the transaction that writes the reply: same post,
// published, and not deleted.
func CheckParent(postID, parentPostID int64, parentStatus CommentStatus, parentDeleted bool) error {
	field := func(msg string) error {
		return &Error{Code: Invalid, Message: msg, Fields: map[string]string{"parent_id": msg}}
	}
	switch {
	case parentPostID != postID:
		return &Error{Code: Invalid, Message: "You can only reply to a comment on the same post.",
			Fields: map[string]string{"parent_id": "That comment belongs to another post."}}
	case parentStatus == CommentDeleted || parentDeleted:
		return field("That comment was deleted; you cannot reply to it.")
	case parentStatus != CommentPublished:
		return field("That comment is not published; you cannot reply to it.")
	}
	return nil
}

// ReplyPosition is where a reply to a comment at parentDepth with
// parentPath goes: its depth, and the path its own segment is appended to
// (after a '/'). Below MaxCommentDepth that is one level down; at it, the
// reply is stored beside its parent, so paths stop growing.
func ReplyPosition(parentDepth int, parentPath string) (int, string) {
	if parentDepth < MaxCommentDepth {
		return parentDepth + 1, parentPath
	}
	if i := strings.LastIndexByte(parentPath, '/'); i > 0 {
		return MaxCommentDepth, parentPath[:i]
	}
	return MaxCommentDepth, parentPath
}

// CheckPinnable is the rule for what may be pinned: a published top-level
// comment that is not deleted.
func CheckPinnable(c *Comment) error {
	switch {
	case c.Status != CommentPublished || c.Placeholder():
		return Errorf(NotFound, "That comment does not exist or can no longer be pinned.")
	case c.ParentID != 0:
		return &Error{Code: Invalid, Message: "Only top-level comments can be pinned; pin the comment that starts the thread."}
	}
	return nil
}

// TooManyPins is the Conflict of pinning more than max comments of a post.
func TooManyPins(max int) error {
	return Errorf(Conflict, "This post already has %d pinned comments; unpin one first.", max)
}
