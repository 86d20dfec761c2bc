package news

import "context"

// ReaderStateQuery asks ReaderState for what one reader sees of their own
// on a post's page. Each part is read only when asked for.
type ReaderStateQuery struct {
	Reader Reader // set: an account or a guest
	PostID int64
	// UnreadMax > 0 counts the account's unread notifications up to it
	// (UnreadCount); a guest has none.
	UnreadMax int
	// AuthorID != 0 reads whether the account follows it (IsFollowing).
	AuthorID int64
	PostLike bool // read whether the reader likes the post (LikedPosts)
	// CommentIDs are the comments on the page: which of them the reader
	// likes is read (LikedComments).
	CommentIDs []int64
	// HeldMax > 0 reads up to that many of the reader's held comments on
	// the post, oldest first (HeldComments with the reader's key).
	HeldMax int
}

// ReaderState is ReaderStateQuery's answer; the parts not asked for are
// zero.
type ReaderState struct {
	Unread        int
	Following     bool
	PostLiked     bool
	LikedComments map[int64]bool // never nil
	Held          []*Comment
}

// ReaderStateStore reads a reader's state on a post at once.
type ReaderStateStore interface {
	// ReaderState answers q as the five reads it names would, with
	// parts the reader cannot have (an unread count or a follow for a
	// guest) zero. It is made for the first view of a cached article page
	// by a signed-in reader, so a store makes it in as few statements as
	// it can: one, unless the reader has held comments on the post.
	ReaderState(ctx context.Context, q ReaderStateQuery) (ReaderState, error)
}
