package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

func newComment(t *testing.T, st news.Store, post *news.Post, parent *news.Comment, status news.CommentStatus, body string) *news.Comment {
	t.Helper()
	c := &news.Comment{PostID: post.ID, AuthorName: "Guest", Email: "guest@example.com",
		Body: body, BodyHTML: "<p>" + body + "</p>", Status: status}
	if parent != nil {
		c.ParentID = parent.ID
	}
	must(t, "CreateComment "+body, st.CreateComment(ctx(t), c))
	return c
}

func commentIDs(cs []*news.Comment) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func listComments(t *testing.T, st news.Store, f news.CommentFilter) []int64 {
	t.Helper()
	cs, err := st.ListComments(ctx(t), f)
	must(t, "ListComments", err)
	return commentIDs(cs)
}

func testCommentRoundTrip(t *testing.T, st news.Store) {
	a := newAccount(t, st, "tass")
	off := "Агентство"
	_, err := st.UpdateAccount(ctx(t), a.ID, news.AccountUpdate{Official: &off})
	must(t, "UpdateAccount", err)
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)

	before := time.Now()
	guest := &news.Comment{
		PostID: p.ID, AuthorName: "Аноним 匿名", Email: "anon@example.ru", Website: "https://example.ru/блог",
		Body: "Первый! 第一！\n\n«Цитата»", BodyHTML: "<p>Первый! 第一！</p><blockquote>«Цитата»</blockquote>",
		Status: news.CommentPublished, IP: "2001:db8::1", UserAgent: "Mozilla/5.0 (X11; Linux) Яндекс",
	}
	must(t, "CreateComment guest", st.CreateComment(ctx(t), guest))
	if guest.ID == 0 || guest.RootID != guest.ID || guest.Depth != 0 {
		t.Fatalf("guest comment ID %d RootID %d Depth %d", guest.ID, guest.RootID, guest.Depth)
	}
	wantRecent(t, "CreatedAt", guest.CreatedAt, before)
	got, err := st.CommentByID(ctx(t), guest.ID)
	must(t, "CommentByID guest", err)
	want := *guest
	wantTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	got.CreatedAt, want.CreatedAt = time.Time{}, time.Time{}
	if *got != want {
		t.Fatalf("guest comment:\n got %+v\nwant %+v", *got, want)
	}

	mine := &news.Comment{PostID: p.ID, ParentID: guest.ID, AccountID: a.ID, AuthorName: a.Name,
		Body: "Ответ 回复", BodyHTML: "<p>Ответ 回复</p>", Status: news.CommentPublished}
	must(t, "CreateComment account", st.CreateComment(ctx(t), mine))
	got, err = st.CommentByID(ctx(t), mine.ID)
	must(t, "CommentByID account", err)
	if got.AccountID != a.ID || got.AuthorHandle != "tass" || got.AuthorOfficial != off || got.AuthorName != a.Name ||
		got.ParentID != guest.ID || got.RootID != guest.ID || got.Depth != 1 || got.Body != mine.Body {
		t.Fatalf("account comment = %+v", got)
	}
	// An account's comment shows the account's current name.
	name := "ТАСС 塔斯社"
	_, err = st.UpdateAccount(ctx(t), a.ID, news.AccountUpdate{Name: &name})
	must(t, "UpdateAccount", err)
	got, err = st.CommentByID(ctx(t), mine.ID)
	must(t, "CommentByID after rename", err)
	if got.AuthorName != name {
		t.Fatalf("AuthorName after rename = %q, want %q", got.AuthorName, name)
	}
	got, err = st.CommentByID(ctx(t), guest.ID)
	must(t, "CommentByID guest", err)
	if got.AuthorName != guest.AuthorName || got.AuthorHandle != "" || got.AuthorOfficial != "" {
		t.Fatalf("guest comment author = %q %q %q", got.AuthorName, got.AuthorHandle, got.AuthorOfficial)
	}
}

