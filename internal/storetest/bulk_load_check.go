package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// dumpSite reads everything a bulkSite wrote back through the store's read
// paths, as text: every account, post and comment with every counter, the
// follow lists with times, who likes what, the thread order, the comment
// pages in every sort, the following timelines and the ranked candidates.
func dumpSite(t *testing.T, st news.Store, s *bulkSite, ids siteIDs) string {
	t.Helper()
	c := ctx(t)
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	var postIDs, commentIDs []int64
	for j := range s.posts {
		postIDs = append(postIDs, ids.post(int64(j)))
	}
	for k := range s.comments {
		commentIDs = append(commentIDs, ids.comment(int64(k)))
	}
	for i := range s.accounts {
		a, err := st.AccountByID(c, ids.account(int64(i)))
		must(t, "AccountByID", err)
		line("account %d @%s %q %q %q %s %q followers=%d following=%d posts=%d %s", a.ID, a.Handle, a.Name, a.Email, a.Bio,
			a.Role, a.Official, a.FollowersCount, a.FollowingCount, a.PostsCount, a.CreatedAt.Format(time.RFC3339Nano))
		for _, list := range []func() ([]news.FollowEntry, error){
			func() ([]news.FollowEntry, error) { return st.ListFollowers(c, a.ID, nil, 100) },
			func() ([]news.FollowEntry, error) { return st.ListFollowing(c, a.ID, nil, 100) },
		} {
			es, err := list()
			must(t, "list follows", err)
			for _, e := range es {
				line("  follow %d %s", e.Account.ID, e.FollowedAt.Format(time.RFC3339Nano))
			}
		}
		h, err := st.PasswordHash(c, a.ID)
		must(t, "PasswordHash", err)
		line("  hash %s", h)
	}
	stats, err := st.PostStats(c, postIDs)
	must(t, "PostStats", err)
	for _, id := range postIDs {
		p, err := st.PostByID(c, id)
		must(t, "PostByID", err)
		ps := stats[id]
		line("post %d by %d %s %q %q %q %q %q %q %v %q %q %s pub=%s created=%s updated=%s comments=%d likes=%d views=%d shares=%d (%d %d)",
			p.ID, p.AuthorID, p.Kind, p.Title, p.Slug, p.Summary, p.BodyMarkdown, p.BodyHTML, p.Lang, p.Tags, p.SourceName, p.SourceURL,
			p.Status, p.PublishedAt.Format(time.RFC3339Nano), p.CreatedAt.Format(time.RFC3339Nano), p.UpdatedAt.Format(time.RFC3339Nano),
			ps.Comments, ps.Likes, ps.Views, ps.Shares, p.CommentsCount, p.LikesCount)
	}
	for _, id := range commentIDs {
		k, err := st.CommentByID(c, id)
		must(t, "CommentByID", err)
		line("comment %d post=%d parent=%d root=%d depth=%d by=%d %q %q %q %q %q %q %q %s likes=%d replies=%d %q %q %s",
			k.ID, k.PostID, k.ParentID, k.RootID, k.Depth, k.AccountID, k.AuthorName, k.AuthorHandle, k.AuthorOfficial,
			k.Email, k.Website, k.Body, k.BodyHTML, k.Status, k.LikesCount, k.RepliesCount, k.IP, k.UserAgent,
			k.CreatedAt.Format(time.RFC3339Nano))
	}
	for _, r := range s.readers {
		r = ids.reader(r)
		liked, err := st.LikedPosts(c, r, postIDs)
		must(t, "LikedPosts", err)
		likedC, err := st.LikedComments(c, r, commentIDs)
		must(t, "LikedComments", err)
		tags, err := st.ReaderTags(c, r, 100)
		must(t, "ReaderTags", err)
		line("reader %s posts %v comments %v tags %v", r.Key(), liked, likedC, tags)
	}
	dumpReadPaths(t, st, &b, postIDs, s, ids)
	return b.String()
}

// dumpReadPaths adds the pages people read: comments in each sort, paged
// by cursor to the end, the thread order of replies, each account's
// following timeline in pages of two, and the headline candidates.
func dumpReadPaths(t *testing.T, st news.Store, b *strings.Builder, postIDs []int64, s *bulkSite, ids siteIDs) {
	c := ctx(t)
	now := at(10_000)
	for _, id := range postIDs[:3] {
		for _, sort := range []news.CommentSort{news.SortNew, news.SortOld, news.SortTop} {
			f := news.CommentFilter{PostID: id, TopLevel: true, Sort: sort, Limit: 50}
			fmt.Fprintf(b, "comments of %d by %s:", id, sort)
			for range 100 {
				page, err := st.ListComments(c, f)
				must(t, "ListComments", err)
				var top []int64
				for _, k := range page {
					fmt.Fprintf(b, " %d", k.ID)
					top = append(top, k.ID)
				}
				replies, err := st.ListThreadReplies(c, news.ReplyFilter{PostID: id, ParentIDs: top, Limit: 500})
				must(t, "ListThreadReplies", err)
				for _, r := range replies {
					fmt.Fprintf(b, " (%d<%d)", r.ID, r.ParentID)
				}
				if len(page) < f.Limit {
					break
				}
				last := page[len(page)-1]
				f.AfterID, f.AfterLikes = last.ID, last.LikesCount
			}
			b.WriteString("\n")
		}
	}
	for i := range s.accounts {
		reader := ids.account(int64(i))
		fmt.Fprintf(b, "timeline of %d:", reader)
		var after *news.PostCursor
		for range 10 {
			page, err := st.FollowingTimeline(c, reader, now, after, 2)
			must(t, "FollowingTimeline", err)
			for _, p := range page {
				fmt.Fprintf(b, " %d", p.ID)
			}
			if len(page) < 2 {
				break
			}
			after = &news.PostCursor{Time: page[1].PublishedAt, ID: page[1].ID}
		}
		b.WriteString("\n")
	}
	cands, err := st.Candidates(c, at(0), now, "", 100)
	must(t, "Candidates", err)
	for _, cd := range cands {
		fmt.Fprintf(b, "candidate %d %+v %v\n", cd.Post.ID, cd.Stats, cd.Post.Tags)
	}
}

