package news

import (
	"context"
	"errors"
	"time"
)

// Review is what moderation knows about one comment: its spam score, the
// reasons behind it ("3 links", "blocklisted word 'casino'"), who wrote it
// (a Reader key, so a held comment is shown to its writer and nobody else)
// and how many readers reported it. A comment published with no reason
// against it has none (nil), which keeps the common write one row.
type Review struct {
	Score   int
	Reasons []string
	Writer  string // Reader.Key() of the writer: "a:<id>" or "g:<guest id>"
	Reports int64
}

// BanKind is what a ban matches.
type BanKind string

const (
	BanAccount BanKind = "account" // Value is the account id in decimal
	BanEmail   BanKind = "email"   // Value is a guest email, lower case
	BanIP      BanKind = "ip"      // Value is an IP address as written by httpx.ClientIP
)

// Ban refuses every comment (and like) from one account, email or IP.
type Ban struct {
	ID        int64
	Kind      BanKind
	Value     string
	Reason    string
	CreatedAt time.Time
}

// WriterQuery names a writer for WriterFacts.
type WriterQuery struct {
	AccountID int64  // 0 for a guest
	Email     string // a guest's email, lower case
	IP        string
}

// WriterFacts is what the comment write path reads about a writer, in one
// small indexed read: the moderation settings' version (so a cached copy
// knows when another instance changed them), the first ban matching the
// writer, and whether the writer has a published comment already.
type WriterFacts struct {
	SettingsVersion int64
	Banned          BanKind // "" when not banned
	Known           bool
}

// ModerationSettings are the stored settings documents: Scopes[0] is the
// site's, Scopes[accountID] an official account's override. The service
// owns the documents' format; the store keeps them opaque.
type ModerationSettings struct {
	Version int64
	Scopes  map[int64]string
}

// Queue names a moderation queue.
type Queue string

const (
	QueuePending  Queue = "pending"
	QueueSpam     Queue = "spam"
	QueueReported Queue = "reported" // published comments with open reports
)

// QueueFilter selects a page of a moderation queue, newest first.
type QueueFilter struct {
	Queue        Queue
	PostAuthorID int64 // only comments on this author's posts; 0: all
	BeforeID     int64 // keyset: comments with a smaller id
	Limit        int
}

// ModerationAction is what a moderator does to a comment in the queue.
type ModerationAction string

const (
	ActApprove ModerationAction = "approve" // publish it (and close its reports)
	ActSpam    ModerationAction = "spam"    // mark it spam: it leaves every list
	ActTrash   ModerationAction = "trash"   // delete it
	ActDismiss ModerationAction = "dismiss" // close its reports, leave it as it is
)

// Report is one reader's report of a comment.
type Report struct {
	CommentID int64
	Reader    string // Reader.Key()
	Reason    string
	Note      string
}

// ModerationStore keeps what moderation needs: settings, a shared secret,
// rate counters, bans, reviews and reports, and the queue.
type ModerationStore interface {
	// SiteSecret returns the secret stored under name, first storing
	// fresh() when there is none. Concurrent first calls, on any instance,
	// all get the one value that was stored.
	SiteSecret(ctx context.Context, name string, fresh func() string) (string, error)
	// LoadModerationSettings returns every settings document and their
	// version.
	LoadModerationSettings(ctx context.Context) (ModerationSettings, error)
	// SaveModerationSettings stores the document of scope (0: the site;
	// an account id: that account's override; data "" removes an override)
	// and bumps the version, which it returns.
	SaveModerationSettings(ctx context.Context, scope int64, data string) (int64, error)
	// WriterFacts reads what the write path decides on, in one query.
	WriterFacts(ctx context.Context, q WriterQuery) (WriterFacts, error)
	// CountHits adds one to the counter of each key in the fixed window
	// starting at window and returns the new counts, in order. Counters of
	// windows that started before expired are deleted.
	CountHits(ctx context.Context, keys []string, window, expired time.Time) ([]int64, error)
	// AddBan stores b (setting ID and CreatedAt); banning again is a no-op
	// that returns the existing ban.
	AddBan(ctx context.Context, b *Ban) error
	DeleteBan(ctx context.Context, id int64) error
	// ListBans returns bans newest first, at most limit.
	ListBans(ctx context.Context, limit int) ([]Ban, error)
	// ModerationQueue returns a page of f.Queue, newest first, with Review
	// filled.
	ModerationQueue(ctx context.Context, f QueueFilter) ([]*Comment, error)
	// ModerateComment applies act to a comment and returns it as it is
	// afterwards. Approving publishes a held comment and counts it (post
	// CommentsCount, parent RepliesCount; a parent deleted meanwhile comes
	// back as a placeholder); spam and trash take a published comment out
	// of every list and count, keeping a placeholder when it has replies.
	// A comment already in the wanted state is left alone.
	ModerateComment(ctx context.Context, id int64, act ModerationAction) (*Comment, error)
	// HeldComments returns the held comments on a post written by the
	// reader with key writer, oldest first.
	HeldComments(ctx context.Context, postID int64, writer string, limit int) ([]*Comment, error)
	// ReportComment records a report of a published comment (NotFound
	// otherwise). A reader reports a comment once: a second report is a
	// no-op reporting false.
	ReportComment(ctx context.Context, r Report) (bool, error)
}

// RetryAfter is the cause carried by a TooMany error: how long to wait.
// The HTTP surfaces send it as the Retry-After header.
type RetryAfter struct{ Wait time.Duration }

func (r *RetryAfter) Error() string { return "retry after " + r.Wait.String() }

// RetryAfterOf returns the wait of a rate-limit error, if it has one.
func RetryAfterOf(err error) (time.Duration, bool) {
	var r *RetryAfter
	if errors.As(err, &r) {
		return r.Wait, true
	}
	return 0, false
}
