package notify_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/sqlite"
)

func TestText(t *testing.T) {
	harbor := &news.Account{Name: "The Daily Harbor"}
	for _, tc := range []struct {
		n    news.Notification
		want string
	}{
		{news.Notification{Kind: news.NotifyPost, Actor: harbor}, "The Daily Harbor published"},
		{news.Notification{Kind: news.NotifyReply, Actor: &news.Account{Name: "Wei"}}, "Wei replied to your comment on"},
		{news.Notification{Kind: news.NotifyFollow}, "Someone followed you"},
		{news.Notification{Kind: news.NotifyPostLikes, Count: 1}, "Your post got 1 like:"},
		{news.Notification{Kind: news.NotifyCommentLikes, Count: 25}, "Your comment got 25 likes on"},
	} {
		if got := notify.Text(&tc.n); got != tc.want {
			t.Errorf("Text(%s) = %q, want %q", tc.n.Kind, got, tc.want)
		}
	}
}

// TestWorkersExactlyOnce runs several workers at once over one store, as
// several instances would, and checks every follower got one notification.
func TestWorkersExactlyOnce(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	star := &news.Account{Handle: "star", Name: "Star", Role: news.RolePublisher}
	if err := st.CreateAccount(ctx, star, ""); err != nil {
		t.Fatal(err)
	}
	var fans []int64
	err = st.Bulk(ctx, func(tx news.Store) error {
		for i := range 250 {
			a := &news.Account{Handle: fmt.Sprintf("fan%d", i), Role: news.RoleReader}
			if err := tx.CreateAccount(ctx, a, ""); err != nil {
				return err
			}
			if _, err := tx.Follow(ctx, a.ID, star.ID); err != nil {
				return err
			}
			fans = append(fans, a.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		p := &news.Post{AuthorID: star.ID, Title: "t", Slug: fmt.Sprintf("s%d", i), Status: news.PostPublished, PublishedAt: time.Now()}
		if err := st.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	later := func() time.Time { return time.Now().Add(time.Minute) }
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &notify.Worker{Store: st, Now: later, Batch: 40}
			if err := w.Round(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	svc := notify.New(st)
	for _, id := range []int64{fans[0], fans[137], fans[249]} {
		n, err := svc.Unread(ctx, &news.Account{ID: id})
		if err != nil || n != 3 {
			t.Fatalf("fan %d has %d unread (%v), want 3", id, n, err)
		}
	}
	pg, err := svc.List(ctx, &news.Account{ID: fans[5]}, "", 2)
	if err != nil || len(pg.Notifications) != 2 || pg.NextCursor == "" {
		t.Fatalf("List = %+v, %v", pg, err)
	}
	if _, err := svc.List(ctx, nil, "", 0); news.ErrorCode(err) != news.Unauthorized {
		t.Fatalf("guest List: %v", err)
	}
	if _, err := svc.List(ctx, &news.Account{ID: fans[5]}, "bad!", 0); news.ErrorCode(err) != news.Invalid {
		t.Fatalf("bad cursor: %v", err)
	}
}
