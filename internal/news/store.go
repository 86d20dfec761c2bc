package news

import (
	"context"
	"time"
)

// Store is everything Headline keeps. Each method runs in its own
// transaction. Every lookup of a missing row returns a NotFound *Error, never
// a nil value and a nil error; every unique violation returns Conflict.
type Store interface {
	AccountStore
	SessionStore
	PostStore
	CommentStore
	ReactionStore
	FollowStore
	TimelineStore
	EngagementStore
	NotificationStore
	ModerationStore
	ReaderStateStore
	MediaStore
	// Bulk runs fn with a Store whose every read and write goes into one
	// transaction, committed when fn returns nil and rolled back otherwise.
	// It is for loading many rows fast (loadgen, migrate-data): the rows are
	// written by the same code, with the same counters, as one at a time.
	// After a write inside fails, fn must return an error: on some databases
	// the transaction cannot go on. Close on the inner Store is an error.
	Bulk(ctx context.Context, fn func(tx Store) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// AccountStore keeps accounts and their password hashes.
type AccountStore interface {
	// CreateAccount inserts a and sets its ID and CreatedAt. A handle taken
	// in any letter case is a Conflict.
	CreateAccount(ctx context.Context, a *Account, passwordHash string) error
	AccountByID(ctx context.Context, id int64) (*Account, error)
	// AccountByHandle finds an account by handle, ignoring letter case.
	AccountByHandle(ctx context.Context, handle string) (*Account, error)
	PasswordHash(ctx context.Context, accountID int64) (string, error)
	UpdateAccount(ctx context.Context, id int64, u AccountUpdate) (*Account, error)
	CountAccounts(ctx context.Context) (int64, error)
}

// SessionStore keeps hashed session and API-token credentials.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// SessionAccount returns the account owning the credential with this hash
	// and kind, or NotFound when there is none or it expired before now.
	SessionAccount(ctx context.Context, tokenHash, kind string, now time.Time) (*Account, error)
	DeleteSession(ctx context.Context, tokenHash string) error
}

// PostStore keeps posts. Posts come back with Author filled.
type PostStore interface {
	// CreatePost inserts p, sets ID, CreatedAt and UpdatedAt, and counts it in
	// the author's PostsCount unless it is a draft. A slug already used by
	// the same author is a Conflict.
	CreatePost(ctx context.Context, p *Post) error
	// UpdatePost stores p's editable fields and status, keeping the author's
	// PostsCount right when the status changes.
	UpdatePost(ctx context.Context, p *Post) error
	// DeletePost removes the post with its comments, likes, views, tags,
	// notifications and media references (not the media itself: see
	// MediaStore.ReleasePostMedia, which must run first), and takes it off
	// the author's PostsCount when it was counted. A missing post is
	// NotFound.
	DeletePost(ctx context.Context, id int64) error
	PostByID(ctx context.Context, id int64) (*Post, error)
	PostBySlug(ctx context.Context, authorID int64, slug string) (*Post, error)
	ListPosts(ctx context.Context, f PostFilter) ([]*Post, error)
}

// CommentStore keeps comments and their threads.
type CommentStore interface {
	// CreateComment inserts c and sets ID, CreatedAt, RootID and Depth. When
	// c.ParentID is set, the parent must exist (NotFound) and belong to the
	// same post (Invalid). A published comment bumps the post's
	// CommentsCount and the parent's RepliesCount in the same transaction.
	CreateComment(ctx context.Context, c *Comment) error
	CommentByID(ctx context.Context, id int64) (*Comment, error)
	ListComments(ctx context.Context, f CommentFilter) ([]*Comment, error)
	// ListReplies returns the published replies under the given top-level
	// comments in thread order (each reply after its parent, siblings
	// oldest first), at most limit in all.
	ListReplies(ctx context.Context, postID int64, rootIDs []int64, limit int) ([]*Comment, error)
}
