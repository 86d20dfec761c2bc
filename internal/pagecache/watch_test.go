package pagecache_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/postgres"
	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/sqlite"
)

func openSQLite(t *testing.T) news.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openPostgres(t *testing.T) news.Store {
	st, err := postgres.Open(context.Background(), pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Every write that changes what an article page shows drops the cached
// pages of that post (or of that account), and leaves the others.
func TestWatchInvalidatesWhatEachWriteChanges(t *testing.T) {
	for name, open := range map[string]func(*testing.T) news.Store{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) { testWatch(t, open(t)) })
	}
}

func testWatch(t *testing.T, raw news.Store) {
	ctx := t.Context()
	cache := pagecache.New(1<<20, time.Minute)
	st := pagecache.Watch(raw, cache)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	author := &news.Account{Handle: "harbor", Name: "The Daily Harbor", Email: "h@example.com", Role: news.RolePublisher}
	reader := &news.Account{Handle: "rita", Name: "Rita", Email: "r@example.com", Role: news.RoleReader}
	must("author", st.CreateAccount(ctx, author, "x"))
	must("reader", st.CreateAccount(ctx, reader, "x"))
	post := func(slug string) *news.Post {
		p := &news.Post{AuthorID: author.ID, Kind: "article", Title: slug, Slug: slug, Lang: "en", BodyMarkdown: "b", BodyHTML: "<p>b</p>",
			Status: news.PostPublished, PublishedAt: time.Now().Add(-time.Minute)}
		must("post", st.CreatePost(ctx, p))
		return p
	}
	p1, p2 := post("one"), post("two")
	c := &news.Comment{PostID: p1.ID, AuthorName: "Guest", Email: "g@example.com", Body: "hi", BodyHTML: "<p>hi</p>", Status: news.CommentPublished}
	must("comment", st.CreateComment(ctx, c))
	r := news.Reader{AccountID: reader.ID}

	// put caches a page of each post; check runs a write and wants exactly
	// the pages named dropped.
	put := func() {
		tk := cache.Ticket()
		cache.Put(tk, "p1", pg([]byte("1")), pagecache.PostTag(p1.ID), pagecache.AccountTag(author.ID))
		cache.Put(tk, "p2", pg([]byte("2")), pagecache.PostTag(p2.ID), pagecache.AccountTag(author.ID))
	}
	check := func(what string, write func() error, gone ...string) {
		t.Helper()
		put()
		must(what, write())
		want := map[string]bool{"p1": true, "p2": true}
		for _, k := range gone {
			want[k] = false
		}
		for k, kept := range want {
			if _, ok := cache.Get(k); ok != kept {
				t.Errorf("%s: page %s cached = %v, want %v", what, k, ok, kept)
			}
		}
	}
	check("CreateComment", func() error {
		return st.CreateComment(ctx, &news.Comment{PostID: p1.ID, AuthorName: "G", Email: "g@example.com", Body: "x", BodyHTML: "x", Status: news.CommentPublished})
	}, "p1")
	check("LikeComment", func() error { _, err := st.LikeComment(ctx, c.ID, r); return err }, "p1")
	check("UnlikeComment", func() error { _, err := st.UnlikeComment(ctx, c.ID, r); return err }, "p1")
	check("EditComment", func() error { _, err := st.EditComment(ctx, c.ID, "edited", "<p>edited</p>"); return err }, "p1")
	check("PinComment", func() error { _, err := st.PinComment(ctx, c.ID, true, 3); return err }, "p1")
	check("DeleteComment", func() error { return st.DeleteComment(ctx, c.ID) }, "p1")
	held := &news.Comment{PostID: p1.ID, AuthorName: "G", Email: "h@example.com", Body: "held", BodyHTML: "held", Status: news.CommentPending}
	must("held comment", raw.CreateComment(ctx, held))
	check("ModerateComment approve", func() error { _, err := st.ModerateComment(ctx, held.ID, news.ActApprove); return err }, "p1")
	check("ModerateComment spam", func() error { _, err := st.ModerateComment(ctx, held.ID, news.ActSpam); return err }, "p1")
	m := &news.Media{OwnerID: author.ID, Kind: news.MediaImage, Key: "ab/cd/abcd.png", MIME: "image/png", Size: 10}
	must("media", raw.CreateMedia(ctx, m))
	check("SetPostMedia", func() error { return st.SetPostMedia(ctx, p2.ID, m.ID, nil) }, "p2")
	check("FinishMedia", func() error { return st.FinishMedia(ctx, m.ID, news.MediaResult{Width: 10, Height: 10}) }, "p1", "p2")
	check("AddSubtitle", func() error {
		return st.AddSubtitle(ctx, &news.Subtitle{MediaID: m.ID, Lang: "en", Label: "English", Key: "ef/gh/efgh.vtt"})
	}, "p1", "p2")
	check("LikePost", func() error { _, err := st.LikePost(ctx, p2.ID, r); return err }, "p2")
	check("UnlikePost", func() error { _, err := st.UnlikePost(ctx, p2.ID, r); return err }, "p2")
	check("AddShare", func() error { _, err := st.AddShare(ctx, p2.ID); return err }, "p2")
	check("UpdatePost", func() error { p2.Title = "Two, corrected"; return st.UpdatePost(ctx, p2) }, "p1", "p2") // the author's pages: p1 shows the byline
	check("Follow", func() error { _, err := st.Follow(ctx, reader.ID, author.ID); return err }, "p1", "p2")
	check("Unfollow", func() error { _, err := st.Unfollow(ctx, reader.ID, author.ID); return err }, "p1", "p2")
	check("UpdateAccount", func() error {
		name := "The Harbor"
		_, err := st.UpdateAccount(ctx, author.ID, news.AccountUpdate{Name: &name})
		return err
	}, "p1", "p2")
	check("Bulk", func() error { return st.Bulk(ctx, func(news.Store) error { return nil }) }, "p1", "p2")
	// DeletePost drops the post's pages and the author's, not another
	// post's.
	p3 := post("three")
	deleted := func(id int64) func() error {
		return func() error {
			tk := cache.Ticket()
			cache.Put(tk, "p3", pg([]byte("3")), pagecache.PostTag(p3.ID))
			cache.Put(tk, "byline", pg([]byte("b")), pagecache.AccountTag(author.ID))
			cache.Put(tk, "p1 alone", pg([]byte("1")), pagecache.PostTag(p1.ID))
			return st.DeletePost(ctx, id)
		}
	}
	must("delete p3", deleted(p3.ID)())
	for k, want := range map[string]bool{"p3": false, "byline": false, "p1 alone": true} {
		if _, ok := cache.Get(k); ok != want {
			t.Errorf("DeletePost: page %s cached = %v, want %v", k, ok, want)
		}
	}
	if err := deleted(p3.ID)(); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("DeletePost again = %v, want NotFound", err)
	}
	for _, k := range []string{"p3", "byline", "p1 alone"} {
		if _, ok := cache.Get(k); !ok {
			t.Errorf("a refused DeletePost dropped page %s", k)
		}
	}
	// Writes no article page shows keep the pages.
	check("RecordViews", func() error {
		_, err := st.RecordViews(ctx, []news.ViewMark{{PostID: p1.ID, ReaderKey: "a:1"}})
		return err
	})
	// A refused write changes nothing and drops nothing.
	check("Follow twice", func() error {
		if _, err := st.Follow(ctx, reader.ID, author.ID); err != nil {
			return err
		}
		put()
		_, err := st.Follow(ctx, reader.ID, author.ID)
		return err
	})
}

func pg(body []byte) pagecache.Page { return pagecache.Page{Body: body} }
