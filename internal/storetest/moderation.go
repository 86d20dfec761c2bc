package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// moderationTests are the subtests of ModerationStore, listed in Run.
var moderationTests = []struct {
	name string
	fn   func(t *testing.T, st news.Store)
}{
	{"ModerationHeldAndApproved", testHeldAndApproved},
	{"ModerationApproveUnderDeletedParent", testApproveUnderDeletedParent},
	{"ModerationSpamAndTrash", testSpamAndTrash},
	{"ModerationQueuePages", testQueuePages},
	{"ModerationReports", testReports},
	{"ModerationSettingsAndSecret", testModerationSettings},
	{"ModerationWriterFactsAndBans", testWriterFactsAndBans},
	{"ModerationRateCounters", testRateCounters},
	{"ModerationApprovedReplyNotifies", testApprovedReplyNotifies},
}

func heldComment(t *testing.T, st news.Store, post *news.Post, parent *news.Comment, writer, body string) *news.Comment {
	t.Helper()
	c := &news.Comment{PostID: post.ID, AuthorName: "Guest", Email: "guest@example.com", Body: body, BodyHTML: "<p>" + body + "</p>",
		Status: news.CommentPending, Review: &news.Review{Score: 3, Reasons: []string{"3 links", "blocklisted word 'casino'"}, Writer: writer}}
	if parent != nil {
		c.ParentID = parent.ID
	}
	must(t, "CreateComment held "+body, st.CreateComment(ctx(t), c))
	return c
}

func commentsCount(t *testing.T, st news.Store, postID int64) int64 {
	t.Helper()
	p, err := st.PostByID(ctx(t), postID)
	must(t, "PostByID", err)
	return p.CommentsCount
}

func wantCount(t *testing.T, what string, st news.Store, postID, want int64) {
	t.Helper()
	if got := commentsCount(t, st, postID); got != want {
		t.Fatalf("%s: post CommentsCount %d, want %d", what, got, want)
	}
}

func queueIDs(t *testing.T, st news.Store, f news.QueueFilter) []int64 {
	t.Helper()
	cs, err := st.ModerationQueue(ctx(t), f)
	must(t, "ModerationQueue", err)
	return commentIDs(cs)
}

func testHeldAndApproved(t *testing.T, st news.Store) {
	a := newAccount(t, st, "herald")
	post := newPost(t, st, a, "held", news.PostPublished, base, nil)
	top := newComment(t, st, post, nil, news.CommentPublished, "first")
	held := heldComment(t, st, post, top, "g:guest-one", "buy now")
	wantCount(t, "after a held reply", st, post.ID, 1)

	got, err := st.HeldComments(ctx(t), post.ID, "g:guest-one", 10)
	must(t, "HeldComments", err)
	if len(got) != 1 || got[0].ID != held.ID || got[0].Review == nil ||
		!slices.Equal(got[0].Review.Reasons, []string{"3 links", "blocklisted word 'casino'"}) || got[0].Review.Score != 3 {
		t.Fatalf("HeldComments of the writer = %+v, want the held reply with its reasons", got)
	}
	for _, other := range []string{"g:guest-two", "a:1", ""} {
		got, err := st.HeldComments(ctx(t), post.ID, other, 10)
		must(t, "HeldComments", err)
		if len(got) != 0 {
			t.Fatalf("HeldComments of %q = %v, want none: a held comment is its writer's only", other, commentIDs(got))
		}
	}
	if ids := listComments(t, st, news.CommentFilter{PostID: post.ID}); slices.Contains(ids, held.ID) {
		t.Fatalf("ListComments shows the held comment: %v", ids)
	}
	if ids := queueIDs(t, st, news.QueueFilter{Queue: news.QueuePending}); !slices.Equal(ids, []int64{held.ID}) {
		t.Fatalf("pending queue = %v, want [%d]", ids, held.ID)
	}

	c, err := st.ModerateComment(ctx(t), held.ID, news.ActApprove)
	must(t, "approve", err)
	if c.Status != news.CommentPublished || c.BodyHTML != "<p>buy now</p>" {
		t.Fatalf("approved comment: status %q body %q", c.Status, c.BodyHTML)
	}
	wantCount(t, "after approving", st, post.ID, 2)
	parent, err := st.CommentByID(ctx(t), top.ID)
	must(t, "CommentByID", err)
	if parent.RepliesCount != 1 {
		t.Fatalf("parent RepliesCount %d after approving its reply, want 1", parent.RepliesCount)
	}
	_, err = st.ModerateComment(ctx(t), held.ID, news.ActApprove)
	must(t, "approve again", err)
	wantCount(t, "after approving twice", st, post.ID, 2)
	if ids := queueIDs(t, st, news.QueueFilter{Queue: news.QueuePending}); len(ids) != 0 {
		t.Fatalf("pending queue after approval = %v", ids)
	}
	_, err = st.ModerateComment(ctx(t), 987654, news.ActApprove)
	wantCode(t, "approve a missing comment", err, news.NotFound)
}

