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
	"sync"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/api"
	"github.com/headline/headline/internal/demo"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/ranking"
	"github.com/headline/headline/internal/ui"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// services are the product services over one store.
type services struct {
	accounts *accounts.Service
	posts    *publishing.Service
	comments *discussion.Service

	following  *following.Service
	ranking    *ranking.Service
	engagement *engagement.Service
	notify     *notify.Service
	worker     *notify.Worker

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

func newServices(st news.Store) services {
	return services{
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

// viewFlushInterval is how often buffered post views are written. A crash
// loses at most this much of view counting (views are not accepted writes).
const viewFlushInterval = 2 * time.Second

// startBackground runs the view flusher and the notification worker until
// ctx ends; the returned wait blocks until both stopped (the flusher
// writes its last batch first).
func startBackground(ctx context.Context, svc services, log *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	svc.worker.Log = log
	wg.Add(2)
	go func() { defer wg.Done(); svc.engagement.Views.Run(ctx, viewFlushInterval, log) }()
	go func() { defer wg.Done(); svc.worker.Run(ctx) }()
	if svc.media != nil {
		wg.Add(1)
		go func() { defer wg.Done(); svc.media.run(ctx, svc.media.workers, log) }()
	}
	return wg.Wait
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
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
	svc := newServices(st)
	if svc.media, err = openMedia(ctx, cfg, st, log); err != nil {
		return err
	}

	if cfg.Demo {
		res, err := demo.Seed(ctx, st, demo.Services{Accounts: svc.accounts, Posts: svc.posts, Comments: svc.comments})
		if err != nil {
			return fmt.Errorf("demo content: %w", err)
		}
		printDemo(stdout, res)
	}

	handler, err := newHandler(cfg, st, svc, log)
	if err != nil {
		return err
	}
	// The background work stops with the server: bgCtx ends after the
	// requests in flight finished, so their views are in the last flush.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	waitBackground := startBackground(bgCtx, svc, log)
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
	metrics := httpx.NewMetrics(reg)

	site, err := ui.New(ui.Deps{Accounts: svc.accounts, Posts: svc.posts, Comments: svc.comments, Log: log, SecureCookies: cfg.SecureCookies,
		Following: svc.following, Ranking: svc.ranking, Engagement: svc.engagement, Notify: svc.notify, BaseURL: cfg.BaseURL,
		Media: svc.mediaService(), MediaCapabilities: svc.mediaCapabilities()})
	if err != nil {
		return nil, fmt.Errorf("web ui: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", api.New(api.Deps{Accounts: svc.accounts, Posts: svc.posts, Comments: svc.comments, Log: log, BaseURL: cfg.BaseURL,
		Following: svc.following, Ranking: svc.ranking, Engagement: svc.engagement, Notify: svc.notify, Media: svc.mediaService()}))
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
