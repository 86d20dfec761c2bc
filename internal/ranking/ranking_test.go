package ranking

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

var now = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// post is a fixture: id, author, hours old, tags and counters.
func post(id, author int64, hours float64, tags []string, likes, comments, views, shares int64) news.Candidate {
	p := &news.Post{ID: id, AuthorID: author, Author: &news.Account{ID: author, Name: fmt.Sprintf("Author %d", author)},
		PublishedAt: now.Add(-time.Duration(hours * float64(time.Hour))), Tags: tags}
	return news.Candidate{Post: p, Stats: news.PostStats{PostID: id, Likes: likes, Comments: comments, Views: views, Shares: shares}}
}

func order(items []Item) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, it.Post.ID)
	}
	return b.String()
}

func TestRankOrder(t *testing.T) {
	fixtures := []news.Candidate{
		post(1, 10, 1, []string{"health"}, 0, 0, 0, 0),    // brand new, nothing yet
		post(2, 11, 5, []string{"sport"}, 40, 10, 500, 5), // popular, a few hours old
		post(3, 12, 30, []string{"health"}, 80, 20, 2000, 10),
		post(4, 13, 2, nil, 3, 0, 20, 0),
		post(5, 14, 0.2, []string{"world"}, 0, 1, 10, 0),
	}
	for _, tc := range []struct {
		name string
		sig  Signals
		want string
	}{
		// Guests: engagement with decay. Scores by hand (Default weights):
		// 2: (1+100)/7^1.5 = 5.45; 3: (1+250)/32^1.5 = 1.39;
		// 5: (1+2.5)/2.2^1.5 = 1.07; 4: (1+4)/4^1.5 = 0.63; 1: 1/3^1.5 = 0.19.
		// The day-old post with the most engagement has decayed below the
		// popular five-hour-old one.
		{"guest", Signals{}, "2 3 5 4 1"},
		// Following author 13 doubles post 4: 1.25, above post 5.
		{"follows", Signals{Followed: map[int64]bool{13: true}}, "2 3 4 5 1"},
		// Following an author whose post has nothing yet is not enough:
		// post 1 doubles to 0.38, still last.
		{"follows a quiet author", Signals{Followed: map[int64]bool{10: true}}, "2 3 5 4 1"},
		// A reader of #world lifts post 5 by half: 1.61, above post 3.
		{"topic", Signals{Tags: map[string]int{"world": 3, "sport": 1}}, "2 5 3 4 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := order(Default.Rank(fixtures, tc.sig, now))
			if got != tc.want {
				for _, it := range Default.Rank(fixtures, tc.sig, now) {
					t.Logf("%d: %.4f %s", it.Post.ID, it.Score, it.Reason)
				}
				t.Fatalf("order %s, want %s", got, tc.want)
			}
		})
	}
}

func TestScoreMonotone(t *testing.T) {
	w := Default
	base := post(1, 1, 3, nil, 10, 2, 100, 1)
	more := post(1, 1, 3, nil, 11, 2, 100, 1)
	older := post(1, 1, 4, nil, 10, 2, 100, 1)
	if !(w.Score(more, Signals{}, now) > w.Score(base, Signals{}, now)) {
		t.Error("a like did not raise the score")
	}
	if !(w.Score(older, Signals{}, now) < w.Score(base, Signals{}, now)) {
		t.Error("an hour of age did not lower the score")
	}
	followed := Signals{Followed: map[int64]bool{1: true}}
	if got, want := w.Score(base, followed, now), w.Score(base, Signals{}, now)*(1+w.Follow); got != want {
		t.Errorf("followed score %v, want %v", got, want)
	}
	future := post(1, 1, -1, nil, 0, 0, 0, 0)
	if s := w.Score(future, Signals{}, now); s <= 0 || s != s {
		t.Errorf("a post from the future scores %v", s)
	}
}

func TestReasons(t *testing.T) {
	w := Default
	for _, tc := range []struct {
		c    news.Candidate
		sig  Signals
		want string
	}{
		{post(1, 7, 1, []string{"health"}, 100, 0, 0, 0), Signals{Followed: map[int64]bool{7: true}}, "You follow Author 7"},
		{post(1, 7, 1, []string{"sport", "health"}, 10, 0, 0, 0), Signals{Tags: map[string]int{"health": 2}}, "Popular in #health"},
		{post(1, 7, 1, []string{"health"}, 1, 0, 0, 0), Signals{Tags: map[string]int{"health": 2}}, "Because you read #health"},
		{post(1, 7, 1, []string{"health"}, 30, 0, 0, 0), Signals{}, "Trending"},
		{post(1, 7, 1, []string{"health"}, 9, 0, 0, 0), Signals{}, "Popular in #health"},
		{post(1, 7, 1, nil, 9, 0, 0, 0), Signals{}, "New"},
		{post(1, 7, 1, []string{"health"}, 0, 0, 0, 0), Signals{}, "New"},
	} {
		if got := w.Reason(tc.c, tc.sig); got != tc.want {
			t.Errorf("Reason(%+v, %+v) = %q, want %q", tc.c.Stats, tc.sig, got, tc.want)
		}
	}
}

func TestPaginateDiversity(t *testing.T) {
	var items []Item
	// Ranked: author 1 has the five best posts, then authors 2 and 3.
	for i, a := range []int64{1, 1, 1, 1, 1, 2, 2, 3, 3, 3} {
		items = append(items, Item{Post: &news.Post{ID: int64(i + 1), AuthorID: a}})
	}
	pages := Paginate(items, 4, 2)
	var got []string
	seen := map[int64]bool{}
	for _, p := range pages {
		got = append(got, order(p))
		per := map[int64]int{}
		for _, it := range p {
			per[it.Post.AuthorID]++
			if per[it.Post.AuthorID] > 2 {
				t.Fatalf("page %s has more than 2 posts by %d", order(p), it.Post.AuthorID)
			}
			if seen[it.Post.ID] {
				t.Fatalf("post %d on two pages", it.Post.ID)
			}
			seen[it.Post.ID] = true
		}
	}
	if want := "1 2 6 7|3 4 8 9|5 10"; strings.Join(got, "|") != want {
		t.Fatalf("pages %s, want %s", strings.Join(got, "|"), want)
	}
}
