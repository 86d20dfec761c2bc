package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// reactionTests are the subtests of ReactionStore, listed in Run.
var reactionTests = []struct {
	name string
	fn   func(t *testing.T, st news.Store)
}{
	{"CommentLikes", testCommentLikes},
	{"LikedCommentsAmongMany", testLikedCommentsAmongMany},
	{"CommentLikesConcurrent", testCommentLikesConcurrent},
	{"CommentSortTop", testCommentSortTop},
	{"CommentEdit", testCommentEdit},
	{"CommentDelete", testCommentDelete},
	{"CommentPins", testCommentPins},
	{"ThreadReplies", testThreadReplies},
	{"RecentDuplicate", testRecentDuplicate},
	{"CreateCommentOnce", testCreateCommentOnce},
	{"CheckComment", testCheckComment},
	{"ReplyDepthIsCapped", testReplyDepthCap},
}

func wantLike(t *testing.T, what string, got news.Like, err error, likes int64, liked bool) {
	t.Helper()
	must(t, what, err)
	if got.Likes != likes || got.Liked != liked {
		t.Fatalf("%s = %+v, want likes %d liked %v", what, got, likes, liked)
	}
}

func commentLikes(t *testing.T, st news.Store, id int64) int64 {
	t.Helper()
	c, err := st.CommentByID(ctx(t), id)
	must(t, "CommentByID", err)
	return c.LikesCount
}

func testCommentLikes(t *testing.T, st news.Store) {
	a := newAccount(t, st, "liker")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	c := newComment(t, st, p, nil, news.CommentPublished, "likeable")
	acc, guest := news.Reader{AccountID: a.ID}, news.Reader{GuestID: "Zm9vYmFyYmF6cXV4cXV1eA"}

	l, err := st.LikeComment(ctx(t), c.ID, acc)
	wantLike(t, "like", l, err, 1, true)
	l, err = st.LikeComment(ctx(t), c.ID, acc)
	wantLike(t, "like twice", l, err, 1, true)
	l, err = st.LikeComment(ctx(t), c.ID, guest)
	wantLike(t, "guest like", l, err, 2, true)
	liked, err := st.LikedComments(ctx(t), guest, []int64{c.ID, 987654})
	must(t, "LikedComments", err)
	if !liked[c.ID] || len(liked) != 1 {
		t.Fatalf("LikedComments = %v", liked)
	}
	l, err = st.UnlikeComment(ctx(t), c.ID, acc)
	wantLike(t, "unlike", l, err, 1, false)
	l, err = st.UnlikeComment(ctx(t), c.ID, acc)
	wantLike(t, "unlike twice", l, err, 1, false)
	liked, err = st.LikedComments(ctx(t), acc, []int64{c.ID})
	must(t, "LikedComments", err)
	if liked[c.ID] {
		t.Fatal("LikedComments after unlike says liked")
	}
	if n := commentLikes(t, st, c.ID); n != 1 {
		t.Fatalf("stored LikesCount = %d, want 1", n)
	}

	held := newComment(t, st, p, nil, news.CommentPending, "held")
	_, err = st.LikeComment(ctx(t), held.ID, acc)
	wantCode(t, "like a held comment", err, news.NotFound)
	_, err = st.LikeComment(ctx(t), 987654, acc)
	wantCode(t, "like a missing comment", err, news.NotFound)
	must(t, "DeleteComment", st.DeleteComment(ctx(t), c.ID))
	_, err = st.LikeComment(ctx(t), c.ID, acc)
	wantCode(t, "like a deleted comment", err, news.NotFound)
	_, err = st.LikeComment(ctx(t), c.ID, news.Reader{})
	wantCode(t, "like by nobody", err, news.Unauthorized)
}