func testApproveUnderDeletedParent(t *testing.T, st news.Store) {
	a := newAccount(t, st, "orphans")
	post := newPost(t, st, a, "orphans", news.PostPublished, base, nil)
	top := newComment(t, st, post, nil, news.CommentPublished, "top")
	held := heldComment(t, st, post, top, "g:x", "late reply")
	must(t, "DeleteComment", st.DeleteComment(ctx(t), top.ID))
	wantCount(t, "after deleting the parent", st, post.ID, 0)
	_, err := st.ModerateComment(ctx(t), held.ID, news.ActApprove)
	must(t, "approve", err)
	wantCount(t, "after approving under a deleted parent", st, post.ID, 1)
	p, err := st.CommentByID(ctx(t), top.ID)
	must(t, "CommentByID", err)
	if p.Status != news.CommentPublished || !p.Placeholder() || p.BodyHTML != "" || p.RepliesCount != 1 {
		t.Fatalf("parent after approval: status %q placeholder %v body %q replies %d; want a placeholder with one reply",
			p.Status, p.Placeholder(), p.BodyHTML, p.RepliesCount)
	}
	if ids := listComments(t, st, news.CommentFilter{PostID: post.ID}); !slices.Equal(ids, []int64{top.ID, held.ID}) {
		t.Fatalf("ListComments = %v, want the placeholder and the approved reply", ids)
	}
}

func testSpamAndTrash(t *testing.T, st news.Store) {
	a := newAccount(t, st, "trashy")
	post := newPost(t, st, a, "trash", news.PostPublished, base, nil)
	alone := newComment(t, st, post, nil, news.CommentPublished, "alone")
	threaded := newComment(t, st, post, nil, news.CommentPublished, "threaded")
	reply := newComment(t, st, post, threaded, news.CommentPublished, "reply")
	held := heldComment(t, st, post, nil, "g:y", "held")
	wantCount(t, "start", st, post.ID, 3)

	c, err := st.ModerateComment(ctx(t), alone.ID, news.ActSpam)
	must(t, "spam", err)
	if c.Status != news.CommentSpam {
		t.Fatalf("spam: status %q", c.Status)
	}
	wantCount(t, "after spam", st, post.ID, 2)
	if ids := queueIDs(t, st, news.QueueFilter{Queue: news.QueueSpam}); !slices.Equal(ids, []int64{alone.ID}) {
		t.Fatalf("spam queue = %v", ids)
	}
	c, err = st.ModerateComment(ctx(t), alone.ID, news.ActApprove)
	must(t, "approve spam", err)
	if c.Status != news.CommentPublished || c.BodyHTML != "<p>alone</p>" {
		t.Fatalf("approved spam: status %q body %q, want its body back", c.Status, c.BodyHTML)
	}
	wantCount(t, "after approving spam", st, post.ID, 3)

	c, err = st.ModerateComment(ctx(t), threaded.ID, news.ActTrash)
	must(t, "trash threaded", err)
	if !c.Placeholder() || c.Status != news.CommentPublished {
		t.Fatalf("trashed comment with a reply: want a placeholder, got status %q deleted %v", c.Status, c.DeletedAt)
	}
	wantCount(t, "after trashing a comment with a reply", st, post.ID, 2)
	_, err = st.ModerateComment(ctx(t), reply.ID, news.ActTrash)
	must(t, "trash reply", err)
	wantCount(t, "after trashing the reply", st, post.ID, 1)
	if p, _ := st.CommentByID(ctx(t), threaded.ID); p.Status != news.CommentDeleted {
		t.Fatalf("placeholder left without replies: status %q, want deleted", p.Status)
	}

	c, err = st.ModerateComment(ctx(t), held.ID, news.ActTrash)
	must(t, "trash held", err)
	if c.Status != news.CommentDeleted {
		t.Fatalf("trashed held comment: status %q", c.Status)
	}
	wantCount(t, "after trashing a held comment", st, post.ID, 1)
	_, err = st.ModerateComment(ctx(t), held.ID, news.ActApprove)
	wantCode(t, "approve a trashed comment", err, news.Conflict)
	_, err = st.ModerateComment(ctx(t), alone.ID, "explode")
	wantCode(t, "unknown action", err, news.Invalid)
	_, err = st.ModerationQueue(ctx(t), news.QueueFilter{Queue: "everything"})
	wantCode(t, "unknown queue", err, news.Invalid)
}

