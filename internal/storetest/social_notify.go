package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

func testNotificationPages(t *testing.T, st news.Store) {
	me := newAccount(t, st, "inbox")
	for i := range 7 {
		follow(t, st, newAccount(t, st, fmt.Sprintf("follower%d", i)), me)
	}
	n, err := st.UnreadCount(ctx(t), me.ID, 5)
	must(t, "UnreadCount", err)
	if n != 5 {
		t.Fatalf("UnreadCount(max 5) = %d, want 5", n)
	}
	var seen []int64
	before := int64(0)
	for range 5 {
		page, err := st.ListNotifications(ctx(t), me.ID, before, 3)
		must(t, "ListNotifications", err)
		for _, nt := range page {
			if len(seen) > 0 && nt.ID >= seen[len(seen)-1] {
				t.Fatalf("notifications out of order: %d after %v", nt.ID, seen)
			}
			seen = append(seen, nt.ID)
		}
		if len(page) < 3 {
			break
		}
		before = page[len(page)-1].ID
	}
	if len(seen) != 7 {
		t.Fatalf("paged through %d notifications, want 7", len(seen))
	}
	marked, err := st.MarkRead(ctx(t), me.ID, seen[3])
	must(t, "MarkRead up to", err)
	if marked != 4 {
		t.Fatalf("MarkRead up to the 4th oldest marked %d, want 4", marked)
	}
	n, err = st.UnreadCount(ctx(t), me.ID, 100)
	must(t, "UnreadCount", err)
	if n != 3 {
		t.Fatalf("UnreadCount = %d, want 3", n)
	}
	_, err = st.MarkRead(ctx(t), me.ID, 0)
	must(t, "MarkRead all", err)
	page, err := st.ListNotifications(ctx(t), me.ID, 0, 10)
	must(t, "ListNotifications", err)
	for _, nt := range page {
		if !nt.Read {
			t.Fatalf("notification %d unread after MarkRead", nt.ID)
		}
	}
	// A read group is closed: the next like starts a new one.
	p := newPost(t, st, me, "mine", news.PostPublished, base, nil)
	must(t, "NotifyLikes", st.NotifyLikes(ctx(t), me.ID, news.NotifyPostLikes, p.ID, 0))
	must(t, "NotifyLikes", st.NotifyLikes(ctx(t), me.ID, news.NotifyPostLikes, p.ID, 0))
	_, err = st.MarkRead(ctx(t), me.ID, 0)
	must(t, "MarkRead", err)
	must(t, "NotifyLikes", st.NotifyLikes(ctx(t), me.ID, news.NotifyPostLikes, p.ID, 0))
	page, err = st.ListNotifications(ctx(t), me.ID, 0, 2)
	must(t, "ListNotifications", err)
	if page[0].Count != 1 || page[0].Read || page[1].Count != 2 || !page[1].Read {
		t.Fatalf("like groups = %+v %+v, want an unread 1 over a read 2", page[0], page[1])
	}
}

// testFanout publishes as an account with followers and runs the producer
// and the batches by hand: every follower gets exactly one notification.
func testFanout(t *testing.T, st news.Store) {
	star := newAccount(t, st, "official")
	var fans []*news.Account
	for i := range 5 {
		f := newAccount(t, st, fmt.Sprintf("reader%d", i))
		follow(t, st, f, star)
		fans = append(fans, f)
	}
	quiet := newAccount(t, st, "nofollowers")
	now := time.Now()
	p := newPost(t, st, star, "breaking", news.PostPublished, now, nil)
	newPost(t, st, quiet, "unread", news.PostPublished, now, nil)
	sched := newPost(t, st, star, "tomorrow", news.PostPublished, now.Add(time.Hour), nil)

	jobs, err := st.EnqueueFanouts(ctx(t), now.Add(time.Second), 100)
	must(t, "EnqueueFanouts", err)
	again, err := st.EnqueueFanouts(ctx(t), now.Add(time.Second), 100)
	must(t, "EnqueueFanouts again", err)
	if jobs != 1 || again != 0 {
		t.Fatalf("EnqueueFanouts = %d then %d, want 1 then 0", jobs, again)
	}
	var written []int
	for range 10 {
		n, found, err := st.FanoutBatch(ctx(t), 2)
		must(t, "FanoutBatch", err)
		if !found {
			break
		}
		written = append(written, n)
	}
	if fmt.Sprint(written) != "[2 2 1]" {
		t.Fatalf("batches wrote %v, want [2 2 1]", written)
	}
	for _, f := range fans {
		notes, err := st.ListNotifications(ctx(t), f.ID, 0, 10)
		must(t, "ListNotifications", err)
		if len(notes) != 1 || notes[0].Kind != news.NotifyPost || notes[0].PostID != p.ID || notes[0].Actor == nil ||
			notes[0].Actor.ID != star.ID {
			t.Fatalf("%s's notifications = %+v, want one for post %d", f.Handle, notes, p.ID)
		}
	}
	// The scheduled post is handed over when its time comes, once.
	jobs, err = st.EnqueueFanouts(ctx(t), now.Add(2*time.Hour), 100)
	must(t, "EnqueueFanouts after the scheduled time", err)
	if jobs != 1 {
		t.Fatalf("EnqueueFanouts for the scheduled post = %d, want 1", jobs)
	}
	n, _, err := st.FanoutBatch(ctx(t), 100)
	must(t, "FanoutBatch", err)
	if n != 5 {
		t.Fatalf("scheduled post notified %d, want 5", n)
	}
	notes, err := st.ListNotifications(ctx(t), fans[0].ID, 0, 10)
	must(t, "ListNotifications", err)
	if len(notes) != 2 || notes[0].PostID != sched.ID {
		t.Fatalf("after the scheduled post: %+v", notes)
	}
}

