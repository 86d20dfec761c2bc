package news

import (
	"context"
	"time"
)

// Reader is who engages with a post: a signed-in account, or a guest known
// only by the anonymous id of their browser. Exactly one is set.
type Reader struct {
	AccountID int64
	GuestID   string
}

// Key is the reader as stored in per-reader tables: "a:<id>" or "g:<id>".
// The two forms cannot collide, so a guest never counts as an account.
func (r Reader) Key() string {
	if r.AccountID != 0 {
		return "a:" + itoa64(r.AccountID)
	}
	if r.GuestID != "" {
		return "g:" + r.GuestID
	}
	return ""
}

func itoa64(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// FollowCursor is a keyset position in a list of follows, newest first.
type FollowCursor struct {
	Time time.Time // when the follow was made
	ID   int64     // the account listed
}

// FollowEntry is one account in a followers or following list.
type FollowEntry struct {
	Account    *Account
	FollowedAt time.Time
}

// PostStats are the engagement counters of a post, read together.
type PostStats struct {
	PostID   int64
	Likes    int64
	Comments int64
	Views    int64
	Shares   int64
}

// ViewMark is one reader's view of one post, as the view buffer flushes it.
type ViewMark struct {
	PostID    int64
	ReaderKey string // Reader.Key()
}

// Candidate is a post considered for a ranked list, with its counters.
type Candidate struct {
	Post  *Post
	Stats PostStats
}

// FeedSnapshot is a ranked list computed once and paged through by cursor,
// so that a session never sees a post twice while scores move. Data is the
// ranking service's encoding; the store keeps it opaque.
type FeedSnapshot struct {
	ID        int64 // random, positive: the cursor names it
	AccountID int64 // 0 for guests
	CreatedAt time.Time
	Data      string
}

// Notification kinds.
const (
	NotifyPost         = "post"          // a followed account published
	NotifyReply        = "reply"         // someone replied to your comment
	NotifyFollow       = "follow"        // someone followed you
	NotifyPostLikes    = "post_likes"    // your post got likes (grouped)
	NotifyCommentLikes = "comment_likes" // your comment got likes (grouped)
)

// Notification is something that happened that its recipient should know.
// Grouped kinds (likes) carry Count, incremented while the notification is
// unread.
type Notification struct {
	ID        int64
	AccountID int64 // the recipient
	Kind      string
	Actor     *Account // who did it; nil for guests and for grouped likes
	PostID    int64
	PostTitle string
	PostPath  string
	CommentID int64
	Count     int64
	Read      bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FollowedSet is whom one account follows, as of its FollowsVersion.
type FollowedSet struct {
	Version int64
	IDs     []int64 // ascending
}

// FollowStore keeps who follows whom. Follow and Unfollow keep both
// accounts' FollowersCount and FollowingCount exact in the same transaction.
type FollowStore interface {
	// Follow makes follower follow followee. It reports whether anything
	// changed: following twice is a no-op. A missing account is NotFound.
	// A new follow also notifies the followee.
	Follow(ctx context.Context, followerID, followeeID int64) (bool, error)
	// Unfollow removes the follow; unfollowing someone not followed is a
	// no-op that reports false.
	Unfollow(ctx context.Context, followerID, followeeID int64) (bool, error)
	IsFollowing(ctx context.Context, followerID, followeeID int64) (bool, error)
	// FollowingAmong returns which of ids the follower follows.
	FollowingAmong(ctx context.Context, followerID int64, ids []int64) (map[int64]bool, error)
	// FollowedSet returns every account followerID follows, ids ascending,
	// with the follower's FollowsVersion read in the same snapshot, so the
	// set is exactly the follows as of that version. A missing account is
	// NotFound.
	FollowedSet(ctx context.Context, followerID int64) (FollowedSet, error)
	// ListFollowers and ListFollowing list newest follows first, after the
	// cursor when it is not nil.
	ListFollowers(ctx context.Context, accountID int64, after *FollowCursor, limit int) ([]FollowEntry, error)
	ListFollowing(ctx context.Context, accountID int64, after *FollowCursor, limit int) ([]FollowEntry, error)
}

// TimelineStore reads the following timeline, fanned out on read.
type TimelineStore interface {
	// FollowingTimeline returns the posts visible at now of the accounts
	// readerID follows, newest first by (PublishedAt, ID), after the cursor.
	FollowingTimeline(ctx context.Context, readerID int64, now time.Time, after *PostCursor, limit int) ([]*Post, error)
}

// EngagementStore keeps likes, shares, views and ranked snapshots.
type EngagementStore interface {
	// LikePost records r's like; liking twice is a no-op reporting false.
	// A like by someone other than the author bumps the author's grouped
	// "your post got likes" notification.
	LikePost(ctx context.Context, postID int64, r Reader) (bool, error)
	UnlikePost(ctx context.Context, postID int64, r Reader) (bool, error)
	// LikedPosts returns which of ids r has liked.
	LikedPosts(ctx context.Context, r Reader, ids []int64) (map[int64]bool, error)
	// AddShare counts a share and returns the new count.
	AddShare(ctx context.Context, postID int64) (int64, error)
	// RecordViews stores views; a reader's repeated view of a post is not
	// counted again. Unknown posts are skipped. It returns how many counted.
	RecordViews(ctx context.Context, views []ViewMark) (int, error)
	PostStats(ctx context.Context, ids []int64) (map[int64]PostStats, error)
	// PostsByIDs returns the posts with these ids that exist, in any order.
	PostsByIDs(ctx context.Context, ids []int64) ([]*Post, error)
	// Candidates returns visible posts published in (since, now], newest
	// first, at most limit, with counters; only those tagged tag if set.
	// The posts carry what scoring needs (ID, AuthorID, PublishedAt, Tags,
	// Author's handle, name and official label), not titles or bodies.
	Candidates(ctx context.Context, since, now time.Time, tag string, limit int) ([]Candidate, error)
	// ReaderTags counts the tags of the posts r recently liked or viewed,
	// looking at no more than limit of each.
	ReaderTags(ctx context.Context, r Reader, limit int) (map[string]int, error)
	// SaveSnapshot stores s and deletes snapshots created before expired.
	SaveSnapshot(ctx context.Context, s FeedSnapshot, expired time.Time) error
	// Snapshot returns the snapshot with this id, or NotFound.
	Snapshot(ctx context.Context, id int64) (*FeedSnapshot, error)
	// LatestSnapshot returns accountID's newest snapshot created after
	// since, or NotFound.
	LatestSnapshot(ctx context.Context, accountID int64, since time.Time) (*FeedSnapshot, error)
}

// NotificationStore keeps notifications and the durable fan-out of new
// posts to followers.
type NotificationStore interface {
	// ListNotifications returns accountID's notifications newest first,
	// with ID below beforeID when beforeID > 0.
	ListNotifications(ctx context.Context, accountID, beforeID int64, limit int) ([]*Notification, error)
	// UnreadCount counts unread notifications, stopping at max.
	UnreadCount(ctx context.Context, accountID int64, max int) (int, error)
	// MarkRead marks accountID's notifications read, all of them when
	// upToID is 0, else those with ID <= upToID. It returns how many.
	MarkRead(ctx context.Context, accountID, upToID int64) (int64, error)
	// NotifyLikes bumps recipient's unread grouped likes notification of
	// kind for the post or comment, or starts one.
	NotifyLikes(ctx context.Context, recipientID int64, kind string, postID, commentID int64) error
	// EnqueueFanouts turns posts that became visible up to cutoff, and were
	// not yet handed to followers, into fan-out jobs, at most limit, and
	// returns how many. Each post becomes exactly one job, even with several
	// workers on several instances.
	EnqueueFanouts(ctx context.Context, cutoff time.Time, limit int) (int, error)
	// FanoutBatch claims one unfinished job no other worker holds, writes
	// "published" notifications to its next batch followers and advances
	// the job in the same transaction, so a crash repeats or loses nothing.
	// It returns how many were written and false when no job was free.
	FanoutBatch(ctx context.Context, batch int) (int, bool, error)
	// EnqueueReplies notifies authors of comments replied to, for replies
	// created up to cutoff not yet seen, at most limit; it returns how many.
	EnqueueReplies(ctx context.Context, cutoff time.Time, limit int) (int, error)
}