func testQueuePages(t *testing.T, st news.Store) {
	a, b := newAccount(t, st, "author_a"), newAccount(t, st, "author_b")
	pa := newPost(t, st, a, "qa", news.PostPublished, base, nil)
	pb := newPost(t, st, b, "qb", news.PostPublished, base, nil)
	var onA, all []int64
	for i := range 5 {
		p := pa
		if i%2 == 1 {
			p = pb
		}
		c := heldComment(t, st, p, nil, "g:q", fmt.Sprintf("held %d", i))
		all = append([]int64{c.ID}, all...)
		if p == pa {
			onA = append([]int64{c.ID}, onA...)
		}
	}
	var got []int64
	before := int64(0)
	for range 10 {
		page := queueIDs(t, st, news.QueueFilter{Queue: news.QueuePending, BeforeID: before, Limit: 2})
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		before = page[len(page)-1]
	}
	if !slices.Equal(got, all) {
		t.Fatalf("pending queue by pages of 2 = %v, want %v", got, all)
	}
	if ids := queueIDs(t, st, news.QueueFilter{Queue: news.QueuePending, PostAuthorID: a.ID}); !slices.Equal(ids, onA) {
		t.Fatalf("queue of author a's posts = %v, want %v", ids, onA)
	}
}

func testReports(t *testing.T, st news.Store) {
	a := newAccount(t, st, "reported")
	post := newPost(t, st, a, "rep", news.PostPublished, base, nil)
	c := newComment(t, st, post, nil, news.CommentPublished, "rude")
	held := heldComment(t, st, post, nil, "g:z", "held")
	report := func(reader string) (bool, error) {
		return st.ReportComment(ctx(t), news.Report{CommentID: c.ID, Reader: reader, Reason: "abuse", Note: "rude to me"})
	}
	for i, tc := range []struct {
		reader string
		want   bool
	}{{"a:1", true}, {"a:1", false}, {"g:someone", true}} {
		added, err := report(tc.reader)
		must(t, "ReportComment", err)
		if added != tc.want {
			t.Fatalf("report %d by %s: added %v, want %v", i, tc.reader, added, tc.want)
		}
	}
	cs, err := st.ModerationQueue(ctx(t), news.QueueFilter{Queue: news.QueueReported})
	must(t, "reported queue", err)
	if len(cs) != 1 || cs[0].ID != c.ID || cs[0].Review == nil || cs[0].Review.Reports != 2 {
		t.Fatalf("reported queue = %+v, want the comment with 2 reports", cs)
	}
	_, err = st.ReportComment(ctx(t), news.Report{CommentID: held.ID, Reader: "a:1", Reason: "spam"})
	wantCode(t, "report a held comment", err, news.NotFound)
	_, err = st.ReportComment(ctx(t), news.Report{CommentID: 99999, Reader: "a:1", Reason: "spam"})
	wantCode(t, "report a missing comment", err, news.NotFound)

	d, err := st.ModerateComment(ctx(t), c.ID, news.ActDismiss)
	must(t, "dismiss", err)
	if d.Status != news.CommentPublished || (d.Review != nil && d.Review.Reports != 0) {
		t.Fatalf("dismissed: status %q review %+v", d.Status, d.Review)
	}
	if ids := queueIDs(t, st, news.QueueFilter{Queue: news.QueueReported}); len(ids) != 0 {
		t.Fatalf("reported queue after dismissal = %v", ids)
	}
	if added, err := report("a:1"); err != nil || added {
		t.Fatalf("reporting again after dismissal: added %v err %v; want one report per reader", added, err)
	}
}

