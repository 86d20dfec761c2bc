package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/api"
	"github.com/headline/headline/internal/demo"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/pagecache"
	"github.com/headline/headline/internal/postgres"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/ranking"
	"github.com/headline/headline/internal/ui"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// services are the product services over one store.
type services struct {
	store news.Store // what the services write through (watched by the page cache)

	accounts *accounts.Service
	posts    *publishing.Service
	comments *discussion.Service

	following  *following.Service
	ranking    *ranking.Service
	engagement *engagement.Service
	notify     *notify.Service
	worker     *notify.Worker

	// jobs is the background job queue (nil in tests that build a handler
	// without one); capabilities are what the machine offers the jobs,
	// shown on /admin/jobs.
	jobs         *jobs.Queue
	capabilities []jobs.Capability

	pages *pagecache.Cache // nil: no page cache
	relay *pagecache.Relay // nil: one instance (SQLite), nothing to tell

	// moderation is set by runServe after any demo seeding (the demo's
	// comments are the site's own, not for moderators to judge).
	moderation *moderation.Service

	media *mediaParts // nil: uploads off (tests that build services alone)
}

// mediaService is the media service, or nil when media is not wired.
func (s services) mediaService() *media.Service {
	if s.media == nil {
		return nil
	}
	return s.media.svc
}

// mediaCapabilities is what media processing can do here, for /admin.
func (s services) mediaCapabilities() []media.Capability {
	if s.media == nil {
		return nil
	}
	return s.media.caps

}

// pageCacheTTL bounds how stale a cached page can be in what no write
// invalidates: view counters, and a scheduled post's time coming.
const pageCacheTTL = 30 * time.Second

// newCachedServices is newServices over st watched by a page cache of mb
// megabytes. On PostgreSQL, where several instances may share the data,
// invalidations go through LISTEN/NOTIFY to the others; SQLite has one
// process, so the cache itself is told.
func newCachedServices(ctx context.Context, st news.Store, mb int, log *slog.Logger) (services, error) {
	if mb == 0 {
		return newServices(st), nil
	}
	cache := pagecache.New(mb<<20, pageCacheTTL)
	var inv pagecache.Invalidator = cache
	var relay *pagecache.Relay
	if pg, ok := st.(*postgres.Store); ok {
		ch, err := pg.Channel(ctx, "headline_pages")
		if err != nil {
			return services{}, err
		}
		relay = pagecache.NewRelay(cache, ch, log)
		inv = relay
	}
	svc := newServices(pagecache.WatchKeepingSessions(st, inv, cache))
	svc.pages, svc.relay = cache, relay
	return svc, nil
}

func newServices(st news.Store) services {
	return services{
		store:    st,
		accounts: accounts.New(st, nil),
		posts:    publishing.New(st, nil),
		comments: discussion.New(st, nil),

		following:  following.New(st, nil),
		ranking:    ranking.New(st, nil),
		engagement: engagement.New(st, nil),
		notify:     notify.New(st),
		worker:     &notify.Worker{Store: st},
	}
}

// openJobs opens the background job queue on the site's database (the
// same SQLite file, or the same PostgreSQL URL and schema, as the store)
// and registers the job handlers. The product has none yet (media
// processing will be the first, registered here); register adds a test's.
func openJobs(ctx context.Context, cfg Config, log *slog.Logger, register func(*jobs.Queue) error) (*jobs.Queue, error) {
	q, err := jobs.Open(ctx, jobsConfig(cfg, log))
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	if register != nil {
		if err := register(q); err != nil {
			q.Close()
			return nil, fmt.Errorf("job queue: %w", err)
		}
	}
	return q, nil
}

func jobsConfig(cfg Config, log *slog.Logger) jobs.Config {
	jc := jobs.Config{Log: log, Workers: cfg.JobWorkers}
	if cfg.DatabaseURL != "" {
		jc.PostgresURL = cfg.DatabaseURL
	} else {
		jc.SQLitePath = filepath.Join(cfg.DataDir, "headline.db")
	}
	return jc
}

