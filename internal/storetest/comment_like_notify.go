package storetest

import (
	"testing"

	"github.com/headline/headline/internal/news"
)

// testCommentLikesNotifyWriter checks that new likes on an account's comment
// reach its writer as one grouped notification, and that guests' comments,
// own likes, repeated likes and unlikes notify nobody.
func testCommentLikesNotifyWriter(t *testing.T, st news.Store) {
	writer := newAccount(t, st, "writer")
	fan := newAccount(t, st, "fan")
	post := newPost(t, st, writer, "p", news.PostPublished, base, nil)
	c := &news.Comment{PostID: post.ID, AccountID: writer.ID, AuthorName: writer.Name, Body: "mine", BodyHTML: "<p>mine</p>", Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), c))
	guestComment := newComment(t, st, post, nil, news.CommentPublished, "guest")

	like := func(id int64, r news.Reader) {
		t.Helper()
		_, err := st.LikeComment(ctx(t), id, r)
		must(t, "LikeComment", err)
	}
	like(c.ID, news.Reader{AccountID: writer.ID}) // one's own like: no notification
	like(c.ID, news.Reader{AccountID: fan.ID})
	like(c.ID, news.Reader{AccountID: fan.ID}) // twice: no change
	like(c.ID, news.Reader{GuestID: "Z3Vlc3Qtb25lLWlkLTAwMQ"})
	_, err := st.UnlikeComment(ctx(t), c.ID, news.Reader{AccountID: fan.ID})
	must(t, "UnlikeComment", err)
	like(guestComment.ID, news.Reader{AccountID: fan.ID})

	page, err := st.ListNotifications(ctx(t), writer.ID, 0, 10)
	must(t, "ListNotifications", err)
	var likes []*news.Notification
	for _, n := range page {
		if n.Kind == news.NotifyCommentLikes {
			likes = append(likes, n)
		}
	}
	if len(likes) != 1 || likes[0].CommentID != c.ID || likes[0].PostID != post.ID || likes[0].Count != 2 || likes[0].Read {
		t.Fatalf("comment-like notifications = %+v, want one unread group of 2 on comment %d", likes, c.ID)
	}
}
