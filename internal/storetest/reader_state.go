package storetest

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/headline/headline/internal/news"
)

// testReaderState pins ReaderState to the five reads it stands for, for
// an account and a guest, with each part asked for alone and together,
// and the edges a one-statement read could get wrong: liked comments of
// another post inside the page's id range, more such likes than a range
// walk takes, the unread and held limits, parts a guest cannot have.
func testReaderState(t *testing.T, st news.Store) {
	author, rita, fan := newAccount(t, st, "desk"), newAccount(t, st, "rita"), newAccount(t, st, "fan")
	post := newPost(t, st, author, "state", news.PostPublished, base, nil)
	other := newPost(t, st, author, "other", news.PostPublished, base, nil)
	acct, guest := news.Reader{AccountID: rita.ID}, news.Reader{GuestID: "guest-state"}

	// The page's comments, each followed by one on the other post, which
	// Rita likes: they lie inside the page's id range.
	var page, between []int64
	for i := range 12 {
		page = append(page, newComment(t, st, post, nil, news.CommentPublished, "on the page "+strconv.Itoa(i)).ID)
		between = append(between, newComment(t, st, other, nil, news.CommentPublished, "elsewhere "+strconv.Itoa(i)).ID)
	}
	like := func(r news.Reader, id int64) {
		t.Helper()
		_, err := st.LikeComment(ctx(t), id, r)
		must(t, "LikeComment", err)
	}
	for _, i := range []int{0, 3, 7, 11} {
		like(acct, page[i])
	}
	for _, id := range between {
		like(acct, id)
	}
	like(guest, page[5])
	_, err := st.LikePost(ctx(t), post.ID, acct)
	must(t, "LikePost", err)
	_, err = st.LikePost(ctx(t), other.ID, guest)
	must(t, "LikePost", err)
	_, err = st.Follow(ctx(t), rita.ID, author.ID)
	must(t, "Follow", err)
	for _, a := range []*news.Account{fan, author, newAccount(t, st, "third")} {
		_, err = st.Follow(ctx(t), a.ID, rita.ID) // each notifies Rita
		must(t, "Follow", err)
	}
	held1 := heldComment(t, st, post, nil, acct.Key(), "held one")
	held2 := heldComment(t, st, post, nil, acct.Key(), "held two")
	heldComment(t, st, other, nil, acct.Key(), "held elsewhere")
	gheld := heldComment(t, st, post, nil, guest.Key(), "guest held")

	all := func(r news.Reader) news.ReaderStateQuery {
		return news.ReaderStateQuery{Reader: r, PostID: post.ID, UnreadMax: 100, AuthorID: author.ID, PostLike: true,
			CommentIDs: page, HeldMax: 20}
	}
	read := func(what string, q news.ReaderStateQuery) news.ReaderState {
		t.Helper()
		got, err := st.ReaderState(ctx(t), q)
		must(t, "ReaderState "+what, err)
		if got.LikedComments == nil {
			t.Fatalf("ReaderState %s: LikedComments is nil", what)
		}
		return got
	}
	check := func(what string, got news.ReaderState, unread int, following, postLiked bool, liked []int64, held []int64) {
		t.Helper()
		if got.Unread != unread || got.Following != following || got.PostLiked != postLiked ||
			!slices.Equal(slices.Sorted(maps.Keys(got.LikedComments)), liked) || !slices.Equal(commentIDs(got.Held), held) {
			t.Fatalf("ReaderState %s = unread %d, following %v, post liked %v, liked %v, held %v;\n"+
				"want %d, %v, %v, %v, %v", what, got.Unread, got.Following, got.PostLiked,
				slices.Sorted(maps.Keys(got.LikedComments)), commentIDs(got.Held), unread, following, postLiked, liked, held)
		}
	}
	ritaLikes := []int64{page[0], page[3], page[7], page[11]}

	// Everything at once is what the five reads say.
	got := read("of an account", all(acct))
	check("of an account", got, 3, true, true, ritaLikes, []int64{held1.ID, held2.ID})
	unread, err := st.UnreadCount(ctx(t), rita.ID, 100)
	must(t, "UnreadCount", err)
	following, err := st.IsFollowing(ctx(t), rita.ID, author.ID)
	must(t, "IsFollowing", err)
	posts, err := st.LikedPosts(ctx(t), acct, []int64{post.ID})
	must(t, "LikedPosts", err)
	comments, err := st.LikedComments(ctx(t), acct, page)
	must(t, "LikedComments", err)
	held, err := st.HeldComments(ctx(t), post.ID, acct.Key(), 20)
	must(t, "HeldComments", err)
	check("against the five reads", got, unread, following, posts[post.ID], slices.Sorted(maps.Keys(comments)), commentIDs(held))
	if h := got.Held[0]; h.Review == nil || h.Review.Writer != acct.Key() || h.BodyHTML != held1.BodyHTML {
		t.Fatalf("ReaderState's held comment = %+v, want it whole with its review", h)
	}

	// Each part alone; the others stay zero.
	only := func(what string, q news.ReaderStateQuery, unread int, following, postLiked bool, liked, held []int64) {
		t.Helper()
		q.Reader, q.PostID = acct, post.ID
		check(what, read(what, q), unread, following, postLiked, liked, held)
	}
	only("nothing asked", news.ReaderStateQuery{}, 0, false, false, nil, nil)
	only("unread", news.ReaderStateQuery{UnreadMax: 100}, 3, false, false, nil, nil)
	only("unread up to 2", news.ReaderStateQuery{UnreadMax: 2}, 2, false, false, nil, nil)
	only("follow", news.ReaderStateQuery{AuthorID: author.ID}, 0, true, false, nil, nil)
	only("follow of one not followed", news.ReaderStateQuery{AuthorID: fan.ID}, 0, false, false, nil, nil)
	only("post like", news.ReaderStateQuery{PostLike: true}, 0, false, true, nil, nil)
	only("liked comments", news.ReaderStateQuery{CommentIDs: page}, 0, false, false, ritaLikes, nil)
	only("one comment", news.ReaderStateQuery{CommentIDs: []int64{page[3]}}, 0, false, false, []int64{page[3]}, nil)
	only("held up to 1", news.ReaderStateQuery{HeldMax: 1}, 0, false, false, nil, []int64{held1.ID})
	// Two ids with all twelve liked comments of the other post between
	// them: more than a walk of the range may take.
	only("a range full of other likes", news.ReaderStateQuery{CommentIDs: []int64{page[0], page[11]}},
		0, false, false, []int64{page[0], page[11]}, nil)
	only("ids of the other post", news.ReaderStateQuery{CommentIDs: between[:3]}, 0, false, false, between[:3], nil)

	// A guest has no unread count and follows nobody, asked or not.
	check("of a guest", read("of a guest", all(guest)), 0, false, false, []int64{page[5]}, []int64{gheld.ID})
	// Nobody: nothing.
	check("of nobody", read("of nobody", all(news.Reader{})), 0, false, false, nil, nil)
	// A reader with nothing on the post.
	check("of the fan", read("of the fan", all(news.Reader{AccountID: fan.ID})), 0, false, false, nil, nil)
	// The author, asked about their own follow button: there is no such
	// follow. Their unread: Rita's follow, the likes of their posts.
	authorUnread, err := st.UnreadCount(ctx(t), author.ID, 100)
	must(t, "UnreadCount", err)
	if authorUnread == 0 {
		t.Fatal("the author has no unread notification")
	}
	check("of the author", read("of the author", all(news.Reader{AccountID: author.ID})), authorUnread, false, false, nil, nil)
}
