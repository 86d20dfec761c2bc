// Package loadtest drives a running Headline server on this machine's
// loopback interface with a weighted mix of realistic operations, bounded in
// time and in count, and reports throughput and latency percentiles next to
// a static-file baseline measured in the same run.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Mode says how the scenarios of a mix share the run.
type Mode string

const (
	// ModeMix interleaves the scenarios at their weights on every client:
	// latencies under a realistic, combined load. Each scenario's rate then
	// follows its weight, so no ratio to the baseline is given.
	ModeMix Mode = "mix"
	// ModeEach runs the scenarios one after another, each alone with every
	// client for an equal share of the time and count: each scenario's own
	// throughput, so its ratio to the static baseline is a cost ratio.
	ModeEach Mode = "each"
)

// Limits on the options, so that a typo cannot start an hour-long run.
const (
	MaxDuration    = 10 * time.Minute
	MaxWarmup      = time.Minute
	MaxRequests    = 100_000_000
	MaxConcurrency = 1024
)

// Options configure a run. Target must come from CheckTarget.
type Options struct {
	Target *url.URL
	// Also are other instances of the same site (from CheckTarget): the
	// clients are spread over Target and these, each keeping to one.
	Also []*url.URL
	// Tokens are API tokens of signed-in readers, for the scenarios that
	// act as one; the clients take them in turn.
	Tokens []string
	// SignIn are accounts for the scenarios that read pages as a person
	// signed in through the browser; the clients take them in turn.
	SignIn      []Credential
	Mix         []Weighted
	MixName     string // the --scenario preset, or "custom"
	Mode        Mode
	Duration    time.Duration // measured time, after the warm-up
	Warmup      time.Duration // not counted
	MaxRequests int64         // operations measured, over all scenarios
	Concurrency int
	Timeout     time.Duration // one request
	ServerPID   int           // 0 when unknown: RSS and CPU are then "n/a"
	Progress    io.Writer     // one line per phase; may be nil
}

// Validate names the first bad option.
func (o Options) Validate() error {
	switch {
	case o.Target == nil:
		return errors.New("a target URL is required")
	case len(o.Mix) == 0:
		return errors.New("the mix is empty")
	case o.Mode != ModeMix && o.Mode != ModeEach:
		return fmt.Errorf("--mode %q: want mix or each", o.Mode)
	case o.Duration <= 0 || o.Duration > MaxDuration:
		return fmt.Errorf("--duration %s: want more than 0 and at most %s", o.Duration, MaxDuration)
	case o.Warmup < 0 || o.Warmup > MaxWarmup:
		return fmt.Errorf("--warmup %s: want 0 to %s", o.Warmup, MaxWarmup)
	case o.MaxRequests < 1 || o.MaxRequests > MaxRequests:
		return fmt.Errorf("--requests %d: want 1 to %d", o.MaxRequests, MaxRequests)
	case len(o.Tokens) == 0 && needsToken(o.Mix) != "":
		return fmt.Errorf("--token: the %s scenario acts as a signed-in reader; give API tokens (headline token create --handle H), comma-separated", needsToken(o.Mix))
	case len(o.SignIn) == 0 && needsSession(o.Mix) != "":
		return fmt.Errorf("--signin: the %s scenario reads pages as a signed-in reader; give handle:password of accounts, comma-separated", needsSession(o.Mix))
	case o.Concurrency < 1 || o.Concurrency > MaxConcurrency:
		return fmt.Errorf("--concurrency %d: want 1 to %d", o.Concurrency, MaxConcurrency)
	case o.Timeout <= 0:
		return fmt.Errorf("--timeout %s: want more than 0", o.Timeout)
	}
	return nil
}

// stats accumulate one scenario's measured operations. Workers share them
// under a mutex: the critical section is a few adds, far below the cost of
// a request, and one histogram per scenario keeps memory fixed whatever the
// concurrency.
type stats struct {
	mu       sync.Mutex
	hist     *Histogram
	ops      int64
	requests int64
	errors   int64
	bytes    int64
	samples  []errorSample
	warmOps  int64
	elapsed  time.Duration // of the phase(s) the scenario ran in
}

// maxErrorSamples bounds the distinct error messages kept per scenario.
const maxErrorSamples = 5

type errorSample struct {
	msg string
	n   int64
}

func (s *stats) record(res Result, lat time.Duration, warm bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if warm {
		s.warmOps++
		return
	}
	s.requests += int64(res.Requests)
	s.bytes += res.Bytes
	if res.Err != nil {
		s.errors++
		s.sample(res.Err.Error())
		return
	}
	// Only successful operations go into the latencies: a fast 500 would
	// otherwise make a failing server look quick.
	s.ops++
	s.hist.Record(lat)
}

// sample counts msg, keeping the first few distinct messages: a failing
// server tends to fail the same way thousands of times.
func (s *stats) sample(msg string) {
	for i := range s.samples {
		if s.samples[i].msg == msg {
			s.samples[i].n++
			return
		}
	}
	if len(s.samples) < maxErrorSamples {
		s.samples = append(s.samples, errorSample{msg: msg, n: 1})
	}
}

// run is one Run in progress.
type run struct {
	opts    Options
	env     *env
	workers []*Worker
	stats   map[*Scenario]*stats
}

