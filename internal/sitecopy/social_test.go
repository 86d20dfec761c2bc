package sitecopy

import (
	"fmt"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// fillSocial adds follows, likes of posts and comments, views,
// notifications of every kind and a pending fan-out job.
func (s *site) fillSocial(t *testing.T, st *sqlite.Store) error {
	ctx := t.Context()
	for _, f := range s.accounts[1:] {
		if _, err := st.Follow(ctx, f, s.accounts[0]); err != nil {
			return err
		}
	}
	for i, a := range s.accounts[2:] {
		r := news.Reader{AccountID: a}
		if _, err := st.LikePost(ctx, s.posts[0], r); err != nil {
			return err
		}
		if _, err := st.RecordViews(ctx, []news.ViewMark{{PostID: s.posts[i], ReaderKey: r.Key()}, {PostID: s.posts[0], ReaderKey: "g:guest"}}); err != nil {
			return err
		}
		if _, err := st.LikeComment(ctx, s.comments[0], r); err != nil {
			return err
		}
	}
	if _, err := st.AddShare(ctx, s.posts[1]); err != nil {
		return err
	}
	if _, err := st.MarkRead(ctx, s.accounts[0], 0); err != nil {
		return err
	}
	// A post published now by the followed account: one job, not yet run.
	p := &news.Post{AuthorID: s.accounts[0], Title: "Now", Slug: "now", Status: news.PostPublished, PublishedAt: time.Now()}
	if err := st.CreatePost(ctx, p); err != nil {
		return err
	}
	s.posts = append(s.posts, p.ID)
	if n, err := st.EnqueueFanouts(ctx, time.Now().Add(time.Second), 10); err != nil || n != 1 {
		return fmt.Errorf("EnqueueFanouts = %d, %v; want 1 job", n, err)
	}
	return nil
}

func tableNamed(res *Result, name string) Table {
	for _, tb := range res.Tables {
		if tb.Name == name {
			return tb
		}
	}
	return Table{}
}
