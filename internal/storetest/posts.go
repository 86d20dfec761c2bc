package storetest

import (
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

func newPost(t *testing.T, st news.Store, a *news.Account, slug string, status news.PostStatus, published time.Time, tags []string) *news.Post {
	t.Helper()
	p := &news.Post{AuthorID: a.ID, Kind: "article", Title: "Title " + slug, Slug: slug, Lang: "en",
		BodyMarkdown: "Body of " + slug, BodyHTML: "<p>Body of " + slug + "</p>", Tags: tags, Status: status}
	if status == news.PostPublished {
		p.PublishedAt = published
	}
	must(t, "CreatePost "+slug, st.CreatePost(ctx(t), p))
	return p
}

// ids lists the posts of one ListPosts call.
func ids(t *testing.T, st news.Store, f news.PostFilter) []int64 {
	t.Helper()
	posts, err := st.ListPosts(ctx(t), f)
	must(t, "ListPosts", err)
	var out []int64
	for _, p := range posts {
		out = append(out, p.ID)
	}
	return out
}

// pageAll follows the keyset from the first page to the last and returns
// every id in order, and the number of pages.
func pageAll(t *testing.T, st news.Store, f news.PostFilter) ([]int64, int) {
	t.Helper()
	var out []int64
	pages := 0
	for {
		posts, err := st.ListPosts(ctx(t), f)
		must(t, "ListPosts", err)
		if len(posts) > f.Limit {
			t.Fatalf("ListPosts returned %d posts, limit %d", len(posts), f.Limit)
		}
		if len(posts) == 0 {
			return out, pages
		}
		pages++
		if pages > 100 {
			t.Fatal("pagination does not end")
		}
		for _, p := range posts {
			out = append(out, p.ID)
		}
		last := posts[len(posts)-1]
		f.After = &news.PostCursor{Time: last.PublishedAt, ID: last.ID}
		if f.Drafts {
			f.After.Time = last.CreatedAt
		}
	}
}

func wantIDs(t *testing.T, what string, got []int64, want ...int64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func checkPost(t *testing.T, how string, got, want *news.Post) {
	t.Helper()
	if got.ID != want.ID || got.AuthorID != want.AuthorID || got.Kind != want.Kind || got.Title != want.Title ||
		got.Slug != want.Slug || got.Summary != want.Summary || got.BodyMarkdown != want.BodyMarkdown ||
		got.BodyHTML != want.BodyHTML || got.Lang != want.Lang || got.SourceName != want.SourceName ||
		got.SourceURL != want.SourceURL || got.Status != want.Status ||
		got.CommentsCount != want.CommentsCount || got.LikesCount != want.LikesCount {
		t.Fatalf("%s:\n got %+v\nwant %+v", how, got, want)
	}
	if !slices.Equal(got.Tags, want.Tags) {
		t.Fatalf("%s: Tags = %q, want %q", how, got.Tags, want.Tags)
	}
	if want.PublishedAt.IsZero() {
		if !got.PublishedAt.IsZero() {
			t.Fatalf("%s: PublishedAt = %v, want zero", how, got.PublishedAt)
		}
	} else {
		wantTime(t, how+" PublishedAt", got.PublishedAt, stored(want.PublishedAt))
	}
	wantTime(t, how+" CreatedAt", got.CreatedAt, want.CreatedAt)
	wantTime(t, how+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	if got.Author == nil || got.Author.ID != want.AuthorID {
		t.Fatalf("%s: Author = %+v, want account %d", how, got.Author, want.AuthorID)
	}
}

func testPostRoundTrip(t *testing.T, st news.Store) {
	a := newAccount(t, st, "xinhua")
	before := time.Now()
	p := &news.Post{
		AuthorID: a.ID, Kind: "article",
		Title:        "中俄关系 — Россия и Китай: «новая эпоха»",
		Slug:         "中俄关系-россия-и-китай",
		Summary:      "摘要。Краткое содержание.",
		BodyMarkdown: "# 标题\n\nТекст статьи с «кавычками» и emoji 🚀.\n",
		BodyHTML:     "<h1>标题</h1>\n<p>Текст статьи с «кавычками» и emoji 🚀.</p>\n",
		Lang:         "zh-Hans",
		Tags:         []string{"zeta", "alpha", "新闻", "политика"},
		SourceName:   "Агентство 新华社",
		SourceURL:    "https://example.cn/新闻?id=1",
		Status:       news.PostPublished,
		PublishedAt:  base,
	}
	must(t, "CreatePost", st.CreatePost(ctx(t), p))
	if p.ID == 0 {
		t.Fatal("CreatePost did not set ID")
	}
	wantRecent(t, "CreatedAt", p.CreatedAt, before)
	wantTime(t, "UpdatedAt", p.UpdatedAt, p.CreatedAt)
	want := *p
	want.Tags = []string{"zeta", "alpha", "新闻", "политика"}

	got, err := st.PostByID(ctx(t), p.ID)
	must(t, "PostByID", err)
	checkPost(t, "PostByID", got, &want)
	if got.Author.Handle != "xinhua" || got.Author.Name != a.Name || got.Author.PostsCount != 1 {
		t.Fatalf("PostByID Author = %+v", got.Author)
	}
	got, err = st.PostBySlug(ctx(t), a.ID, want.Slug)
	must(t, "PostBySlug", err)
	checkPost(t, "PostBySlug", got, &want)
	list, err := st.ListPosts(ctx(t), news.PostFilter{Now: base.Add(time.Hour)})
	must(t, "ListPosts", err)
	if len(list) != 1 {
		t.Fatalf("ListPosts returned %d posts, want 1", len(list))
	}
	checkPost(t, "ListPosts", list[0], &want)

	d := newPost(t, st, a, "draft", news.PostDraft, time.Time{}, nil)
	got, err = st.PostByID(ctx(t), d.ID)
	must(t, "PostByID draft", err)
	checkPost(t, "draft", got, d)
	if len(got.Tags) != 0 {
		t.Fatalf("draft Tags = %q, want none", got.Tags)
	}
}

func testPostUpdate(t *testing.T, st news.Store) {
	a := newAccount(t, st, "frank")
	p := newPost(t, st, a, "first", news.PostPublished, base, []string{"a", "b"})
	created := p.CreatedAt
	upd := *p
	upd.Title, upd.Slug, upd.Summary = "Новый заголовок", "новый", "Итог"
	upd.BodyMarkdown, upd.BodyHTML, upd.Lang = "新的正文", "<p>新的正文</p>", "ru"
	upd.Tags = []string{"c", "a"}
	upd.SourceName, upd.SourceURL = "ТАСС", "https://example.ru/"
	upd.PublishedAt = base.Add(time.Minute)
	must(t, "UpdatePost", st.UpdatePost(ctx(t), &upd))

	got, err := st.PostByID(ctx(t), p.ID)
	must(t, "PostByID", err)
	wantTime(t, "CreatedAt after update", got.CreatedAt, created)
	if got.UpdatedAt.Before(got.CreatedAt) {
		t.Fatalf("UpdatedAt %v before CreatedAt %v", got.UpdatedAt, got.CreatedAt)
	}
	want := upd
	want.CreatedAt, want.UpdatedAt = created, got.UpdatedAt
	checkPost(t, "after UpdatePost", got, &want)
	if _, err := st.PostBySlug(ctx(t), a.ID, "first"); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("PostBySlug(old slug) error %v, want NotFound", err)
	}

	now := base.Add(time.Hour)
	wantIDs(t, "tag b after the update", ids(t, st, news.PostFilter{Tag: "b", Now: now}))
	wantIDs(t, "tag c after the update", ids(t, st, news.PostFilter{Tag: "c", Now: now}), p.ID)
	wantIDs(t, "tag a after the update", ids(t, st, news.PostFilter{Tag: "a", Now: now}), p.ID)
}

func testPostSlugConflict(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "gina"), newAccount(t, st, "hank")
	newPost(t, st, a, "same", news.PostPublished, base, nil)
	for _, status := range []news.PostStatus{news.PostPublished, news.PostDraft} {
		err := st.CreatePost(ctx(t), &news.Post{AuthorID: a.ID, Kind: "article", Title: "x", Slug: "same", Status: status, PublishedAt: base})
		wantCode(t, "CreatePost with the author's used slug", err, news.Conflict)
	}
	newPost(t, st, b, "same", news.PostPublished, base, nil) // another author may use it
	other := newPost(t, st, a, "other", news.PostDraft, time.Time{}, nil)
	upd := *other
	upd.Slug = "same"
	wantCode(t, "UpdatePost to a used slug", st.UpdatePost(ctx(t), &upd), news.Conflict)
	got, err := st.PostByID(ctx(t), other.ID)
	must(t, "PostByID", err)
	if got.Slug != "other" {
		t.Fatalf("refused update changed the slug to %q", got.Slug)
	}
	acc, err := st.AccountByID(ctx(t), a.ID)
	must(t, "AccountByID", err)
	if acc.PostsCount != 1 {
		t.Fatalf("PostsCount = %d after refused posts, want 1", acc.PostsCount)
	}
}

func testPostsCount(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "ivan"), newAccount(t, st, "jing")
	count := func(want int64) {
		t.Helper()
		acc, err := st.AccountByID(ctx(t), a.ID)
		must(t, "AccountByID", err)
		if acc.PostsCount != want {
			t.Fatalf("PostsCount = %d, want %d", acc.PostsCount, want)
		}
	}
	d := newPost(t, st, a, "draft", news.PostDraft, time.Time{}, nil)
	count(0)
	p := newPost(t, st, a, "pub", news.PostPublished, base, nil)
	count(1)
	newPost(t, st, a, "scheduled", news.PostPublished, base.AddDate(1, 0, 0), nil)
	count(2) // scheduled posts count
	newPost(t, st, b, "theirs", news.PostPublished, base, nil)
	count(2)

	d.Status, d.PublishedAt = news.PostPublished, base.Add(time.Minute)
	must(t, "publish draft", st.UpdatePost(ctx(t), d))
	count(3)
	d.Title = "edited"
	must(t, "edit published", st.UpdatePost(ctx(t), d))
	count(3)
	p.Status, p.PublishedAt = news.PostDraft, time.Time{}
	must(t, "unpublish", st.UpdatePost(ctx(t), p))
	count(2)
	p.Title = "edited draft"
	must(t, "edit draft", st.UpdatePost(ctx(t), p))
	count(2)
	got, err := st.PostByID(ctx(t), d.ID)
	must(t, "PostByID", err)
	if got.Author.PostsCount != 2 {
		t.Fatalf("Post.Author.PostsCount = %d, want 2", got.Author.PostsCount)
	}
}

