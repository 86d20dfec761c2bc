package postgres

import (
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestModerationAcrossInstances runs two stores and two moderation
// services on one schema, as two instances behind a load balancer: a rate
// limit holds for both together, a settings change on one is applied by
// the other at its next comment, a form shown by one is accepted by the
// other, and approving one held comment from both at once counts it once.
func TestModerationAcrossInstances(t *testing.T) {
	url := pgtest.Schema(t)
	s1, s2 := openTest(t, url), openTest(t, url)
	ctx := t.Context()
	quiet := slog.New(slog.DiscardHandler)
	m1, m2 := moderation.New(s1, nil, quiet), moderation.New(s2, nil, quiet)

	admin := &news.Account{Handle: "root", Role: news.RoleAdmin}
	if err := s1.CreateAccount(ctx, admin, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: admin.ID, Title: "t", Slug: "t", Status: news.PostPublished, PublishedAt: time.Unix(1e9, 0)}
	if err := s1.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	set := moderation.Default()
	set.CommentsPerMinuteIP = 10
	if err := m1.SaveSettings(ctx, admin, 0, set); err != nil {
		t.Fatal(err)
	}
	// Both services read the settings before the burst.
	for _, m := range []*moderation.Service{m1, m2} {
		if s, _, err := m.Settings(ctx, 0); err != nil || s.CommentsPerMinuteIP != 10 {
			t.Fatalf("settings: %+v %v", s, err)
		}
	}
	// A burst that does not straddle a minute boundary.
	if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 5*time.Second {
		time.Sleep(left)
	}
	var allowed, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		m := []*moderation.Service{m1, m2}[i%2]
		wg.Go(func() {
			err := m.Limit(ctx, moderation.ActComment, "192.0.2.1")
			switch news.ErrorCode(err) {
			case "":
				allowed.Add(1)
			case news.TooMany:
				refused.Add(1)
			default:
				t.Errorf("Limit: %v", err)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 10 || refused.Load() != 6 {
		t.Fatalf("16 comments from one IP on two instances with a limit of 10: %d allowed, %d refused", allowed.Load(), refused.Load())
	}

	// m2 has the old settings cached; m1 changes them.
	set.HoldAll = true
	if err := m1.SaveSettings(ctx, admin, 0, set); err != nil {
		t.Fatal(err)
	}
	tok, err := m1.FormToken(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // the token's clock is in milliseconds
	c := &news.Comment{PostID: p.ID, AuthorName: "G", Email: "g@example.com", Body: "hello", IP: "192.0.2.2", Status: news.CommentPublished}
	if err := m2.Decide(ctx, moderation.Submission{Comment: c, Post: p, WriterKey: "g:x", Form: &moderation.Form{Token: tok}}); err != nil {
		t.Fatalf("a form shown by the other instance: %v", err)
	}
	if c.Status != news.CommentPending || c.Review == nil || !slices.Contains(c.Review.Reasons, "the site holds every comment") {
		t.Fatalf("the other instance judged with old settings: %s %+v", c.Status, c.Review)
	}

	if err := s2.CreateComment(ctx, c); err != nil {
		t.Fatal(err)
	}
	var ok atomic.Int32
	for i := range 8 {
		st := []*Store{s1, s2}[i%2]
		wg.Go(func() {
			if _, err := st.ModerateComment(ctx, c.ID, news.ActApprove); err != nil {
				t.Errorf("approve: %v", err)
				return
			}
			ok.Add(1)
		})
	}
	wg.Wait()
	got, err := s1.PostByID(ctx, p.ID)
	if err != nil || got.CommentsCount != 1 || ok.Load() != 8 {
		t.Fatalf("8 concurrent approvals: CommentsCount %d (%v), %d succeeded; want 1 and 8", got.CommentsCount, err, ok.Load())
	}
}