// viewFlushInterval is how often buffered post views are written. A crash
// loses at most this much of view counting (views are not accepted writes).
const viewFlushInterval = 2 * time.Second

// startBackground runs the view flusher, the notification worker and the
// job queue until ctx ends; the returned wait blocks until all stopped (the
// flusher writes its last batch first; running jobs get the queue's
// StopTimeout to finish, then are cancelled and handed back to the queue).
func startBackground(ctx context.Context, svc services, log *slog.Logger) (wait func(), err error) {
	// The queue first: it is the only part that can fail to start.
	if svc.jobs != nil {
		if err := svc.jobs.Start(ctx); err != nil {
			return nil, err
		}
	}
	var wg sync.WaitGroup
	svc.worker.Log = log
	wg.Add(3)
	go func() { defer wg.Done(); svc.engagement.Views.Run(ctx, viewFlushInterval, log) }()
	go func() { defer wg.Done(); svc.worker.Run(ctx) }()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		if svc.jobs == nil {
			return
		}
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		defer cancel()
		if err := svc.jobs.Stop(stopCtx); err != nil {
			log.Warn("stop the job queue", "err", err)
		}
	}()
	if svc.media != nil {
		wg.Add(1)
		go func() { defer wg.Done(); svc.media.requeue(ctx, log) }()
	}
	if svc.relay != nil {
		wg.Add(1)
		go func() { defer wg.Done(); svc.relay.Run(ctx) }()
	}
	return wg.Wait, nil
}

// serveOptions are what tests add to a server started through run.
type serveOptions struct {
	// registerJobs registers more job handlers before the queue starts.
	registerJobs func(q *jobs.Queue) error
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runServeWith(ctx, args, getenv, stdout, stderr, serveOptions{})
}

