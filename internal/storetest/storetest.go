// Package storetest is the conformance suite every news.Store must pass.
// It uses only the news.Store interface, so the same tests pin the SQLite
// and the PostgreSQL stores to one behaviour.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// Run runs the suite. open must return a new, empty store for each call;
// Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) news.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st news.Store)
	}{
		{"AccountRoundTrip", testAccountRoundTrip},
		{"AccountHandleConflictIgnoresCase", testAccountHandleConflict},
		{"AccountUpdate", testAccountUpdate},
		{"CountAccounts", testCountAccounts},
		{"MissingRowsAreNotFound", testNotFound},
		{"SessionExpiryAndKind", testSessionExpiryAndKind},
		{"SessionDeleteAndConflict", testSessionDeleteAndConflict},
		{"PostRoundTrip", testPostRoundTrip},
		{"PostUpdate", testPostUpdate},
		{"PostSlugConflictPerAuthor", testPostSlugConflict},
		{"PostsCount", testPostsCount},
		{"PostDelete", testPostDelete},
		{"ScheduledVisibility", testScheduledVisibility},
		{"KeysetPagination", testKeysetPagination},
		{"TagFilter", testTagFilter},
		{"DraftsList", testDraftsList},
		{"ListPostsNeedsAuthorForDrafts", testListPostsNeedsAuthor},
		{"CommentRoundTrip", testCommentRoundTrip},
		{"CommentParentChecks", testCommentParentChecks},
		{"CommentCountersAndDepth", testCommentCounters},
		{"ListComments", testListComments},
		{"ListReplies", testListReplies},
		{"ListRepliesWideThread", testListRepliesWide},
		{"CommentLikesNotifyWriter", testCommentLikesNotifyWriter},
		{"BulkCommits", testBulkCommits},
		{"BulkRollsBack", testBulkRollsBack},
		{"FollowIdempotent", testFollowIdempotent},
		{"FollowConcurrent", testFollowConcurrent},
		{"FollowedSet", testFollowedSet},
		{"FollowLists", testFollowLists},
		{"FollowingTimeline", testTimeline},
		{"PostLikes", testPostLikes},
		{"PostLikesConcurrent", testPostLikesConcurrent},
		{"SharesAndViews", testSharesAndViews},
		{"CandidatesAndReaderTags", testCandidatesAndTags},
		{"FeedSnapshots", testSnapshots},
		{"NotificationPages", testNotificationPages},
		{"Fanout", testFanout},
		{"FanoutConcurrent", testFanoutConcurrent},
		{"ReplyNotifications", testReplies},
		{"ReaderState", testReaderState},
	}
	tests = append(tests, reactionTests...)
	tests = append(tests, moderationTests...)
	tests = append(tests, mediaTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, st)
		})
	}
}

// base is a fixed moment the tests publish around, with nanoseconds and a
// zone other than UTC, to show that stores keep microseconds in UTC.
var base = time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))

// stored is t as a store gives it back: UTC, truncated to the microsecond.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func ctx(t *testing.T) context.Context { return t.Context() }

func wantCode(t *testing.T, what string, err error, code news.Code) {
	t.Helper()
	if got := news.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (err %v), want %q", what, got, err, code)
	}
	if code != "" && code != news.Internal && news.ErrorMessage(err) == "" {
		t.Fatalf("%s: %q error without a message", what, code)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Fatalf("%s = %v, want %v in UTC", what, got, want)
	}
}

// wantRecent checks a time the store stamped itself.
func wantRecent(t *testing.T, what string, got, before time.Time) {
	t.Helper()
	if got.Location() != time.UTC || got.Before(before.Add(-time.Second)) || got.After(time.Now().Add(time.Second)) ||
		!got.Equal(got.Truncate(time.Microsecond)) {
		t.Fatalf("%s = %v, want a UTC time to the microsecond near now", what, got)
	}
}

func newAccount(t *testing.T, st news.Store, handle string) *news.Account {
	t.Helper()
	a := &news.Account{Handle: handle, Name: "Name of " + handle, Email: handle + "@example.com", Role: news.RolePublisher}
	must(t, "CreateAccount "+handle, st.CreateAccount(ctx(t), a, "hash-"+handle))
	return a
}

