package storetest

import (
	"errors"
	"testing"

	"github.com/headline/headline/internal/news"
)

// testBulkCommits checks that writes in a Bulk are all there after it, with
// the same counters as writes made one at a time, and that reads inside the
// Bulk see the batch's own writes.
func testBulkCommits(t *testing.T, st news.Store) {
	var post *news.Post
	err := st.Bulk(ctx(t), func(tx news.Store) error {
		a := newAccount(t, tx, "bulkauthor")
		post = newPost(t, tx, a, "bulk", news.PostPublished, base, []string{"bulk"})
		parent := newComment(t, tx, post, nil, news.CommentPublished, "top")
		for range 3 {
			newComment(t, tx, post, parent, news.CommentPublished, "reply")
		}
		got, err := tx.PostByID(ctx(t), post.ID)
		if err != nil {
			return err
		}
		if got.CommentsCount != 4 {
			t.Errorf("inside Bulk, CommentsCount = %d, want 4", got.CommentsCount)
		}
		return nil
	})
	must(t, "Bulk", err)
	got, err := st.PostByID(ctx(t), post.ID)
	must(t, "PostByID after Bulk", err)
	if got.CommentsCount != 4 || got.Author.PostsCount != 1 {
		t.Fatalf("after Bulk: CommentsCount %d, author PostsCount %d; want 4 and 1", got.CommentsCount, got.Author.PostsCount)
	}
}

// testBulkRollsBack checks that an error from fn leaves nothing behind.
func testBulkRollsBack(t *testing.T, st news.Store) {
	boom := errors.New("boom")
	err := st.Bulk(ctx(t), func(tx news.Store) error {
		newAccount(t, tx, "ghost")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Bulk returned %v, want fn's error", err)
	}
	_, err = st.AccountByHandle(ctx(t), "ghost")
	wantCode(t, "account written in a rolled-back Bulk", err, news.NotFound)
	n, err := st.CountAccounts(ctx(t))
	must(t, "CountAccounts", err)
	if n != 0 {
		t.Fatalf("CountAccounts after rollback = %d, want 0", n)
	}
	if err := st.Ping(ctx(t)); err != nil {
		t.Fatalf("Ping after rollback: %v", err)
	}
}
