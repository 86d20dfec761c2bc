package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/demo"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
)

// clock is the pinned time of the test site.
var clock = time.Date(2026, 3, 14, 18, 30, 0, 0, time.UTC)

func open(t *testing.T) (*sqlite.Store, demo.Services) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := func() time.Time { return clock }
	st.Now = now
	return st, demo.Services{
		Accounts: accounts.New(st, now),
		Posts:    publishing.New(st, now),
		Comments: discussion.New(st, now),
	}
}

// snapshot is what a second Seed must not change.
type snapshot struct {
	accounts, posts, comments int64
}

func take(t *testing.T, st *sqlite.Store, s demo.Services) (snapshot, []*news.Post) {
	t.Helper()
	ctx := context.Background()
	var snap snapshot
	var err error
	if snap.accounts, err = st.CountAccounts(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := s.Posts.List(ctx, nil, publishing.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	snap.posts = int64(len(page.Posts))
	for _, p := range page.Posts {
		snap.comments += p.CommentsCount
	}
	return snap, page.Posts
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	st, s := open(t)

	res, err := demo.Seed(ctx, st, s)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if !res.Seeded {
		t.Fatal("Seed on an empty site: Seeded = false")
	}
	if len(res.Accounts) < 9 {
		t.Errorf("Seed returned %d logins, want at least 9", len(res.Accounts))
	}
	before, posts := take(t, st, s)
	if before.accounts != int64(len(res.Accounts)) {
		t.Errorf("%d accounts in the store, %d logins returned", before.accounts, len(res.Accounts))
	}
	if before.posts < 6 {
		t.Fatalf("%d visible posts, want at least 6", before.posts)
	}

	// The newest article is published at the services' clock, the others
	// before it, in a strict order.
	if !posts[0].PublishedAt.Equal(clock) {
		t.Errorf("newest post published at %v, want the services' clock %v", posts[0].PublishedAt, clock)
	}
	langs := map[string]int{}
	var sourced, withoutComments int
	for i, p := range posts {
		t.Logf("%s %-2s %2d comments  %s", p.PublishedAt.Format(time.DateTime), p.Lang, p.CommentsCount, news.PostPath(p))
		langs[p.Lang]++
		if i > 0 && !p.PublishedAt.Before(posts[i-1].PublishedAt) {
			t.Errorf("%q is not older than the post before it", p.Title)
		}
		if p.BodyHTML == "" || !strings.Contains(p.BodyHTML, "<h2") || !strings.Contains(p.BodyHTML, "<blockquote>") || !strings.Contains(p.BodyHTML, "<a href=\"https://example.org/") {
			t.Errorf("%q: body lacks a heading, quote or link: %.200s", p.Title, p.BodyHTML)
		}
		if p.Summary == "" || len(p.Tags) == 0 {
			t.Errorf("%q: no summary or no tags", p.Title)
		}
		if p.SourceURL != "" {
			sourced++
			checkSource(t, ctx, s, p)
		}
		if p.CommentsCount == 0 {
			withoutComments++
		}
		checkComments(t, ctx, s, p)
	}
	if langs["en"] < 2 || langs["zh"] < 2 || langs["ru"] < 2 {
		t.Errorf("posts by language: %v; want at least two each of en, zh and ru", langs)
	}
	if sourced != 1 {
		t.Errorf("%d posts with a source credit, want 1", sourced)
	}
	if withoutComments != 1 {
		t.Errorf("%d posts without comments, want exactly 1", withoutComments)
	}

	// The newspaper has a draft and a scheduled post on its profile.
	paper, err := s.Accounts.ByHandle(ctx, "dailyharbor")
	if err != nil {
		t.Fatal(err)
	}
	if paper.Official != "Newspaper" || paper.Role != news.RolePublisher {
		t.Errorf("@dailyharbor: official %q role %q", paper.Official, paper.Role)
	}
	drafts, err := s.Posts.List(ctx, paper, publishing.Query{AuthorID: paper.ID, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	scheduled, err := s.Posts.List(ctx, paper, publishing.Query{AuthorID: paper.ID, Scheduled: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts.Posts) != 1 || drafts.Posts[0].Status != news.PostDraft {
		t.Errorf("@dailyharbor has %d drafts, want 1", len(drafts.Posts))
	}
	if len(scheduled.Posts) != 1 || scheduled.Posts[0].ShownStatus(clock) != news.PostScheduled || !scheduled.Posts[0].PublishedAt.After(clock.Add(24*time.Hour)) {
		t.Errorf("@dailyharbor's scheduled posts: %d, want 1 a few days ahead", len(scheduled.Posts))
	}
	if embassy, err := s.Accounts.ByHandle(ctx, "velmora_embassy"); err != nil || embassy.Official != "Embassy" {
		t.Errorf("@velmora_embassy: %+v, %v", embassy, err)
	}

	// A second Seed finds accounts and changes nothing.
	again, err := demo.Seed(ctx, st, s)
	if err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if again.Seeded || len(again.Accounts) != 0 {
		t.Errorf("second Seed: %+v, want Seeded false and no logins", again)
	}
	if after, _ := take(t, st, s); after != before {
		t.Errorf("second Seed changed the site: before %+v, after %+v", before, after)
	}

	// Every returned password signs in, as the role reported.
	for _, l := range res.Accounts {
		if l.Password == "" {
			t.Errorf("@%s: empty password", l.Handle)
			continue
		}
		a, _, err := s.Accounts.SignIn(ctx, l.Handle, l.Password)
		if err != nil {
			t.Errorf("sign in as @%s: %v", l.Handle, err)
			continue
		}
		if a.Role != l.Role || a.Name != l.Name {
			t.Errorf("@%s: signed in as %q (%s), Seed said %q (%s)", l.Handle, a.Name, a.Role, l.Name, l.Role)
		}
	}
}

// checkSource checks that a republished post credits a post that exists,
// by address.
func checkSource(t *testing.T, ctx context.Context, s demo.Services, p *news.Post) {
	t.Helper()
	path, ok := strings.CutPrefix(p.SourceURL, "https://example.org")
	if !ok || p.SourceName == "" {
		t.Errorf("%q: source %q <%s>", p.Title, p.SourceName, p.SourceURL)
		return
	}
	handle, slug, _ := strings.Cut(strings.TrimPrefix(path, "/@"), "/")
	author, err := s.Accounts.ByHandle(ctx, handle)
	if err != nil {
		t.Errorf("%q: source author @%s: %v", p.Title, handle, err)
		return
	}
	orig, err := s.Posts.BySlug(ctx, nil, author, slug)
	if err != nil {
		t.Errorf("%q: source %s: %v", p.Title, path, err)
		return
	}
	if orig.ID == p.ID || orig.Title != p.Title || orig.BodyMarkdown != p.BodyMarkdown || p.SourceName != author.Name {
		t.Errorf("%q republishes %q by %q, credited to %q", p.Title, orig.Title, author.Name, p.SourceName)
	}
}

// checkComments checks a post's comment count against its comments, that
// threads go three levels deep where there are replies, and that guests
// wrote some of them.
func checkComments(t *testing.T, ctx context.Context, s demo.Services, p *news.Post) {
	t.Helper()
	page, err := s.Comments.List(ctx, nil, p.ID, discussion.Query{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(page.Comments)) != p.CommentsCount {
		t.Errorf("%q: CommentsCount %d, %d comments listed", p.Title, p.CommentsCount, len(page.Comments))
	}
	if len(page.Comments) == 0 {
		return
	}
	var guests, replies, maxDepth int
	for _, c := range page.Comments {
		if c.AccountID == 0 {
			guests++
			if c.AuthorName == "" || c.Email == "" {
				t.Errorf("%q: guest comment %d without name or email", p.Title, c.ID)
			}
		}
		if c.ParentID != 0 {
			replies++
		}
		maxDepth = max(maxDepth, c.Depth)
	}
	if replies == 0 {
		t.Errorf("%q: comments but no replies", p.Title)
	}
	if len(page.Comments) >= 4 && maxDepth < 2 {
		t.Errorf("%q: deepest reply at depth %d, want 2", p.Title, maxDepth)
	}
	if len(page.Comments) >= 4 && guests == 0 {
		t.Errorf("%q: no guest comments", p.Title)
	}
	threads, err := s.Comments.Threads(ctx, nil, p.ID, news.SortOld, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, th := range threads.Threads {
		n += 1 + len(th.Replies)
	}
	if n != len(page.Comments) {
		t.Errorf("%q: threads hold %d comments, the list %d", p.Title, n, len(page.Comments))
	}
}

// TestSeedNotEmpty: a site with any account is left alone, and a failing
// count is an error, not a seed.
func TestSeedNotEmpty(t *testing.T) {
	ctx := context.Background()
	st, s := open(t)
	if _, err := s.Accounts.Create(ctx, accounts.NewAccount{Handle: "owner", Name: "Owner", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	res, err := demo.Seed(ctx, st, s)
	if err != nil || res.Seeded || len(res.Accounts) != 0 {
		t.Fatalf("Seed on a site with an account: %+v, %v", res, err)
	}
	if n, _ := st.CountAccounts(ctx); n != 1 {
		t.Errorf("%d accounts after Seed, want 1", n)
	}

	boom := errors.New("disk on fire")
	if _, err := demo.Seed(ctx, failingCounter{boom}, s); !errors.Is(err, boom) {
		t.Errorf("Seed with a failing count: %v, want %v", err, boom)
	}
	if _, err := demo.Seed(ctx, st, demo.Services{Accounts: s.Accounts}); err == nil {
		t.Error("Seed without all services: no error")
	}
}

type failingCounter struct{ err error }

func (f failingCounter) CountAccounts(context.Context) (int64, error) { return 0, f.err }
