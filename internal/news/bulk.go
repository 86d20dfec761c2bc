package news

import (
	"context"
	"strings"
	"time"
)

// BulkLoader writes many rows at once, for filling a site with generated or
// imported data (headline loadgen). It is not a request path: it assumes
// nobody else writes to the site while it runs.
//
// The loader writes rows only; counters are left as they are until Recount,
// which sets every counter from the rows, so a bulk-loaded site ends up
// with exactly the rows and counters the product would have written one
// write at a time. Things the product would have produced as a side effect
// and that describe the moment of a write, not the data — notifications of
// follows and likes, feed snapshots — are not written: a loaded site starts
// with a quiet inbox, as an upgraded one does.
//
// Ids are chosen by the caller, from NextIDs, so that a caller can refer to
// rows it has not written yet (a reply to a comment of the same batch) and
// find its place again after an interruption. Each Load call is one
// transaction.
type BulkLoader interface {
	// NextIDs returns the ids the store would give the next account, post
	// and comment: one more than the largest there.
	NextIDs(ctx context.Context) (BulkIDs, error)
	// LoadAccounts inserts accounts with their ID and CreatedAt set.
	LoadAccounts(ctx context.Context, accounts []*Account, passwordHash string) error
	// LoadPosts inserts posts with their ID, AuthorID, CreatedAt and
	// UpdatedAt set, and their tags (normalized already).
	LoadPosts(ctx context.Context, posts []*Post) error
	// LoadComments inserts comments with ID, PostID, ParentID, AccountID,
	// Status and CreatedAt set, ParentID naming an older comment (of this
	// call or already stored) of the same post. The store sets RootID and
	// Depth as CreateComment does, and an account's AuthorName when empty.
	LoadComments(ctx context.Context, comments []*Comment) error
	// LoadFollows, LoadPostLikes, LoadCommentLikes and LoadViews insert
	// rows, skipping ones already there, so that a load interrupted halfway
	// can be repeated.
	LoadFollows(ctx context.Context, follows []BulkFollow) error
	LoadPostLikes(ctx context.Context, likes []BulkLike) error
	LoadCommentLikes(ctx context.Context, likes []BulkLike) error
	LoadViews(ctx context.Context, views []BulkLike) error
	// SetShares sets the shares count of posts. Shares are the one counter
	// with no rows behind it (AddShare only counts), so it is set as is.
	SetShares(ctx context.Context, shares map[int64]int64) error
	// DeferIndexes drops the secondary indexes the loads would otherwise
	// update row by row, keeping their definitions in the database.
	// RestoreIndexes builds them again, each in one sorted pass; with
	// counters false only those that hold no counter (see HoldsCounter),
	// which Recount needs, so that setting counters moves no index entry.
	// Opening the store builds any left deferred, so a site never stays
	// without its indexes after an interrupted load. Unique indexes stay.
	DeferIndexes(ctx context.Context) error
	RestoreIndexes(ctx context.Context, counters bool) error
	// RecountRange sets the counters of table ("accounts", "posts" or
	// "comments", see RecountTables) from the rows, for the rows whose ids
	// are in [from, to), in a transaction of its own (or in the Bulk
	// transaction it is called in). It is idempotent, and a range that is
	// already right costs reads only.
	RecountRange(ctx context.Context, table string, from, to int64) error
	// Recount sets every counter of every row: RecountRange over all ids,
	// RecountChunk ids a transaction.
	Recount(ctx context.Context) error
}

// RecountTables are the tables that keep counters, in the order Recount
// sets them: accounts' posts, followers and following; posts' comments,
// likes and views; comments' replies and likes. (Shares are set as they
// are, SetShares: no rows count them.)
var RecountTables = []string{"accounts", "posts", "comments"}

// counterColumns are the columns Recount sets.
var counterColumns = []string{"posts_count", "followers_count", "following_count", "comments_count",
	"likes_count", "views_count", "shares_count", "replies_count"}

// HoldsCounter reports whether an index definition (CREATE INDEX ...)
// includes a counter column.
func HoldsCounter(indexSQL string) bool {
	for _, c := range counterColumns {
		if strings.Contains(indexSQL, c) {
			return true
		}
	}
	return false
}

// RecountChunk is the ids a transaction of Recount covers: small enough
// that no transaction grows the write-ahead log by more than a few
// hundred megabytes, large enough that there are few of them.
const RecountChunk = 100_000

// RecountAll is Recount for a store: every counter, in chunks of
// RecountChunk ids up to the next free ids.
func RecountAll(ctx context.Context, bl BulkLoader) error {
	next, err := bl.NextIDs(ctx)
	if err != nil {
		return err
	}
	for _, table := range RecountTables {
		for lo := int64(1); lo < next.Of(table); lo += RecountChunk {
			if err := bl.RecountRange(ctx, table, lo, lo+RecountChunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// BulkIDs are the next free ids of the tables whose ids the store assigns.
type BulkIDs struct {
	Account, Post, Comment int64
}

// Of returns the next id of table: "accounts", "posts" or "comments".
func (b BulkIDs) Of(table string) int64 {
	switch table {
	case "accounts":
		return b.Account
	case "posts":
		return b.Post
	default:
		return b.Comment
	}
}

// BulkFollow is one follow: Follower follows Followee since At.
type BulkFollow struct {
	Follower, Followee int64
	At                 time.Time
}

// BulkLike is one like (of a post or a comment, by ID) or one view of a
// post, by a reader, at a time.
type BulkLike struct {
	ID     int64
	Reader Reader
	At     time.Time
}

// ThreadSpot is where a comment sits in its thread, and what a reply needs
// to know of its parent.
type ThreadSpot struct {
	PostID, RootID int64
	Depth          int
	Path           string // the store's materialized path
	Status         CommentStatus
	Deleted        bool
}

// PlaceComments works out RootID, Depth and Path of each comment of list
// (which have their IDs) the way CreateComment does: a top-level comment
// is its own root at depth 0; a reply goes under its parent by
// ReplyPosition, after CheckParent. segment is the store's path segment of
// an id; lookup reads a parent that is not in list. It sets RootID and
// Depth on the comments and returns the spots in list's order.
func PlaceComments(list []*Comment, segment func(int64) string, lookup func(id int64) (ThreadSpot, error)) ([]ThreadSpot, error) {
	spots := make([]ThreadSpot, len(list))
	byID := make(map[int64]int, len(list))
	for i, c := range list {
		sp := ThreadSpot{PostID: c.PostID, RootID: c.ID, Path: segment(c.ID), Status: c.Status}
		if c.ParentID != 0 {
			var parent ThreadSpot
			if k, ok := byID[c.ParentID]; ok {
				parent = spots[k]
			} else {
				p, err := lookup(c.ParentID)
				if err != nil {
					return nil, err
				}
				parent = p
			}
			if err := CheckParent(c.PostID, parent.PostID, parent.Status, parent.Deleted); err != nil {
				return nil, err
			}
			depth, parentPath := ReplyPosition(parent.Depth, parent.Path)
			sp.RootID, sp.Depth, sp.Path = parent.RootID, depth, parentPath+"/"+sp.Path
		}
		spots[i] = sp
		byID[c.ID] = i
		c.RootID, c.Depth = sp.RootID, sp.Depth
	}
	return spots, nil
}
