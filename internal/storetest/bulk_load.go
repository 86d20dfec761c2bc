package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// OpenAt opens a new, empty store whose clock reads now(); the suite pins it
// to write a site one row at a time with chosen times.
type OpenAt func(t *testing.T, now func() time.Time) news.Store

// RunBulk is the conformance suite of news.BulkLoader: a site loaded in
// bulk has the same rows and counters as the same site written one row at
// a time through the store's normal methods, the read paths work on it,
// and Recount agrees with the counters those methods keep.
func RunBulk(t *testing.T, open OpenAt) {
	t.Run("SameAsOneAtATime", func(t *testing.T) { testBulkSameAsOneAtATime(t, open) })
	t.Run("RecountAgreesWithWrites", func(t *testing.T) { testRecountAgrees(t, open) })
	t.Run("ReplyToMissingParent", func(t *testing.T) { testBulkBadParent(t, open) })
}

// bulkSite is a small site with every shape the loader must handle: all
// post states, tags with a repeat, guest and account comments, a pending
// one, replies whose parents are in the same call, in an earlier call, and
// below MaxCommentDepth, more rows than one INSERT carries, follows, likes
// by accounts and guests, views and shares. Items refer to earlier ones by
// index.
type bulkSite struct {
	accounts     []*news.Account
	posts        []*news.Post // AuthorID is an account index
	comments     []*news.Comment
	follows      []news.BulkFollow // indexes
	postLikes    []news.BulkLike   // ID: post index; Reader.AccountID: account index+1
	commentLikes []news.BulkLike   // ID: comment index
	views        []news.BulkLike
	shares       map[int64]int64 // post index → shares
	readers      []news.Reader   // everyone who liked or viewed, as indexes
}

func at(min int) time.Time { return stored(base.Add(time.Duration(min) * time.Minute)) }

func makeBulkSite() *bulkSite {
	s := &bulkSite{shares: map[int64]int64{0: 3, 2: 1}}
	roles := []news.Role{news.RolePublisher, news.RolePublisher, news.RoleReader, news.RoleReader, news.RoleReader}
	for i, r := range roles {
		s.accounts = append(s.accounts, &news.Account{Handle: fmt.Sprintf("bulk%d", i), Name: fmt.Sprintf("Bulk Person %d", i),
			Email: fmt.Sprintf("b%d@example.com", i), Bio: "bio", Role: r, CreatedAt: at(i)})
	}
	s.accounts[0].Official = "Newspaper"
	for j := range 6 {
		p := &news.Post{AuthorID: int64(j % 2), Title: fmt.Sprintf("Post %d", j), Slug: fmt.Sprintf("post-%d", j),
			Summary: "s", BodyMarkdown: "*b*", BodyHTML: "<p><em>b</em></p>", Lang: "en", Status: news.PostPublished,
			Tags: []string{"world", fmt.Sprintf("t%d", j%3), "world"}, PublishedAt: at(100 + j*10), CreatedAt: at(90 + j*10)}
		switch j {
		case 4:
			p.Status, p.PublishedAt = news.PostDraft, time.Time{}
		case 5:
			p.PublishedAt = at(100_000) // scheduled
		}
		p.UpdatedAt = p.CreatedAt
		s.posts = append(s.posts, p)
	}
	comment := func(post, parent, by int, status news.CommentStatus) {
		c := &news.Comment{PostID: int64(post), ParentID: int64(parent), AccountID: int64(by), Body: "c", BodyHTML: "<p>c</p>",
			Status: status, IP: "192.0.2.1", UserAgent: "test", CreatedAt: at(200 + len(s.comments))}
		if by == 0 {
			c.AuthorName, c.Email, c.Website = "Guest", "guest@example.com", "https://example.net/"
		}
		s.comments = append(s.comments, c)
	}
	// Parents are comment index+1 (0: none); writers are account index+1
	// (0: a guest).
	comment(0, 0, 3, news.CommentPublished) // 0
	comment(0, 1, 0, news.CommentPublished) // 1: reply to 0
	comment(0, 2, 4, news.CommentPublished) // 2: reply to 1
	comment(0, 0, 0, news.CommentPending)   // 3
	comment(0, 1, 5, news.CommentPublished) // 4: reply to 0
	comment(1, 0, 3, news.CommentPublished) // 5
	for range 104 {                         // a chain deeper than MaxCommentDepth
		comment(1, len(s.comments), 4, news.CommentPublished)
	}
	for k := range 420 { // more than one INSERT's rows, on one post
		parent := 0
		if k%3 == 2 {
			parent = len(s.comments) - 1
		}
		comment(2, parent, k%5, news.CommentPublished)
	}
	for _, f := range [][2]int{{2, 0}, {3, 0}, {4, 0}, {2, 1}, {1, 0}, {0, 2}} {
		s.follows = append(s.follows, news.BulkFollow{Follower: int64(f[0]), Followee: int64(f[1]), At: at(300 + len(s.follows))})
	}
	acct := func(i int) news.Reader { return news.Reader{AccountID: int64(i + 1)} }
	guest := func(g string) news.Reader { return news.Reader{GuestID: g} }
	s.readers = []news.Reader{acct(0), acct(1), acct(2), acct(3), acct(4), guest("g1"), guest("g2"), guest("g3")}
	like := func(list *[]news.BulkLike, id int, r news.Reader) {
		*list = append(*list, news.BulkLike{ID: int64(id), Reader: r, At: at(400 + len(*list))})
	}
	like(&s.postLikes, 0, acct(2))
	like(&s.postLikes, 0, acct(3))
	like(&s.postLikes, 0, guest("g1"))
	like(&s.postLikes, 1, acct(4))
	like(&s.postLikes, 0, acct(0)) // the author's own like: counted, nobody told
	like(&s.commentLikes, 0, acct(3))
	like(&s.commentLikes, 0, acct(4))
	like(&s.commentLikes, 0, guest("g2"))
	like(&s.commentLikes, 2, acct(2))
	like(&s.commentLikes, 200, acct(1))
	like(&s.views, 0, acct(2))
	like(&s.views, 0, guest("g1"))
	like(&s.views, 0, guest("g3"))
	like(&s.views, 1, acct(3))
	return s
}