func testModerationSettings(t *testing.T, st news.Store) {
	ms, err := st.LoadModerationSettings(ctx(t))
	must(t, "LoadModerationSettings", err)
	if ms.Version != 0 || len(ms.Scopes) != 1 || ms.Scopes[0] != "" {
		t.Fatalf("fresh settings = %+v, want version 0 and an empty site document", ms)
	}
	v1, err := st.SaveModerationSettings(ctx(t), 0, `{"site":1}`)
	must(t, "save site", err)
	v2, err := st.SaveModerationSettings(ctx(t), 42, `{"account":42}`)
	must(t, "save override", err)
	if v1 != 1 || v2 != 2 {
		t.Fatalf("versions %d, %d; want 1, 2", v1, v2)
	}
	ms, err = st.LoadModerationSettings(ctx(t))
	must(t, "LoadModerationSettings", err)
	if ms.Version != 2 || ms.Scopes[0] != `{"site":1}` || ms.Scopes[42] != `{"account":42}` {
		t.Fatalf("settings = %+v", ms)
	}
	v3, err := st.SaveModerationSettings(ctx(t), 42, "")
	must(t, "remove override", err)
	ms, err = st.LoadModerationSettings(ctx(t))
	must(t, "LoadModerationSettings", err)
	if _, ok := ms.Scopes[42]; ok || v3 != 3 || ms.Version != 3 {
		t.Fatalf("after removing the override: %+v (v%d)", ms, v3)
	}

	first, err := st.SiteSecret(ctx(t), "form_key", func() string { return "secret-one" })
	must(t, "SiteSecret", err)
	second, err := st.SiteSecret(ctx(t), "form_key", func() string { return "secret-two" })
	must(t, "SiteSecret again", err)
	if first != "secret-one" || second != "secret-one" {
		t.Fatalf("SiteSecret = %q then %q, want the first stored value both times", first, second)
	}
}

func testWriterFactsAndBans(t *testing.T, st news.Store) {
	a := newAccount(t, st, "writer")
	post := newPost(t, st, a, "facts", news.PostPublished, base, nil)
	facts := func(q news.WriterQuery) news.WriterFacts {
		t.Helper()
		f, err := st.WriterFacts(ctx(t), q)
		must(t, "WriterFacts", err)
		return f
	}
	guest := news.WriterQuery{Email: "guest@example.com", IP: "192.0.2.7"}
	if f := facts(guest); f.Known || f.Banned != "" {
		t.Fatalf("new guest: %+v", f)
	}
	heldComment(t, st, post, nil, "g:w", "held only")
	if f := facts(guest); f.Known {
		t.Fatal("a guest with only a held comment counts as known")
	}
	newComment(t, st, post, nil, news.CommentPublished, "published")
	if f := facts(guest); !f.Known {
		t.Fatal("a guest with a published comment is not known")
	}
	acct := news.WriterQuery{AccountID: a.ID, IP: "192.0.2.8"}
	if f := facts(acct); f.Known {
		t.Fatal("an account without comments counts as known")
	}
	must(t, "account comment", st.CreateComment(ctx(t), &news.Comment{PostID: post.ID, AccountID: a.ID, Body: "mine", Status: news.CommentPublished}))
	if f := facts(acct); !f.Known {
		t.Fatal("an account with a published comment is not known")
	}

	b := &news.Ban{Kind: news.BanEmail, Value: "guest@example.com", Reason: "spam"}
	must(t, "AddBan", st.AddBan(ctx(t), b))
	again := &news.Ban{Kind: news.BanEmail, Value: "guest@example.com", Reason: "other"}
	must(t, "AddBan again", st.AddBan(ctx(t), again))
	if again.ID != b.ID || again.Reason != "spam" || b.CreatedAt.IsZero() {
		t.Fatalf("banning twice: %+v then %+v, want the first ban back", b, again)
	}
	must(t, "AddBan ip", st.AddBan(ctx(t), &news.Ban{Kind: news.BanIP, Value: "192.0.2.8"}))
	must(t, "AddBan account", st.AddBan(ctx(t), &news.Ban{Kind: news.BanAccount, Value: fmt.Sprint(a.ID)}))
	if f := facts(guest); f.Banned != news.BanEmail {
		t.Fatalf("banned email: %+v", f)
	}
	if f := facts(news.WriterQuery{Email: "other@example.com", IP: "192.0.2.8"}); f.Banned != news.BanIP {
		t.Fatalf("banned IP: %+v", f)
	}
	if f := facts(news.WriterQuery{AccountID: a.ID, IP: "198.51.100.1"}); f.Banned != news.BanAccount {
		t.Fatalf("banned account: %+v", f)
	}
	bans, err := st.ListBans(ctx(t), 10)
	must(t, "ListBans", err)
	if len(bans) != 3 || bans[2].ID != b.ID {
		t.Fatalf("ListBans = %+v, want 3 newest first", bans)
	}
	must(t, "DeleteBan", st.DeleteBan(ctx(t), b.ID))
	wantCode(t, "DeleteBan again", st.DeleteBan(ctx(t), b.ID), news.NotFound)
	if f := facts(news.WriterQuery{Email: "guest@example.com", IP: "203.0.113.1"}); f.Banned != "" {
		t.Fatalf("after lifting the ban: %+v", f)
	}
}