// testCommentLikesConcurrent likes and unlikes from many goroutines; the
// stored count must equal the readers who like at the end.
// An account that likes many comments, asked about a few of them and
// about many (the SQLite store walks an account's likes over the ids'
// range, and probes each id when the range holds too many): the same
// answer either way, and never another reader's likes.
func testLikedCommentsAmongMany(t *testing.T, st news.Store) {
	a := newAccount(t, st, "heavyliker")
	other := newAccount(t, st, "otherliker")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	var ids []int64
	for i := range 40 {
		ids = append(ids, newComment(t, st, p, nil, news.CommentPublished, fmt.Sprintf("comment %d", i)).ID)
	}
	acc := news.Reader{AccountID: a.ID}
	for i, id := range ids {
		if i%4 != 3 { // 30 of 40
			_, err := st.LikeComment(ctx(t), id, acc)
			must(t, "like", err)
		}
	}
	_, err := st.LikeComment(ctx(t), ids[3], news.Reader{AccountID: other.ID})
	must(t, "other's like", err)
	var even []int64 // a range holding liked comments not asked about
	for i := 0; i < len(ids); i += 2 {
		even = append(even, ids[i])
	}
	for _, ask := range [][]int64{{ids[0], ids[3], ids[39]}, ids[:12], even, ids, append([]int64{987654}, ids[1:4]...)} {
		liked, err := st.LikedComments(ctx(t), acc, ask)
		must(t, "LikedComments", err)
		want := 0
		for i, id := range ids {
			if slices.Contains(ask, id) && i%4 != 3 {
				want++
				if !liked[id] {
					t.Fatalf("LikedComments(%d ids) misses comment %d", len(ask), i)
				}
			}
		}
		if len(liked) != want {
			t.Fatalf("LikedComments(%d ids) = %d liked, want %d: %v", len(ask), len(liked), want, liked)
		}
	}
}

