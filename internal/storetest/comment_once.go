package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// testCreateCommentOnce: identical comments sent at once (an app retrying
// while its first request is still being written) are stored once, every
// sender told of the same comment; a different body, writer or parent is
// a comment of its own; a duplicate outside the window is written.
func testCreateCommentOnce(t *testing.T, st news.Store) {
	a := newAccount(t, st, "retrier")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	since := time.Now().Add(-time.Minute)
	guest := func(body string) *news.Comment {
		return &news.Comment{PostID: p.ID, AuthorName: "Wei", Email: "wei@example.com", Body: body, Status: news.CommentPublished}
	}

	const senders = 12
	ids := make([]int64, senders)
	written := make([]bool, senders)
	var wg sync.WaitGroup
	for i := range senders {
		wg.Go(func() {
			c := guest("Sent by an app that retries.")
			dup, err := st.CreateCommentOnce(ctx(t), c, since)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], written[i] = c.ID, dup == nil
			if dup != nil {
				ids[i] = dup.ID
			}
		})
	}
	wg.Wait()
	stored := 0
	for i := range senders {
		if written[i] {
			stored++
		}
		if ids[i] != ids[0] || ids[i] == 0 {
			t.Fatalf("senders were told of comments %v, want one", ids)
		}
	}
	if stored != 1 {
		t.Fatalf("%d identical comments sent at once: %d written", senders, stored)
	}
	post, err := st.PostByID(ctx(t), p.ID)
	must(t, "PostByID", err)
	if post.CommentsCount != 1 {
		t.Fatalf("comments_count = %d after one comment stored", post.CommentsCount)
	}

	for what, c := range map[string]*news.Comment{
		"other body":   guest("Something else."),
		"other writer": {PostID: p.ID, AuthorName: "Ann", Email: "ann@example.com", Body: "Sent by an app that retries.", Status: news.CommentPublished},
		"account":      {PostID: p.ID, AccountID: a.ID, Body: "Sent by an app that retries.", Status: news.CommentPublished},
		"reply":        {PostID: p.ID, ParentID: ids[0], AuthorName: "Wei", Email: "wei@example.com", Body: "Sent by an app that retries.", Status: news.CommentPublished},
	} {
		dup, err := st.CreateCommentOnce(ctx(t), c, since)
		must(t, "CreateCommentOnce "+what, err)
		if dup != nil || c.ID == 0 || c.ID == ids[0] {
			t.Fatalf("%s: taken for a duplicate of %d (dup %v)", what, ids[0], dup)
		}
	}
	c := guest("Sent by an app that retries.")
	dup, err := st.CreateCommentOnce(ctx(t), c, time.Now().Add(time.Minute))
	must(t, "CreateCommentOnce outside the window", err)
	if dup != nil || c.ID == 0 {
		t.Fatal("a duplicate outside the window was not written")
	}
	_, err = st.CreateCommentOnce(ctx(t), &news.Comment{PostID: 987654, Email: "x@example.com", Body: fmt.Sprint("x"), Status: news.CommentPublished}, since)
	wantCode(t, "on a missing post", err, news.NotFound)
}