func testCommentParentChecks(t *testing.T, st news.Store) {
	a := newAccount(t, st, "uma")
	p := newPost(t, st, a, "one", news.PostPublished, base, nil)
	q := newPost(t, st, a, "two", news.PostPublished, base, nil)
	onQ := newComment(t, st, q, nil, news.CommentPublished, "on q")

	err := st.CreateComment(ctx(t), &news.Comment{PostID: 987654, Body: "x", Status: news.CommentPublished})
	wantCode(t, "comment on a missing post", err, news.NotFound)
	err = st.CreateComment(ctx(t), &news.Comment{PostID: p.ID, ParentID: 987654, Body: "x", Status: news.CommentPublished})
	wantCode(t, "reply to a missing comment", err, news.NotFound)
	err = st.CreateComment(ctx(t), &news.Comment{PostID: p.ID, ParentID: onQ.ID, Body: "x", Status: news.CommentPublished})
	wantCode(t, "reply to a comment on another post", err, news.Invalid)
	if news.ErrorFields(err)["parent_id"] == "" {
		t.Fatalf("Invalid parent: fields %v, want parent_id", news.ErrorFields(err))
	}
	err = st.CreateComment(ctx(t), &news.Comment{PostID: p.ID, AccountID: 987654, Body: "x", Status: news.CommentPublished})
	wantCode(t, "comment by a missing account", err, news.NotFound)

	// Nothing of the refused comments was kept.
	for _, post := range []*news.Post{p, q} {
		got, err := st.PostByID(ctx(t), post.ID)
		must(t, "PostByID", err)
		want := int64(0)
		if post == q {
			want = 1
		}
		if got.CommentsCount != want {
			t.Fatalf("post %s CommentsCount = %d, want %d", post.Slug, got.CommentsCount, want)
		}
	}
	wantIDs(t, "comments on p", listComments(t, st, news.CommentFilter{PostID: p.ID}))
	c, err := st.CommentByID(ctx(t), onQ.ID)
	must(t, "CommentByID", err)
	if c.RepliesCount != 0 {
		t.Fatalf("RepliesCount = %d after a refused reply", c.RepliesCount)
	}
}

func testCommentCounters(t *testing.T, st news.Store) {
	a := newAccount(t, st, "vera")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	check := func(what string, post int64, replies map[*news.Comment]int64) {
		t.Helper()
		got, err := st.PostByID(ctx(t), p.ID)
		must(t, "PostByID", err)
		if got.CommentsCount != post {
			t.Fatalf("%s: CommentsCount = %d, want %d", what, got.CommentsCount, post)
		}
		for c, n := range replies {
			got, err := st.CommentByID(ctx(t), c.ID)
			must(t, "CommentByID", err)
			if got.RepliesCount != n {
				t.Fatalf("%s: comment %q RepliesCount = %d, want %d", what, c.Body, got.RepliesCount, n)
			}
		}
	}
	root := newComment(t, st, p, nil, news.CommentPublished, "root")
	check("one comment", 1, map[*news.Comment]int64{root: 0})
	r1 := newComment(t, st, p, root, news.CommentPublished, "r1")
	r2 := newComment(t, st, p, r1, news.CommentPublished, "r2")
	r3 := newComment(t, st, p, r2, news.CommentPublished, "r3")
	check("a chain", 4, map[*news.Comment]int64{root: 1, r1: 1, r2: 1, r3: 0})
	pending := newComment(t, st, p, root, news.CommentPending, "pending")
	newComment(t, st, p, nil, news.CommentSpam, "spam")
	check("pending and spam do not count", 4, map[*news.Comment]int64{root: 1, pending: 0})
	newComment(t, st, p, root, news.CommentPublished, "r1b")
	check("a second direct reply", 5, map[*news.Comment]int64{root: 2, r1: 1})

	for i, c := range []*news.Comment{root, r1, r2, r3, pending} {
		depth := []int{0, 1, 2, 3, 1}[i]
		got, err := st.CommentByID(ctx(t), c.ID)
		must(t, "CommentByID", err)
		if got.RootID != root.ID || got.Depth != depth || c.RootID != root.ID || c.Depth != depth {
			t.Fatalf("comment %q: stored root %d depth %d, set root %d depth %d; want root %d depth %d",
				c.Body, got.RootID, got.Depth, c.RootID, c.Depth, root.ID, depth)
		}
	}
	if r3.ParentID != r2.ID {
		t.Fatalf("r3.ParentID = %d, want %d", r3.ParentID, r2.ID)
	}
}

func testListComments(t *testing.T, st news.Store) {
	a := newAccount(t, st, "wang")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	other := newPost(t, st, a, "other", news.PostPublished, base, nil)
	newComment(t, st, other, nil, news.CommentPublished, "elsewhere")
	var top, all []int64
	var first *news.Comment
	for i := range 7 {
		c := newComment(t, st, p, nil, news.CommentPublished, fmt.Sprintf("top %d", i))
		top, all = append(top, c.ID), append(all, c.ID)
		if i == 0 {
			first = c
		}
		if i%2 == 0 {
			r := newComment(t, st, p, first, news.CommentPublished, fmt.Sprintf("reply %d", i))
			all = append(all, r.ID)
		}
	}
	newComment(t, st, p, nil, news.CommentPending, "pending")
	newComment(t, st, p, first, news.CommentDeleted, "deleted")
	replies := []int64{all[1], all[4], all[7], all[10]}
	rev := func(s []int64) []int64 {
		out := make([]int64, len(s))
		for i, v := range s {
			out[len(s)-1-i] = v
		}
		return out
	}

	wantIDs(t, "old", listComments(t, st, news.CommentFilter{PostID: p.ID, Sort: news.SortOld}), all...)
	wantIDs(t, "new", listComments(t, st, news.CommentFilter{PostID: p.ID, Sort: news.SortNew}), rev(all)...)
	wantIDs(t, "top-level old", listComments(t, st, news.CommentFilter{PostID: p.ID, TopLevel: true, Sort: news.SortOld}), top...)
	wantIDs(t, "top-level new", listComments(t, st, news.CommentFilter{PostID: p.ID, TopLevel: true, Sort: news.SortNew}), rev(top)...)
	wantIDs(t, "replies old", listComments(t, st, news.CommentFilter{PostID: p.ID, ParentID: first.ID, Sort: news.SortOld}), replies...)
	wantIDs(t, "replies new", listComments(t, st, news.CommentFilter{PostID: p.ID, ParentID: first.ID, Sort: news.SortNew}), rev(replies)...)

	for _, sort := range []news.CommentSort{news.SortOld, news.SortNew} {
		for _, topLevel := range []bool{false, true} {
			f := news.CommentFilter{PostID: p.ID, TopLevel: topLevel, Sort: sort, Limit: 3}
			var got []int64
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatal("comment pages do not end")
				}
				page := listComments(t, st, f)
				if len(page) > 3 {
					t.Fatalf("page of %d comments, limit 3", len(page))
				}
				if len(page) == 0 {
					break
				}
				got = append(got, page...)
				f.AfterID = page[len(page)-1]
			}
			want := all
			if topLevel {
				want = top
			}
			if sort == news.SortNew {
				want = rev(want)
			}
			wantIDs(t, fmt.Sprintf("pages of %s top-level=%v", sort, topLevel), got, want...)
		}
	}
}

