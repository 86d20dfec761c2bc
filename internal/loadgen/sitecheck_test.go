package loadgen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

// checkSite reads every account, post and comment of st back (ids are
// 1, 2, ... in a fresh SQLite file), checks the stored counters against the
// rows, and returns the whole site as text, for comparing two sites.
func checkSite(t *testing.T, st news.Store, wantComments int) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	published := map[int64]int64{}
	var accounts []*news.Account
	for id := int64(1); ; id++ {
		a, err := st.AccountByID(ctx, id)
		if news.ErrorCode(err) == news.NotFound {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, a)
		// FollowsVersion counts the loads that wrote the account's follows:
		// a resumed run writes a batch again, so it may count one more.
		a.FollowsVersion = 0
		fmt.Fprintf(&b, "account %+v\n", *a)
	}
	comments := 0
	for id := int64(1); ; id++ {
		p, err := st.PostByID(ctx, id)
		if news.ErrorCode(err) == news.NotFound {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.Status == news.PostPublished {
			published[p.AuthorID]++
		}
		author := p.Author
		p.Author = nil
		fmt.Fprintf(&b, "post @%s %+v\n", author.Handle, *p)
		comments += checkThread(t, st, p, &b)
	}
	for _, a := range accounts {
		if a.PostsCount != published[a.ID] {
			t.Errorf("@%s: PostsCount %d, but it has %d published posts", a.Handle, a.PostsCount, published[a.ID])
		}
		checkFollows(t, st, a, &b)
	}
	var ids []int64
	for id := int64(1); id <= int64(len(published)+1000); id++ {
		ids = append(ids, id)
	}
	stats, err := st.PostStats(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if ps, ok := stats[id]; ok {
			fmt.Fprintf(&b, "stats %+v\n", ps)
		}
	}
	if comments != wantComments {
		t.Errorf("the site has %d comments, want %d", comments, wantComments)
	}
	return b.String()
}

// checkFollows lists a's followers and followings, checks its counters
// against them, and writes them to b.
func checkFollows(t *testing.T, st news.Store, a *news.Account, b *strings.Builder) {
	t.Helper()
	for _, side := range []struct {
		name string
		list func(*news.FollowCursor) ([]news.FollowEntry, error)
		want int64
	}{
		{"followers", func(c *news.FollowCursor) ([]news.FollowEntry, error) {
			return st.ListFollowers(t.Context(), a.ID, c, 500)
		}, a.FollowersCount},
		{"following", func(c *news.FollowCursor) ([]news.FollowEntry, error) {
			return st.ListFollowing(t.Context(), a.ID, c, 500)
		}, a.FollowingCount},
	} {
		var after *news.FollowCursor
		n := int64(0)
		fmt.Fprintf(b, "  %s:", side.name)
		for {
			page, err := side.list(after)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				fmt.Fprintf(b, " %d@%d", e.Account.ID, e.FollowedAt.UnixMicro())
			}
			n += int64(len(page))
			if len(page) < 500 {
				break
			}
			last := page[len(page)-1]
			after = &news.FollowCursor{Time: last.FollowedAt, ID: last.Account.ID}
		}
		b.WriteString("\n")
		if n != side.want {
			t.Errorf("@%s: %s count %d, but %d are listed", a.Handle, side.name, side.want, n)
		}
	}
}

// checkThread lists all comments of p, checks p's CommentsCount and each
// comment's RepliesCount, and writes them to b. It returns their number.
func checkThread(t *testing.T, st news.Store, p *news.Post, b *strings.Builder) int {
	t.Helper()
	var all []*news.Comment
	f := news.CommentFilter{PostID: p.ID, Sort: news.SortOld, Limit: 200}
	for {
		page, err := st.ListComments(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < f.Limit {
			break
		}
		f.AfterID = page[len(page)-1].ID
	}
	if int64(len(all)) != p.CommentsCount {
		t.Errorf("post %d: CommentsCount %d, but %d comments are listed", p.ID, p.CommentsCount, len(all))
	}
	replies := map[int64]int64{}
	for _, c := range all {
		replies[c.ParentID]++
	}
	for _, c := range all {
		if c.RepliesCount != replies[c.ID] {
			t.Errorf("comment %d: RepliesCount %d, but %d replies are listed", c.ID, c.RepliesCount, replies[c.ID])
		}
		fmt.Fprintf(b, "  comment %+v\n", *c)
	}
	return len(all)
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one is a prefix of the other (%d and %d lines)", len(la), len(lb))
}
