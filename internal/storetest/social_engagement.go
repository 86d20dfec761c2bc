package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

func stats(t *testing.T, st news.Store, id int64) news.PostStats {
	t.Helper()
	m, err := st.PostStats(ctx(t), []int64{id})
	must(t, "PostStats", err)
	return m[id]
}

func testPostLikes(t *testing.T, st news.Store) {
	author, fan := newAccount(t, st, "writer"), newAccount(t, st, "liker")
	p := newPost(t, st, author, "liked", news.PostPublished, base, nil)
	acct, guest := news.Reader{AccountID: fan.ID}, news.Reader{GuestID: "guest-abc"}
	for i, r := range []news.Reader{acct, acct, guest} {
		changed, err := st.LikePost(ctx(t), p.ID, r)
		must(t, "LikePost", err)
		if changed != (i != 1) {
			t.Fatalf("like %d changed = %v", i, changed)
		}
	}
	if got := stats(t, st, p.ID).Likes; got != 2 {
		t.Fatalf("likes = %d, want 2", got)
	}
	got, err := st.PostByID(ctx(t), p.ID)
	must(t, "PostByID", err)
	if got.LikesCount != 2 {
		t.Fatalf("Post.LikesCount = %d, want 2", got.LikesCount)
	}
	liked, err := st.LikedPosts(ctx(t), acct, []int64{p.ID, 987654})
	must(t, "LikedPosts", err)
	if !liked[p.ID] || len(liked) != 1 {
		t.Fatalf("LikedPosts = %v", liked)
	}
	// The author's own like counts but does not notify them.
	_, err = st.LikePost(ctx(t), p.ID, news.Reader{AccountID: author.ID})
	must(t, "LikePost by the author", err)
	notes, err := st.ListNotifications(ctx(t), author.ID, 0, 10)
	must(t, "ListNotifications", err)
	if len(notes) != 1 || notes[0].Kind != news.NotifyPostLikes || notes[0].Count != 2 || notes[0].PostID != p.ID ||
		notes[0].PostTitle != p.Title || notes[0].PostPath == "" {
		t.Fatalf("author's notifications = %+v, want one grouped like ×2", notes)
	}
	changed, err := st.UnlikePost(ctx(t), p.ID, guest)
	must(t, "UnlikePost", err)
	again, err := st.UnlikePost(ctx(t), p.ID, guest)
	must(t, "UnlikePost again", err)
	if !changed || again {
		t.Fatalf("UnlikePost changed %v then %v, want true then false", changed, again)
	}
	if got := stats(t, st, p.ID).Likes; got != 2 {
		t.Fatalf("likes after unlike = %d, want 2", got)
	}
	_, err = st.LikePost(ctx(t), 987654, acct)
	wantCode(t, "LikePost of a missing post", err, news.NotFound)
	_, err = st.UnlikePost(ctx(t), 987654, acct)
	wantCode(t, "UnlikePost of a missing post", err, news.NotFound)
	_, err = st.LikePost(ctx(t), p.ID, news.Reader{})
	wantCode(t, "LikePost by nobody", err, news.Invalid)
}

func testPostLikesConcurrent(t *testing.T, st news.Store) {
	author := newAccount(t, st, "busy")
	p := newPost(t, st, author, "hot", news.PostPublished, base, nil)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := news.Reader{GuestID: fmt.Sprintf("g%d", i%10)}
			if _, err := st.LikePost(ctx(t), p.ID, r); err != nil {
				t.Errorf("LikePost: %v", err)
			}
		}()
	}
	wg.Wait()
	if got := stats(t, st, p.ID).Likes; got != 10 {
		t.Fatalf("likes = %d, want 10 (ten readers, each twice)", got)
	}
	notes, err := st.ListNotifications(ctx(t), author.ID, 0, 10)
	must(t, "ListNotifications", err)
	if len(notes) != 1 || notes[0].Count != 10 {
		t.Fatalf("grouped notification = %+v, want one with count 10", notes)
	}
}