func testAccountRoundTrip(t *testing.T, st news.Store) {
	before := time.Now()
	a := &news.Account{
		Handle:   "renmin",
		Name:     "人民日报 · Народная газета",
		Email:    "desk@example.cn",
		Bio:      "新闻\nНовости — «главное» за день.",
		Role:     news.RoleAdmin,
		Official: "Newspaper",
	}
	must(t, "CreateAccount", st.CreateAccount(ctx(t), a, "$argon2id$v=19$hash"))
	if a.ID == 0 {
		t.Fatal("CreateAccount did not set ID")
	}
	wantRecent(t, "CreatedAt", a.CreatedAt, before)

	check := func(how string, got *news.Account) {
		t.Helper()
		g, want := *got, *a
		wantTime(t, how+" CreatedAt", g.CreatedAt, want.CreatedAt)
		g.CreatedAt, want.CreatedAt = time.Time{}, time.Time{}
		if g != want {
			t.Fatalf("%s:\n got %+v\nwant %+v", how, *got, want)
		}
	}
	got, err := st.AccountByID(ctx(t), a.ID)
	must(t, "AccountByID", err)
	check("AccountByID", got)
	got, err = st.AccountByHandle(ctx(t), "RenMin")
	must(t, "AccountByHandle", err)
	check("AccountByHandle in another case", got)
	hash, err := st.PasswordHash(ctx(t), a.ID)
	must(t, "PasswordHash", err)
	if hash != "$argon2id$v=19$hash" {
		t.Fatalf("PasswordHash = %q", hash)
	}

	// The store lower-cases nothing: the service normalizes handles.
	m := &news.Account{Handle: "MixedCase", Role: news.RoleReader}
	must(t, "CreateAccount MixedCase", st.CreateAccount(ctx(t), m, ""))
	got, err = st.AccountByHandle(ctx(t), "mixedcase")
	must(t, "AccountByHandle mixedcase", err)
	if got.Handle != "MixedCase" || got.ID != m.ID {
		t.Fatalf("AccountByHandle(mixedcase) = %q #%d, want MixedCase #%d", got.Handle, got.ID, m.ID)
	}
}

func testAccountHandleConflict(t *testing.T, st news.Store) {
	newAccount(t, st, "alice")
	for _, h := range []string{"alice", "ALICE", "Alice"} {
		err := st.CreateAccount(ctx(t), &news.Account{Handle: h, Role: news.RoleReader}, "")
		wantCode(t, "CreateAccount "+h, err, news.Conflict)
	}
	n, err := st.CountAccounts(ctx(t))
	must(t, "CountAccounts", err)
	if n != 1 {
		t.Fatalf("CountAccounts = %d after refused duplicates, want 1", n)
	}
	newAccount(t, st, "alicia") // a different handle is fine
}

func testAccountUpdate(t *testing.T, st news.Store) {
	a := newAccount(t, st, "bob")
	name, role := "Боб 鲍勃", news.RoleModerator
	got, err := st.UpdateAccount(ctx(t), a.ID, news.AccountUpdate{Name: &name, Role: &role})
	must(t, "UpdateAccount", err)
	if got.Name != name || got.Role != role || got.Bio != a.Bio || got.Official != a.Official ||
		got.Email != a.Email || got.Handle != a.Handle || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("UpdateAccount(name, role) = %+v", got)
	}
	bio, official := "Пишу о погоде.", "Embassy"
	_, err = st.UpdateAccount(ctx(t), a.ID, news.AccountUpdate{Bio: &bio, Official: &official})
	must(t, "UpdateAccount", err)
	got, err = st.AccountByID(ctx(t), a.ID)
	must(t, "AccountByID", err)
	if got.Name != name || got.Role != role || got.Bio != bio || got.Official != official {
		t.Fatalf("after two updates: %+v", got)
	}
	empty := ""
	got, err = st.UpdateAccount(ctx(t), a.ID, news.AccountUpdate{Official: &empty})
	must(t, "UpdateAccount clearing official", err)
	if got.Official != "" || got.Bio != bio {
		t.Fatalf("clearing Official: %+v", got)
	}
	got, err = st.UpdateAccount(ctx(t), a.ID, news.AccountUpdate{})
	must(t, "UpdateAccount with nothing", err)
	if got.ID != a.ID || got.Name != name {
		t.Fatalf("UpdateAccount with nothing = %+v", got)
	}
}

func testCountAccounts(t *testing.T, st news.Store) {
	for i := range 3 {
		n, err := st.CountAccounts(ctx(t))
		must(t, "CountAccounts", err)
		if n != int64(i) {
			t.Fatalf("CountAccounts = %d, want %d", n, i)
		}
		newAccount(t, st, fmt.Sprintf("user%d", i))
	}
}

