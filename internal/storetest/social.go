package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

func follow(t *testing.T, st news.Store, a, b *news.Account) {
	t.Helper()
	_, err := st.Follow(ctx(t), a.ID, b.ID)
	must(t, "Follow "+a.Handle+" → "+b.Handle, err)
}

func wantCounts(t *testing.T, st news.Store, a *news.Account, followers, following int64) {
	t.Helper()
	got, err := st.AccountByID(ctx(t), a.ID)
	must(t, "AccountByID", err)
	if got.FollowersCount != followers || got.FollowingCount != following {
		t.Fatalf("%s: followers %d following %d, want %d and %d", a.Handle, got.FollowersCount, got.FollowingCount, followers, following)
	}
}

func testFollowIdempotent(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "fan"), newAccount(t, st, "star")
	changed, err := st.Follow(ctx(t), a.ID, b.ID)
	must(t, "Follow", err)
	if !changed {
		t.Fatal("first Follow reported no change")
	}
	changed, err = st.Follow(ctx(t), a.ID, b.ID)
	must(t, "Follow again", err)
	if changed {
		t.Fatal("second Follow reported a change")
	}
	wantCounts(t, st, a, 0, 1)
	wantCounts(t, st, b, 1, 0)
	ok, err := st.IsFollowing(ctx(t), a.ID, b.ID)
	must(t, "IsFollowing", err)
	back, err := st.IsFollowing(ctx(t), b.ID, a.ID)
	must(t, "IsFollowing back", err)
	if !ok || back {
		t.Fatalf("IsFollowing = %v, back %v; want true, false", ok, back)
	}
	_, err = st.Follow(ctx(t), a.ID, a.ID)
	wantCode(t, "Follow yourself", err, news.Invalid)
	_, err = st.Follow(ctx(t), a.ID, 987654)
	wantCode(t, "Follow a missing account", err, news.NotFound)
	_, err = st.Follow(ctx(t), 987654, a.ID)
	wantCode(t, "Follow by a missing account", err, news.NotFound)
	_, err = st.Unfollow(ctx(t), a.ID, 987654)
	wantCode(t, "Unfollow a missing account", err, news.NotFound)

	changed, err = st.Unfollow(ctx(t), b.ID, a.ID)
	must(t, "Unfollow someone not followed", err)
	if changed {
		t.Fatal("Unfollow of someone not followed reported a change")
	}
	changed, err = st.Unfollow(ctx(t), a.ID, b.ID)
	must(t, "Unfollow", err)
	if !changed {
		t.Fatal("Unfollow reported no change")
	}
	wantCounts(t, st, a, 0, 0)
	wantCounts(t, st, b, 0, 0)

	// Follow, unfollow, follow: one unread "followed you", not two.
	follow(t, st, a, b)
	notes, err := st.ListNotifications(ctx(t), b.ID, 0, 10)
	must(t, "ListNotifications", err)
	if len(notes) != 1 || notes[0].Kind != news.NotifyFollow || notes[0].Actor == nil || notes[0].Actor.ID != a.ID {
		t.Fatalf("notifications of the followed account = %+v, want one follow by %d", notes, a.ID)
	}
}

