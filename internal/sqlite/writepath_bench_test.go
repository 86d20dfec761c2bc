package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// BenchmarkCommentWritePath times, one call at a time, each store call a
// guest's comment post makes (see discussion.Service.Write), on a post
// where the guest already wrote 1,000 comments, so the duplicate check
// scans its full window; CheckComment is the three reads as one call:
//
//	go test -run '^$' -bench CommentWritePath -benchtime 2s ./internal/sqlite/
func BenchmarkCommentWritePath(b *testing.B) {
	// A request's context, cancelable, as the store gets it from a handler.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "headline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	a := &news.Account{Handle: "desk", Name: "Desk", Role: news.RolePublisher}
	if err := st.CreateAccount(ctx, a, ""); err != nil {
		b.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "Bench", Slug: "bench", BodyHTML: "<p>x</p>",
		Status: news.PostPublished, PublishedAt: time.Now().Add(-time.Minute)}
	if err := st.CreatePost(ctx, p); err != nil {
		b.Fatal(err)
	}
	n := 0
	comment := func() *news.Comment {
		n++
		body := fmt.Sprintf("Comment number %d, with a few words of text.", n)
		return &news.Comment{PostID: p.ID, AuthorName: "Guest", Email: "g@example.com", Body: body,
			BodyHTML: "<p>" + body + "</p>", Status: news.CommentPublished, IP: "127.0.0.1"}
	}
	for range 1000 {
		if err := st.CreateComment(ctx, comment()); err != nil {
			b.Fatal(err)
		}
	}
	since := time.Now().Add(-time.Hour)
	b.Run("PostByID", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.PostByID(ctx, p.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RecentDuplicate", func(b *testing.B) {
		c := comment()
		for b.Loop() {
			if _, err := st.RecentDuplicate(ctx, c, since); news.ErrorCode(err) != news.NotFound {
				b.Fatal(err)
			}
		}
	})
	b.Run("WriterFacts", func(b *testing.B) {
		q := news.WriterQuery{Email: "g@example.com", IP: "127.0.0.1"}
		for b.Loop() {
			if _, err := st.WriterFacts(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CheckComment", func(b *testing.B) {
		q := news.CommentCheckQuery{Comment: comment(), DedupSince: since,
			Writer: &news.WriterQuery{Email: "g@example.com", IP: "127.0.0.1"}}
		for b.Loop() {
			if _, err := st.CheckComment(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CreateComment", func(b *testing.B) {
		for b.Loop() {
			if err := st.CreateComment(ctx, comment()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
