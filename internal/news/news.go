// Package news holds Headline's domain: accounts, posts and comments, the
// contracts the stores fulfil, the product's error codes and the pure rules
// (validation, slugs, cursors) that every surface shares. It imports only the
// standard library, so every other package may depend on it.
package news

import "time"

// Role says what an account may do. Roles are ordered: each includes the
// powers of the ones before it, except that publishers do not moderate.
type Role string

const (
	RoleReader    Role = "reader"
	RolePublisher Role = "publisher"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleReader, RolePublisher, RoleModerator, RoleAdmin:
		return true
	}
	return false
}

// CanPublish reports whether the role may write posts.
func (r Role) CanPublish() bool { return r == RolePublisher || r == RoleAdmin }

// CanModerate reports whether the role may moderate other people's content.
func (r Role) CanModerate() bool { return r == RoleModerator || r == RoleAdmin }

// Account is a person or an organisation with a handle. Official is the label
// of a verified official account ("Newspaper", "Embassy"), empty otherwise.
// Email is private: it is never rendered in a page, feed or API response.
type Account struct {
	ID             int64
	Handle         string
	Name           string
	Email          string
	Bio            string
	Role           Role
	Official       string
	FollowersCount int64
	FollowingCount int64
	PostsCount     int64
	CreatedAt      time.Time
	// FollowsVersion grows in the transaction of every follow or unfollow
	// by this account that changed something (and of every bulk load of
	// its follows): a copy of whom it follows, taken at a version, is
	// current while the account row still shows that version.
	FollowsVersion int64
}

// AccountUpdate changes the fields that are non-nil.
type AccountUpdate struct {
	Name     *string
	Bio      *string
	Role     *Role
	Official *string
}

// PostStatus is the stored state of a post. A published post whose
// PublishedAt lies in the future is "scheduled": it becomes visible at that
// moment with no job having to run, because every read filters on time.
type PostStatus string

const (
	PostDraft     PostStatus = "draft"
	PostPublished PostStatus = "published"
	// PostScheduled is never stored; it is how a published post with a
	// future PublishedAt is shown to its author and over the API.
	PostScheduled PostStatus = "scheduled"
)

// Post is an article (and, later, a video or image post).
type Post struct {
	ID           int64
	AuthorID     int64
	Author       *Account // filled by reads
	Kind         string   // "article", or "video" / "image" for a post about its main media
	Title        string
	Slug         string
	Summary      string
	BodyMarkdown string
	BodyHTML     string // rendered and sanitized on write, served as is
	Lang         string
	Tags         []string
	SourceName   string
	SourceURL    string
	Status       PostStatus // PostDraft or PostPublished
	PublishedAt  time.Time  // zero for drafts
	CreatedAt    time.Time
	UpdatedAt    time.Time

	CommentsCount int64
	LikesCount    int64

	// Media is the main media of a video or image post. Stores do not fill
	// it; the media service does, for the pages and responses that show it.
	Media *Media
}

// Visible reports whether readers other than the author may see p at now.
func (p *Post) Visible(now time.Time) bool {
	return p.Status == PostPublished && !p.PublishedAt.After(now)
}

// ShownStatus is the status as a person or API client sees it at now.
func (p *Post) ShownStatus(now time.Time) PostStatus {
	if p.Status == PostPublished && p.PublishedAt.After(now) {
		return PostScheduled
	}
	return p.Status
}

// PostCursor is a keyset position in a list of posts ordered newest first.
type PostCursor struct {
	Time time.Time
	ID   int64
}

// PostFilter selects posts for ListPosts. Lists are ordered by PublishedAt
// then ID, newest first (drafts by CreatedAt).
type PostFilter struct {
	AuthorID int64  // 0: any author
	Tag      string // "": any tag
	// Drafts lists the author's drafts instead of visible posts; Scheduled
	// lists the author's not-yet-visible published posts. Both need AuthorID.
	Drafts    bool
	Scheduled bool
	Now       time.Time   // visibility cut-off
	After     *PostCursor // continue after this position
	Limit     int
}

// CommentStatus is the moderation state of a comment.
type CommentStatus string

const (
	CommentPublished CommentStatus = "published"
	CommentPending   CommentStatus = "pending"
	CommentSpam      CommentStatus = "spam"
	CommentDeleted   CommentStatus = "deleted"
)

// Comment is a reader's comment on a post, or a reply to another comment.
// A guest comment has AccountID 0 and carries the guest's Name, Email and
// Website; Email is kept for moderation and reply mail and never shown.
type Comment struct {
	ID        int64
	PostID    int64
	ParentID  int64 // 0 for a top-level comment
	RootID    int64 // the top-level comment of the thread (itself when top-level)
	Depth     int   // 0 for top-level
	AccountID int64 // 0 for guests

	AuthorName     string
	AuthorHandle   string // "" for guests
	AuthorOfficial string // the official label of the author's account
	Email          string // guests only; private
	Website        string // guests only; an http(s) URL or ""

	Body     string // as written
	BodyHTML string // rendered and sanitized on write

	Status       CommentStatus
	LikesCount   int64
	RepliesCount int64 // direct replies
	IP           string
	UserAgent    string
	CreatedAt    time.Time
	// EditedAt, DeletedAt and PinnedAt are zero until the comment is
	// edited, deleted or pinned (see reactions.go). A published comment
	// with DeletedAt set is a placeholder: it keeps its thread together and
	// its body is never shown.
	EditedAt  time.Time
	DeletedAt time.Time
	PinnedAt  time.Time
	// Review is moderation's note (see moderation.go): set by the write
	// path on a comment with reasons against it, and by queue reads.
	Review *Review
}

// CommentSort is an order for a list of comments.
type CommentSort string

const (
	SortNew CommentSort = "new"
	SortOld CommentSort = "old"
	SortTop CommentSort = "top" // most liked first; ties oldest first
)

// CommentFilter selects comments for ListComments.
type CommentFilter struct {
	PostID   int64
	TopLevel bool  // only comments without a parent
	ParentID int64 // only direct replies to this comment
	Sort     CommentSort
	AfterID  int64 // keyset: continue after this comment id in Sort order
	// AfterLikes is the likes count of the AfterID comment when it was
	// read, the other half of a SortTop keyset position.
	AfterLikes int64
	Limit      int
}

// Session is a credential kept hashed in the store: a browser session
// (KindSession) or a named API token (KindAPIToken).
type Session struct {
	TokenHash string
	AccountID int64
	Kind      string
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never
}

// Credential kinds.
const (
	KindSession  = "session"
	KindAPIToken = "api"
)