// testRecountAgrees writes a site one row at a time, then changes it the
// ways that move counters down (unlike, unfollow, delete a comment with and
// without replies, unpublish), and checks that Recount finds every counter
// as the writes left it: its rules are the product's.
func testRecountAgrees(t *testing.T, open OpenAt) {
	site := makeBulkSite()
	var clock time.Time
	st := open(t, func() time.Time { return clock })
	defer st.Close()
	ids := writeOneByOne(t, st, &clock, site)
	c := ctx(t)
	clock = at(5000)
	_, err := st.UnlikePost(c, ids.post(0), ids.reader(site.postLikes[0].Reader))
	must(t, "UnlikePost", err)
	_, err = st.UnlikeComment(c, ids.comment(0), ids.reader(site.commentLikes[0].Reader))
	must(t, "UnlikeComment", err)
	_, err = st.Unfollow(c, ids.account(2), ids.account(0))
	must(t, "Unfollow", err)
	must(t, "DeleteComment with replies", st.DeleteComment(c, ids.comment(1)))
	must(t, "DeleteComment without replies", st.DeleteComment(c, ids.comment(4)))
	p, err := st.PostByID(c, ids.post(3))
	must(t, "PostByID", err)
	p.Status, p.PublishedAt = news.PostDraft, time.Time{}
	must(t, "UpdatePost", st.UpdatePost(c, p))

	before := dumpSite(t, st, site, ids)
	bl, ok := st.(news.BulkLoader)
	if !ok {
		t.Fatalf("%T does not implement news.BulkLoader", st)
	}
	must(t, "Recount", bl.Recount(c))
	if after := dumpSite(t, st, site, ids); after != before {
		t.Fatalf("Recount changed counters the writes kept:\n%s", firstLineDiff(before, after))
	}
	for _, want := range []string{"followers=3", "comments=2 likes=3 views=3 shares=3", "posts=2", "replies=1"} {
		if !strings.Contains(before, want) {
			t.Fatalf("the site lacks %q after the changes; the test no longer checks what it says", want)
		}
	}
}

// testBulkBadParent checks that a reply to a comment that does not exist,
// or belongs to another post, is refused like CreateComment refuses it, and
// that nothing of the call is written.
func testBulkBadParent(t *testing.T, open OpenAt) {
	st := open(t, time.Now)
	defer st.Close()
	c := ctx(t)
	bl := st.(news.BulkLoader)
	site := makeBulkSite()
	loadInBulk(t, st, site)
	next, err := bl.NextIDs(c)
	must(t, "NextIDs", err)
	mk := func(id, post, parent int64) *news.Comment {
		return &news.Comment{ID: id, PostID: post, ParentID: parent, Body: "x", Status: news.CommentPublished,
			AuthorName: "G", CreatedAt: at(9000)}
	}
	err = bl.LoadComments(c, []*news.Comment{mk(next.Comment, 1, 0), mk(next.Comment+1, 1, next.Comment+999)})
	wantCode(t, "reply to a missing comment", err, news.NotFound)
	err = bl.LoadComments(c, []*news.Comment{mk(next.Comment, 2, 1)})
	wantCode(t, "reply to a comment of another post", err, news.Invalid)
	again, err := bl.NextIDs(c)
	must(t, "NextIDs", err)
	if again != next {
		t.Fatalf("NextIDs moved from %+v to %+v: a refused call wrote rows", next, again)
	}
}

// RecountRepairs checks that Recount also sets back to zero the counters
// of rows with nothing left to count, and sets every wrong counter right:
// exec runs SQL on the store (the same statements are valid on both) to
// put wrong values in every counter of a site written one call at a time.
func RecountRepairs(t *testing.T, open OpenAt, exec func(t *testing.T, st news.Store, q string)) {
	site := makeBulkSite()
	var clock time.Time
	st := open(t, func() time.Time { return clock })
	defer st.Close()
	ids := writeOneByOne(t, st, &clock, site)
	want := dumpSite(t, st, site, ids)
	exec(t, st, `UPDATE accounts SET posts_count = posts_count + 7, followers_count = 9, following_count = 0`)
	exec(t, st, `UPDATE posts SET comments_count = 5, likes_count = likes_count + 1, views_count = 0`)
	exec(t, st, `UPDATE comments SET replies_count = 3, likes_count = 2`)
	if broken := dumpSite(t, st, site, ids); broken == want {
		t.Fatal("the wrong counters do not show in the dump; the test checks nothing")
	}
	must(t, "Recount", st.(news.BulkLoader).Recount(ctx(t)))
	if got := dumpSite(t, st, site, ids); got != want {
		t.Fatalf("Recount left wrong counters:\n%s", firstLineDiff(want, got))
	}
}
