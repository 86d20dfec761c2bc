package loadgen

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/news"
)

// Shapes of the generated site.
const (
	postsZipf     = 1.0  // posts per publisher: rank k writes ∝ 1/(k+1)
	commentsZipf  = 1.0  // comments per post, after the hot one
	commenterZipf = 0.8  // comments per commenting account
	replyShare    = 0.30 // comments that answer another comment
	deeperChance  = 0.45 // a reply goes one level deeper with this chance
	maxDepth      = 8    // deepest reply
	guestShare    = 0.40 // comments by guests (name and email, no account)
	recentWindow  = 50   // replies answer one of the 50 latest comments at a depth
)

// Generator writes one run of generated data into a store that is also a
// news.BulkLoader. Create it with New, then call Run once.
type Generator struct {
	// AfterBatch, when set, is called by the writer after each committed
	// batch with the phase's name and its items done. Tests use it to
	// interrupt a run at a precise point.
	AfterBatch func(phase string, done int)

	cfg      Config
	st       news.Store
	progress *Progress

	run         int    // the run's number on the site (1, 2, ...)
	hash        string // the one password hash every account shares
	pools       *pools
	nOfficial   int // accounts [0, nOfficial) are the marker and the officials
	nPublishers int // accounts [0, nPublishers) publish
	nModerators int // accounts [nPublishers, +nModerators) moderate
	authors     *zipf
	authorLangs []int8 // language of each publisher
	commenters  *zipf
	commenterOf []int32 // commenter rank -> account index
	plan        *commentPlan
	follows     *followPlan
	postLikes   *likePlan
	views       *likePlan
	clikes      *likePlan

	ids    news.BulkIDs // the first ids of the run's accounts, posts and comments
	resume journal      // where a resumed run stopped
}

// New checks cfg and returns a Generator for st. progress may be nil.
func New(cfg Config, st news.Store, progress *Progress) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = NewProgress(nil, false)
	}
	return &Generator{cfg: cfg, st: st, progress: progress}, nil
}

// ErrInterrupted is returned by Run when its context was cancelled. What the
// Report counts is committed; Run with Config.Resume finishes the run.
var ErrInterrupted = errors.New("interrupted")