func testScheduledVisibility(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "kate"), newAccount(t, st, "liam")
	p1 := newPost(t, st, a, "now", news.PostPublished, base, []string{"x"})
	p2 := newPost(t, st, a, "later", news.PostPublished, base.Add(time.Hour), []string{"x"})
	p3 := newPost(t, st, a, "much-later", news.PostPublished, base.Add(2*time.Hour), nil)
	newPost(t, st, a, "draft", news.PostDraft, time.Time{}, []string{"x"})
	q := newPost(t, st, b, "theirs-later", news.PostPublished, base.Add(time.Hour), nil)
	at := func(d time.Duration) time.Time { return stored(base.Add(d)) }

	wantIDs(t, "visible before base", ids(t, st, news.PostFilter{Now: at(-time.Microsecond)}))
	wantIDs(t, "visible at base", ids(t, st, news.PostFilter{Now: at(0)}), p1.ID)
	wantIDs(t, "visible just before p2", ids(t, st, news.PostFilter{Now: at(time.Hour - time.Microsecond)}), p1.ID)
	wantIDs(t, "visible at p2", ids(t, st, news.PostFilter{Now: at(time.Hour)}), q.ID, p2.ID, p1.ID)
	wantIDs(t, "author's visible at p2", ids(t, st, news.PostFilter{AuthorID: a.ID, Now: at(time.Hour)}), p2.ID, p1.ID)
	wantIDs(t, "tag x at base", ids(t, st, news.PostFilter{Tag: "x", Now: at(0)}), p1.ID)
	wantIDs(t, "tag x at p2", ids(t, st, news.PostFilter{Tag: "x", Now: at(time.Hour)}), p2.ID, p1.ID)
	wantIDs(t, "all later", ids(t, st, news.PostFilter{Now: at(3 * time.Hour)}), p3.ID, q.ID, p2.ID, p1.ID)

	// Scheduled: the author's not-yet-visible posts, soonest first.
	sched := func(now time.Time) news.PostFilter {
		return news.PostFilter{AuthorID: a.ID, Scheduled: true, Now: now}
	}
	wantIDs(t, "scheduled at base", ids(t, st, sched(at(0))), p2.ID, p3.ID)
	wantIDs(t, "scheduled at p2", ids(t, st, sched(at(time.Hour))), p3.ID)
	wantIDs(t, "scheduled at p3", ids(t, st, sched(at(2*time.Hour))))
	all, pages := pageAll(t, st, news.PostFilter{AuthorID: a.ID, Scheduled: true, Now: at(0), Limit: 1})
	wantIDs(t, "scheduled one by one", all, p2.ID, p3.ID)
	if pages != 2 {
		t.Fatalf("scheduled pages = %d, want 2", pages)
	}
}

