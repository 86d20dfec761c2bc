package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
)

// ReaderState reads a reader's state on a post in one query, each part a
// subquery, so the first view of a page waits for one round trip, not
// five. The liked comments come as an array (probes of the primary key,
// as LikedComments). Held comments, rare, are read whole by a second
// query when the first saw one.
func (s *Store) ReaderState(ctx context.Context, q news.ReaderStateQuery) (news.ReaderState, error) {
	out := news.ReaderState{LikedComments: map[int64]bool{}}
	key := q.Reader.Key()
	if key == "" {
		return out, nil
	}
	query, a := readerStateQuery(q)
	var liked []int64
	var held bool
	err := s.db().QueryRow(ctx, query, a...).Scan(&out.Unread, &out.Following, &out.PostLiked, &liked, &held)
	if err != nil {
		return news.ReaderState{}, dbErr(err, "reader state", msgs{})
	}
	for _, id := range liked {
		out.LikedComments[id] = true
	}
	if held {
		if out.Held, err = s.HeldComments(ctx, q.PostID, key, q.HeldMax); err != nil {
			return news.ReaderState{}, err
		}
	}
	return out, nil
}

// readerStateQuery builds ReaderState's query; a part not asked for is a
// constant.
func readerStateQuery(q news.ReaderStateQuery) (string, args) {
	var a args
	acct, key := q.Reader.AccountID, q.Reader.Key()
	cols := make([]string, 0, 5)
	if q.UnreadMax > 0 && acct != 0 {
		// The limit written in, as a constant: BadgeMax.
		cols = append(cols, `(SELECT count(*) FROM (SELECT 1 FROM notifications
			WHERE account_id = `+a.add(acct)+` AND read_at IS NULL LIMIT `+strconv.Itoa(q.UnreadMax)+`) x)`)
	} else {
		cols = append(cols, `0::bigint`)
	}
	if q.AuthorID != 0 && acct != 0 {
		cols = append(cols, `EXISTS (SELECT 1 FROM follows WHERE follower_id = `+a.add(acct)+
			` AND followee_id = `+a.add(q.AuthorID)+`)`)
	} else {
		cols = append(cols, `false`)
	}
	if q.PostLike {
		cols = append(cols, `EXISTS (SELECT 1 FROM post_likes WHERE post_id = `+a.add(q.PostID)+
			` AND reader = `+a.add(key)+`)`)
	} else {
		cols = append(cols, `false`)
	}
	if len(q.CommentIDs) > 0 {
		cols = append(cols, `ARRAY(SELECT comment_id FROM comment_likes WHERE comment_id = ANY(`+a.add(q.CommentIDs)+
			`) AND reader = `+a.add(key)+`)`)
	} else {
		cols = append(cols, `'{}'::bigint[]`)
	}
	if q.HeldMax > 0 {
		cols = append(cols, `EXISTS (SELECT 1 FROM comments c JOIN comment_reviews r ON r.comment_id = c.id
			WHERE c.post_id = `+a.add(q.PostID)+` AND c.status = 'pending' AND r.writer = `+a.add(key)+`)`)
	} else {
		cols = append(cols, `false`)
	}
	return `SELECT ` + strings.Join(cols, ", "), a
}