// siteIDs are the ids the rows of a bulkSite get.
type siteIDs struct{ account, post, comment func(i int64) int64 }

func idsFrom(b news.BulkIDs) siteIDs {
	return siteIDs{
		account: func(i int64) int64 { return b.Account + i },
		post:    func(i int64) int64 { return b.Post + i },
		comment: func(i int64) int64 { return b.Comment + i },
	}
}

// reader turns a site reader (account index+1) into a store reader.
func (ids siteIDs) reader(r news.Reader) news.Reader {
	if r.AccountID != 0 {
		return news.Reader{AccountID: ids.account(r.AccountID - 1)}
	}
	return r
}

// writeOneByOne writes s through the normal store methods, setting *clock
// to each row's time first.
func writeOneByOne(t *testing.T, st news.Store, clock *time.Time, s *bulkSite) siteIDs {
	t.Helper()
	c := ctx(t)
	for _, a := range s.accounts {
		*clock = a.CreatedAt
		b := *a
		must(t, "CreateAccount", st.CreateAccount(c, &b, "hash"))
	}
	ids := idsFrom(news.BulkIDs{Account: 1, Post: 1, Comment: 1})
	must(t, "Bulk", st.Bulk(c, func(tx news.Store) error {
		for _, p := range s.posts {
			*clock = p.CreatedAt
			q := *p
			q.AuthorID = ids.account(p.AuthorID)
			must(t, "CreatePost", tx.CreatePost(c, &q))
		}
		for _, cm := range s.comments {
			*clock = cm.CreatedAt
			k := *cm
			k.PostID, k.ParentID, k.AccountID = ids.post(cm.PostID), 0, 0
			if cm.ParentID != 0 {
				k.ParentID = ids.comment(cm.ParentID - 1)
			}
			if cm.AccountID != 0 {
				k.AccountID = ids.account(cm.AccountID - 1)
			}
			must(t, "CreateComment", tx.CreateComment(c, &k))
		}
		return nil
	}))
	for _, f := range s.follows {
		*clock = f.At
		_, err := st.Follow(c, ids.account(f.Follower), ids.account(f.Followee))
		must(t, "Follow", err)
	}
	for _, l := range s.postLikes {
		*clock = l.At
		_, err := st.LikePost(c, ids.post(l.ID), ids.reader(l.Reader))
		must(t, "LikePost", err)
	}
	for _, l := range s.commentLikes {
		*clock = l.At
		_, err := st.LikeComment(c, ids.comment(l.ID), ids.reader(l.Reader))
		must(t, "LikeComment", err)
	}
	for _, l := range s.views {
		*clock = l.At
		_, err := st.RecordViews(c, []news.ViewMark{{PostID: ids.post(l.ID), ReaderKey: ids.reader(l.Reader).Key()}})
		must(t, "RecordViews", err)
	}
	for post, n := range s.shares {
		for range n {
			_, err := st.AddShare(c, ids.post(post))
			must(t, "AddShare", err)
		}
	}
	return ids
}