func testSharesAndViews(t *testing.T, st news.Store) {
	a := newAccount(t, st, "sharer")
	p := newPost(t, st, a, "viral", news.PostPublished, base, nil)
	q := newPost(t, st, a, "quiet", news.PostPublished, base, nil)
	for i := int64(1); i <= 3; i++ {
		n, err := st.AddShare(ctx(t), p.ID)
		must(t, "AddShare", err)
		if n != i {
			t.Fatalf("AddShare = %d, want %d", n, i)
		}
	}
	_, err := st.AddShare(ctx(t), 987654)
	wantCode(t, "AddShare of a missing post", err, news.NotFound)
	n, err := st.RecordViews(ctx(t), []news.ViewMark{
		{PostID: p.ID, ReaderKey: "a:1"}, {PostID: p.ID, ReaderKey: "g:x"}, {PostID: p.ID, ReaderKey: "a:1"}, {PostID: q.ID, ReaderKey: "a:1"}, {PostID: 987654, ReaderKey: "a:1"},
	})
	must(t, "RecordViews", err)
	n2, err := st.RecordViews(ctx(t), []news.ViewMark{{PostID: p.ID, ReaderKey: "g:x"}, {PostID: p.ID, ReaderKey: "g:y"}})
	must(t, "RecordViews again", err)
	if n != 3 || n2 != 1 {
		t.Fatalf("RecordViews counted %d then %d, want 3 then 1", n, n2)
	}
	if got := stats(t, st, p.ID); got.Views != 3 || got.Shares != 3 {
		t.Fatalf("stats = %+v, want 3 views and 3 shares", got)
	}
}

func testCandidatesAndTags(t *testing.T, st news.Store) {
	a := newAccount(t, st, "desk")
	old := newPost(t, st, a, "old", news.PostPublished, base.Add(-48*time.Hour), []string{"health"})
	p1 := newPost(t, st, a, "one", news.PostPublished, base.Add(-time.Hour), []string{"health"})
	p2 := newPost(t, st, a, "two", news.PostPublished, base.Add(-2*time.Hour), []string{"sport"})
	newPost(t, st, a, "future", news.PostPublished, base.Add(time.Hour), []string{"health"})
	got, err := st.Candidates(ctx(t), base.Add(-24*time.Hour), base, "", 10)
	must(t, "Candidates", err)
	if len(got) != 2 || got[0].Post.ID != p1.ID || got[1].Post.ID != p2.ID || got[0].Post.Author == nil {
		t.Fatalf("Candidates = %+v, want posts %d, %d", got, p1.ID, p2.ID)
	}
	got, err = st.Candidates(ctx(t), base.Add(-72*time.Hour), base, "health", 10)
	must(t, "Candidates by tag", err)
	if len(got) != 2 || got[0].Post.ID != p1.ID || got[1].Post.ID != old.ID || len(got[0].Post.Tags) != 1 {
		t.Fatalf("Candidates(health) = %+v", got)
	}
	r := news.Reader{AccountID: a.ID}
	_, err = st.LikePost(ctx(t), p1.ID, r)
	must(t, "LikePost", err)
	_, err = st.RecordViews(ctx(t), []news.ViewMark{{PostID: p2.ID, ReaderKey: r.Key()}, {PostID: p1.ID, ReaderKey: r.Key()}})
	must(t, "RecordViews", err)
	tags, err := st.ReaderTags(ctx(t), r, 50)
	must(t, "ReaderTags", err)
	if tags["health"] != 3 || tags["sport"] != 1 {
		t.Fatalf("ReaderTags = %v, want health 3, sport 1", tags)
	}
}

func testSnapshots(t *testing.T, st news.Store) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	old := news.FeedSnapshot{ID: 11, AccountID: 5, CreatedAt: now.Add(-2 * time.Hour), Data: "old"}
	must(t, "SaveSnapshot old", st.SaveSnapshot(ctx(t), old, now.Add(-3*time.Hour)))
	fresh := news.FeedSnapshot{ID: 12, AccountID: 5, CreatedAt: now, Data: "1,2,3"}
	must(t, "SaveSnapshot", st.SaveSnapshot(ctx(t), fresh, now.Add(-time.Hour)))
	got, err := st.Snapshot(ctx(t), 12)
	must(t, "Snapshot", err)
	if got.Data != "1,2,3" || got.AccountID != 5 || !got.CreatedAt.Equal(now) {
		t.Fatalf("Snapshot = %+v", got)
	}
	_, err = st.Snapshot(ctx(t), 11)
	wantCode(t, "expired snapshot", err, news.NotFound)
	latest, err := st.LatestSnapshot(ctx(t), 5, now.Add(-time.Minute))
	must(t, "LatestSnapshot", err)
	if latest.ID != 12 {
		t.Fatalf("LatestSnapshot = %d", latest.ID)
	}
	_, err = st.LatestSnapshot(ctx(t), 6, now.Add(-time.Minute))
	wantCode(t, "LatestSnapshot of another account", err, news.NotFound)
	wantCode(t, "SaveSnapshot with a used id", st.SaveSnapshot(ctx(t), fresh, now.Add(-time.Hour)), news.Conflict)
}