func testKeysetPagination(t *testing.T, st news.Store) {
	authors := []*news.Account{newAccount(t, st, "mia"), newAccount(t, st, "noah"), newAccount(t, st, "olga")}
	type key struct {
		at time.Time
		id int64
	}
	var visible []key
	byAuthor := map[int64][]key{}
	for i := range 23 {
		a := authors[i%3]
		// Groups of three posts share a time, and the groups are not created
		// in time order, so order must come from (time, id), not insertion.
		at := base.Add(time.Duration((i/3)*7%8) * time.Minute)
		p := newPost(t, st, a, fmt.Sprintf("post-%d", i), news.PostPublished, at, []string{"all"})
		visible = append(visible, key{stored(at), p.ID})
		byAuthor[a.ID] = append(byAuthor[a.ID], key{stored(at), p.ID})
	}
	newPost(t, st, authors[0], "draft", news.PostDraft, time.Time{}, []string{"all"})
	newPost(t, st, authors[0], "future", news.PostPublished, base.Add(time.Hour), []string{"all"})
	order := func(ks []key) []int64 {
		sort.Slice(ks, func(i, j int) bool {
			if !ks[i].at.Equal(ks[j].at) {
				return ks[i].at.After(ks[j].at)
			}
			return ks[i].id > ks[j].id
		})
		var out []int64
		for _, k := range ks {
			out = append(out, k.id)
		}
		return out
	}
	now := base.Add(30 * time.Minute)

	got, pages := pageAll(t, st, news.PostFilter{Now: now, Limit: 5})
	wantIDs(t, "all pages", got, order(visible)...)
	if pages != 5 {
		t.Fatalf("pages = %d, want 5", pages)
	}
	got, _ = pageAll(t, st, news.PostFilter{Tag: "all", Now: now, Limit: 4})
	wantIDs(t, "all pages of a tag", got, order(visible)...)
	for _, a := range authors {
		got, _ = pageAll(t, st, news.PostFilter{AuthorID: a.ID, Now: now, Limit: 2})
		wantIDs(t, "all pages of "+a.Handle, got, order(byAuthor[a.ID])...)
	}
	if n := len(ids(t, st, news.PostFilter{Now: now})); n != 20 {
		t.Fatalf("default limit gave %d posts, want 20", n)
	}
}