// loadInBulk writes s through news.BulkLoader, comments in two calls so
// that some replies find their parent in the table, and the follows and
// likes twice, as a resumed load would; with the indexes deferred, as
// loadgen writes an empty site, and built again before and after the
// recount.
func loadInBulk(t *testing.T, st news.Store, s *bulkSite) siteIDs {
	t.Helper()
	c := ctx(t)
	bl, ok := st.(news.BulkLoader)
	if !ok {
		t.Fatalf("%T does not implement news.BulkLoader", st)
	}
	next, err := bl.NextIDs(c)
	must(t, "NextIDs", err)
	ids := idsFrom(next)
	must(t, "DeferIndexes", bl.DeferIndexes(c))
	var accounts []*news.Account
	for i, a := range s.accounts {
		b := *a
		b.ID = ids.account(int64(i))
		accounts = append(accounts, &b)
	}
	must(t, "LoadAccounts", bl.LoadAccounts(c, accounts, "hash"))
	var posts []*news.Post
	for j, p := range s.posts {
		q := *p
		q.ID, q.AuthorID = ids.post(int64(j)), ids.account(p.AuthorID)
		posts = append(posts, &q)
	}
	must(t, "LoadPosts", bl.LoadPosts(c, posts))
	var comments []*news.Comment
	for k, cm := range s.comments {
		x := *cm
		x.ID, x.PostID, x.ParentID, x.AccountID = ids.comment(int64(k)), ids.post(cm.PostID), 0, 0
		if cm.ParentID != 0 {
			x.ParentID = ids.comment(cm.ParentID - 1)
		}
		if cm.AccountID != 0 {
			x.AccountID = ids.account(cm.AccountID - 1)
		}
		comments = append(comments, &x)
	}
	half := len(comments) / 2
	must(t, "LoadComments", bl.LoadComments(c, comments[:half]))
	must(t, "LoadComments", bl.LoadComments(c, comments[half:]))
	var follows []news.BulkFollow
	for _, f := range s.follows {
		follows = append(follows, news.BulkFollow{Follower: ids.account(f.Follower), Followee: ids.account(f.Followee), At: f.At})
	}
	likes := func(list []news.BulkLike, id func(int64) int64) []news.BulkLike {
		var out []news.BulkLike
		for _, l := range list {
			out = append(out, news.BulkLike{ID: id(l.ID), Reader: ids.reader(l.Reader), At: l.At})
		}
		return out
	}
	shares := map[int64]int64{}
	for post, n := range s.shares {
		shares[ids.post(post)] = n
	}
	for range 2 {
		must(t, "LoadFollows", bl.LoadFollows(c, follows))
		must(t, "LoadPostLikes", bl.LoadPostLikes(c, likes(s.postLikes, ids.post)))
		must(t, "LoadCommentLikes", bl.LoadCommentLikes(c, likes(s.commentLikes, ids.comment)))
		must(t, "LoadViews", bl.LoadViews(c, likes(s.views, ids.post)))
		must(t, "SetShares", bl.SetShares(c, shares))
		must(t, "RestoreIndexes without counters", bl.RestoreIndexes(c, false))
		must(t, "Recount", bl.Recount(c))
		must(t, "RestoreIndexes", bl.RestoreIndexes(c, true))
	}
	return ids
}

func testBulkSameAsOneAtATime(t *testing.T, open OpenAt) {
	site := makeBulkSite()
	var clock time.Time
	one := open(t, func() time.Time { return clock })
	defer one.Close()
	oneIDs := writeOneByOne(t, one, &clock, site)
	bulk := open(t, time.Now)
	defer bulk.Close()
	bulkIDs := loadInBulk(t, bulk, site)
	want, got := dumpSite(t, one, site, oneIDs), dumpSite(t, bulk, site, bulkIDs)
	if want != got {
		t.Fatalf("the bulk-loaded site differs from the one written row by row:\n%s", firstLineDiff(want, got))
	}
	// The counters are not zero by accident: spot-check a few.
	for _, must := range []string{"followers=4", "comments=4 likes=4 views=3 shares=3", "replies=2"} {
		if !strings.Contains(got, must) {
			t.Fatalf("the loaded site has no %q:\n%s", must, got[:min(len(got), 3000)])
		}
	}
}

// firstLineDiff shows the first line where a and b differ.
func firstLineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  row by row: %s\n  bulk:       %s", i+1, x, y)
		}
	}
	return "(no difference)"
}