func runServeWith(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, opts serveOptions) error {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	bindFlags(fs, &cfg, getenv, true)
	if err := parseFlags(fs, args, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	level, _ := parseLevel(cfg.LogLevel)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	// Packages that log without a logger of their own (httpx) use the default.
	slog.SetDefault(log)

	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := newCachedServices(ctx, st, cfg.PageCacheMB, log)
	if err != nil {
		return err
	}
	// The queue opens after the store (whose migrations made the file or
	// checked the server) and closes before it: a running job may use it.
	if svc.jobs, err = openJobs(ctx, cfg, log, opts.registerJobs); err != nil {
		return err
	}
	defer svc.jobs.Close()
	if svc.media, err = openMedia(ctx, cfg, svc.store, svc.jobs, log); err != nil {
		return err
	}
	svc.capabilities = svc.media.jobCapabilities()
	// Deleting a post removes the blobs of media no other post uses.
	svc.posts.ReleaseMedia = svc.media.svc.ReleasePost

	if cfg.Demo {
		res, err := demo.Seed(ctx, st, demo.Services{Accounts: svc.accounts, Posts: svc.posts, Comments: svc.comments})
		if err != nil {
			return fmt.Errorf("demo content: %w", err)
		}
		printDemo(stdout, res)
	}

	// Through the services' store, so that moderating drops cached pages.
	svc.moderation = moderation.New(svc.store, nil, log)
	svc.moderation.NoRateLimits = !cfg.RateLimits
	svc.comments.WithModeration(svc.moderation)

	handler, err := newHandler(cfg, st, svc, log)
	if err != nil {
		return err
	}
	// The background work stops with the server: bgCtx ends after the
	// requests in flight finished, so their views are in the last flush.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	waitBackground, err := startBackground(bgCtx, svc, log)
	if err != nil {
		stopBackground()
		return err
	}
	defer func() { stopBackground(); waitBackground() }()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "Headline is listening on http://%s\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "data", cfg.DataDir)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Finish the requests in flight, but do not wait forever for slow ones.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	log.Info("shutting down")
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// newHandler puts the surfaces together: the JSON API under /api/v1/, the
// health checks, and the HTML site for everything else.
func newHandler(cfg Config, st news.Store, svc services, log *slog.Logger) (http.Handler, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registerStoreMetrics(reg, st)
	if svc.pages != nil {
		registerPageCacheMetrics(reg, svc.pages)
	}
	if svc.jobs != nil {
		reg.MustRegister(svc.jobs)
	}
	metrics := httpx.NewMetrics(reg)

	deps := ui.Deps{Accounts: svc.accounts, Posts: svc.posts, Comments: svc.comments, Log: log, SecureCookies: cfg.SecureCookies,
		Following: svc.following, Ranking: svc.ranking, Engagement: svc.engagement, Notify: svc.notify, BaseURL: cfg.BaseURL,
		Capabilities: svc.capabilities, Pages: svc.pages, Moderation: svc.moderation,
		Media: svc.mediaService(), MediaCapabilities: svc.mediaCapabilities()}
	if svc.jobs != nil {
		// Set only when there is a queue: a nil *jobs.Queue in the
		// interface would not read as "no queue".
		deps.Jobs = svc.jobs
	}
	site, err := ui.New(deps)
	if err != nil {
		return nil, fmt.Errorf("web ui: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", api.New(api.Deps{Accounts: svc.accounts, Posts: svc.posts, Comments: svc.comments, Log: log, BaseURL: cfg.BaseURL,
		Following: svc.following, Ranking: svc.ranking, Engagement: svc.engagement, Notify: svc.notify, Moderation: svc.moderation,
		Media: svc.mediaService()}))
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := ping(ctx, st); err != nil {
			log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "database unavailable\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("/", site)
	var h http.Handler = mux
	h = httpx.WithSecurityHeaders(h)
	h = httpx.WithRecover(h)
	h = metrics.Instrument(h)
	h = httpx.WithLogging(log, h)
	h = httpx.WithRequestID(h)
	return h, nil
}

// registerStoreMetrics exports the connection pool statistics of stores
// built on database/sql (in use, idle, waits), so pool sizing can be judged
// from /metrics.
func registerStoreMetrics(reg prometheus.Registerer, st news.Store) {
	if p, ok := st.(interface{ Pools() map[string]*sql.DB }); ok {
		for name, db := range p.Pools() {
			reg.MustRegister(collectors.NewDBStatsCollector(db, name))
		}
	}
	if c, ok := st.(prometheus.Collector); ok {
		reg.MustRegister(c)
	}
}

// ping checks that the database answers.
func ping(ctx context.Context, st news.Store) error {
	return st.Ping(ctx)
}

func printDemo(w io.Writer, res demo.Result) {
	if !res.Seeded {
		fmt.Fprintln(w, "Demo content: the site already has accounts; nothing added.")
		return
	}
	fmt.Fprintln(w, "Demo content added. Sign in with any of these (passwords are new each time a site is seeded):")
	for _, l := range res.Accounts {
		fmt.Fprintf(w, "  %-16s %-10s %s\n", l.Handle, l.Role, l.Password)
	}
}

// registerPageCacheMetrics exports the page cache's counters: its hit rate
// tells whether readers without cookies are served from memory.
func registerPageCacheMetrics(reg prometheus.Registerer, c *pagecache.Cache) {
	counter := func(name, help string, v func(pagecache.Stats) uint64) {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "headline_page_cache_" + name + "_total", Help: help},
			func() float64 { return float64(v(c.Stats())) }))
	}
	counter("hits", "Pages served from the page cache.", func(s pagecache.Stats) uint64 { return s.Hits })
	counter("misses", "Cacheable pages not in the page cache.", func(s pagecache.Stats) uint64 { return s.Misses })
	counter("invalidations", "Invalidations applied to the page cache, from this instance or others.", func(s pagecache.Stats) uint64 { return s.Invalidations })
	counter("refused", "Rendered pages not kept because a write changed them meanwhile.", func(s pagecache.Stats) uint64 { return s.Refused })
	counter("evictions", "Pages dropped to stay within the page cache's memory.", func(s pagecache.Stats) uint64 { return s.Evictions })
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "headline_page_cache_bytes", Help: "Bytes of pages in the page cache."},
		func() float64 { return float64(c.Stats().Bytes) }))
}
