package moderation_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a site on a real SQLite file: an admin, a moderator, a
// publisher with a post, a reader, and the services with moderation on.
type fixture struct {
	t                                  *testing.T
	st                                 *sqlite.Store
	clk                                *clock
	mod                                *moderation.Service
	comments                           *discussion.Service
	admin, moderator, publisher, other *news.Account
	reader                             *news.Account
	post, otherPost                    *news.Post
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2025, 3, 1, 12, 0, 30, 0, time.UTC)}
	st.Now = clk.Now
	f := &fixture{t: t, st: st, clk: clk}
	f.mod = moderation.New(st, clk.Now, slog.New(slog.DiscardHandler))
	f.comments = discussion.New(st, clk.Now).WithModeration(f.mod)
	mk := func(handle string, role news.Role) *news.Account {
		a := &news.Account{Handle: handle, Name: "Name " + handle, Role: role}
		if err := st.CreateAccount(context.Background(), a, "x"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	f.admin, f.moderator = mk("admin", news.RoleAdmin), mk("mod", news.RoleModerator)
	f.publisher, f.other, f.reader = mk("daily", news.RolePublisher), mk("weekly", news.RolePublisher), mk("reader", news.RoleReader)
	mkPost := func(a *news.Account, slug string) *news.Post {
		p := &news.Post{AuthorID: a.ID, Kind: "article", Title: slug, Slug: slug, Lang: "en", Status: news.PostPublished, PublishedAt: clk.Now().Add(-time.Hour)}
		if err := st.CreatePost(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.post, f.otherPost = mkPost(f.publisher, "one"), mkPost(f.other, "two")
	return f
}

func (f *fixture) settings(change func(*moderation.Settings)) {
	f.t.Helper()
	s, _, err := f.mod.Settings(context.Background(), 0)
	if err != nil {
		f.t.Fatal(err)
	}
	change(&s)
	if err := f.mod.SaveSettings(context.Background(), f.admin, 0, s); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) guest(post *news.Post, email, body string) (*news.Comment, error) {
	return f.comments.Post(context.Background(), nil, discussion.Input{PostID: post.ID, Name: "Guest", Email: email, Body: body, IP: "192.0.2.10", GuestID: "guest-cookie-1"})
}

func wantCode(t *testing.T, what string, err error, code news.Code) {
	t.Helper()
	if news.ErrorCode(err) != code {
		t.Fatalf("%s: %v (code %q), want %q", what, err, news.ErrorCode(err), code)
	}
}

func TestHeldUntilApproved(t *testing.T) {
	f := newFixture(t)
	f.settings(func(s *moderation.Settings) { s.HoldFirstTime = true })
	ctx := context.Background()
	c, err := f.guest(f.post, "ann@example.com", "My first comment")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != news.CommentPending || c.Review == nil || c.Review.Reasons[0] != "first comment" {
		t.Fatalf("first comment: %s %+v, want held as a first comment", c.Status, c.Review)
	}
	if held, _ := f.mod.Held(ctx, nil, "guest-cookie-1", f.post.ID); len(held) != 1 {
		t.Fatalf("the writing browser sees %d held comments, want 1", len(held))
	}
	if held, _ := f.mod.Held(ctx, nil, "another-browser", f.post.ID); len(held) != 0 {
		t.Fatal("another browser sees the held comment")
	}
	page, err := f.comments.List(ctx, nil, f.post.ID, discussion.Query{})
	if err != nil || len(page.Comments) != 0 {
		t.Fatalf("public list shows %d comments (%v), want none", len(page.Comments), err)
	}
	_, err = f.comments.Like(ctx, nil, news.Reader{GuestID: "x"}, c.ID, true)
	wantCode(t, "liking a held comment", err, news.NotFound)
	_, err = f.comments.Post(ctx, f.reader, discussion.Input{PostID: f.post.ID, ParentID: c.ID, Body: "reply to held"})
	wantCode(t, "replying to a held comment", err, news.Invalid)

	if _, err := f.mod.Act(ctx, f.moderator, []int64{c.ID}, moderation.ActionApprove); err != nil {
		t.Fatal(err)
	}
	p, _ := f.st.PostByID(ctx, f.post.ID)
	if p.CommentsCount != 1 {
		t.Fatalf("CommentsCount after approval = %d, want 1", p.CommentsCount)
	}
	again, err := f.guest(f.post, "ann@example.com", "Second, now I am known")
	if err != nil || again.Status != news.CommentPublished {
		t.Fatalf("second comment of an approved writer: %v %v, want published", again, err)
	}
}

func TestBans(t *testing.T) {
	f := newFixture(t)
	f.settings(func(s *moderation.Settings) { s.HoldAll = true })
	ctx := context.Background()
	c, err := f.guest(f.post, "Spammer@Example.com", "spam")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.mod.Act(ctx, f.publisher, []int64{c.ID}, moderation.ActionBan)
	wantCode(t, "an author banning", err, news.Forbidden)
	done, err := f.mod.Act(ctx, f.moderator, []int64{c.ID}, moderation.ActionBan)
	if err != nil || done[0].Status != news.CommentSpam {
		t.Fatalf("ban: %v %v", done, err)
	}
	_, err = f.guest(f.post, "spammer@example.com", "again")
	wantCode(t, "a banned email", err, news.Forbidden)
	if !strings.Contains(news.ErrorMessage(err), "blocked this email address") {
		t.Fatalf("message %q does not say what was banned", news.ErrorMessage(err))
	}
	if _, err := f.mod.Act(ctx, f.moderator, []int64{c.ID}, moderation.ActionBanIP); err != nil {
		t.Fatal(err)
	}
	_, err = f.guest(f.post, "someone-else@example.com", "same IP")
	wantCode(t, "a banned IP", err, news.Forbidden)

	acc, err := f.comments.Post(ctx, f.reader, discussion.Input{PostID: f.post.ID, Body: "reader", IP: "198.51.100.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.mod.Act(ctx, f.admin, []int64{acc.ID}, moderation.ActionBan); err != nil {
		t.Fatal(err)
	}
	_, err = f.comments.Post(ctx, f.reader, discussion.Input{PostID: f.post.ID, Body: "again", IP: "198.51.100.2"})
	wantCode(t, "a banned account", err, news.Forbidden)
	bans, err := f.mod.Bans(ctx, f.moderator)
	if err != nil || len(bans) != 3 {
		t.Fatalf("bans = %v (%v), want 3", bans, err)
	}
	if err := f.mod.LiftBan(ctx, f.moderator, bans[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.comments.Post(ctx, f.reader, discussion.Input{PostID: f.post.ID, Body: "forgiven", IP: "198.51.100.2"}); err != nil {
		t.Fatalf("after lifting the account ban: %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	f := newFixture(t)
	f.settings(func(s *moderation.Settings) { s.CommentsPerMinute, s.CommentsPerMinuteIP = 2, 3 })
	ctx := context.Background()
	post := func(a *news.Account, ip, body string) error {
		_, err := f.comments.Post(ctx, a, discussion.Input{PostID: f.post.ID, Body: body, IP: ip})
		return err
	}
	for i := range 2 {
		if err := post(f.reader, "192.0.2.1", "ok "+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	err := post(f.reader, "192.0.2.2", "third from another IP")
	wantCode(t, "third comment of one writer in a minute", err, news.TooMany)
	wait, ok := news.RetryAfterOf(err)
	if !ok || wait != 30*time.Second {
		t.Fatalf("Retry-After = %v %v, want 30s (the clock is 30 s into the minute)", wait, ok)
	}
	if !strings.Contains(news.ErrorMessage(err), "wait 30 seconds") {
		t.Fatalf("message %q does not say how long to wait", news.ErrorMessage(err))
	}
	if err := post(f.moderator, "192.0.2.1", "another writer, same IP"); err != nil {
		t.Fatalf("third from the IP: %v", err)
	}
	err = post(f.admin, "192.0.2.1", "fourth from the IP")
	wantCode(t, "fourth comment from one IP", err, news.TooMany)

	f.clk.Add(time.Minute)
	if err := post(f.reader, "192.0.2.1", "next minute"); err != nil {
		t.Fatalf("next window: %v", err)
	}

	f.settings(func(s *moderation.Settings) { s.LikesPerMinute = 1 })
	c, _ := f.comments.Post(ctx, f.moderator, discussion.Input{PostID: f.post.ID, Body: "likeable", IP: "192.0.2.9"})
	if _, err := f.comments.LikeFrom(ctx, f.reader, news.Reader{AccountID: f.reader.ID}, "192.0.2.3", c.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = f.comments.LikeFrom(ctx, f.reader, news.Reader{AccountID: f.reader.ID}, "192.0.2.3", c.ID, false)
	wantCode(t, "second like action in a minute", err, news.TooMany)

	off := moderation.New(f.st, f.clk.Now, nil)
	off.NoRateLimits = true
	for range 5 {
		if err := off.Limit(ctx, moderation.ActComment, "192.0.2.1", "a:1"); err != nil {
			t.Fatalf("with limits off: %v", err)
		}
	}
}

func TestGuestForm(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok, err := f.mod.FormToken(ctx, f.post.ID)
	if err != nil {
		t.Fatal(err)
	}
	send := func(form *moderation.Form, email string) (*news.Comment, error) {
		return f.comments.Post(ctx, nil, discussion.Input{PostID: f.post.ID, Name: "G", Email: email, Body: "hello " + email, IP: "192.0.2.5", Form: form})
	}
	f.clk.Add(800 * time.Millisecond)
	c, err := send(&moderation.Form{Token: tok}, "fast@example.com")
	if err != nil || c.Status != news.CommentPending || c.Review.Reasons[0] != "form filled in 0.8 s" {
		t.Fatalf("fast form: %+v %v, want held with the fill time", c, err)
	}
	f.clk.Add(5 * time.Second)
	if c, err := send(&moderation.Form{Token: tok}, "slow@example.com"); err != nil || c.Status != news.CommentPublished {
		t.Fatalf("form after 5.8 s: %v %v, want published", c, err)
	}
	if c, err := send(&moderation.Form{Token: tok, Honeypot: "http://spam.example"}, "bot@example.com"); err != nil || c.Status != news.CommentSpam {
		t.Fatalf("honeypot: %v %v, want spam", c, err)
	}
	// Tampered: the last character changed (to "0", or to "1" when it is
	// "0" already, or the token would be unchanged one time in sixteen).
	last := "0"
	if strings.HasSuffix(tok, "0") {
		last = "1"
	}
	for name, bad := range map[string]string{"missing": "", "tampered": tok[:len(tok)-1] + last, "garbage": "x.y"} {
		_, err := send(&moderation.Form{Token: bad}, name+"@example.com")
		wantCode(t, name+" token", err, news.Invalid)
		if news.ErrorFields(err)["form"] == "" {
			t.Fatalf("%s token: no form field message", name)
		}
	}
	other, _ := f.mod.FormToken(ctx, f.otherPost.ID)
	_, err = send(&moderation.Form{Token: other}, "moved@example.com")
	wantCode(t, "a token of another post", err, news.Invalid)
	f.clk.Add(25 * time.Hour)
	_, err = send(&moderation.Form{Token: tok}, "late@example.com")
	wantCode(t, "a day-old token", err, news.Invalid)

	// A second instance over the same database shares the key and, after
	// a change on the first, the settings.
	second := moderation.New(f.st, f.clk.Now, nil)
	tok2, _ := second.FormToken(ctx, f.post.ID)
	f.clk.Add(10 * time.Second)
	if c, err := send(&moderation.Form{Token: tok2}, "cross@example.com"); err != nil || c.Status != news.CommentPublished {
		t.Fatalf("a token of another instance: %v %v", c, err)
	}
	secondComments := discussion.New(f.st, f.clk.Now).WithModeration(second)
	if c, err := secondComments.Post(ctx, f.reader, discussion.Input{PostID: f.post.ID, Body: "before"}); err != nil || c.Status != news.CommentPublished {
		t.Fatal(c, err)
	}
	f.settings(func(s *moderation.Settings) { s.HoldAll = true })
	if c, err := secondComments.Post(ctx, f.reader, discussion.Input{PostID: f.post.ID, Body: "after"}); err != nil || c.Status != news.CommentPending {
		t.Fatalf("the other instance after the change: %v %v, want held", c, err)
	}
}

func TestQueueAndOverrides(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	off := "Newspaper"
	if _, err := f.st.UpdateAccount(ctx, f.publisher.ID, news.AccountUpdate{Official: &off}); err != nil {
		t.Fatal(err)
	}
	over := moderation.Default()
	over.HoldAll = true
	err := f.mod.SaveSettings(ctx, f.admin, f.other.ID, over)
	wantCode(t, "override for a non-official account", err, news.Invalid)
	err = f.mod.SaveSettings(ctx, f.moderator, f.publisher.ID, over)
	wantCode(t, "a moderator changing settings", err, news.Forbidden)
	if err := f.mod.SaveSettings(ctx, f.admin, f.publisher.ID, over); err != nil {
		t.Fatal(err)
	}
	mine, _ := f.guest(f.post, "a@example.com", "on the official account's post")
	theirs, _ := f.guest(f.otherPost, "b@example.com", "on the other post")
	if mine.Status != news.CommentPending || theirs.Status != news.CommentPublished {
		t.Fatalf("override: %s on the official post, %s elsewhere; want pending, published", mine.Status, theirs.Status)
	}
	if c, _ := f.comments.Post(ctx, f.publisher, discussion.Input{PostID: f.post.ID, Body: "author"}); c.Status != news.CommentPublished {
		t.Fatalf("the post's author is held by their own settings: %s", c.Status)
	}
	held2, _ := f.comments.Post(ctx, nil, discussion.Input{PostID: f.otherPost.ID, Name: "N", Email: "c@example.com", Body: strings.Repeat("https://x.example ", 4)})
	if held2.Status != news.CommentPending {
		t.Fatalf("link-heavy comment: %s", held2.Status)
	}

	page, err := f.mod.Queue(ctx, f.publisher, news.QueuePending, "", 10)
	if err != nil || len(page.Comments) != 1 || page.Comments[0].ID != mine.ID {
		t.Fatalf("the author's queue: %v %v, want only the comment on their post", page.Comments, err)
	}
	page, err = f.mod.Queue(ctx, f.moderator, news.QueuePending, "", 1)
	if err != nil || len(page.Comments) != 1 || page.NextCursor == "" {
		t.Fatalf("moderator page 1: %v %v", page, err)
	}
	page2, err := f.mod.Queue(ctx, f.moderator, news.QueuePending, page.NextCursor, 1)
	if err != nil || len(page2.Comments) != 1 || page2.Comments[0].ID >= page.Comments[0].ID || page2.NextCursor != "" {
		t.Fatalf("moderator page 2: %v %v", page2, err)
	}
	_, err = f.mod.Queue(ctx, f.moderator, news.QueuePending, "bad cursor", 1)
	wantCode(t, "a bad cursor", err, news.Invalid)
	_, err = f.mod.Queue(ctx, f.reader, news.QueuePending, "", 10)
	wantCode(t, "a reader's queue", err, news.Forbidden)
	_, err = f.mod.Queue(ctx, nil, news.QueuePending, "", 10)
	wantCode(t, "a guest's queue", err, news.Unauthorized)

	// All or nothing: one comment not on the author's posts refuses the lot.
	_, err = f.mod.Act(ctx, f.publisher, []int64{mine.ID, held2.ID}, moderation.ActionApprove)
	wantCode(t, "author acting on another's post", err, news.Forbidden)
	if c, _ := f.st.CommentByID(ctx, mine.ID); c.Status != news.CommentPending {
		t.Fatal("a refused bulk action changed a comment")
	}
	_, err = f.mod.Act(ctx, f.moderator, nil, moderation.ActionApprove)
	wantCode(t, "no ids", err, news.Invalid)
	_, err = f.mod.Act(ctx, f.moderator, []int64{mine.ID}, "nuke")
	wantCode(t, "unknown action", err, news.Invalid)
	done, err := f.mod.Act(ctx, f.moderator, []int64{mine.ID, held2.ID, mine.ID}, moderation.ActionApprove)
	if err != nil || len(done) != 2 {
		t.Fatalf("bulk approve: %v %v", done, err)
	}
	for _, p := range []*news.Post{f.post, f.otherPost} {
		got, _ := f.st.PostByID(ctx, p.ID)
		if got.CommentsCount != 2 {
			t.Fatalf("post %d CommentsCount %d, want 2", p.ID, got.CommentsCount)
		}
	}

	if err := f.mod.RemoveOverride(ctx, f.admin, f.publisher.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.guest(f.post, "d@example.com", "after the override"); c.Status != news.CommentPublished {
		t.Fatalf("after removing the override: %s", c.Status)
	}
}

func TestReports(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, _ := f.guest(f.post, "a@example.com", "rude words")
	_, err := f.mod.Report(ctx, news.Reader{}, c.ID, "abuse", "")
	wantCode(t, "report without identity", err, news.Unauthorized)
	_, err = f.mod.Report(ctx, news.Reader{AccountID: f.reader.ID}, c.ID, "because", "")
	wantCode(t, "unknown reason", err, news.Invalid)
	_, err = f.mod.Report(ctx, news.Reader{AccountID: f.reader.ID}, c.ID, "abuse", strings.Repeat("x", 501))
	wantCode(t, "long note", err, news.Invalid)
	if added, err := f.mod.Report(ctx, news.Reader{AccountID: f.reader.ID}, c.ID, "abuse", "rude"); !added || err != nil {
		t.Fatal(added, err)
	}
	if added, err := f.mod.Report(ctx, news.Reader{AccountID: f.reader.ID}, c.ID, "spam", ""); added || err != nil {
		t.Fatalf("second report by the same reader: %v %v", added, err)
	}
	page, err := f.mod.Queue(ctx, f.moderator, news.QueueReported, "", 10)
	if err != nil || len(page.Comments) != 1 || page.Comments[0].Review.Reports != 1 {
		t.Fatalf("reported queue: %v %v", page.Comments, err)
	}
	if _, err := f.mod.Act(ctx, f.moderator, []int64{c.ID}, moderation.ActionTrash); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.st.PostByID(ctx, f.post.ID); p.CommentsCount != 0 {
		t.Fatalf("CommentsCount after trashing = %d", p.CommentsCount)
	}
}
