package ranking_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/ranking"
	"github.com/headline/headline/internal/sqlite"
)

// A reader's ranking scores the shared candidates plus the newest posts of
// the accounts they follow, Followed in all: those among the candidates
// count, and only the rest are read, older than every candidate. On a real
// store: the followed posts scored are exactly the Followed newest.
func TestPersonalAddsTheNewestFollowedPosts(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	account := func(handle string) *news.Account {
		a := &news.Account{Handle: handle, Name: "Name of " + handle, Role: news.RolePublisher}
		if err := st.CreateAccount(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		return a
	}
	publish := func(a *news.Account, title string, age time.Duration) int64 {
		p := &news.Post{AuthorID: a.ID, Title: title, Slug: title, BodyHTML: "<p>x</p>",
			Status: news.PostPublished, PublishedAt: now.Add(-age)}
		if err := st.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	reader, old, fresh := account("reader"), account("old"), account("fresh")
	for _, a := range []*news.Account{old, fresh} {
		if _, err := st.Follow(ctx, reader.ID, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The followed "old" wrote four posts a day or more ago; "fresh", one
	// an hour ago; five others, one each in the last hour: the 6 newest
	// posts are the candidates (Candidates: 6).
	var olds []int64
	for i := range 4 {
		olds = append(olds, publish(old, fmt.Sprintf("old-%d", i), time.Duration(24+i)*time.Hour))
	}
	freshID := publish(fresh, "fresh", 50*time.Minute)
	var others []int64
	for i := range 5 {
		others = append(others, publish(account(fmt.Sprintf("other%d", i)), fmt.Sprintf("other-%d", i), time.Duration(i+1)*time.Minute))
	}
	viewer, err := st.AccountByID(ctx, reader.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Below: the older followed posts all come from the shared posts under
	// the candidates (1500), one from them and one from the timeline (1),
	// or all from the timeline (0).
	for _, below := range []int{1500, 1, 0} {
		t.Run(fmt.Sprintf("below=%d", below), func(t *testing.T) {
			svc := ranking.New(st, func() time.Time { return now })
			svc.O.Candidates, svc.O.Below, svc.O.Followed, svc.O.CacheFor, svc.O.PerAuthor = 6, below, 3, 0, 3
			svc.O.Reuse = -time.Hour // rank anew, not the last subtest's snapshot
			checkPersonal(t, svc, viewer, freshID, olds, others)
		})
	}
}

func checkPersonal(t *testing.T, svc *ranking.Service, viewer *news.Account, freshID int64, olds, others []int64) {
	page, err := svc.Headlines(t.Context(), viewer, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	reasons := map[int64]string{}
	for _, it := range page.Items {
		got = append(got, it.Post.ID)
		reasons[it.Post.ID] = it.Reason
	}
	// Followed 3: "fresh" (a candidate) and the two newest of "old".
	want := append([]int64{freshID, olds[0], olds[1]}, others...)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("ranked %v, want the candidates and the followed newest %v", got, want)
	}
	for _, id := range []int64{freshID, olds[0], olds[1]} {
		if r := reasons[id]; r != "You follow Name of "+map[bool]string{true: "fresh", false: "old"}[id == freshID] {
			t.Errorf("post %d: reason %q", id, r)
		}
	}
}
