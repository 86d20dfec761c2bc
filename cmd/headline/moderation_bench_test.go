package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// BenchmarkModeratedCommentWrites is BenchmarkCommentWrites with
// moderation wired as serve wires it, to show what it costs per comment:
//
//	go test -run '^$' -bench ModeratedCommentWrites -benchtime 5s ./cmd/headline
//
// "rules" reads the writer's facts (one indexed read) and judges the
// comment, with rate limits off; "rules+limits" also counts each post in
// the database's rate counters (one more write, through group commit),
// with limits high enough never to refuse.
func BenchmarkModeratedCommentWrites(b *testing.B) {
	for _, mode := range []struct {
		name   string
		limits bool
	}{{"rules", false}, {"rules+limits", true}} {
		b.Run(mode.name+"/parallel64", func(b *testing.B) {
			base, postID := moderatedBenchSite(b, mode.limits)
			benchParallel(b, base, postID, 64)
		})
		b.Run(mode.name+"/sequential", func(b *testing.B) {
			base, postID := moderatedBenchSite(b, mode.limits)
			benchSequential(b, base, postID)
		})
	}
}

func moderatedBenchSite(b *testing.B, limits bool) (string, int64) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "headline.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	a := &news.Account{Handle: "desk", Name: "Desk", Role: news.RoleAdmin}
	if err := st.CreateAccount(ctx, a, ""); err != nil {
		b.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "Bench", Slug: "bench", BodyHTML: "<p>x</p>",
		Status: news.PostPublished, PublishedAt: time.Now().Add(-time.Minute)}
	if err := st.CreatePost(ctx, p); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc := newServices(st)
	svc.moderation = moderation.New(st, nil, log)
	svc.moderation.NoRateLimits = !limits
	set := moderation.Default()
	set.CommentsPerMinute, set.CommentsPerMinuteIP = 100_000, 100_000
	if err := svc.moderation.SaveSettings(ctx, a, 0, set); err != nil {
		b.Fatal(err)
	}
	svc.comments.WithModeration(svc.moderation)
	h, err := newHandler(DefaultConfig(), st, svc, log)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv.URL, p.ID
}
