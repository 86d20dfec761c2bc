package sqlite

import (
	"context"
	"database/sql"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
)

// ReaderState reads a reader's state on a post in one statement, each
// part a subquery: the unread count, the follow and the post's like as
// before, the liked comments as one comma-separated text (a row per
// liked comment through database/sql cost more than the walk) and
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
	cols := make([]string, 0, 5)
	add := func(col string, a ...any) {
		cols = append(cols, col)
		args = append(args, a...)
	}
	if q.UnreadMax > 0 && acct != 0 {
		add(`(SELECT count(*) FROM (SELECT 1 FROM notifications WHERE account_id = ? AND read_at IS NULL`+
			subqueryLimit(q.UnreadMax)+`))`, acct)
	} else {
		add(`0`)
	}
	if q.AuthorID != 0 && acct != 0 {
		add(`EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?)`, acct, q.AuthorID)
	} else {
		add(`0`)
	}
	if q.PostLike {
		add(`EXISTS (SELECT 1 FROM post_likes WHERE post_id = ? AND reader = ?)`, q.PostID, key)
	} else {
		add(`0`)
	}
	switch ids := q.CommentIDs; {
	case len(ids) == 0:
		add(`NULL`)
	case acct != 0 && len(ids) > 1:
		walk = 1 << bits.Len(uint(4*len(ids)-1))
		add(`(SELECT group_concat(comment_id) FROM (SELECT comment_id FROM comment_likes
			WHERE account_id = ? AND comment_id BETWEEN ? AND ?`+subqueryLimit(walk+1)+`))`,
			acct, slices.Min(ids), slices.Max(ids))
	default:
		a := []any{key}
		for _, id := range ids {
			a = append(a, id)
		}
		add(`(SELECT group_concat(comment_id) FROM comment_likes WHERE reader = ? AND comment_id IN (`+
			placeholders(len(ids))+`))`, a...)
	}
	if q.HeldMax > 0 {
		add(`EXISTS (SELECT 1 FROM comments c JOIN comment_reviews r ON r.comment_id = c.id
			WHERE c.post_id = ? AND c.status = 'pending' AND r.writer = ?)`, q.PostID, key)
	} else {
		add(`0`)
	}
	return `SELECT ` + strings.Join(cols, ", "), args, walk
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
