package discussion_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

func setup(t *testing.T) (*discussion.Service, *news.Post, *news.Post, *news.Account) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	a := &news.Account{Handle: "paper", Name: "The Paper", Role: news.RolePublisher, Official: "Newspaper"}
	if err := st.CreateAccount(t.Context(), a, "x"); err != nil {
		t.Fatal(err)
	}
	mk := func(slug string, at time.Time) *news.Post {
		p := &news.Post{AuthorID: a.ID, Title: slug, Slug: slug, Lang: "en", BodyMarkdown: "b", BodyHTML: "<p>b</p>", Status: news.PostPublished, PublishedAt: at}
		if err := st.CreatePost(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return discussion.New(st, func() time.Time { return now }), mk("public", now.Add(-time.Hour)), mk("later", now.Add(time.Hour)), a
}

func TestGuestAndAccountComments(t *testing.T) {
	svc, post, scheduled, author := setup(t)
	ctx := t.Context()
	g, err := svc.Post(ctx, nil, discussion.Input{PostID: post.ID, Name: " Wei ", Email: "wei@example.com", Website: "https://wei.example", Body: "First! https://example.org\n\n"})
	if err != nil {
		t.Fatal(err)
	}
	if g.AuthorName != "Wei" || g.AccountID != 0 || g.Body != "First! https://example.org" || !strings.Contains(g.BodyHTML, `<a href="https://example.org" rel="nofollow ugc">`) {
		t.Fatalf("guest comment stored as %+v", g)
	}
	r, err := svc.Post(ctx, author, discussion.Input{PostID: post.ID, ParentID: g.ID, Body: "Welcome", Name: "ignored", Email: "ignored"})
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthorHandle != "paper" || r.AuthorOfficial != "Newspaper" || r.Email != "" || r.Depth != 1 || r.RootID != g.ID {
		t.Fatalf("account reply stored as %+v", r)
	}
	if _, err := svc.Post(ctx, nil, discussion.Input{PostID: scheduled.ID, Name: "a", Email: "a@example.com", Body: "early"}); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("comment on a post before its time: %v", err)
	}
	if _, err := svc.Post(ctx, nil, discussion.Input{PostID: 9999, Name: "a", Email: "a@example.com", Body: "x"}); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("comment on a missing post: %v", err)
	}
	if _, err := svc.Post(ctx, nil, discussion.Input{PostID: post.ID, ParentID: 9999, Name: "a", Email: "a@example.com", Body: "x"}); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("reply to a missing comment: %v", err)
	}
}

func TestGuestFieldRules(t *testing.T) {
	svc, post, _, _ := setup(t)
	for _, tc := range []struct {
		in    discussion.Input
		field string
	}{
		{discussion.Input{Email: "a@example.com", Body: "x"}, "name"},
		{discussion.Input{Name: "A", Body: "x"}, "email"},
		{discussion.Input{Name: "A", Email: "nope", Body: "x"}, "email"},
		{discussion.Input{Name: "A", Email: "a@example.com", Website: "javascript:alert(1)", Body: "x"}, "website"},
		{discussion.Input{Name: "A", Email: "a@example.com", Body: "   \n"}, "body"},
		{discussion.Input{Name: "A", Email: "a@example.com", Body: strings.Repeat("長", news.MaxCommentBody+1)}, "body"},
		{discussion.Input{Name: "A\u202E", Email: "a@example.com", Body: "x"}, "name"},
		{discussion.Input{Name: "A", Email: "a@example.com", Body: "bad \xff bytes"}, "body"},
	} {
		tc.in.PostID = post.ID
		if _, err := svc.Post(t.Context(), nil, tc.in); news.ErrorFields(err)[tc.field] == "" {
			t.Errorf("Post(%+v) = %v, want a problem on %s", tc.in, err, tc.field)
		}
	}
}