func testNotFound(t *testing.T, st news.Store) {
	a := newAccount(t, st, "carol")
	p := newPost(t, st, a, "hello", news.PostPublished, base, nil)
	const missing = 987654
	_, err := st.AccountByID(ctx(t), missing)
	wantCode(t, "AccountByID", err, news.NotFound)
	_, err = st.AccountByHandle(ctx(t), "nobody")
	wantCode(t, "AccountByHandle", err, news.NotFound)
	_, err = st.PasswordHash(ctx(t), missing)
	wantCode(t, "PasswordHash", err, news.NotFound)
	name := "x"
	_, err = st.UpdateAccount(ctx(t), missing, news.AccountUpdate{Name: &name})
	wantCode(t, "UpdateAccount", err, news.NotFound)
	_, err = st.UpdateAccount(ctx(t), missing, news.AccountUpdate{})
	wantCode(t, "UpdateAccount with nothing", err, news.NotFound)
	_, err = st.SessionAccount(ctx(t), "no-such-hash", news.KindSession, base)
	wantCode(t, "SessionAccount", err, news.NotFound)
	_, err = st.PostByID(ctx(t), missing)
	wantCode(t, "PostByID", err, news.NotFound)
	_, err = st.PostBySlug(ctx(t), a.ID, "no-such-slug")
	wantCode(t, "PostBySlug", err, news.NotFound)
	_, err = st.PostBySlug(ctx(t), missing, p.Slug)
	wantCode(t, "PostBySlug of another author", err, news.NotFound)
	err = st.UpdatePost(ctx(t), &news.Post{ID: missing, AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostDraft})
	wantCode(t, "UpdatePost", err, news.NotFound)
	_, err = st.CommentByID(ctx(t), missing)
	wantCode(t, "CommentByID", err, news.NotFound)
	// Writes that point at a missing account.
	err = st.CreatePost(ctx(t), &news.Post{AuthorID: missing, Kind: "article", Title: "t", Slug: "t", Status: news.PostDraft})
	wantCode(t, "CreatePost by a missing author", err, news.NotFound)
	err = st.CreateSession(ctx(t), news.Session{TokenHash: "h", AccountID: missing, Kind: news.KindSession})
	wantCode(t, "CreateSession for a missing account", err, news.NotFound)
}

func testSessionExpiryAndKind(t *testing.T, st news.Store) {
	a := newAccount(t, st, "dave")
	exp := base.Add(24 * time.Hour)
	must(t, "CreateSession", st.CreateSession(ctx(t), news.Session{
		TokenHash: "sess-hash", AccountID: a.ID, Kind: news.KindSession, CreatedAt: base, ExpiresAt: exp}))
	must(t, "CreateSession api", st.CreateSession(ctx(t), news.Session{
		TokenHash: "api-hash", AccountID: a.ID, Kind: news.KindAPIToken, Name: "Телеграм-бот 机器人", CreatedAt: base}))

	for _, tc := range []struct {
		hash, kind string
		now        time.Time
		want       news.Code
	}{
		{"sess-hash", news.KindSession, base, ""},
		{"sess-hash", news.KindSession, exp.Add(-time.Microsecond), ""},
		{"sess-hash", news.KindSession, exp, news.NotFound}, // valid strictly before ExpiresAt
		{"sess-hash", news.KindSession, exp.Add(time.Hour), news.NotFound},
		{"sess-hash", news.KindAPIToken, base, news.NotFound}, // right hash, wrong kind
		{"api-hash", news.KindAPIToken, base.AddDate(50, 0, 0), ""},
		{"api-hash", news.KindSession, base, news.NotFound},
	} {
		got, err := st.SessionAccount(ctx(t), tc.hash, tc.kind, tc.now)
		what := fmt.Sprintf("SessionAccount(%s, %s, %v)", tc.hash, tc.kind, tc.now)
		wantCode(t, what, err, tc.want)
		if tc.want == "" && (got == nil || got.ID != a.ID || got.Handle != "dave" || got.Email != a.Email) {
			t.Fatalf("%s = %+v, want account %d", what, got, a.ID)
		}
	}
}

func testSessionDeleteAndConflict(t *testing.T, st news.Store) {
	a := newAccount(t, st, "erin")
	s := news.Session{TokenHash: "h1", AccountID: a.ID, Kind: news.KindSession}
	must(t, "CreateSession", st.CreateSession(ctx(t), s))
	wantCode(t, "CreateSession with a used hash", st.CreateSession(ctx(t), s), news.Conflict)
	must(t, "CreateSession h2", st.CreateSession(ctx(t), news.Session{TokenHash: "h2", AccountID: a.ID, Kind: news.KindSession}))

	must(t, "DeleteSession", st.DeleteSession(ctx(t), "h1"))
	_, err := st.SessionAccount(ctx(t), "h1", news.KindSession, base)
	wantCode(t, "SessionAccount after delete", err, news.NotFound)
	_, err = st.SessionAccount(ctx(t), "h2", news.KindSession, base)
	wantCode(t, "SessionAccount of the other session", err, "")
	// Signing out twice is harmless.
	must(t, "DeleteSession again", st.DeleteSession(ctx(t), "h1"))
}
