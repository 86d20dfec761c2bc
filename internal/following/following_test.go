package following_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

func setup(t *testing.T) (*following.Service, *sqlite.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return following.New(st, nil), st
}

func account(t *testing.T, st *sqlite.Store, handle string) *news.Account {
	t.Helper()
	a := &news.Account{Handle: handle, Name: "N " + handle, Role: news.RolePublisher}
	if err := st.CreateAccount(context.Background(), a, ""); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFollowRules(t *testing.T) {
	svc, st := setup(t)
	ctx := context.Background()
	a, b := account(t, st, "alice"), account(t, st, "bob")
	for _, tc := range []struct {
		name   string
		actor  *news.Account
		handle string
		want   news.Code
	}{
		{"guest", nil, "bob", news.Unauthorized},
		{"yourself", a, "alice", news.Invalid},
		{"yourself in another case with @", a, "@ALICE", news.Invalid},
		{"unknown", a, "nobody", news.NotFound},
		{"fine", a, "@Bob", ""},
		{"twice", a, "bob", ""},
	} {
		_, err := svc.Follow(ctx, tc.actor, tc.handle)
		if got := news.ErrorCode(err); got != tc.want {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.want)
		}
	}
	res, err := svc.Unfollow(ctx, a, "bob")
	if err != nil || !res.Changed || res.Following || res.Account.FollowersCount != 0 {
		t.Fatalf("Unfollow = %+v, %v", res, err)
	}
	res, err = svc.Unfollow(ctx, a, "bob")
	if err != nil || res.Changed {
		t.Fatalf("Unfollow again = %+v, %v; want a no-op", res, err)
	}
	if on, _ := svc.IsFollowing(ctx, nil, b.ID); on {
		t.Fatal("a guest follows someone")
	}
}

func TestTimelineCursor(t *testing.T) {
	svc, st := setup(t)
	ctx := context.Background()
	a, b := account(t, st, "alice"), account(t, st, "bob")
	if _, err := svc.Follow(ctx, a, "bob"); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		p := &news.Post{AuthorID: b.ID, Title: "t", Slug: "s" + string(rune('a'+i)), Status: news.PostPublished,
			PublishedAt: time.Now().Add(-time.Duration(i) * time.Hour)}
		if err := st.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	_, err := svc.Timeline(ctx, nil, "", 0)
	if news.ErrorCode(err) != news.Unauthorized {
		t.Fatalf("guest timeline: %v", err)
	}
	pg, err := svc.Timeline(ctx, a, "", 3)
	if err != nil || len(pg.Posts) != 3 || pg.NextCursor == "" {
		t.Fatalf("first page: %d posts, cursor %q, %v", len(pg.Posts), pg.NextCursor, err)
	}
	pg2, err := svc.Timeline(ctx, a, pg.NextCursor, 3)
	if err != nil || len(pg2.Posts) != 2 || pg2.NextCursor != "" {
		t.Fatalf("second page: %d posts, cursor %q, %v", len(pg2.Posts), pg2.NextCursor, err)
	}
	for _, bad := range []string{"x", news.EncodeCursor(1), "YzEuLTE"} {
		if _, err := svc.Timeline(ctx, a, bad, 3); news.ErrorCode(err) != news.Invalid {
			t.Errorf("cursor %q: %v, want Invalid", bad, err)
		}
	}
}