func testRateCounters(t *testing.T, st news.Store) {
	w1 := time.Unix(1_700_000_040, 0)
	w2 := w1.Add(time.Minute)
	hit := func(window, expired time.Time, keys ...string) []int64 {
		t.Helper()
		n, err := st.CountHits(ctx(t), keys, window, expired)
		must(t, "CountHits", err)
		return n
	}
	if got := hit(w1, w1, "ip:1", "id:a"); !slices.Equal(got, []int64{1, 1}) {
		t.Fatalf("first hits = %v", got)
	}
	if got := hit(w1, w1, "ip:1", "id:a"); !slices.Equal(got, []int64{2, 2}) {
		t.Fatalf("second hits = %v", got)
	}
	if got := hit(w2, w1, "ip:1"); !slices.Equal(got, []int64{1}) {
		t.Fatalf("next window = %v, want a fresh count", got)
	}
	// Expiring w1 deletes its counters: counting into it again starts over.
	if got := hit(w2, w2, "ip:2"); !slices.Equal(got, []int64{1}) {
		t.Fatalf("hit = %v", got)
	}
	if got := hit(w1, w1, "id:a"); !slices.Equal(got, []int64{1}) {
		t.Fatalf("hit in an expired window = %v, want 1 (the old counter deleted)", got)
	}

	// Concurrent hits each see their own increment: exact under load, as
	// several instances on one database need.
	const n = 16
	var wg sync.WaitGroup
	seen := make([]int64, n)
	for i := range n {
		wg.Go(func() {
			got, err := st.CountHits(ctx(t), []string{"burst"}, w2, w1)
			if err != nil {
				t.Errorf("CountHits: %v", err)
				return
			}
			seen[i] = got[0]
		})
	}
	wg.Wait()
	slices.Sort(seen)
	for i, v := range seen {
		if v != int64(i+1) {
			t.Fatalf("concurrent counts = %v, want 1..%d each once", seen, n)
		}
	}
}

// testApprovedReplyNotifies: the reply notifier skips held replies, so
// approving one it already passed tells the parent's author then; one it
// has not reached yet is told by the notifier; either way once.
func testApprovedReplyNotifies(t *testing.T, st news.Store) {
	alice, bob := newAccount(t, st, "alice"), newAccount(t, st, "bob")
	p := newPost(t, st, alice, "thread", news.PostPublished, base, nil)
	top := &news.Comment{PostID: p.ID, AccountID: alice.ID, Body: "first", Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), top))
	held := func(body string) *news.Comment {
		c := &news.Comment{PostID: p.ID, ParentID: top.ID, AccountID: bob.ID, Body: body, Status: news.CommentPending,
			Review: &news.Review{Reasons: []string{"first comment"}, Writer: "a:" + fmt.Sprint(bob.ID)}}
		must(t, "CreateComment held", st.CreateComment(ctx(t), c))
		return c
	}
	enqueue := func() int {
		n, err := st.EnqueueReplies(ctx(t), time.Now().Add(time.Second), 100)
		must(t, "EnqueueReplies", err)
		return n
	}
	replyNotes := func() []int64 {
		notes, err := st.ListNotifications(ctx(t), alice.ID, 0, 10)
		must(t, "ListNotifications", err)
		var ids []int64
		for _, n := range notes {
			if n.Kind == news.NotifyReply {
				ids = append(ids, n.CommentID)
			}
		}
		return ids
	}
	passed := held("held, then passed by the notifier")
	if n := enqueue(); n != 0 {
		t.Fatalf("EnqueueReplies told %d about a held reply", n)
	}
	_, err := st.ModerateComment(ctx(t), passed.ID, news.ActApprove)
	must(t, "approve", err)
	if got := replyNotes(); !slices.Equal(got, []int64{passed.ID}) {
		t.Fatalf("after approving a reply the notifier passed: reply notifications %v, want [%d]", got, passed.ID)
	}
	early := held("approved before the notifier ran")
	_, err = st.ModerateComment(ctx(t), early.ID, news.ActApprove)
	must(t, "approve", err)
	if n := enqueue(); n != 1 {
		t.Fatalf("EnqueueReplies after an early approval told %d, want 1", n)
	}
	if got := replyNotes(); len(got) != 2 || enqueue() != 0 {
		t.Fatalf("reply notifications %v, want one for each approved reply", got)
	}
}
