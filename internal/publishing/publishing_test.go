package publishing_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
)

type fixture struct {
	st     news.Store
	svc    *publishing.Service
	now    time.Time
	writer *news.Account
	reader *news.Account
	mod    *news.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	f.svc = publishing.New(st, func() time.Time { return f.now })
	mk := func(handle string, role news.Role) *news.Account {
		a := &news.Account{Handle: handle, Name: handle, Role: role}
		if err := st.CreateAccount(t.Context(), a, "x"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	f.writer, f.reader, f.mod = mk("writer", news.RolePublisher), mk("reader", news.RoleReader), mk("mod", news.RoleModerator)
	return f
}

func TestPublishRules(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if _, err := f.svc.Publish(ctx, nil, publishing.Input{Title: "T", Body: "B"}); news.ErrorCode(err) != news.Unauthorized {
		t.Errorf("guest publish: %v", err)
	}
	if _, err := f.svc.Publish(ctx, f.reader, publishing.Input{Title: "T", Body: "B"}); news.ErrorCode(err) != news.Forbidden {
		t.Errorf("reader publish: %v", err)
	}
	for _, tc := range []struct {
		in    publishing.Input
		field string
	}{
		{publishing.Input{Body: "B"}, "title"},
		{publishing.Input{Title: "T"}, "body"},
		{publishing.Input{Title: "T", Body: "B", Lang: "english"}, "lang"},
		{publishing.Input{Title: "T", Body: "B", SourceURL: "javascript:alert(1)", SourceName: "X"}, "source_url"},
		{publishing.Input{Title: "T", Body: "B", SourceURL: "https://example.org"}, "source_name"},
		{publishing.Input{Title: "T", Body: "B", Status: "scheduled"}, "publish_at"},
		{publishing.Input{Title: "T", Body: "B", Status: "scheduled", PublishAt: f.now.Add(-time.Minute)}, "publish_at"},
		{publishing.Input{Title: "T", Body: "B", Status: "archived"}, "status"},
		{publishing.Input{Title: "T", Body: "B", Tags: []string{"<b>"}}, "tags"},
	} {
		if _, err := f.svc.Publish(ctx, f.writer, tc.in); news.ErrorFields(err)[tc.field] == "" {
			t.Errorf("Publish(%+v) = %v, want a problem on %s", tc.in, err, tc.field)
		}
	}
	// A draft needs no body yet.
	if _, err := f.svc.Publish(ctx, f.writer, publishing.Input{Title: "Idea", Status: "draft"}); err != nil {
		t.Errorf("draft without body: %v", err)
	}
}

func TestSlugsAreUniquePerAuthorAndStable(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	a, _ := f.svc.Publish(ctx, f.writer, publishing.Input{Title: "Same title", Body: "1"})
	b, _ := f.svc.Publish(ctx, f.writer, publishing.Input{Title: "Same title", Body: "2"})
	if a.Slug != "same-title" || b.Slug != "same-title-2" {
		t.Fatalf("slugs %q, %q", a.Slug, b.Slug)
	}
	edited, err := f.svc.Update(ctx, f.writer, a.ID, publishing.Input{Title: "A new title", Body: "1"})
	if err != nil || edited.Slug != "same-title" {
		t.Fatalf("edit changed the slug of a public post to %q (%v)", edited.Slug, err)
	}
	if _, err := f.svc.Update(ctx, f.mod, a.ID, publishing.Input{Title: "x", Body: "y"}); news.ErrorCode(err) != news.Forbidden {
		t.Fatalf("a moderator edited another's post: %v", err)
	}
}

func TestScheduledPostAppearsAtItsTime(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	at := f.now.Add(2 * time.Hour)
	p, err := f.svc.Publish(ctx, f.writer, publishing.Input{Title: "Later", Body: "B", Status: "scheduled", PublishAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if p.ShownStatus(f.now) != news.PostScheduled {
		t.Fatalf("status %q, want scheduled", p.ShownStatus(f.now))
	}
	if _, err := f.svc.Get(ctx, f.reader, p.ID); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("a reader sees a scheduled post: %v", err)
	}
	if _, err := f.svc.Get(ctx, f.writer, p.ID); err != nil {
		t.Fatalf("its author cannot: %v", err)
	}
	if _, err := f.svc.Get(ctx, f.mod, p.ID); err != nil {
		t.Fatalf("a moderator cannot: %v", err)
	}
	page, _ := f.svc.List(ctx, nil, publishing.Query{})
	if len(page.Posts) != 0 {
		t.Fatal("the scheduled post is listed before its time")
	}
	f.now = at
	if _, err := f.svc.Get(ctx, f.reader, p.ID); err != nil {
		t.Fatalf("at its time the post is still hidden: %v", err)
	}
	page, _ = f.svc.List(ctx, nil, publishing.Query{})
	if len(page.Posts) != 1 {
		t.Fatal("at its time the post is not listed")
	}
	// Once public, it cannot be pushed back into the future.
	_, err = f.svc.Update(ctx, f.writer, p.ID, publishing.Input{Title: "Later", Body: "B", Status: "scheduled", PublishAt: at.Add(time.Hour)})
	if news.ErrorFields(err)["publish_at"] == "" {
		t.Fatalf("rescheduling a public post: %v", err)
	}
}

func TestDraftsAreOnlyTheirAuthors(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	d, _ := f.svc.Publish(ctx, f.writer, publishing.Input{Title: "Draft", Status: "draft"})
	if _, err := f.svc.Get(ctx, nil, d.ID); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("a guest sees a draft: %v", err)
	}
	if _, err := f.svc.List(ctx, f.reader, publishing.Query{AuthorID: f.writer.ID, Drafts: true}); news.ErrorCode(err) != news.Forbidden {
		t.Fatalf("another account lists the drafts: %v", err)
	}
	page, err := f.svc.List(ctx, f.writer, publishing.Query{AuthorID: f.writer.ID, Drafts: true})
	if err != nil || len(page.Posts) != 1 {
		t.Fatalf("the author's drafts: %v %v", page.Posts, err)
	}
	pub, err := f.svc.Update(ctx, f.writer, d.ID, publishing.Input{Title: "Draft", Body: "Now written."})
	if err != nil || !pub.PublishedAt.Equal(f.now) {
		t.Fatalf("publishing a draft: %+v %v", pub, err)
	}
	if _, err := f.svc.List(ctx, nil, publishing.Query{Cursor: "garbage"}); news.ErrorCode(err) != news.Invalid {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestDeleteRules(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	other := &news.Account{Handle: "other", Name: "other", Role: news.RolePublisher}
	if err := f.st.CreateAccount(ctx, other, "x"); err != nil {
		t.Fatal(err)
	}
	publish := func(status string) *news.Post {
		t.Helper()
		p, err := f.svc.Publish(ctx, f.writer, publishing.Input{Title: "T " + status, Body: "B", Status: status})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p, draft := publish("published"), publish("draft")
	var released []int64
	f.svc.ReleaseMedia = func(ctx context.Context, id int64) error {
		// The post still exists: its media references are still there.
		if _, err := f.st.PostByID(ctx, id); err != nil {
			t.Errorf("ReleaseMedia ran after the post was gone: %v", err)
		}
		released = append(released, id)
		return nil
	}
	for _, tc := range []struct {
		who  *news.Account
		post *news.Post
		want news.Code
	}{
		{nil, p, news.Unauthorized},
		{f.reader, p, news.Forbidden},
		{other, p, news.Forbidden},
		{f.reader, draft, news.NotFound}, // a draft does not exist for others
		{f.writer, &news.Post{ID: draft.ID + 100}, news.NotFound},
	} {
		if err := f.svc.Delete(ctx, tc.who, tc.post.ID); news.ErrorCode(err) != tc.want {
			t.Errorf("Delete(%v, post %d) = %v, want %s", tc.who, tc.post.ID, err, tc.want)
		}
	}
	if len(released) != 0 {
		t.Fatalf("refused deletes released media of %v", released)
	}

	// A failed release leaves the post in place, to be deleted again.
	f.svc.ReleaseMedia = func(context.Context, int64) error { return errors.New("blob store down") }
	if err := f.svc.Delete(ctx, f.writer, p.ID); err == nil {
		t.Fatal("Delete succeeded though its media could not be released")
	}
	if _, err := f.st.PostByID(ctx, p.ID); err != nil {
		t.Fatalf("the post went though its media stayed: %v", err)
	}
	f.svc.ReleaseMedia = func(ctx context.Context, id int64) error { released = append(released, id); return nil }

	if err := f.svc.Delete(ctx, f.writer, p.ID); err != nil {
		t.Fatalf("author delete: %v", err)
	}
	if err := f.svc.Delete(ctx, f.mod, draft.ID); err != nil {
		t.Fatalf("moderator delete of a draft: %v", err)
	}
	for _, id := range []int64{p.ID, draft.ID} {
		if _, err := f.st.PostByID(ctx, id); news.ErrorCode(err) != news.NotFound {
			t.Errorf("post %d after delete: %v", id, err)
		}
	}
	if fmt.Sprint(released) != fmt.Sprint([]int64{p.ID, draft.ID}) {
		t.Fatalf("released media of %v, want %v", released, []int64{p.ID, draft.ID})
	}
	if err := f.svc.Delete(ctx, f.writer, p.ID); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("second delete: %v", err)
	}
}