func testTagFilter(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "paul"), newAccount(t, st, "qing")
	p1 := newPost(t, st, a, "p1", news.PostPublished, base, []string{"go", "新闻"})
	p2 := newPost(t, st, a, "p2", news.PostPublished, base.Add(time.Minute), []string{"go"})
	newPost(t, st, a, "p3", news.PostPublished, base.Add(2*time.Minute), []string{"rust"})
	p4 := newPost(t, st, a, "p4", news.PostDraft, time.Time{}, []string{"go"})
	p5 := newPost(t, st, a, "p5", news.PostPublished, base.Add(time.Hour), []string{"go"})
	p6 := newPost(t, st, b, "p6", news.PostPublished, base.Add(3*time.Minute), []string{"новости", "go"})
	now := base.Add(10 * time.Minute)

	wantIDs(t, "tag go", ids(t, st, news.PostFilter{Tag: "go", Now: now}), p6.ID, p2.ID, p1.ID)
	wantIDs(t, "tag go of one author", ids(t, st, news.PostFilter{Tag: "go", AuthorID: a.ID, Now: now}), p2.ID, p1.ID)
	wantIDs(t, "tag 新闻", ids(t, st, news.PostFilter{Tag: "新闻", Now: now}), p1.ID)
	wantIDs(t, "tag новости", ids(t, st, news.PostFilter{Tag: "новости", Now: now}), p6.ID)
	wantIDs(t, "unknown tag", ids(t, st, news.PostFilter{Tag: "none", Now: now}))
	wantIDs(t, "tag go once p5 is due", ids(t, st, news.PostFilter{Tag: "go", Now: base.Add(time.Hour)}), p5.ID, p6.ID, p2.ID, p1.ID)
	posts, err := st.ListPosts(ctx(t), news.PostFilter{Tag: "go", Now: now})
	must(t, "ListPosts", err)
	if !slices.Equal(posts[0].Tags, []string{"новости", "go"}) || posts[0].Author.Handle != "qing" {
		t.Fatalf("tag list post = %q by %q", posts[0].Tags, posts[0].Author.Handle)
	}

	// Publishing a draft and unpublishing a post move them in and out.
	p4.Status, p4.PublishedAt = news.PostPublished, base.Add(90*time.Second)
	must(t, "publish p4", st.UpdatePost(ctx(t), p4))
	p1.Status, p1.PublishedAt = news.PostDraft, time.Time{}
	must(t, "unpublish p1", st.UpdatePost(ctx(t), p1))
	wantIDs(t, "tag go after the updates", ids(t, st, news.PostFilter{Tag: "go", Now: now}), p6.ID, p4.ID, p2.ID)
	wantIDs(t, "tag 新闻 after unpublishing", ids(t, st, news.PostFilter{Tag: "新闻", Now: now}))
}

