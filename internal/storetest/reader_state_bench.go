package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/headline/headline/internal/news"
)

// BenchReaderState times a signed-in reader's state on the hot article
// page of `headline bench` (50 threads of 4 comments, 29 of them liked by
// the reader, the author followed, a few unread notifications, nothing
// held): read as the five reads it replaces, one after another, and as
// one ReaderState.
func BenchReaderState(b *testing.B, st news.Store) {
	ctx := context.Background()
	fatal := func(what string, err error) {
		b.Helper()
		if err != nil {
			b.Fatalf("%s: %v", what, err)
		}
	}
	account := func(h string) *news.Account {
		a := &news.Account{Handle: h, Name: h, Email: h + "@example.com", Role: news.RolePublisher}
		fatal("CreateAccount", st.CreateAccount(ctx, a, ""))
		return a
	}
	author, reader := account("harbor"), account("rita")
	post := &news.Post{AuthorID: author.ID, Kind: "article", Title: "Storm", Slug: "storm", Lang: "en",
		BodyMarkdown: "Rain.", BodyHTML: "<p>Rain.</p>", Status: news.PostPublished, PublishedAt: base}
	fatal("CreatePost", st.CreatePost(ctx, post))
	var ids []int64
	for i := range 50 {
		parent := int64(0)
		for j := range 4 {
			body := fmt.Sprintf("Comment %d.%d", i, j)
			c := &news.Comment{PostID: post.ID, ParentID: parent, AccountID: author.ID, Body: body,
				BodyHTML: "<p>" + body + "</p>", Status: news.CommentPublished}
			fatal("CreateComment", st.CreateComment(ctx, c))
			if j == 0 {
				parent = c.ID
			}
			ids = append(ids, c.ID)
			if (i+j)%7 == 0 {
				_, err := st.LikeComment(ctx, c.ID, news.Reader{AccountID: reader.ID})
				fatal("LikeComment", err)
			}
		}
	}
	_, err := st.Follow(ctx, reader.ID, author.ID)
	fatal("Follow", err)
	for _, h := range []string{"fan1", "fan2", "fan3"} {
		_, err := st.Follow(ctx, account(h).ID, reader.ID)
		fatal("Follow", err)
	}
	r := news.Reader{AccountID: reader.ID}
	q := news.ReaderStateQuery{Reader: r, PostID: post.ID, UnreadMax: 100, AuthorID: author.ID, PostLike: true,
		CommentIDs: ids, HeldMax: 20}
	b.Run("five-reads", func(b *testing.B) {
		for b.Loop() {
			_, err := st.UnreadCount(ctx, reader.ID, 100)
			fatal("UnreadCount", err)
			_, err = st.IsFollowing(ctx, reader.ID, author.ID)
			fatal("IsFollowing", err)
			_, err = st.LikedPosts(ctx, r, []int64{post.ID})
			fatal("LikedPosts", err)
			liked, err := st.LikedComments(ctx, r, ids)
			fatal("LikedComments", err)
			_, err = st.HeldComments(ctx, post.ID, r.Key(), 20)
			fatal("HeldComments", err)
			if len(liked) != 29 {
				b.Fatalf("%d liked, want 29", len(liked))
			}
		}
	})
	b.Run("one-call", func(b *testing.B) {
		for b.Loop() {
			s, err := st.ReaderState(ctx, q)
			fatal("ReaderState", err)
			if len(s.LikedComments) != 29 || !s.Following || s.Unread != 3 {
				b.Fatalf("state %+v", s)
			}
		}
	})
}
