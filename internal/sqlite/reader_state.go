package sqlite

import (
	"context"
	"database/sql"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/headline/headline/internal/news"
)

// ReaderState reads a reader's state on a post in one statement, each
// part a subquery: the unread count, the follow and the post's like as
// before, the liked comments as one comma-separated text (not a row
// each, each a round of database/sql's Next and Scan) and
// whether any comment is held. Five statements were five read
// transactions, each taking and releasing WAL's read lock. Two rare cases
// take a second statement: held comments, read whole, and an account
// with more likes in the page's id range than the walk may take, probed
// per id (as LikedComments).
func (s *Store) ReaderState(ctx context.Context, q news.ReaderStateQuery) (news.ReaderState, error) {
	out := news.ReaderState{LikedComments: map[int64]bool{}}
	key := q.Reader.Key()
	if key == "" {
		return out, nil
	}
	query, args, walk := readerStateQuery(q)
	var liked sql.NullString
	var held bool
	err := s.queryRow(ctx, query, args...).Scan(&out.Unread, &out.Following, &out.PostLiked, &liked, &held)
	if err != nil {
		return news.ReaderState{}, dbErr(err, "reader state", msgs{})
	}
	if liked.String != "" {
		// Sized up front: growing it was a sixth of the call (pprof).
		out.LikedComments = make(map[int64]bool, strings.Count(liked.String, ",")+1)
	}
	if n, err := likedIDs(out.LikedComments, liked.String, q.CommentIDs); err != nil {
		return news.ReaderState{}, dbErr(err, "reader state", msgs{})
	} else if walk > 0 && n > walk {
		if out.LikedComments, err = s.LikedComments(ctx, q.Reader, q.CommentIDs); err != nil {
			return news.ReaderState{}, err
		}
	}
	if held {
		if out.Held, err = s.HeldComments(ctx, q.PostID, key, q.HeldMax); err != nil {
			return news.ReaderState{}, err
		}
	}
	return out, nil
}

// readerStateQuery builds ReaderState's statement (apart for the plan
// test). A part not asked for is a constant. An account's liked comments
// are a walk of comment_likes_account over the ids' range, as
// likedInRange; walk is how many likes it may take (more are probed),
// rounded up to a power of two so the limits written into the statement's
// text stay few. A guest's are one probe of the primary key per id.
func readerStateQuery(q news.ReaderStateQuery) (query string, args []any, walk int) {
	acct, key := q.Reader.AccountID, q.Reader.Key()
	var sh stateShape
	args = make([]any, 0, 10)
	if q.UnreadMax > 0 && acct != 0 {
		sh.unread, args = q.UnreadMax, append(args, acct)
	}
	if q.AuthorID != 0 && acct != 0 {
		sh.follow, args = true, append(args, acct, q.AuthorID)
	}
	if q.PostLike {
		sh.postLike, args = true, append(args, q.PostID, key)
	}
	switch ids := q.CommentIDs; {
	case len(ids) == 0:
	case acct != 0 && len(ids) > 1:
		walk = 1 << bits.Len(uint(4*len(ids)-1))
		sh.walk, args = walk, append(args, acct, slices.Min(ids), slices.Max(ids))
	default:
		sh.probes, args = len(ids), append(args, key)
		for _, id := range ids {
			args = append(args, id)
		}
	}
	if q.HeldMax > 0 {
		sh.held, args = true, append(args, q.PostID, key)
	}
	if t, ok := stateQueries.Load(sh); ok {
		return t.(string), args, walk
	}
	t := sh.text()
	stateQueries.Store(sh, t)
	return t, args, walk
}

// stateShape is what ReaderState's statement text depends on: the parts
// asked for and the limits and counts written in.
type stateShape struct {
	unread                 int // UnreadMax; 0: not read
	follow, postLike, held bool
	walk, probes           int // the liked comments' walk limit, or a guest's probes
}

// stateQueries keeps each shape's text: built once, not per first view
// (a few shapes in practice; a guest's count of probes varies with the
// page, up to maxPage).
var stateQueries sync.Map // stateShape -> string

// text is the statement of shape sh, its parameters in the order
// readerStateQuery appends them.
func (sh stateShape) text() string {
	col := func(on bool, sql string) string {
		if on {
			return sql
		}
		return `0`
	}
	cols := []string{
		col(sh.unread > 0, `(SELECT count(*) FROM (SELECT 1 FROM notifications WHERE account_id = ? AND read_at IS NULL`+
			subqueryLimit(sh.unread)+`))`),
		col(sh.follow, `EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?)`),
		col(sh.postLike, `EXISTS (SELECT 1 FROM post_likes WHERE post_id = ? AND reader = ?)`),
		`NULL`,
		col(sh.held, `EXISTS (SELECT 1 FROM comments c JOIN comment_reviews r ON r.comment_id = c.id
			WHERE c.post_id = ? AND c.status = 'pending' AND r.writer = ?)`),
	}
	switch {
	case sh.walk > 0:
		cols[3] = `(SELECT group_concat(comment_id) FROM (SELECT comment_id FROM comment_likes
			WHERE account_id = ? AND comment_id BETWEEN ? AND ?` + subqueryLimit(sh.walk+1) + `))`
	case sh.probes > 0:
		cols[3] = `(SELECT group_concat(comment_id) FROM comment_likes WHERE reader = ? AND comment_id IN (` +
			placeholders(sh.probes) + `))`
	}
	return `SELECT ` + strings.Join(cols, ", ")
}

// likedIDs adds to out the ids in list (comma-separated) that are among
// ids, and returns how many list holds. The page's ids come sorted (ui
// keeps them so), and a few liked ones are searched among them.
func likedIDs(out map[int64]bool, list string, ids []int64) (int, error) {
	if list == "" {
		return 0, nil
	}
	if !slices.IsSorted(ids) {
		ids = slices.Sorted(slices.Values(ids))
	}
	n := 0
	for f := range strings.SplitSeq(list, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		n++
		if _, ok := slices.BinarySearch(ids, id); ok {
			out[id] = true
		}
	}
	return n, nil
}
