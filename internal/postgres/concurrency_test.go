package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestConcurrentWrites writes from many goroutines through two stores on the
// same schema (as two instances would) while others read. PostgreSQL runs
// the writers at once: every write must succeed and the counters must be
// exact.
func TestConcurrentWrites(t *testing.T) {
	url := pgtest.Schema(t)
	s1, s2 := openTest(t, url), openTest(t, url)
	ctx := t.Context()

	a := &news.Account{Handle: "host", Role: news.RolePublisher}
	if err := s1.CreateAccount(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostPublished, PublishedAt: time.Unix(1e9, 0)}
	if err := s1.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	root := &news.Comment{PostID: p.ID, Body: "root", Status: news.CommentPublished}
	if err := s1.CreateComment(ctx, root); err != nil {
		t.Fatal(err)
	}

	const writers, each = 16, 10
	var wg, readers sync.WaitGroup
	errs := make(chan error, writers*(each+2)+64)
	for w := range writers {
		st := []*Store{s1, s2}[w%2]
		wg.Go(func() {
			for i := range each {
				// Replies to the root and to each other, so counters of
				// comments are contended as well as the post's.
				c := &news.Comment{PostID: p.ID, ParentID: root.ID, Body: fmt.Sprintf("w%d-%d", w, i), Status: news.CommentPublished}
				if err := st.CreateComment(ctx, c); err != nil {
					errs <- fmt.Errorf("CreateComment: %w", err)
				}
			}
			acc := &news.Account{Handle: fmt.Sprintf("writer%d", w), Role: news.RolePublisher}
			if err := st.CreateAccount(ctx, acc, ""); err != nil {
				errs <- fmt.Errorf("CreateAccount: %w", err)
				return
			}
			// Posts by the same author from both stores at once.
			q := &news.Post{AuthorID: a.ID, Title: "p", Slug: fmt.Sprintf("p%d", w), Status: news.PostPublished, PublishedAt: time.Unix(1e9, 0)}
			if err := st.CreatePost(ctx, q); err != nil {
				errs <- fmt.Errorf("CreatePost: %w", err)
			}
		})
	}
	done := make(chan struct{})
	for r := range 4 {
		readers.Go(func() { readUntil(done, []*Store{s1, s2}[r%2], p.ID, errs) })
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkCounters(t, s1, s2, p.ID, root.ID, writers, each)
}

// readUntil reads the post and its comments until done is closed.
func readUntil(done <-chan struct{}, st *Store, postID int64, errs chan<- error) {
	ctx := context.Background()
	for {
		select {
		case <-done:
			return
		default:
		}
		if _, err := st.ListComments(ctx, news.CommentFilter{PostID: postID, Sort: news.SortNew, Limit: 10}); err != nil {
			errs <- fmt.Errorf("ListComments: %w", err)
			return
		}
		if _, err := st.PostByID(ctx, postID); err != nil {
			errs <- fmt.Errorf("PostByID: %w", err)
			return
		}
	}
}

// checkCounters checks the counters TestConcurrentWrites moved.
func checkCounters(t *testing.T, s1, s2 *Store, postID, rootID int64, writers, each int) {
	t.Helper()
	ctx := t.Context()
	got, err := s2.PostByID(ctx, postID)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(writers*each + 1); got.CommentsCount != want {
		t.Errorf("CommentsCount = %d, want %d", got.CommentsCount, want)
	}
	if want := int64(writers + 1); got.Author.PostsCount != want {
		t.Errorf("PostsCount = %d, want %d", got.Author.PostsCount, want)
	}
	r, err := s1.CommentByID(ctx, rootID)
	if err != nil {
		t.Fatal(err)
	}
	if r.RepliesCount != int64(writers*each) {
		t.Errorf("RepliesCount = %d, want %d", r.RepliesCount, writers*each)
	}
	replies, err := s1.ListReplies(ctx, postID, []int64{rootID}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != writers*each {
		t.Errorf("ListReplies returned %d, want %d", len(replies), writers*each)
	}
	if n, err := s2.CountAccounts(ctx); err != nil || n != int64(writers+1) {
		t.Errorf("CountAccounts = %d, %v; want %d", n, err, writers+1)
	}
}

// TestConcurrentStatusChanges publishes and unpublishes the same posts from
// many goroutines through two stores. UpdatePost reads the old status to
// move PostsCount; without locking the row, two updates could both see
// "draft" and count one post twice.
func TestConcurrentStatusChanges(t *testing.T) {
	url := pgtest.Schema(t)
	s1, s2 := openTest(t, url), openTest(t, url)
	ctx := t.Context()
	a := &news.Account{Handle: "flipper", Role: news.RolePublisher}
	if err := s1.CreateAccount(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	const posts, writers, rounds = 3, 8, 15
	var ids []int64
	for i := range posts {
		p := &news.Post{AuthorID: a.ID, Title: "t", Slug: fmt.Sprintf("p%d", i), Status: news.PostDraft, Tags: []string{"x"}}
		if err := s1.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds)
	for w := range writers {
		st := []*Store{s1, s2}[w%2]
		wg.Go(func() {
			for i := range rounds {
				p := &news.Post{ID: ids[(w+i)%posts], Title: "t", Slug: fmt.Sprintf("p%d", (w+i)%posts), Status: news.PostDraft, Tags: []string{"x", "y"}}
				if (w+i)%2 == 0 {
					p.Status, p.PublishedAt = news.PostPublished, time.Unix(1e9, 0)
				}
				if err := st.UpdatePost(ctx, p); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var published int64
	for _, id := range ids {
		p, err := s2.PostByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status == news.PostPublished {
			published++
		}
	}
	acc, err := s2.AccountByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if acc.PostsCount != published {
		t.Fatalf("PostsCount = %d, but %d posts are published", acc.PostsCount, published)
	}
}