// Run discovers the site's posts, warms up, measures and returns the report.
// Cancelling ctx (Ctrl-C) stops the run at once and still returns a report
// of what was measured, marked as interrupted; only a failure before any
// measurement is an error.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	client := NewClient(opts.Concurrency, opts.Timeout)
	defer client.CloseIdleConnections()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	posts, err := Discover(dctx, client, opts.Target)
	cancel()
	if err != nil {
		return nil, err
	}
	if len(posts) == 0 {
		return nil, errors.New("the site has no published posts to read; start it with --demo or fill it with `headline loadgen`")
	}
	r := &run{opts: opts, env: newEnv(client, opts.Target, posts), stats: map[*Scenario]*stats{}}
	if len(opts.Also) > 0 {
		r.env.bases = []string{r.env.base}
		for _, u := range opts.Also {
			r.env.bases = append(r.env.bases, strings.TrimSuffix(u.String(), "/"))
		}
	}
	for i := range opts.Concurrency {
		w := newWorker(i+1, r.env)
		if len(opts.Tokens) > 0 {
			w.token = opts.Tokens[i%len(opts.Tokens)]
		}
		r.workers = append(r.workers, w)
	}
	if needsSession(opts.Mix) != "" {
		for i, w := range r.workers {
			if err := w.signIn(ctx, opts.SignIn[i%len(opts.SignIn)]); err != nil {
				return nil, err
			}
		}
	}
	for _, m := range opts.Mix {
		r.stats[m.Scenario] = &stats{hist: NewHistogram()}
	}
	probe := startProbe(opts.ServerPID)
	r.progress("bench: %d posts found; warming up for %s (not counted)", len(posts), opts.Warmup)
	if opts.Warmup > 0 {
		r.phase(ctx, opts.Mix, opts.Warmup, opts.MaxRequests, true)
	}
	probe.begin()
	start := time.Now()
	stoppedBy := r.measure(ctx)
	elapsed := time.Since(start)
	probe.finish()
	if ctx.Err() != nil {
		stoppedBy = "interrupted"
	}
	return r.report(elapsed, stoppedBy, probe), nil
}

// measure runs the measured phases and says what ended them: "duration" or
// "requests".
func (r *run) measure(ctx context.Context) string {
	o := r.opts
	if o.Mode == ModeMix {
		r.progress("bench: measuring %s for %s or %d operations, %d clients (Ctrl-C stops and reports)", r.opts.MixName, o.Duration, o.MaxRequests, o.Concurrency)
		return r.phase(ctx, o.Mix, o.Duration, o.MaxRequests, false)
	}
	n := int64(len(o.Mix))
	stoppedBy := "duration"
	for i, m := range o.Mix {
		if ctx.Err() != nil {
			break
		}
		// Shares that add up exactly to the totals, so the bounds hold.
		d := o.Duration*time.Duration(i+1)/time.Duration(n) - o.Duration*time.Duration(i)/time.Duration(n)
		max := o.MaxRequests*int64(i+1)/n - o.MaxRequests*int64(i)/n
		r.progress("bench: [%d/%d] measuring %s alone for %s or %d operations, %d clients", i+1, n, m.Scenario.Name, d.Round(time.Millisecond), max, o.Concurrency)
		if r.phase(ctx, []Weighted{m}, d, max, false) == "requests" {
			stoppedBy = "requests"
		}
	}
	return stoppedBy
}

// phase runs every worker on mix until d has passed, max operations have
// started, or ctx is cancelled. Operations still in flight then finish
// (except a thread walk, which stops between pages); those that ctx cut
// short are dropped, not counted as errors.
func (r *run) phase(ctx context.Context, mix []Weighted, d time.Duration, max int64, warm bool) string {
	var budget atomic.Int64
	budget.Store(max)
	deadline := time.Now().Add(d)
	total := 0
	for _, m := range mix {
		total += m.Weight
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range r.workers {
		w.deadline = deadline
		wg.Go(func() { r.loop(ctx, w, mix, total, &budget, warm) })
	}
	wg.Wait()
	if !warm {
		elapsed := time.Since(start)
		for _, m := range mix {
			r.stats[m.Scenario].elapsed += elapsed
		}
	}
	if budget.Load() < 0 {
		return "requests"
	}
	return "duration"
}

func (r *run) loop(ctx context.Context, w *Worker, mix []Weighted, total int, budget *atomic.Int64, warm bool) {
	for ctx.Err() == nil && time.Now().Before(w.deadline) && budget.Add(-1) >= 0 {
		sc := pick(w, mix, total)
		w.scenario = sc
		start := time.Now()
		res := sc.Run(ctx, w)
		lat := time.Since(start)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(res.Err, errCutOff) {
			continue
		}
		r.stats[sc].record(res, lat, warm)
	}
}

func pick(w *Worker, mix []Weighted, total int) *Scenario {
	if len(mix) == 1 {
		return mix[0].Scenario
	}
	n := w.rng.IntN(total)
	for _, m := range mix {
		if n < m.Weight {
			return m.Scenario
		}
		n -= m.Weight
	}
	return mix[len(mix)-1].Scenario
}

func (r *run) progress(format string, args ...any) {
	if r.opts.Progress != nil {
		fmt.Fprintf(r.opts.Progress, format+"\n", args...)
	}
}

// needsToken names the first scenario of mix that needs a token, or "".
func needsToken(mix []Weighted) string {
	for _, m := range mix {
		if m.Scenario.Token == TokenRequired {
			return m.Scenario.Name
		}
	}
	return ""
}
