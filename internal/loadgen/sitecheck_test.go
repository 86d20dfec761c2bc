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
	}
	if comments != wantComments {
		t.Errorf("the site has %d comments, want %d", comments, wantComments)
	}
	return b.String()
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