func testListReplies(t *testing.T, st news.Store) {
	a := newAccount(t, st, "xena")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	q := newPost(t, st, a, "other", news.PostPublished, base, nil)
	c := func(parent *news.Comment, status news.CommentStatus, body string) *news.Comment {
		return newComment(t, st, p, parent, status, body)
	}
	pub := news.CommentPublished
	A := c(nil, pub, "A")
	B := c(nil, pub, "B")
	C := c(nil, pub, "C")
	// Written interleaved, so id order is not thread order.
	a1 := c(A, pub, "a1")
	b1 := c(B, pub, "b1")
	a2 := c(A, pub, "a2")
	a1x := c(a1, pub, "a1x")
	c1 := c(C, pub, "c1")
	b1x := c(b1, pub, "b1x")
	a2x := c(a2, pub, "a2x")
	a1y := c(a1, pub, "a1y")
	a1xx := c(a1x, pub, "a1xx")
	ap := c(A, news.CommentPending, "pending")
	newComment(t, st, q, nil, pub, "on q")
	_ = c1
	_ = ap

	want := []int64{a1.ID, a1x.ID, a1xx.ID, a1y.ID, a2.ID, a2x.ID, b1.ID, b1x.ID}
	got, err := st.ListReplies(ctx(t), p.ID, []int64{A.ID, B.ID}, 100)
	must(t, "ListReplies", err)
	wantIDs(t, "replies of A and B", commentIDs(got), want...)
	for _, r := range got {
		if r.Depth == 0 || (r.RootID != A.ID && r.RootID != B.ID) || r.Status != pub {
			t.Fatalf("ListReplies returned %+v", r)
		}
	}
	got, err = st.ListReplies(ctx(t), p.ID, []int64{A.ID, B.ID}, 4)
	must(t, "ListReplies limit 4", err)
	wantIDs(t, "replies of A and B, at most 4", commentIDs(got), want[:4]...)
	got, err = st.ListReplies(ctx(t), p.ID, []int64{B.ID}, 100)
	must(t, "ListReplies B", err)
	wantIDs(t, "replies of B", commentIDs(got), b1.ID, b1x.ID)
	got, err = st.ListReplies(ctx(t), q.ID, []int64{A.ID}, 100)
	must(t, "ListReplies on another post", err)
	wantIDs(t, "replies of A on another post", commentIDs(got))
	got, err = st.ListReplies(ctx(t), p.ID, nil, 100)
	must(t, "ListReplies of no roots", err)
	wantIDs(t, "replies of no roots", commentIDs(got))
}

// testListRepliesWide has more siblings than one base-36 digit holds, so a
// path that compared ids as unpadded text would misorder them.
func testListRepliesWide(t *testing.T, st news.Store) {
	a := newAccount(t, st, "yuri")
	p := newPost(t, st, a, "post", news.PostPublished, base, nil)
	root := newComment(t, st, p, nil, news.CommentPublished, "root")
	var want []int64
	var first *news.Comment
	for i := range 45 {
		r := newComment(t, st, p, root, news.CommentPublished, fmt.Sprintf("r%d", i))
		want = append(want, r.ID)
		if i == 0 {
			first = r
		}
	}
	// A late reply to the first sibling goes right after it.
	late := newComment(t, st, p, first, news.CommentPublished, "late")
	want = append([]int64{want[0], late.ID}, want[1:]...)
	got, err := st.ListReplies(ctx(t), p.ID, []int64{root.ID}, 1000)
	must(t, "ListReplies", err)
	wantIDs(t, "wide thread", commentIDs(got), want...)
}