// testFollowConcurrent races follows and unfollows and checks the counters
// against the rows.
func testFollowConcurrent(t *testing.T, st news.Store) {
	star := newAccount(t, st, "popular")
	var fans []*news.Account
	for i := range 12 {
		fans = append(fans, newAccount(t, st, fmt.Sprintf("fan%d", i)))
	}
	var wg sync.WaitGroup
	for i, f := range fans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 { // following twice at once must count once
				if _, err := st.Follow(ctx(t), f.ID, star.ID); err != nil {
					t.Errorf("Follow: %v", err)
				}
			}
			if i%3 == 0 {
				if _, err := st.Unfollow(ctx(t), f.ID, star.ID); err != nil {
					t.Errorf("Unfollow: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	wantCounts(t, st, star, 8, 0)
	list, err := st.ListFollowers(ctx(t), star.ID, nil, 100)
	must(t, "ListFollowers", err)
	if len(list) != 8 {
		t.Fatalf("ListFollowers has %d, want 8", len(list))
	}
}

// testFollowedSet checks the followed set and the version it goes with:
// every follow or unfollow that changed something, and only those, moves
// the follower's FollowsVersion, in the same transaction as the row, so a
// set is current exactly while the account row shows its version.
func testFollowedSet(t *testing.T, st news.Store) {
	reader := newAccount(t, st, "reader")
	var others []*news.Account
	for i := range 4 {
		others = append(others, newAccount(t, st, fmt.Sprintf("writer%d", i)))
	}
	check := func(what string, want ...*news.Account) int64 {
		t.Helper()
		set, err := st.FollowedSet(ctx(t), reader.ID)
		must(t, what+": FollowedSet", err)
		var ids []int64
		for _, a := range want {
			ids = append(ids, a.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(set.IDs, ids) {
			t.Fatalf("%s: followed %v, want %v", what, set.IDs, ids)
		}
		row, err := st.AccountByID(ctx(t), reader.ID)
		must(t, what+": AccountByID", err)
		if row.FollowsVersion != set.Version {
			t.Fatalf("%s: the account row shows version %d, the set %d", what, row.FollowsVersion, set.Version)
		}
		return set.Version
	}
	v0 := check("none")
	follow(t, st, reader, others[2])
	follow(t, st, reader, others[0])
	v1 := check("two follows", others[0], others[2])
	if v1 <= v0 {
		t.Fatalf("two follows moved the version from %d to %d", v0, v1)
	}
	follow(t, st, reader, others[0]) // twice: nothing changes
	_, err := st.Unfollow(ctx(t), reader.ID, others[1].ID)
	must(t, "Unfollow someone not followed", err)
	follow(t, st, others[3], reader) // being followed is not following
	if v := check("no-ops", others[0], others[2]); v != v1 {
		t.Fatalf("no-op follows moved the version from %d to %d", v1, v)
	}
	_, err = st.Unfollow(ctx(t), reader.ID, others[2].ID)
	must(t, "Unfollow", err)
	v2 := check("unfollowed", others[0])
	if v2 <= v1 {
		t.Fatalf("an unfollow moved the version from %d to %d", v1, v2)
	}
	if bl, ok := st.(news.BulkLoader); ok {
		must(t, "LoadFollows", bl.LoadFollows(ctx(t), []news.BulkFollow{{Follower: reader.ID, Followee: others[1].ID, At: base}}))
		if v := check("bulk loaded", others[0], others[1]); v <= v2 {
			t.Fatalf("a bulk load of follows moved the version from %d to %d", v2, v)
		}
	}
	_, err = st.FollowedSet(ctx(t), 987654)
	wantCode(t, "FollowedSet of a missing account", err, news.NotFound)
}

func testFollowLists(t *testing.T, st news.Store) {
	star := newAccount(t, st, "anchor")
	var want []int64
	for i := range 5 {
		f := newAccount(t, st, fmt.Sprintf("viewer%d", i))
		follow(t, st, f, star)
		follow(t, st, star, f)
		want = append([]int64{f.ID}, want...) // newest first
	}
	for _, side := range []string{"followers", "following"} {
		var got []int64
		var after *news.FollowCursor
		for range 4 {
			list := st.ListFollowers
			if side == "following" {
				list = st.ListFollowing
			}
			page, err := list(ctx(t), star.ID, after, 2)
			must(t, side, err)
			for _, e := range page {
				got = append(got, e.Account.ID)
				if e.FollowedAt.IsZero() || e.Account.Handle == "" {
					t.Fatalf("%s entry %+v lacks its time or account", side, e)
				}
			}
			if len(page) < 2 {
				break
			}
			last := page[len(page)-1]
			after = &news.FollowCursor{Time: last.FollowedAt, ID: last.Account.ID}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s pages = %v, want %v", side, got, want)
		}
	}
	among, err := st.FollowingAmong(ctx(t), star.ID, append(want[:2:2], 987654))
	must(t, "FollowingAmong", err)
	if len(among) != 2 || !among[want[0]] || !among[want[1]] {
		t.Fatalf("FollowingAmong = %v", among)
	}
}

// testTimeline checks both query shapes (few and many follows) give the
// followed authors' visible posts, newest first, page after page.
func testTimeline(t *testing.T, st news.Store) {
	for _, many := range []bool{false, true} {
		t.Run(fmt.Sprintf("many=%v", many), func(t *testing.T) {
			pre := fmt.Sprintf("m%v", many)
			reader := newAccount(t, st, pre+"reader")
			a, b, other := newAccount(t, st, pre+"a"), newAccount(t, st, pre+"b"), newAccount(t, st, pre+"other")
			follow(t, st, reader, a)
			follow(t, st, reader, b)
			if many {
				// Over the fan-in limit of both stores: 310 more follows.
				must(t, "Bulk", st.Bulk(ctx(t), func(tx news.Store) error {
					for i := range 310 {
						x := newAccount(t, tx, fmt.Sprintf("%sx%d", pre, i))
						if _, err := tx.Follow(ctx(t), reader.ID, x.ID); err != nil {
							return err
						}
					}
					return nil
				}))
			}
			var want []int64
			for i := range 7 {
				at := base.Add(time.Duration(i) * time.Minute)
				pa := newPost(t, st, a, fmt.Sprintf("%sa%d", pre, i), news.PostPublished, at, []string{"x"})
				pb := newPost(t, st, b, fmt.Sprintf("%sb%d", pre, i), news.PostPublished, at, nil)
				newPost(t, st, other, fmt.Sprintf("%so%d", pre, i), news.PostPublished, at, nil)
				want = append([]int64{max(pa.ID, pb.ID), min(pa.ID, pb.ID)}, want...)
			}
			newPost(t, st, a, pre+"draft", news.PostDraft, time.Time{}, nil)
			newPost(t, st, a, pre+"later", news.PostPublished, base.Add(time.Hour), nil)
			now := base.Add(30 * time.Minute)
			var got []int64
			var after *news.PostCursor
			for range 10 {
				page, err := st.FollowingTimeline(ctx(t), reader.ID, now, after, 3)
				must(t, "FollowingTimeline", err)
				for _, p := range page {
					got = append(got, p.ID)
					if p.Author == nil || p.Tags == nil {
						t.Fatalf("timeline post %d without author or tags", p.ID)
					}
				}
				if len(page) < 3 {
					break
				}
				last := page[len(page)-1]
				after = &news.PostCursor{Time: last.PublishedAt, ID: last.ID}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("timeline = %v, want %v", got, want)
			}
		})
	}
	loner := newAccount(t, st, "loner")
	page, err := st.FollowingTimeline(ctx(t), loner.ID, base, nil, 10)
	must(t, "FollowingTimeline of someone following nobody", err)
	if len(page) != 0 {
		t.Fatalf("timeline of someone following nobody has %d posts", len(page))
	}
	_, err = st.FollowingTimeline(ctx(t), 987654, base, nil, 10)
	wantCode(t, "FollowingTimeline of a missing account", err, news.NotFound)
}