func testDraftsList(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "rosa"), newAccount(t, st, "sam")
	var drafts []*news.Post
	for i := range 5 {
		drafts = append(drafts, newPost(t, st, a, fmt.Sprintf("d%d", i), news.PostDraft, time.Time{}, nil))
		if i == 2 {
			newPost(t, st, a, "pub", news.PostPublished, base, nil)
			newPost(t, st, b, "their-draft", news.PostDraft, time.Time{}, nil)
		}
	}
	var want []int64
	for i := len(drafts) - 1; i >= 0; i-- {
		want = append(want, drafts[i].ID)
	}
	f := news.PostFilter{AuthorID: a.ID, Drafts: true, Now: base}
	wantIDs(t, "drafts", ids(t, st, f), want...)
	f.Limit = 2
	got, pages := pageAll(t, st, f)
	wantIDs(t, "drafts two by two", got, want...)
	if pages != 3 {
		t.Fatalf("draft pages = %d, want 3", pages)
	}
}

func testListPostsNeedsAuthor(t *testing.T, st news.Store) {
	_, err := st.ListPosts(ctx(t), news.PostFilter{Drafts: true, Now: base})
	wantCode(t, "drafts of nobody", err, news.Invalid)
	_, err = st.ListPosts(ctx(t), news.PostFilter{Scheduled: true, Now: base})
	wantCode(t, "scheduled of nobody", err, news.Invalid)
}

