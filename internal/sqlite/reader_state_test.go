package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

// TestReaderStatePlan checks that each part of ReaderState's statement
// is an index search, for an account (the liked comments a walk of
// comment_likes_account) and for a guest (a probe of the primary key).
func TestReaderStatePlan(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
	defer s.Close()
	for _, c := range []struct {
		r    news.Reader
		want []string
	}{
		{news.Reader{AccountID: 3}, []string{"SEARCH notifications USING INDEX notifications_unread (account_id=?)",
			"SEARCH follows USING PRIMARY KEY (follower_id=? AND followee_id=?)",
			"SEARCH post_likes USING PRIMARY KEY (post_id=? AND reader=?)",
			"SEARCH comment_likes USING COVERING INDEX comment_likes_account (account_id=? AND comment_id>? AND comment_id<?)",
			"SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"}},
		{news.Reader{GuestID: "g"}, []string{"SEARCH post_likes USING PRIMARY KEY (post_id=? AND reader=?)",
			"SEARCH comment_likes USING PRIMARY KEY (comment_id=? AND reader=?)",
			"SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"}},
	} {
		q, args, _ := readerStateQuery(news.ReaderStateQuery{Reader: c.r, PostID: 1, UnreadMax: 100, AuthorID: 2,
			PostLike: true, CommentIDs: []int64{5, 9, 12}, HeldMax: 20})
		got := explainSQLite(t, s, q, args)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: plan %q lacks %q", c.r.Key(), got, w)
			}
		}
		if strings.Contains(got, "SCAN c") || strings.Contains(got, "SCAN comment") || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%s: plan %q scans or sorts", c.r.Key(), got)
		}
		if c.r.AccountID == 0 && strings.Contains(got, "notifications") {
			t.Errorf("a guest's plan %q reads notifications", got)
		}
	}
}
