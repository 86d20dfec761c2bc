package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres"
	"github.com/headline/headline/internal/sqlite"
)

// Config is everything an operator can set. Each field has a flag and a
// HEADLINE_* environment variable; flags win.
type Config struct {
	Addr          string // serve: address to listen on
	DataDir       string // folder for the SQLite database (and, later, media)
	DatabaseURL   string // postgres://... selects PostgreSQL instead of SQLite
	BaseURL       string // public URL of the site, for absolute links; "" derives it from requests
	SecureCookies bool   // set when the site is served over HTTPS
	Demo          bool   // serve: fill an empty site with demo content
	LogLevel      string // debug, info, warn, error
	PageCacheMB   int    // serve: memory for pages kept for readers without cookies; 0 turns it off
	// RateLimits applies the site's per-minute limits on comments and
	// likes; off only for load tests of a copy of a site.
	RateLimits bool
}

// DefaultConfig returns the configuration a newcomer gets.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", DataDir: "./headline-data", LogLevel: "info", RateLimits: true, PageCacheMB: 64}
}

// Validate names the first bad field.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port, e.g. 127.0.0.1:8080", c.Addr)
	}
	if c.DataDir == "" && c.DatabaseURL == "" {
		return fmt.Errorf("--data: a data folder is required")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--base-url %q: want a scheme and host such as https://news.example", c.BaseURL)
		}
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.PageCacheMB < 0 || c.PageCacheMB > 1<<20 {
		return fmt.Errorf("--page-cache-mb %d: want megabytes from 0 (off) to 1048576", c.PageCacheMB)
	}
	return nil
}

// bindFlags registers the common flags on fs, with defaults taken from the
// environment. serveOnly adds the flags that only serve uses.
func bindFlags(fs *flag.FlagSet, c *Config, getenv func(string) string, serveOnly bool) {
	env := func(name, def string) string {
		if v := getenv("HEADLINE_" + name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DataDir, "data", env("DATA", c.DataDir), "data folder (HEADLINE_DATA)")
	fs.StringVar(&c.DatabaseURL, "db", env("DATABASE_URL", c.DatabaseURL), "PostgreSQL URL; empty for the embedded SQLite database (HEADLINE_DATABASE_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", c.LogLevel), "debug, info, warn or error (HEADLINE_LOG_LEVEL)")
	if serveOnly {
		fs.StringVar(&c.Addr, "addr", env("ADDR", c.Addr), "address to listen on (HEADLINE_ADDR)")
		fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", c.BaseURL), "public URL of the site, e.g. https://news.example (HEADLINE_BASE_URL)")
		fs.BoolVar(&c.SecureCookies, "secure-cookies", env("SECURE_COOKIES", "") == "true", "mark cookies Secure; set when serving over HTTPS (HEADLINE_SECURE_COOKIES=true)")
		fs.IntVar(&c.PageCacheMB, "page-cache-mb", envInt(getenv, "HEADLINE_PAGE_CACHE_MB", c.PageCacheMB), "memory in MB for article pages kept for readers without cookies; 0 turns the cache off (HEADLINE_PAGE_CACHE_MB)")
		fs.BoolVar(&c.Demo, "demo", env("DEMO", "") == "true", "fill an empty site with demo content (HEADLINE_DEMO=true)")
		fs.BoolVar(&c.RateLimits, "rate-limits", env("RATE_LIMITS", strconv.FormatBool(c.RateLimits)) != "false",
			"apply the moderation settings' rate limits; --rate-limits=false only for load tests (HEADLINE_RATE_LIMITS=false)")
	}
}

func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return l, fmt.Errorf("--log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// openStore opens the configured database and applies its migrations.
func openStore(ctx context.Context, c Config) (news.Store, error) {
	if c.DatabaseURL != "" {
		// postgres.Open's errors are one line without the password, so the
		// operator sees which database failed and why, and nothing secret.
		// A key=value connection string is not a URL that redactURL can
		// mask, so it is not repeated at all.
		where := "--db"
		if strings.Contains(c.DatabaseURL, "://") {
			where += " " + redactURL(c.DatabaseURL)
		}
		st, err := postgres.Open(ctx, c.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		return st, nil
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(c.DataDir, "headline.db"))
	if err != nil {
		return nil, fmt.Errorf("open database in %s: %w", c.DataDir, err)
	}
	return st, nil
}

// redactURL hides a password in a database URL before it is printed.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// envInt reads a number from the environment; a value that is not one
// gives -1, which Validate refuses with the flag's name.
func envInt(getenv func(string) string, name string, def int) int {
	v := getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}
