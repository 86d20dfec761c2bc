// Package ranking is the headlines formula: how freshness and engagement
// (likes, comments, views, shares) with time decay, plus a signed-in
// reader's follows and topics, order the posts of the ranked feeds; how a
// page keeps one author from filling it; and the short, truthful reason
// shown with every item. The weights live in one place, Default.
package ranking

import (
	"math"
	"sort"
	"time"

	"github.com/headline/headline/internal/news"
)

// Weights are every number of the formula.
//
//	engagement = Like·likes + Comment·comments + Share·shares + View·views
//	boost      = 1 + Follow·[author followed] + Topic·affinity
//	score      = (1 + engagement) · boost / (ageHours + AgeOffset)^Gravity
//
// affinity is in [0, 1]: the reader's weight of the post's best tag over
// the reader's strongest tag (tags of posts they liked count 2, read 1).
// The decay is Hacker News' gravity: a post needs ever more engagement to
// stay up as it ages; AgeOffset keeps brand-new posts from dividing by ~0.
type Weights struct {
	Like, Comment, Share, View float64
	Gravity, AgeOffset         float64
	Follow, Topic              float64
	// Trending is the engagement from which a post is called "Trending";
	// Popular the engagement from which it is "Popular in #tag".
	Trending, Popular float64
}

// Default are the weights Headline ranks with. A comment costs more effort
// than a like and a share carries a post to new readers, so they weigh
// more; views are cheap and plentiful, so they weigh little.
var Default = Weights{
	Like: 1, Comment: 2, Share: 3, View: 0.05,
	Gravity: 1.5, AgeOffset: 2,
	Follow: 1.0, Topic: 0.5,
	Trending: 25, Popular: 8,
}

// Signals is what is known about one reader; the zero value is a guest.
type Signals struct {
	Followed map[int64]bool // author ids the reader follows
	Tags     map[string]int // the reader's tag weights
}

// Item is a ranked post with its score and the reason it is shown.
type Item struct {
	Post   *news.Post
	Stats  news.PostStats
	Score  float64
	Reason string
}

// Engagement is the weighted sum of the post's counters.
func (w Weights) Engagement(s news.PostStats) float64 {
	return w.Like*float64(s.Likes) + w.Comment*float64(s.Comments) + w.Share*float64(s.Shares) + w.View*float64(s.Views)
}

// Score ranks one candidate for a reader at now.
func (w Weights) Score(c news.Candidate, sig Signals, now time.Time) float64 {
	age := now.Sub(c.Post.PublishedAt).Hours()
	if age < 0 {
		age = 0
	}
	boost := 1.0
	if sig.Followed[c.Post.AuthorID] {
		boost += w.Follow
	}
	_, aff := affinity(c.Post.Tags, sig.Tags)
	boost += w.Topic * aff
	return (1 + w.Engagement(c.Stats)) * boost / math.Pow(age+w.AgeOffset, w.Gravity)
}

// affinity returns the post's tag the reader cares most about and how much,
// relative to the reader's strongest tag.
func affinity(postTags []string, reader map[string]int) (string, float64) {
	top := 0
	for _, n := range reader {
		top = max(top, n)
	}
	if top == 0 {
		return "", 0
	}
	best, bestN := "", 0
	for _, t := range postTags {
		if n := reader[t]; n > bestN {
			best, bestN = t, n
		}
	}
	return best, float64(bestN) / float64(top)
}

// Reason is the short "why you see this" of a post, in order of what the
// reader would recognise first. Each claim is checked against the data it
// names, so none is made up.
func (w Weights) Reason(c news.Candidate, sig Signals) string {
	p, eng := c.Post, w.Engagement(c.Stats)
	if sig.Followed[p.AuthorID] && p.Author != nil {
		return "You follow " + p.Author.Name
	}
	if tag, aff := affinity(p.Tags, sig.Tags); aff > 0 {
		if eng >= w.Popular {
			return "Popular in #" + tag
		}
		return "Because you read #" + tag
	}
	if eng >= w.Trending {
		return "Trending"
	}
	if eng >= w.Popular && len(p.Tags) > 0 {
		return "Popular in #" + p.Tags[0]
	}
	return "New"
}

// Rank scores the candidates for a reader and orders them best first (ties
// by newer, then higher id, so the order is total and repeatable).
func (w Weights) Rank(cands []news.Candidate, sig Signals, now time.Time) []Item {
	items := make([]Item, 0, len(cands))
	for _, c := range cands {
		items = append(items, Item{Post: c.Post, Stats: c.Stats, Score: w.Score(c, sig, now), Reason: w.Reason(c, sig)})
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if !a.Post.PublishedAt.Equal(b.Post.PublishedAt) {
			return a.Post.PublishedAt.After(b.Post.PublishedAt)
		}
		return a.Post.ID > b.Post.ID
	})
	return items
}

// Paginate cuts ranked items into pages of at most pageSize holding at
// most perAuthor posts by one author: each page takes the best remaining
// items whose author still has room on it, so items keep their relative
// order otherwise. Nothing is dropped: when few authors remain, the last
// pages are short.
func Paginate(items []Item, pageSize, perAuthor int) [][]Item {
	var pages [][]Item
	rest := items
	for len(rest) > 0 {
		onPage := map[int64]int{}
		var page, next []Item
		for _, it := range rest {
			if len(page) < pageSize && onPage[it.Post.AuthorID] < perAuthor {
				onPage[it.Post.AuthorID]++
				page = append(page, it)
				continue
			}
			next = append(next, it)
		}
		pages = append(pages, page)
		rest = next
	}
	return pages
}
