package loadgen

import (
	"context"
	"fmt"
	"time"

	"github.com/headline/headline/internal/news"
)

// writer is the state of the goroutine that calls the store (Run's own):
// the ids the store gave this run's accounts and posts, and those of the
// comments of the post being written. An id of 0 is not known yet — after
// a resume — and is looked up by handle or slug, which are generated from
// the index alone.
type writer struct {
	g          *Generator
	r          *itemRand // for lookups; the producer has its own
	accountIDs []int64
	postIDs    []int64
	curPost    int     // post whose comments curIDs holds, -1 none
	curIDs     []int64 // ids of curPost's comments, by local number
	clock      time.Time
}

func (w *writer) init(g *Generator) {
	*w = writer{g: g, r: newItemRand(g.cfg.Seed), accountIDs: make([]int64, g.cfg.Accounts),
		postIDs: make([]int64, g.cfg.Posts), curPost: -1}
}

// accountID returns the id of account i, looking it up by handle in st
// when this process did not write it.
func (w *writer) accountID(ctx context.Context, st news.Store, i int) (int64, error) {
	if id := w.accountIDs[i]; id != 0 {
		return id, nil
	}
	var o op
	w.g.genAccount(w.r, i, &o)
	a, err := st.AccountByHandle(ctx, o.account.Handle)
	if err != nil {
		return 0, fmt.Errorf("account %d (@%s): %w", i, o.account.Handle, err)
	}
	w.accountIDs[i] = a.ID
	return a.ID, nil
}

// postID returns the id of post j, looking it up by author and slug in st
// when this process did not write it.
func (w *writer) postID(ctx context.Context, st news.Store, j int) (int64, error) {
	if id := w.postIDs[j]; id != 0 {
		return id, nil
	}
	var o op
	w.g.genPost(w.r, j, &o)
	author, err := w.accountID(ctx, st, o.author)
	if err != nil {
		return 0, err
	}
	p, err := st.PostBySlug(ctx, author, o.post.Slug)
	if err != nil {
		return 0, fmt.Errorf("post %d (%s): %w", j, o.post.Slug, err)
	}
	w.postIDs[j] = p.ID
	return p.ID, nil
}

// loadThread makes post o.index the current one. When o is not its first
// comment — a resumed run stopped inside this post — the ids of the
// comments already written are read back, oldest first, so that replies
// can name their parents.
func (w *writer) loadThread(ctx context.Context, st news.Store, o *op) error {
	id, err := w.postID(ctx, st, o.index)
	if err != nil {
		return err
	}
	w.curPost, w.curIDs = o.index, w.curIDs[:0]
	f := news.CommentFilter{PostID: id, Sort: news.SortOld, Limit: 200}
	for len(w.curIDs) < int(o.local) {
		page, err := st.ListComments(ctx, f)
		if err != nil {
			return fmt.Errorf("read back the comments of post %d: %w", o.index, err)
		}
		for _, c := range page {
			w.curIDs = append(w.curIDs, c.ID)
		}
		if len(page) < f.Limit {
			break
		}
		f.AfterID = page[len(page)-1].ID
	}
	if len(w.curIDs) < int(o.local) {
		return fmt.Errorf("post %d has %d comments, but the run had written %d", o.index, len(w.curIDs), o.local)
	}
	w.curIDs = w.curIDs[:o.local]
	return nil
}