func testReplies(t *testing.T, st news.Store) {
	alice, bob := newAccount(t, st, "alice"), newAccount(t, st, "bob")
	p := newPost(t, st, alice, "thread", news.PostPublished, base, nil)
	top := &news.Comment{PostID: p.ID, AccountID: alice.ID, AuthorName: alice.Name, Body: "first", BodyHTML: "<p>first</p>",
		Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), top))
	self := &news.Comment{PostID: p.ID, ParentID: top.ID, AccountID: alice.ID, Body: "me again", Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), self))
	reply := &news.Comment{PostID: p.ID, ParentID: top.ID, AccountID: bob.ID, Body: "hi", Status: news.CommentPublished}
	must(t, "CreateComment", st.CreateComment(ctx(t), reply))
	guest := newComment(t, st, p, top, news.CommentPublished, "a guest")
	newComment(t, st, p, top, news.CommentPending, "held")
	n, err := st.EnqueueReplies(ctx(t), time.Now().Add(time.Second), 100)
	must(t, "EnqueueReplies", err)
	again, err := st.EnqueueReplies(ctx(t), time.Now().Add(time.Second), 100)
	must(t, "EnqueueReplies again", err)
	if n != 2 || again != 0 {
		t.Fatalf("EnqueueReplies = %d then %d, want 2 then 0", n, again)
	}
	notes, err := st.ListNotifications(ctx(t), alice.ID, 0, 10)
	must(t, "ListNotifications", err)
	if len(notes) != 2 || notes[0].CommentID != guest.ID || notes[0].Actor == nil || notes[0].Actor.Name != "Guest" ||
		notes[1].CommentID != reply.ID || notes[1].Actor.ID != bob.ID || notes[1].Kind != news.NotifyReply {
		t.Fatalf("reply notifications = %+v %+v", notes[0], notes[1])
	}
}

// testFanoutConcurrent runs producers and batch workers at once, as
// several instances do: every follower is told about every post once.
func testFanoutConcurrent(t *testing.T, st news.Store) {
	star := newAccount(t, st, "wire")
	var fans []*news.Account
	must(t, "Bulk", st.Bulk(ctx(t), func(tx news.Store) error {
		for i := range 60 {
			f := newAccount(t, tx, fmt.Sprintf("sub%d", i))
			if _, err := tx.Follow(ctx(t), f.ID, star.ID); err != nil {
				return err
			}
			fans = append(fans, f)
		}
		return nil
	}))
	now := time.Now()
	for i := range 4 {
		newPost(t, st, star, fmt.Sprintf("flash%d", i), news.PostPublished, now, nil)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.EnqueueFanouts(ctx(t), now.Add(time.Second), 2); err != nil {
				t.Errorf("EnqueueFanouts: %v", err)
			}
			if _, err := st.EnqueueFanouts(ctx(t), now.Add(time.Second), 2); err != nil {
				t.Errorf("EnqueueFanouts: %v", err)
			}
			for {
				_, found, err := st.FanoutBatch(ctx(t), 7)
				if err != nil {
					t.Errorf("FanoutBatch: %v", err)
					return
				}
				if !found {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, f := range []*news.Account{fans[0], fans[31], fans[59]} {
		n, err := st.UnreadCount(ctx(t), f.ID, 100)
		must(t, "UnreadCount", err)
		if n != 4 {
			t.Fatalf("%s has %d notifications, want 4", f.Handle, n)
		}
	}
}
