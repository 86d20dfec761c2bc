package ranking

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

type site struct {
	t   *testing.T
	st  *sqlite.Store
	now time.Time
}

func openSite(t *testing.T, path string) *site {
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &site{t: t, st: st, now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
}

func (s *site) account(handle string) *news.Account {
	a := &news.Account{Handle: handle, Name: "Name of " + handle, Role: news.RolePublisher}
	if err := s.st.CreateAccount(s.t.Context(), a, ""); err != nil {
		s.t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "by " + handle, Slug: "by-" + handle, BodyHTML: "<p>x</p>",
		Status: news.PostPublished, PublishedAt: s.now.Add(-time.Hour)}
	if err := s.st.CreatePost(s.t.Context(), p); err != nil {
		s.t.Fatal(err)
	}
	return a
}

// viewer reads the account row, as every request does.
func (s *site) viewer(id int64) *news.Account {
	a, err := s.st.AccountByID(s.t.Context(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

func (s *site) follow(who, whom *news.Account, on bool) {
	var err error
	if on {
		_, err = s.st.Follow(s.t.Context(), who.ID, whom.ID)
	} else {
		_, err = s.st.Unfollow(s.t.Context(), who.ID, whom.ID)
	}
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s *site) service() *Service {
	svc := New(s.st, func() time.Time { return s.now })
	svc.O.Reuse, svc.O.CacheFor = -time.Hour, 0 // rank anew every time
	return svc
}

// followedAuthors ranks the reader's first page and returns whose posts
// it says the reader follows.
func followedAuthors(t *testing.T, svc *Service, viewer *news.Account) map[string]bool {
	page, err := svc.Headlines(t.Context(), viewer, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, it := range page.Items {
		if it.Reason == "You follow "+it.Post.Author.Name {
			out[it.Post.Author.Handle] = true
		}
	}
	return out
}

// Two instances on one database: a reader's follow and unfollow on one
// are seen at once by the other, which holds the reader's followed set in
// memory. The swap keeps FollowingCount the same, so only the version
// tells the set is old.
func TestFollowedSetSeenAcrossInstances(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headline.db")
	one, two := openSite(t, path), openSite(t, path)
	reader, a, b := one.account("reader"), one.account("a"), one.account("b")
	one.follow(reader, a, true)
	svc := two.service()
	if got := followedAuthors(t, svc, two.viewer(reader.ID)); !got["a"] || got["b"] {
		t.Fatalf("following a: the page says the reader follows %v", got)
	}
	one.follow(reader, a, false)
	one.follow(reader, b, true)
	if got := followedAuthors(t, svc, two.viewer(reader.ID)); got["a"] || !got["b"] {
		t.Fatalf("after swapping a for b on the other instance: the page says the reader follows %v", got)
	}
	one.follow(reader, b, false)
	if got := followedAuthors(t, svc, two.viewer(reader.ID)); len(got) != 0 {
		t.Fatalf("after unfollowing everyone: the page says the reader follows %v", got)
	}
}

// The followed sets held stay within FollowIDs ids, the least recently
// used going first, and a set bigger than that alone is not kept.
func TestFollowedCacheBounded(t *testing.T) {
	s := openSite(t, filepath.Join(t.TempDir(), "headline.db"))
	var writers, readers []*news.Account
	for i := range 8 {
		writers = append(writers, s.account(fmt.Sprintf("w%d", i)))
	}
	for i := range 6 {
		r := s.account(fmt.Sprintf("r%d", i))
		for j := range 3 {
			s.follow(r, writers[(i+j)%len(writers)], true)
		}
		readers = append(readers, r)
	}
	svc := s.service()
	svc.O.FollowIDs = 7 // two sets of three
	for i, r := range readers {
		if got := followedAuthors(t, svc, s.viewer(r.ID)); len(got) != 3 {
			t.Fatalf("reader %d: follows %v on the page, want 3 authors", i, got)
		}
		if sets, ids := svc.follows.size(); ids > 7 || sets != min(i+1, 2) {
			t.Fatalf("after %d readers: %d sets, %d ids held; want at most 7 ids in 2 sets", i+1, sets, ids)
		}
	}
	svc.follows.mu.Lock()
	_, old := svc.follows.byAcct[readers[3].ID]
	_, last := svc.follows.byAcct[readers[5].ID]
	svc.follows.mu.Unlock()
	if old || !last {
		t.Fatalf("held: reader 3 %v, reader 5 %v; want only the most recent", old, last)
	}
	big := s.account("big")
	for _, w := range writers {
		s.follow(big, w, true)
	}
	if got := followedAuthors(t, svc, s.viewer(big.ID)); len(got) != len(writers) {
		t.Fatalf("a reader following %d: follows %v on the page", len(writers), got)
	}
	if _, ids := svc.follows.size(); ids > 7 {
		t.Fatalf("a set of %d made the cache hold %d ids", len(writers), ids)
	}
}

// An expired candidate list is served while one background read replaces
// it; past staleFor × CacheFor it is read before answering.
func TestCandidateCacheRefreshesBehind(t *testing.T) {
	s := openSite(t, filepath.Join(t.TempDir(), "headline.db"))
	a := s.account("a") // one post, an hour before s.now
	publish := func(at time.Time) {
		p := &news.Post{AuthorID: a.ID, Title: at.String(), Slug: fmt.Sprint(at.Unix()), BodyHTML: "<p>x</p>",
			Status: news.PostPublished, PublishedAt: at}
		if err := s.st.CreatePost(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	var c candidateCache
	ttl := 15 * time.Second
	get := func(now time.Time) int {
		cands, err := c.get(t.Context(), s.st, now, 72*time.Hour, ttl, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(cands)
	}
	if n := get(s.now); n != 1 {
		t.Fatalf("first read: %d candidates, want 1", n)
	}
	publish(s.now.Add(time.Second))
	later := s.now.Add(ttl + 2*time.Second)
	if n := get(later); n != 1 {
		t.Fatalf("expired list: %d candidates, want the kept 1 while it is read again", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for get(later) != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the background read never replaced the expired list")
		}
		time.Sleep(10 * time.Millisecond)
	}
	publish(later.Add(time.Second))
	if n := get(later.Add(staleFor * ttl)); n != 3 {
		t.Fatalf("a list staleFor × CacheFor old: %d candidates, want 3 read before answering", n)
	}
}