func TestThreadsAndCursors(t *testing.T) {
	svc, post, _, _ := setup(t)
	ctx := t.Context()
	var roots []*news.Comment
	for i := range 5 {
		c, err := svc.Post(ctx, nil, discussion.Input{PostID: post.ID, Name: "A", Email: "a@example.com", Body: fmt.Sprintf("root %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, c)
	}
	parent := roots[1]
	for i := range 3 {
		c, err := svc.Post(ctx, nil, discussion.Input{PostID: post.ID, ParentID: parent.ID, Name: "B", Email: "b@example.com", Body: fmt.Sprintf("reply %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		parent = c
	}
	page, err := svc.Threads(ctx, nil, post.ID, news.SortOld, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Threads) != 2 || page.Threads[1].Comment.ID != roots[1].ID || len(page.Threads[1].Replies) != 3 || page.NextCursor == "" {
		t.Fatalf("first page of threads wrong: %+v", page)
	}
	if _, err := svc.List(ctx, nil, post.ID, discussion.Query{Sort: news.SortNew, Cursor: page.NextCursor}); news.ErrorFields(err)["cursor"] == "" {
		t.Fatalf("a cursor of one sort accepted by another: %v", err)
	}
	seen := 0
	cursor := ""
	for {
		pg, err := svc.List(ctx, nil, post.ID, discussion.Query{Sort: news.SortNew, Cursor: cursor, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(pg.Comments)
		if cursor = pg.NextCursor; cursor == "" {
			break
		}
	}
	if seen != 8 {
		t.Fatalf("paging the flat list saw %d comments, want 8", seen)
	}
	if _, err := discussion.ParseSort("random"); news.ErrorCode(err) != news.Invalid {
		t.Fatalf("ParseSort(random): %v", err)
	}
}

// TestDeepChain replies 1,000 deep: every reply is accepted, the stored
// depth stops at news.MaxCommentDepth, and the whole chain reads back in
// order through the paged replies of the first comment.
func TestDeepChain(t *testing.T) {
	svc, post, _, author := setup(t)
	ctx := t.Context()
	parent := int64(0)
	var ids []int64
	for i := range 1000 {
		c, err := svc.Post(ctx, author, discussion.Input{PostID: post.ID, ParentID: parent, Body: fmt.Sprintf("level %d", i)})
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		if c.Depth != min(i, news.MaxCommentDepth) || c.ParentID != parent {
			t.Fatalf("reply %d: depth %d parent %d", i, c.Depth, c.ParentID)
		}
		ids, parent = append(ids, c.ID), c.ID
	}
	var got []int64
	cursor := ""
	for {
		_, p, err := svc.Replies(ctx, nil, ids[0], cursor, 200)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Comments {
			got = append(got, c.ID)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(ids[1:]) {
		t.Fatalf("chain read back out of order: %d replies", len(got))
	}
}

// An app that retries while its first request is still being written
// sends the same comment twice at once: both answers name one comment,
// and one is stored (the store looks for the duplicate as it writes).
func TestConcurrentSameCommentStoredOnce(t *testing.T) {
	svc, post, _, _ := setup(t)
	ctx := t.Context()
	in := discussion.Input{PostID: post.ID, Name: "Wei", Email: "wei@example.com", Body: "Sent twice by a retrying app."}
	const n = 16
	ids := make([]int64, n)
	dups := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, dup, err := svc.Write(ctx, nil, in)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], dups[i] = c.ID, dup
		})
	}
	wg.Wait()
	list, err := svc.List(ctx, nil, post.ID, discussion.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Comments) != 1 {
		t.Fatalf("%d identical comments sent at once stored %d times", n, len(list.Comments))
	}
	fresh := 0
	for i, id := range ids {
		if id != list.Comments[0].ID {
			t.Fatalf("answers name comments %v, want all %d", ids, list.Comments[0].ID)
		}
		if !dups[i] {
			fresh++
		}
	}
	if fresh != 1 {
		t.Fatalf("%d answers said the comment was new, want 1", fresh)
	}
}
