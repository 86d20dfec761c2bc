package loadgen

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/headline/headline/internal/news"
)

// op is one row: an account, a post, a comment, a follow, a like or view,
// or a post's shares. It is filled by the producer and consumed by the
// writer; batches of ops are reused. Ids are known up front: the run's
// rows get consecutive ids from the journal's first ones.
type op struct {
	at      time.Time // when the row was written, in the generated past
	index   int       // account index, post index, or the commented post's index
	seq     int64     // the row's number in its phase (comments: the comment's number in the run)
	account news.Account
	post    news.Post
	comment news.Comment
	follow  news.BulkFollow
	like    news.BulkLike // a post like, comment like or view; shares: ID and count
	count   int64
	author  int   // post: index of its author
	local   int32 // comment: its number within its post (0, 1, ...)
	parent  int32 // comment: local number of its parent, -1 for top level
	by      int32 // comment: index of the account writing it, -1 for a guest
	depth   int8  // comment: depth in its thread
	lang    int8  // language of the account, post or comment
	kind    int8  // account: kindOfficial...; post: statusPublished...
}

// phase is one kind of row. Phases run one after the other; each can
// generate every item again from its index (produce), so that a run can be
// resumed where the journal says it stopped.
type phase struct {
	name  string
	total int
	batch int // items a transaction; 0 is the run's --batch
	// produce generates the phase's items in order: it fills a slot from
	// the batcher for items >= from, and counts the ones before in skipped.
	// It returns errStopped when the batcher says the writer has stopped.
	produce func(b *batcher, from int, skipped *Stats) error
	// write stores a batch through bl, in the batch's transaction.
	write func(ctx context.Context, bl news.BulkLoader, batch []op) error
	// count adds o to s.
	count func(s *Stats, o *op)
	// run, when set, is the whole phase of one item instead of produce and
	// write: work that commits as it goes (building indexes, each in its
	// own transaction) rather than in one batch transaction.
	run func(ctx context.Context, bl news.BulkLoader) error
}

// batcher hands the producer slots in batches and passes full batches to
// the writer, recycling the ones the writer is done with.
type batcher struct {
	size int
	cur  []op
	out  chan<- []op
	free chan []op
	stop <-chan struct{}
	skip op // scratch slot for items that are generated but not written
}

// slot returns the next op to fill, sending the current batch first when it
// is full. It returns nil when the writer has stopped.
func (b *batcher) slot() *op {
	if len(b.cur) == b.size && !b.flush() {
		return nil
	}
	b.cur = b.cur[:len(b.cur)+1]
	o := &b.cur[len(b.cur)-1]
	*o = op{}
	return o
}

// flush sends the current batch, if any, and takes an empty one.
func (b *batcher) flush() bool {
	if len(b.cur) == 0 {
		return true
	}
	select {
	case b.out <- b.cur:
	case <-b.stop:
		return false
	}
	select {
	case b.cur = <-b.free:
	default:
		b.cur = make([]op, 0, b.size)
	}
	return true
}

// errStopped tells a producer's caller that the writer stopped first.
var errStopped = errors.New("writer stopped")

// runPhase writes items [from, total) of ph in batches, one transaction
// each, while the producer generates the next batch on another goroutine.
// A cancelled ctx stops it between batches: a transaction is never cut, so
// the store never holds half a batch. It returns the number of items
// written and the stats of the items skipped (already there) and written.
func (g *Generator) runPhase(ctx context.Context, ph *phase, from int) (int, Stats, error) {
	if ph.run != nil {
		return g.runWhole(ctx, ph, from)
	}
	batches := make(chan []op, 1)
	stop := make(chan struct{})
	size := g.cfg.Batch
	if ph.batch > 0 {
		size = ph.batch
	}
	b := &batcher{size: size, cur: make([]op, 0, size), out: batches,
		free: make(chan []op, 2), stop: stop}
	var skipped, written Stats
	var perr error
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(batches)
		if perr = ph.produce(b, from, &skipped); perr == nil && !b.flush() {
			perr = errStopped
		}
	})
	n, err := g.writeBatches(ctx, ph, batches, b.free, from, &written)
	close(stop)
	for range batches { // unblock the producer, drop what it made
	}
	wg.Wait()
	written.add(skipped)
	if err == nil && perr != nil && !errors.Is(perr, errStopped) {
		err = perr // a generated item broke a rule: a bug, stop here
	}
	return n, written, err
}

// writeBatches is runPhase's writer: it stores each batch in one Bulk
// transaction, together with the journal saying it is there.
func (g *Generator) writeBatches(ctx context.Context, ph *phase, batches <-chan []op, free chan<- []op, from int, written *Stats) (int, error) {
	// The transactions must not see ctx's cancellation: database/sql would
	// roll a batch back halfway. ctx is checked between batches instead.
	wctx := context.WithoutCancel(ctx)
	done := from
	for batch := range batches {
		if ctx.Err() != nil {
			return done - from, ErrInterrupted
		}
		err := g.st.Bulk(wctx, func(tx news.Store) error {
			bl, ok := tx.(news.BulkLoader)
			if !ok {
				return fmt.Errorf("the store (%T) has no bulk loader", tx)
			}
			if err := ph.write(wctx, bl, batch); err != nil {
				return err
			}
			return g.saveJournal(wctx, tx, ph.name, done+len(batch))
		})
		if err != nil {
			return done - from, err
		}
		for i := range batch {
			ph.count(written, &batch[i])
		}
		done += len(batch)
		g.progress.update(done)
		if g.AfterBatch != nil {
			g.AfterBatch(ph.name, done)
		}
		select {
		case free <- batch[:0]:
		default:
		}
	}
	return done - from, nil
}

// runWhole runs a phase that has run instead of batches, then records it
// done in the journal.
func (g *Generator) runWhole(ctx context.Context, ph *phase, from int) (int, Stats, error) {
	if from >= ph.total {
		return 0, Stats{}, nil
	}
	if ctx.Err() != nil {
		return 0, Stats{}, ErrInterrupted
	}
	bl, ok := g.st.(news.BulkLoader)
	if !ok {
		return 0, Stats{}, fmt.Errorf("the store (%T) has no bulk loader", g.st)
	}
	wctx := context.WithoutCancel(ctx)
	if err := ph.run(wctx, bl); err != nil {
		return 0, Stats{}, err
	}
	if err := g.saveJournal(wctx, g.st, ph.name, ph.total); err != nil {
		return 0, Stats{}, err
	}
	g.progress.update(ph.total)
	if g.AfterBatch != nil {
		g.AfterBatch(ph.name, ph.total)
	}
	return ph.total - from, Stats{}, nil
}

// saveJournal records in the run's marker account that phase has done
// items, through st (a batch's Bulk view, so that the batch and its record
// commit together).
func (g *Generator) saveJournal(ctx context.Context, st news.Store, phase string, done int) error {
	j := journal{ids: g.ids, phase: phase, done: done}
	bio := j.bio(g.cfg.fingerprint())
	_, err := st.UpdateAccount(ctx, g.ids.Account, news.AccountUpdate{Bio: &bio})
	return err
}
