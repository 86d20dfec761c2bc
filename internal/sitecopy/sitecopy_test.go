package sitecopy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres"
	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/sqlite"
)

// site is what fillSite wrote, to compare through the news.Store contract.
type site struct {
	dir      string
	accounts []int64
	posts    []int64
	comments []int64
	sessions []news.Session
	media    []int64
}

var t0 = time.Date(2024, 5, 1, 8, 0, 0, 123456789, time.UTC)

// fillSite writes a small site through the SQLite store: accounts with
// password hashes, sessions, published, scheduled and draft posts with
// tags, and threads of comments in every status.
func fillSite(t *testing.T) *site {
	t.Helper()
	s := &site{dir: t.TempDir()}
	st, err := sqlite.Open(t.Context(), filepath.Join(s.dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, step := range []func(*testing.T, *sqlite.Store) error{s.fillAccounts, s.fillPosts, s.fillComments, s.fillSocial, s.fillModeration, s.fillMedia} {
		if err := step(t, st); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *site) fillAccounts(t *testing.T, st *sqlite.Store) error {
	for i, h := range []string{"renmin", "tass", "reader1", "reader2", "mod"} {
		a := &news.Account{Handle: h, Name: "Имя 名字 " + h, Email: h + "@example.org", Role: news.RolePublisher, Bio: "bio\nline"}
		if i == 0 {
			a.Official = "Newspaper"
		}
		if err := st.CreateAccount(t.Context(), a, "$argon2id$v=19$m=65536,t=1,p=2$"+h); err != nil {
			return err
		}
		s.accounts = append(s.accounts, a.ID)
	}
	for _, sess := range []news.Session{
		{TokenHash: "b-session", AccountID: s.accounts[2], Kind: news.KindSession, ExpiresAt: time.Now().Add(24 * time.Hour)},
		{TokenHash: "a-api", AccountID: s.accounts[0], Kind: news.KindAPIToken, Name: "бот 机器人"},
		{TokenHash: "c-session", AccountID: s.accounts[3], Kind: news.KindSession, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
	} {
		if err := st.CreateSession(t.Context(), sess); err != nil {
			return err
		}
		s.sessions = append(s.sessions, sess)
	}
	return nil
}

func (s *site) fillPosts(t *testing.T, st *sqlite.Store) error {
	for i := range 9 {
		p := &news.Post{AuthorID: s.accounts[i%2], Title: fmt.Sprintf("Заголовок %d 标题", i), Slug: fmt.Sprintf("post-%d", i),
			BodyMarkdown: "**b**", BodyHTML: "<p><strong>b</strong></p>", Lang: "ru", Tags: []string{"новости", fmt.Sprintf("t%d", i%3), "新闻"},
			Status: news.PostPublished, PublishedAt: t0.Add(time.Duration(i) * time.Minute)}
		switch i {
		case 7:
			p.Status, p.PublishedAt = news.PostDraft, time.Time{}
		case 8:
			p.PublishedAt = time.Now().AddDate(1, 0, 0) // scheduled
		}
		if err := st.CreatePost(t.Context(), p); err != nil {
			return err
		}
		s.posts = append(s.posts, p.ID)
	}
	// An update rewrites the tags and unpublishes: the counters move.
	p, err := st.PostByID(t.Context(), s.posts[3])
	if err != nil {
		return err
	}
	p.Tags, p.Status, p.PublishedAt = []string{"updated"}, news.PostDraft, time.Time{}
	return st.UpdatePost(t.Context(), p)
}

func (s *site) fillComments(t *testing.T, st *sqlite.Store) error {
	var err error
	comment := func(post int64, parent int64, account int64, status news.CommentStatus, body string) int64 {
		c := &news.Comment{PostID: post, ParentID: parent, AccountID: account, AuthorName: "Гость", Email: "guest@example.com",
			Body: body, BodyHTML: "<p>" + body + "</p>", Status: status, IP: "2001:db8::1", UserAgent: "test"}
		if e := st.CreateComment(t.Context(), c); e != nil && err == nil {
			err = e
		}
		s.comments = append(s.comments, c.ID)
		return c.ID
	}
	for _, post := range s.posts[:3] {
		for r := range 3 {
			root := comment(post, 0, 0, news.CommentPublished, fmt.Sprintf("root %d", r))
			a := comment(post, root, s.accounts[2], news.CommentPublished, "reply a")
			comment(post, root, 0, news.CommentPending, "pending")
			comment(post, a, s.accounts[3], news.CommentPublished, "reply to a")
			comment(post, root, 0, news.CommentPublished, "reply b")
			comment(post, 0, 0, news.CommentSpam, "spam")
		}
	}
	return err
}

// copySite copies s into url, with opts changed by tweak.
func copySite(ctx context.Context, s *site, url string, tweak func(*Options)) (*Result, error) {
	o := Options{From: s.dir, To: url}
	if tweak != nil {
		tweak(&o)
	}
	return Copy(ctx, o)
}

func openStores(t *testing.T, s *site, url string) (src *sqlite.Store, dst *postgres.Store) {
	t.Helper()
	src, err := sqlite.Open(t.Context(), filepath.Join(s.dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	dst, err = postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	return src, dst
}

// same calls read on both stores and wants equal results.
func same[T any](t *testing.T, what string, src, dst news.Store, read func(news.Store) (T, error)) {
	t.Helper()
	want, err1 := read(src)
	got, err2 := read(dst)
	if news.ErrorCode(err1) != news.ErrorCode(err2) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s after the copy:\n got %+v (%v)\nwant %+v (%v)", what, got, err2, want, err1)
	}
}

// compare reads everything of s through both stores.
func compare(t *testing.T, s *site, url string) {
	t.Helper()
	src, dst := openStores(t, s, url)
	ctx := t.Context()
	compareMedia(t, s, src, dst)
	for _, id := range s.accounts {
		same(t, "AccountByID", src, dst, func(st news.Store) (*news.Account, error) { return st.AccountByID(ctx, id) })
		same(t, "PasswordHash", src, dst, func(st news.Store) (string, error) { return st.PasswordHash(ctx, id) })
	}
	for _, sess := range s.sessions {
		for _, at := range []time.Time{t0, time.Now()} {
			same(t, "SessionAccount "+sess.TokenHash, src, dst, func(st news.Store) (*news.Account, error) {
				return st.SessionAccount(ctx, sess.TokenHash, sess.Kind, at)
			})
		}
	}
	for _, id := range s.posts {
		same(t, "PostByID", src, dst, func(st news.Store) (*news.Post, error) { return st.PostByID(ctx, id) })
		same(t, "ListComments", src, dst, func(st news.Store) ([]*news.Comment, error) {
			return st.ListComments(ctx, news.CommentFilter{PostID: id, Limit: 200})
		})
		same(t, "ListReplies", src, dst, func(st news.Store) ([]*news.Comment, error) {
			return st.ListReplies(ctx, id, s.comments, 1000)
		})
	}
	for _, id := range s.comments {
		same(t, "CommentByID", src, dst, func(st news.Store) (*news.Comment, error) { return st.CommentByID(ctx, id) })
	}
	for _, f := range []news.PostFilter{{Limit: 100}, {Tag: "新闻", Limit: 100}, {Tag: "updated", Limit: 100},
		{AuthorID: s.accounts[0], Drafts: true}, {AuthorID: s.accounts[0], Scheduled: true}} {
		same(t, fmt.Sprintf("ListPosts %+v", f), src, dst, func(st news.Store) ([]*news.Post, error) { return st.ListPosts(ctx, f) })
	}
}

func TestCopyKeepsEverything(t *testing.T) {
	s := fillSite(t)
	url := pgtest.Schema(t)
	var progress bytes.Buffer
	res, err := copySite(t.Context(), s, url, func(o *Options) { o.Progress = &progress; o.Batch = 4 })
	if err != nil {
		t.Fatalf("Copy: %v", err)
	}
	for _, tb := range res.Tables {
		if tb.Source == 0 || tb.Source != tb.Target || tb.Copied != tb.Source {
			t.Errorf("table %+v: want every source row copied", tb)
		}
	}
	if !strings.Contains(progress.String(), "comments") || strings.Contains(progress.String(), "\r") {
		t.Errorf("plain progress report:\n%s", progress.String())
	}
	compare(t, s, url)

	// New rows in PostgreSQL take ids after the copied ones and fit in.
	_, dst := openStores(t, s, url)
	a := &news.Account{Handle: "newcomer", Role: news.RoleReader}
	if err := dst.CreateAccount(t.Context(), a, ""); err != nil || a.ID != s.accounts[len(s.accounts)-1]+1 {
		t.Fatalf("CreateAccount after the copy: id %d, %v", a.ID, err)
	}
	root := s.comments[0]
	c := &news.Comment{PostID: s.posts[0], ParentID: root, Body: "late", Status: news.CommentPublished}
	if err := dst.CreateComment(t.Context(), c); err != nil || c.ID <= s.comments[len(s.comments)-1] {
		t.Fatalf("CreateComment after the copy: id %d, %v", c.ID, err)
	}
	replies, err := dst.ListReplies(t.Context(), s.posts[0], []int64{root}, 100)
	if err != nil || replies[len(replies)-1].ID != c.ID {
		t.Fatalf("the new reply is not last in its thread: %v", err)
	}
}

func TestCopyTwiceCopiesNothingNew(t *testing.T) {
	s := fillSite(t)
	url := pgtest.Schema(t)
	if _, err := copySite(t.Context(), s, url, nil); err != nil {
		t.Fatalf("first Copy: %v", err)
	}
	var progress bytes.Buffer
	res, err := copySite(t.Context(), s, url, func(o *Options) { o.Progress, o.Live = &progress, true })
	if err != nil {
		t.Fatalf("second Copy: %v", err)
	}
	for _, tb := range res.Tables {
		if tb.Copied != 0 || tb.Source != tb.Target {
			t.Errorf("second run, table %+v: want nothing copied", tb)
		}
	}
	if !strings.Contains(progress.String(), "\r") {
		t.Errorf("live progress report has no \\r: %q", progress.String())
	}
	compare(t, s, url)
}

// TestCopyResumesAfterInterruption stops copies part way, in the first
// table and in the last, and checks that running again finishes the copy.
func TestCopyResumesAfterInterruption(t *testing.T) {
	s := fillSite(t)
	url := pgtest.Schema(t)
	for _, stop := range []struct {
		table string
		after int
	}{{"accounts", 1}, {"comments", 3}} {
		ctx, cancel := context.WithCancel(t.Context())
		batches := 0
		_, err := copySite(ctx, s, url, func(o *Options) {
			o.Batch = 2
			o.afterBatch = func(table string) {
				if table == stop.table {
					if batches++; batches == stop.after {
						cancel()
					}
				}
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted in %s: Copy returned %v, want context.Canceled", stop.table, err)
		}
	}
	res, err := copySite(t.Context(), s, url, func(o *Options) { o.Batch = 2 })
	if err != nil {
		t.Fatalf("Copy after the interruptions: %v", err)
	}
	if tb := tableNamed(res, "comments"); tb.Copied == 0 || tb.Copied == tb.Source {
		t.Errorf("comments: copied %d of %d on resuming; want only the rest", tb.Copied, tb.Source)
	}
	compare(t, s, url)
}

func TestCopyRefusesAnotherSite(t *testing.T) {
	s := fillSite(t)
	url := pgtest.Schema(t)
	st, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	err = st.CreateAccount(t.Context(), &news.Account{Handle: "intruder", Role: news.RoleReader}, "")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = copySite(t.Context(), s, url, nil)
	if !errors.Is(err, errNotThisSite) || !strings.Contains(err.Error(), "@intruder") || !strings.Contains(err.Error(), "@renmin") {
		t.Fatalf("Copy into another site's database: %v", err)
	}
}

func TestCopyNeedsASite(t *testing.T) {
	_, err := Copy(t.Context(), Options{From: t.TempDir(), To: "postgres://127.0.0.1:1/x"})
	if err == nil || !strings.Contains(err.Error(), "no Headline database") {
		t.Fatalf("Copy from an empty folder: %v", err)
	}
}

// TestCopyReportsMismatch changes a counter in the target after a copy:
// the next run must fail its check and say where.
func TestCopyReportsMismatch(t *testing.T) {
	s := fillSite(t)
	url := pgtest.Schema(t)
	if _, err := copySite(t.Context(), s, url, nil); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(t.Context(), `UPDATE posts SET comments_count = comments_count + 1 WHERE id = $1`, s.posts[0]); err != nil {
		t.Fatal(err)
	}
	_, err = copySite(t.Context(), s, url, nil)
	if err == nil || !strings.Contains(err.Error(), "posts.comments_count") {
		t.Fatalf("Copy over a changed target: %v; want a mismatch of posts.comments_count", err)
	}
}
