package engagement_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

func setup(t *testing.T) (*engagement.Service, *sqlite.Store, *news.Post) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := &news.Account{Handle: "desk", Role: news.RolePublisher}
	if err := st.CreateAccount(context.Background(), a, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostPublished, PublishedAt: time.Now().Add(-time.Minute)}
	if err := st.CreatePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return engagement.New(st, nil), st, p
}

func TestLikeRules(t *testing.T) {
	svc, st, p := setup(t)
	ctx := context.Background()
	if _, err := svc.Like(ctx, news.Reader{}, p.ID); news.ErrorCode(err) != news.Unauthorized {
		t.Fatalf("like by nobody: %v", err)
	}
	later := &news.Post{AuthorID: p.AuthorID, Title: "s", Slug: "s", Status: news.PostPublished, PublishedAt: time.Now().Add(time.Hour)}
	if err := st.CreatePost(ctx, later); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Like(ctx, news.Reader{GuestID: "g"}, later.ID); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("like of a scheduled post: %v", err)
	}
	if _, err := svc.Share(ctx, later.ID); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("share of a scheduled post: %v", err)
	}
	r := engagement.ReaderOf(nil, "guest-1")
	for range 2 {
		res, err := svc.Like(ctx, r, p.ID)
		if err != nil || res.Likes != 1 || !res.Liked {
			t.Fatalf("Like = %+v, %v", res, err)
		}
	}
}

// TestViewsBuffered: a view is counted at the flush, once per reader, and
// concurrent readers never wait on the database.
func TestViewsBuffered(t *testing.T) {
	svc, _, p := setup(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc.View(news.Reader{GuestID: fmt.Sprintf("g%d", i%10)}, p.ID)
			svc.View(news.Reader{AccountID: int64(i%5 + 1)}, p.ID)
		}()
	}
	wg.Wait()
	svc.View(news.Reader{}, p.ID) // nobody: not counted
	if n := svc.Views.Pending(); n != 15 {
		t.Fatalf("pending views = %d, want 15 (10 guests, 5 accounts)", n)
	}
	if st, _ := svc.Stats(ctx, p.ID); st.Views != 0 {
		t.Fatalf("views counted before the flush: %d", st.Views)
	}
	n, err := svc.Views.Flush(ctx)
	if err != nil || n != 15 {
		t.Fatalf("Flush = %d, %v", n, err)
	}
	svc.View(news.Reader{GuestID: "g1"}, p.ID) // seen before: not again
	if n, err := svc.Views.Flush(ctx); err != nil || n != 0 {
		t.Fatalf("second Flush = %d, %v", n, err)
	}
	if st, _ := svc.Stats(ctx, p.ID); st.Views != 15 {
		t.Fatalf("views = %d, want 15", st.Views)
	}
}

func TestViewBufferBoundAndShutdownFlush(t *testing.T) {
	_, st, p := setup(t)
	b := engagement.NewViewBuffer(st, 3)
	for i := range 10 {
		b.Add(news.ViewMark{PostID: p.ID, ReaderKey: fmt.Sprintf("g:%d", i)})
	}
	if b.Pending() != 3 {
		t.Fatalf("pending = %d, want the bound 3", b.Pending())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx, time.Hour, nil); close(done) }()
	cancel()
	<-done
	if b.Pending() != 0 {
		t.Fatal("views left unflushed at shutdown")
	}
	m, _ := st.PostStats(context.Background(), []int64{p.ID})
	if m[p.ID].Views != 3 {
		t.Fatalf("views after shutdown flush = %d, want 3", m[p.ID].Views)
	}
}