func testCommentLikesConcurrent(t *testing.T, st news.Store) {
	a := newAccount(t, st, "crowd")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	c := newComment(t, st, p, nil, news.CommentPublished, "popular")
	const readers, rounds = 24, 6
	var wg sync.WaitGroup
	errs := make(chan error, readers*rounds*2)
	for i := range readers {
		r := news.Reader{GuestID: fmt.Sprintf("guest%018d", i)}
		wg.Go(func() {
			for j := range rounds {
				if _, err := st.LikeComment(ctx(t), c.ID, r); err != nil {
					errs <- err
				}
				if _, err := st.LikeComment(ctx(t), c.ID, r); err != nil {
					errs <- err
				}
				// Readers with an odd number end liking; the others unlike last.
				if j < rounds-1 || i%2 == 0 {
					if _, err := st.UnlikeComment(ctx(t), c.ID, r); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := commentLikes(t, st, c.ID); n != readers/2 {
		t.Fatalf("LikesCount = %d after concurrent likes, want %d", n, readers/2)
	}
}

func testCommentSortTop(t *testing.T, st news.Store) {
	a := newAccount(t, st, "ranker")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	likes := []int{0, 3, 1, 3, 0, 5, 1, 0, 3}
	var cs []*news.Comment
	for i, n := range likes {
		c := newComment(t, st, p, nil, news.CommentPublished, fmt.Sprintf("c%d", i))
		cs = append(cs, c)
		for j := range n {
			_, err := st.LikeComment(ctx(t), c.ID, news.Reader{GuestID: fmt.Sprintf("g%d", j)})
			must(t, "LikeComment", err)
		}
	}
	reply := newComment(t, st, p, cs[0], news.CommentPublished, "reply")
	// Most liked first, ties oldest first.
	order := []int{5, 1, 3, 8, 2, 6, 0, 4, 7}
	var want []int64
	for _, i := range order {
		want = append(want, cs[i].ID)
	}
	f := news.CommentFilter{PostID: p.ID, TopLevel: true, Sort: news.SortTop}
	wantIDs(t, "top", listComments(t, st, f), want...)
	for _, size := range []int{1, 2, 4} {
		f.Limit = size
		f.AfterID, f.AfterLikes = 0, 0
		var got []int64
		for range 20 {
			page, err := st.ListComments(ctx(t), f)
			must(t, "ListComments top", err)
			if len(page) == 0 {
				break
			}
			for _, c := range page {
				got = append(got, c.ID)
			}
			last := page[len(page)-1]
			f.AfterID, f.AfterLikes = last.ID, last.LikesCount
		}
		wantIDs(t, fmt.Sprintf("top in pages of %d", size), got, want...)
	}
	all := listComments(t, st, news.CommentFilter{PostID: p.ID, Sort: news.SortTop})
	if len(all) != len(likes)+1 || all[len(all)-1] != reply.ID {
		t.Fatalf("top over all comments = %v, want the reply (0 likes, newest) last", all)
	}
	wantIDs(t, "top replies", listComments(t, st, news.CommentFilter{PostID: p.ID, ParentID: cs[0].ID, Sort: news.SortTop}), reply.ID)
}

func testCommentEdit(t *testing.T, st news.Store) {
	a := newAccount(t, st, "editor")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	c := newComment(t, st, p, nil, news.CommentPublished, "typo")
	before := time.Now()
	got, err := st.EditComment(ctx(t), c.ID, "fixed", "<p>fixed</p>")
	must(t, "EditComment", err)
	if got.Body != "fixed" || got.BodyHTML != "<p>fixed</p>" || got.ID != c.ID {
		t.Fatalf("EditComment = %+v", got)
	}
	wantRecent(t, "EditedAt", got.EditedAt, before)
	_, err = st.EditComment(ctx(t), 987654, "x", "x")
	wantCode(t, "edit a missing comment", err, news.NotFound)
	must(t, "DeleteComment", st.DeleteComment(ctx(t), c.ID))
	_, err = st.EditComment(ctx(t), c.ID, "x", "x")
	wantCode(t, "edit a deleted comment", err, news.NotFound)
}

func testCommentDelete(t *testing.T, st news.Store) {
	a := newAccount(t, st, "deleter")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	root := newComment(t, st, p, nil, news.CommentPublished, "root")
	mid := newComment(t, st, p, root, news.CommentPublished, "mid")
	leaf := newComment(t, st, p, mid, news.CommentPublished, "leaf")
	lone := newComment(t, st, p, nil, news.CommentPublished, "lone")
	counts := func(what string, post, rootReplies int64) {
		t.Helper()
		got, err := st.PostByID(ctx(t), p.ID)
		must(t, "PostByID", err)
		r, err := st.CommentByID(ctx(t), root.ID)
		must(t, "CommentByID", err)
		if got.CommentsCount != post || r.RepliesCount != rootReplies {
			t.Fatalf("%s: CommentsCount %d, root RepliesCount %d; want %d, %d", what, got.CommentsCount, r.RepliesCount, post, rootReplies)
		}
	}
	counts("start", 4, 1)
	must(t, "delete lone", st.DeleteComment(ctx(t), lone.ID))
	must(t, "delete lone again", st.DeleteComment(ctx(t), lone.ID))
	counts("lone deleted", 3, 1)
	wantIDs(t, "top-level after deleting lone", listComments(t, st, news.CommentFilter{PostID: p.ID, TopLevel: true}), root.ID)

	must(t, "delete mid", st.DeleteComment(ctx(t), mid.ID))
	counts("mid is a placeholder", 2, 1)
	m, err := st.CommentByID(ctx(t), mid.ID)
	must(t, "CommentByID mid", err)
	if !m.Placeholder() || m.Status != news.CommentPublished || m.BodyHTML != "" || m.Body != "mid" {
		t.Fatalf("placeholder = %+v", m)
	}
	rs, err := st.ListThreadReplies(ctx(t), news.ReplyFilter{PostID: p.ID, ParentIDs: []int64{root.ID}, Limit: 10})
	must(t, "ListThreadReplies", err)
	wantIDs(t, "thread with a placeholder", commentIDs(rs), mid.ID, leaf.ID)
	err = st.CreateComment(ctx(t), &news.Comment{PostID: p.ID, ParentID: mid.ID, Body: "x", Status: news.CommentPublished})
	wantCode(t, "reply to a placeholder", err, news.Invalid)

	// The last reply goes, and the placeholder with it.
	must(t, "delete leaf", st.DeleteComment(ctx(t), leaf.ID))
	counts("leaf and its placeholder gone", 1, 0)
	rs, err = st.ListThreadReplies(ctx(t), news.ReplyFilter{PostID: p.ID, ParentIDs: []int64{root.ID}, Limit: 10})
	must(t, "ListThreadReplies", err)
	wantIDs(t, "thread after the leaf went", commentIDs(rs))
	err = st.CreateComment(ctx(t), &news.Comment{PostID: p.ID, ParentID: leaf.ID, Body: "x", Status: news.CommentPublished})
	wantCode(t, "reply to a deleted comment", err, news.Invalid)
	wantCode(t, "delete a missing comment", st.DeleteComment(ctx(t), 987654), news.NotFound)

	held := newComment(t, st, p, root, news.CommentPending, "held")
	must(t, "delete held", st.DeleteComment(ctx(t), held.ID))
	counts("held deleted", 1, 0)
}

func testCommentPins(t *testing.T, st news.Store) {
	a := newAccount(t, st, "pinner")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	var cs []*news.Comment
	for i := range 4 {
		cs = append(cs, newComment(t, st, p, nil, news.CommentPublished, fmt.Sprintf("c%d", i)))
	}
	reply := newComment(t, st, p, cs[0], news.CommentPublished, "reply")
	for _, c := range []*news.Comment{cs[2], cs[1], cs[2]} {
		got, err := st.PinComment(ctx(t), c.ID, true, 2)
		must(t, "PinComment", err)
		if got.PinnedAt.IsZero() {
			t.Fatal("PinComment did not set PinnedAt")
		}
	}
	pinned, err := st.PinnedComments(ctx(t), p.ID)
	must(t, "PinnedComments", err)
	wantIDs(t, "pinned", commentIDs(pinned), cs[2].ID, cs[1].ID)
	_, err = st.PinComment(ctx(t), cs[3].ID, true, 2)
	wantCode(t, "a third pin of two", err, news.Conflict)
	_, err = st.PinComment(ctx(t), reply.ID, true, 2)
	wantCode(t, "pin a reply", err, news.Invalid)
	got, err := st.PinComment(ctx(t), cs[2].ID, false, 2)
	must(t, "unpin", err)
	if !got.PinnedAt.IsZero() {
		t.Fatal("unpin left PinnedAt")
	}
	must(t, "delete pinned", st.DeleteComment(ctx(t), cs[1].ID))
	pinned, err = st.PinnedComments(ctx(t), p.ID)
	must(t, "PinnedComments", err)
	wantIDs(t, "pinned after unpin and delete", commentIDs(pinned))
	_, err = st.PinComment(ctx(t), cs[1].ID, true, 2)
	wantCode(t, "pin a deleted comment", err, news.NotFound)
}

func testThreadReplies(t *testing.T, st news.Store) {
	a := newAccount(t, st, "threader")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	q := newPost(t, st, a, "other", news.PostPublished, base, nil)
	c := func(parent *news.Comment, body string) *news.Comment {
		return newComment(t, st, p, parent, news.CommentPublished, body)
	}
	A, B := c(nil, "A"), c(nil, "B")
	a1 := c(A, "a1")
	b1 := c(B, "b1")
	a2 := c(A, "a2")
	a1x := c(a1, "a1x")
	a1y := c(a1, "a1y")
	newComment(t, st, p, A, news.CommentPending, "held")
	onQ := newComment(t, st, q, nil, news.CommentPublished, "on q")
	list := func(f news.ReplyFilter) []int64 {
		t.Helper()
		f.PostID = p.ID
		rs, err := st.ListThreadReplies(ctx(t), f)
		must(t, "ListThreadReplies", err)
		return commentIDs(rs)
	}
	wantIDs(t, "A then B", list(news.ReplyFilter{ParentIDs: []int64{A.ID, B.ID}, Limit: 10}), a1.ID, a1x.ID, a1y.ID, a2.ID, b1.ID)
	wantIDs(t, "B then A, 2 each", list(news.ReplyFilter{ParentIDs: []int64{B.ID, A.ID}, Limit: 2}), b1.ID, a1.ID, a1x.ID)
	wantIDs(t, "subtree of a1", list(news.ReplyFilter{ParentIDs: []int64{a1.ID}, Limit: 10}), a1x.ID, a1y.ID)
	wantIDs(t, "A after a1x", list(news.ReplyFilter{ParentIDs: []int64{A.ID}, AfterID: a1x.ID, Limit: 2}), a1y.ID, a2.ID)
	wantIDs(t, "A after a2", list(news.ReplyFilter{ParentIDs: []int64{A.ID}, AfterID: a2.ID, Limit: 2}))
	wantIDs(t, "a parent on another post", list(news.ReplyFilter{ParentIDs: []int64{onQ.ID}, Limit: 2}))
	_, err := st.ListThreadReplies(ctx(t), news.ReplyFilter{PostID: p.ID, ParentIDs: []int64{A.ID}, AfterID: b1.ID})
	wantCode(t, "a cursor from another thread", err, news.Invalid)
}

func testRecentDuplicate(t *testing.T, st news.Store) {
	a := newAccount(t, st, "repeater")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	g := newComment(t, st, p, nil, news.CommentPublished, "same")
	mine := &news.Comment{PostID: p.ID, AccountID: a.ID, Body: "same", Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), mine))
	since := time.Now().Add(-time.Minute)
	d, err := st.RecentDuplicate(ctx(t), &news.Comment{PostID: p.ID, Email: g.Email, Body: "same"}, since)
	must(t, "RecentDuplicate guest", err)
	if d.ID != g.ID {
		t.Fatalf("guest duplicate = %d, want %d", d.ID, g.ID)
	}
	d, err = st.RecentDuplicate(ctx(t), &news.Comment{PostID: p.ID, AccountID: a.ID, Body: "same"}, since)
	must(t, "RecentDuplicate account", err)
	if d.ID != mine.ID {
		t.Fatalf("account duplicate = %d, want %d", d.ID, mine.ID)
	}
	for what, c := range map[string]*news.Comment{
		"other body":   {PostID: p.ID, Email: g.Email, Body: "different"},
		"other writer": {PostID: p.ID, Email: "other@example.com", Body: "same"},
		"other parent": {PostID: p.ID, ParentID: g.ID, Email: g.Email, Body: "same"},
	} {
		_, err := st.RecentDuplicate(ctx(t), c, since)
		wantCode(t, what, err, news.NotFound)
	}
	_, err = st.RecentDuplicate(ctx(t), &news.Comment{PostID: p.ID, Email: g.Email, Body: "same"}, time.Now().Add(time.Minute))
	wantCode(t, "outside the window", err, news.NotFound)

	// A flood: the duplicate is found however many comments the writer
	// posted since (it is looked up by body hash, not among the newest).
	for i := range 50 {
		newComment(t, st, p, nil, news.CommentPublished, fmt.Sprint("flood ", i))
	}
	d, err = st.RecentDuplicate(ctx(t), &news.Comment{PostID: p.ID, Email: g.Email, Body: "same"}, since)
	must(t, "RecentDuplicate after a flood", err)
	if d.ID != g.ID {
		t.Fatalf("duplicate after a flood = %d, want %d", d.ID, g.ID)
	}

	// An edit changes what the comment is a duplicate of.
	_, err = st.EditComment(ctx(t), g.ID, "edited", "<p>edited</p>")
	must(t, "EditComment", err)
	_, err = st.RecentDuplicate(ctx(t), &news.Comment{PostID: p.ID, Email: g.Email, Body: "same"}, since)
	wantCode(t, "the body before the edit", err, news.NotFound)
	d, err = st.RecentDuplicate(ctx(t), &news.Comment{PostID: p.ID, Email: g.Email, Body: "edited"}, since)
	must(t, "RecentDuplicate of the edited body", err)
	if d.ID != g.ID {
		t.Fatalf("duplicate of the edited body = %d, want %d", d.ID, g.ID)
	}
}

// testCheckComment checks that CheckComment answers what PostByID,
// RecentDuplicate and WriterFacts answer one at a time.
func testCheckComment(t *testing.T, st news.Store) {
	a := newAccount(t, st, "checker")
	p := newPost(t, st, a, "checked", news.PostPublished, base, nil)
	since := time.Now().Add(-time.Minute)
	check := func(c *news.Comment, w *news.WriterQuery) news.CommentCheck {
		t.Helper()
		r, err := st.CheckComment(ctx(t), news.CommentCheckQuery{Comment: c, DedupSince: since, Writer: w})
		must(t, "CheckComment", err)
		// What the checks use of the post; the rest is not read.
		if r.Post == nil || r.Post.ID != p.ID || r.Post.AuthorID != a.ID || r.Post.Status != p.Status ||
			!r.Post.PublishedAt.Equal(p.PublishedAt) || p.PublishedAt.IsZero() {
			t.Fatalf("CheckComment post = %+v, want post %d by %d, %s at %v", r.Post, p.ID, a.ID, p.Status, p.PublishedAt)
		}
		return r
	}
	_, err := st.CheckComment(ctx(t), news.CommentCheckQuery{Comment: &news.Comment{PostID: p.ID + 1000, Body: "x"}, DedupSince: since})
	wantCode(t, "CheckComment on a missing post", err, news.NotFound)

	guest := &news.Comment{PostID: p.ID, Email: "guest@example.com", Body: "first"}
	if r := check(guest, nil); r.Duplicate != nil || r.Writer != (news.WriterFacts{}) {
		t.Fatalf("before any comment: %+v", r)
	}
	first := newComment(t, st, p, nil, news.CommentPublished, "first")
	wq := news.WriterQuery{Email: "guest@example.com", IP: "192.0.2.1"}
	r := check(guest, &wq)
	if r.Duplicate == nil || r.Duplicate.ID != first.ID || r.Duplicate.Body != "first" {
		t.Fatalf("CheckComment duplicate = %+v, want comment %d", r.Duplicate, first.ID)
	}
	want, err := st.WriterFacts(ctx(t), wq)
	must(t, "WriterFacts", err)
	if r.Writer != want || !r.Writer.Known {
		t.Fatalf("CheckComment writer = %+v, want %+v (known)", r.Writer, want)
	}
	if r := check(&news.Comment{PostID: p.ID, Email: "guest@example.com", Body: "second"}, &wq); r.Duplicate != nil {
		t.Fatalf("another body: duplicate %+v", r.Duplicate)
	}
}

// testReplyDepthCap writes a reply chain deeper than news.MaxCommentDepth:
// deeper replies stay at the cap, with their real parent, and the whole
// chain reads back in order.
func testReplyDepthCap(t *testing.T, st news.Store) {
	a := newAccount(t, st, "deep")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	const n = news.MaxCommentDepth + 20
	var chain []*news.Comment
	err := st.Bulk(ctx(t), func(tx news.Store) error {
		var parent *news.Comment
		for i := range n {
			c := newComment(t, tx, p, parent, news.CommentPublished, fmt.Sprintf("d%d", i))
			chain, parent = append(chain, c), c
		}
		return nil
	})
	must(t, "Bulk", err)
	for i, c := range chain {
		if want := min(i, news.MaxCommentDepth); c.Depth != want {
			t.Fatalf("comment %d: Depth %d, want %d", i, c.Depth, want)
		}
		if i > 0 && c.ParentID != chain[i-1].ID {
			t.Fatalf("comment %d: ParentID %d, want %d", i, c.ParentID, chain[i-1].ID)
		}
	}
	rs, err := st.ListThreadReplies(ctx(t), news.ReplyFilter{PostID: p.ID, ParentIDs: []int64{chain[0].ID}, Limit: 500})
	must(t, "ListThreadReplies", err)
	want := commentIDs(chain[1:])
	wantIDs(t, "deep chain", commentIDs(rs), want...)
}