// testPostDelete deletes a post that has everything hanging off it and
// checks that it all goes, the counters stay exact and other posts keep
// theirs.
func testPostDelete(t *testing.T, st news.Store) {
	author, fan := newAccount(t, st, "author"), newAccount(t, st, "fan")
	follow(t, st, fan, author)
	now := time.Now()
	p := newPost(t, st, author, "doomed", news.PostPublished, now.Add(-time.Minute), []string{"news"})
	keep := newPost(t, st, author, "kept", news.PostPublished, now.Add(-2*time.Minute), []string{"news"})
	sched := newPost(t, st, author, "later", news.PostPublished, now.Add(time.Hour), nil)
	draft := newPost(t, st, author, "draft", news.PostDraft, time.Time{}, nil)
	postsCount := func(want int64) {
		t.Helper()
		a, err := st.AccountByID(ctx(t), author.ID)
		must(t, "AccountByID", err)
		if a.PostsCount != want {
			t.Fatalf("PostsCount = %d, want %d", a.PostsCount, want)
		}
	}
	postsCount(3)

	// Everything that hangs off a post: an account's comment and a reply,
	// likes of both kinds, views, notifications (likes and fan-out) and
	// media shared with the kept post.
	top := &news.Comment{PostID: p.ID, AccountID: fan.ID, Body: "first", BodyHTML: "<p>first</p>", Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), top))
	reply := newComment(t, st, p, top, news.CommentPublished, "reply")
	keptComment := newComment(t, st, keep, nil, news.CommentPublished, "stays")
	for _, c := range []*news.Comment{top, keptComment} {
		_, err := st.LikeComment(ctx(t), c.ID, news.Reader{AccountID: author.ID})
		must(t, "LikeComment", err)
	}
	for _, id := range []int64{p.ID, keep.ID} {
		_, err := st.LikePost(ctx(t), id, news.Reader{AccountID: fan.ID})
		must(t, "LikePost", err)
	}
	_, err := st.RecordViews(ctx(t), []news.ViewMark{{PostID: p.ID, ReaderKey: "g:x"}, {PostID: keep.ID, ReaderKey: "g:x"}})
	must(t, "RecordViews", err)
	must(t, "NotifyLikes", st.NotifyLikes(ctx(t), author.ID, news.NotifyPostLikes, p.ID, 0))
	_, err = st.EnqueueFanouts(ctx(t), now.Add(time.Second), 100)
	must(t, "EnqueueFanouts", err)
	for {
		_, found, err := st.FanoutBatch(ctx(t), 100)
		must(t, "FanoutBatch", err)
		if !found {
			break
		}
	}
	img := newMedia(t, st, author, news.MediaImage, "shared-image")
	must(t, "SetPostMedia p", st.SetPostMedia(ctx(t), p.ID, img.ID, nil))
	must(t, "SetPostMedia keep", st.SetPostMedia(ctx(t), keep.ID, 0, []int64{img.ID}))
	if n := notesAbout(t, st, fan.ID, p.ID) + notesAbout(t, st, author.ID, p.ID); n == 0 {
		t.Fatal("the test set up no notification about the post")
	}

	must(t, "DeletePost", st.DeletePost(ctx(t), p.ID))
	_, err = st.PostByID(ctx(t), p.ID)
	wantCode(t, "PostByID deleted", err, news.NotFound)
	for _, c := range []*news.Comment{top, reply} {
		_, err := st.CommentByID(ctx(t), c.ID)
		wantCode(t, "CommentByID of the deleted post", err, news.NotFound)
	}
	liked, err := st.LikedPosts(ctx(t), news.Reader{AccountID: fan.ID}, []int64{p.ID, keep.ID})
	must(t, "LikedPosts", err)
	if liked[p.ID] || !liked[keep.ID] {
		t.Fatalf("LikedPosts after delete = %v, want only the kept post", liked)
	}
	if n := notesAbout(t, st, fan.ID, p.ID) + notesAbout(t, st, author.ID, p.ID); n != 0 {
		t.Fatalf("%d notifications still point at the deleted post", n)
	}
	if m, emb, err := st.PostMedia(ctx(t), p.ID); err != nil || m != nil || len(emb) != 0 {
		t.Fatalf("PostMedia(deleted) = %v, %v, %v; want nothing", m, emb, err)
	}
	postsCount(2)
	timeline, err := st.FollowingTimeline(ctx(t), fan.ID, now, nil, 10)
	must(t, "FollowingTimeline", err)
	if len(timeline) != 1 || timeline[0].ID != keep.ID {
		t.Fatalf("fan's timeline has %d posts, want only the kept one", len(timeline))
	}
	wantIDs(t, "tag list", ids(t, st, news.PostFilter{Tag: "news", Now: now}), keep.ID)

	// The other post keeps its comments, likes, views and media.
	got, err := st.PostByID(ctx(t), keep.ID)
	must(t, "PostByID kept", err)
	if got.CommentsCount != 1 || got.LikesCount != 1 || stats(t, st, keep.ID).Views != 1 {
		t.Fatalf("kept post counters = %d comments, %d likes, %+v", got.CommentsCount, got.LikesCount, stats(t, st, keep.ID))
	}
	c, err := st.CommentByID(ctx(t), keptComment.ID)
	must(t, "CommentByID kept", err)
	if c.LikesCount != 1 {
		t.Fatalf("kept comment likes = %d, want 1", c.LikesCount)
	}
	if _, emb, err := st.PostMedia(ctx(t), keep.ID); err != nil || len(emb) != 1 || emb[0].ID != img.ID {
		t.Fatalf("kept post's media = %v, %v", emb, err)
	}

	// A scheduled post was counted, a draft was not.
	must(t, "DeletePost scheduled", st.DeletePost(ctx(t), sched.ID))
	postsCount(1)
	must(t, "DeletePost draft", st.DeletePost(ctx(t), draft.ID))
	postsCount(1)
	wantCode(t, "DeletePost again", st.DeletePost(ctx(t), p.ID), news.NotFound)
	postsCount(1)
}

// notesAbout counts accountID's notifications about post postID.
func notesAbout(t *testing.T, st news.Store, accountID, postID int64) int {
	t.Helper()
	notes, err := st.ListNotifications(ctx(t), accountID, 0, 100)
	must(t, "ListNotifications", err)
	n := 0
	for _, x := range notes {
		if x.PostID == postID {
			n++
		}
	}
	return n
}