// Run writes the run: it finds which run it is (or which one to resume),
// then writes each phase in batches. It returns a report of the whole run,
// also when interrupted (with ErrInterrupted) or failed.
func (g *Generator) Run(ctx context.Context) (*Report, error) {
	start := time.Now()
	rep := &Report{Seed: g.cfg.Seed}
	if err := g.begin(ctx); err != nil {
		return rep, err
	}
	rep.Run = g.run
	if err := g.prepare(); err != nil {
		return rep, err
	}
	phases := g.phases()
	stopped := -1 // the phase a resumed run stopped in
	if g.cfg.Resume {
		for k, ph := range phases {
			if ph.name == g.resume.phase {
				stopped = k
			}
		}
		if stopped < 0 {
			return rep, fmt.Errorf("resume: the marker says the run stopped in %q, a phase this headline loadgen does not know", g.resume.phase)
		}
	}
	for k, ph := range phases {
		from := 0
		switch {
		case k < stopped:
			from = ph.total
		case k == stopped:
			from = min(g.resume.done, ph.total)
		}
		g.progress.start(ph.name, from, ph.total)
		t0 := time.Now()
		n, stats, err := g.runPhase(ctx, ph, from)
		g.progress.finish()
		rep.Stats.add(stats)
		rep.Phases = append(rep.Phases, PhaseResult{Name: ph.name, Total: ph.total, Before: from, Written: n, Elapsed: time.Since(t0)})
		if err != nil {
			rep.Elapsed = time.Since(start)
			if errors.Is(err, ErrInterrupted) {
				rep.Interrupted = true
				return rep, ErrInterrupted
			}
			return rep, fmt.Errorf("write %s: %w", ph.name, err)
		}
	}
	if err := g.describeHot(ctx, rep); err != nil {
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// phases lists what a run writes, in order: each after the rows it points
// at, and the counters last, from all the rows.
func (g *Generator) phases() []*phase {
	return []*phase{g.accountsPhase(), g.postsPhase(), g.commentsPhase(), g.followsPhase(),
		g.postLikesPhase(), g.commentLikesPhase(), g.viewsPhase(), g.sharesPhase(),
		g.indexesPhase("indexes", false), g.countersPhase(), g.indexesPhase("indexes+", true)}
}

// begin finds the run: a new one (refusing a site with data unless Append)
// or, with Resume, the last one on the site, whose parameters must match.
func (g *Generator) begin(ctx context.Context) error {
	n, err := g.st.CountAccounts(ctx)
	if err != nil {
		return fmt.Errorf("count accounts: %w", err)
	}
	last, marker, err := g.lastRun(ctx)
	if err != nil {
		return err
	}
	switch {
	case g.cfg.Resume && last > 0:
		g.run = last
		if err := g.matchMarker(marker); err != nil {
			return err
		}
		j, err := parseJournal(marker.Bio)
		if err != nil {
			return fmt.Errorf("resume: @%s: %w", marker.Handle, err)
		}
		g.resume, g.ids = j, j.ids
		return nil
	case g.cfg.Resume && n > 0:
		return fmt.Errorf("nothing to resume: the site has %d accounts but no loadgen run; use --append to add one", n)
	case n > 0 && !g.cfg.Append:
		return fmt.Errorf("the site already has %d accounts: use --append to add a new generated run to it, or --resume to finish an interrupted one", n)
	}
	g.run = last + 1
	g.cfg.Resume = false
	bl, ok := g.st.(news.BulkLoader)
	if !ok {
		return fmt.Errorf("the store (%T) has no bulk loader", g.st)
	}
	if g.ids, err = bl.NextIDs(ctx); err != nil {
		return err
	}
	if n == 0 {
		// An empty site: build its indexes once the rows are in, each
		// in one sorted pass, rather than inserting every row into each.
		// (A site with data keeps them: rebuilding would cost its size.)
		if err := bl.DeferIndexes(ctx); err != nil {
			return err
		}
	}
	if g.cfg.Now.IsZero() {
		g.cfg.Now = time.Now().UTC().Truncate(time.Second)
	}
	return nil
}

// matchMarker checks that the flags of a --resume are those of the run it
// resumes, and takes the run's "now" from it.
func (g *Generator) matchMarker(marker *news.Account) error {
	was, err := parseFingerprint(marker.Bio)
	if err != nil {
		return fmt.Errorf("resume: @%s does not record a loadgen run: %w", marker.Handle, err)
	}
	if g.cfg.Now.IsZero() {
		g.cfg.Now = was.Now
	}
	if g.cfg.fingerprint() != was.fingerprint() {
		return fmt.Errorf("resume: run %d was started with other parameters (%s); resume it with the same --seed, --accounts, --posts, --comments, --hot-comments, --days and --now",
			g.run, was.fingerprint()[len(markerPrefix)+1:])
	}
	return nil
}

// prepare builds what every phase needs: the password hash, the texts, the
// shape of the site and the plan of comments.
func (g *Generator) prepare() error {
	h, err := accounts.HashPassword(Password)
	if err != nil {
		return err
	}
	g.hash = h
	if g.pools, err = newPools(g.cfg.Seed); err != nil {
		return err
	}
	g.layout()
	g.plan = g.planComments()
	g.follows = g.planFollows()
	g.planLikes()
	return nil
}

// layout decides who is who: the marker and a few officials first, then
// publishers (5% of accounts), moderators (0.1%), readers.
func (g *Generator) layout() {
	a := g.cfg.Accounts
	g.nOfficial = min(1+len(officials), 1+a/200)
	g.nPublishers = max(g.nOfficial, a/20)
	g.nModerators = min(a/1000, a-g.nPublishers)
	g.authors = newZipf(g.nPublishers, postsZipf)
	g.authorLangs = make([]int8, g.nPublishers)
	r := newItemRand(g.cfg.Seed)
	for i := range g.authorLangs {
		var o op
		g.genAccount(r, i, &o)
		g.authorLangs[i] = o.lang
	}
	g.commenters = newZipf(a, commenterZipf)
	perm := newRand(g.cfg.Seed, streamPlan).Perm(a)
	g.commenterOf = make([]int32, a)
	for i, p := range perm {
		g.commenterOf[i] = int32(p)
	}
}
