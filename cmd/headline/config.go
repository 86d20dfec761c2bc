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
	PageCacheMB   int    // serve: memory for article pages kept for every reader; 0 turns it off
	JobWorkers    int    // serve: background jobs this instance runs at once
	// RateLimits applies the site's per-minute limits on comments and
	// likes; off only for load tests of a copy of a site.
	RateLimits bool
	Media      MediaConfig
}

// DefaultConfig returns the configuration a newcomer gets.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", DataDir: "./headline-data", LogLevel: "info", RateLimits: true, PageCacheMB: 64, JobWorkers: 4,
		Media: defaultMediaConfig()}
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
	if c.JobWorkers < 1 || c.JobWorkers > 64 {
		return fmt.Errorf("--job-workers %d: want 1 to 64", c.JobWorkers)
	}
	if c.PageCacheMB < 0 || c.PageCacheMB > 1<<20 {
		return fmt.Errorf("--page-cache-mb %d: want megabytes from 0 (off) to 1048576", c.PageCacheMB)
	}
	return c.Media.validate()
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
		fs.IntVar(&c.JobWorkers, "job-workers", envInt(getenv, "HEADLINE_JOB_WORKERS", c.JobWorkers), "background jobs (media processing) this instance runs at once (HEADLINE_JOB_WORKERS)")
		fs.IntVar(&c.PageCacheMB, "page-cache-mb", envInt(getenv, "HEADLINE_PAGE_CACHE_MB", c.PageCacheMB), "memory in MB for article pages, kept once and filled in per reader; 0 turns the cache off (HEADLINE_PAGE_CACHE_MB)")
		fs.BoolVar(&c.Demo, "demo", env("DEMO", "") == "true", "fill an empty site with demo content (HEADLINE_DEMO=true)")
		fs.BoolVar(&c.RateLimits, "rate-limits", env("RATE_LIMITS", strconv.FormatBool(c.RateLimits)) != "false",
			"apply the moderation settings' rate limits; --rate-limits=false only for load tests (HEADLINE_RATE_LIMITS=false)")
		bindMediaFlags(fs, &c.Media, env)
	}
}

// bindMediaFlags registers the upload and media storage flags.
func bindMediaFlags(fs *flag.FlagSet, m *MediaConfig, env func(name, def string) string) {
	intEnv := func(name string, def int) int { return numberOr(env(name, ""), def) }
	fs.IntVar(&m.MaxImageMB, "media-max-image-mb", intEnv("MEDIA_MAX_IMAGE_MB", m.MaxImageMB), "largest image upload in MB (HEADLINE_MEDIA_MAX_IMAGE_MB)")
	fs.IntVar(&m.MaxVideoMB, "media-max-video-mb", intEnv("MEDIA_MAX_VIDEO_MB", m.MaxVideoMB), "largest video upload in MB (HEADLINE_MEDIA_MAX_VIDEO_MB)")
	fs.BoolVar(&m.Transcode, "media-transcode", env("MEDIA_TRANSCODE", "true") != "false", "transcode videos browsers cannot play to H.264/AAC MP4 (HEADLINE_MEDIA_TRANSCODE=false to turn off)")
	fs.StringVar(&m.S3.Endpoint, "media-s3-endpoint", env("MEDIA_S3_ENDPOINT", m.S3.Endpoint), "S3-compatible endpoint (host:port or URL) for media instead of the data folder (HEADLINE_MEDIA_S3_ENDPOINT)")
	fs.StringVar(&m.S3.Bucket, "media-s3-bucket", env("MEDIA_S3_BUCKET", m.S3.Bucket), "S3 bucket for media (HEADLINE_MEDIA_S3_BUCKET)")
	fs.StringVar(&m.S3.AccessKey, "media-s3-access-key", env("MEDIA_S3_ACCESS_KEY", m.S3.AccessKey), "S3 access key (HEADLINE_MEDIA_S3_ACCESS_KEY)")
	fs.StringVar(&m.S3.SecretKey, "media-s3-secret-key", env("MEDIA_S3_SECRET_KEY", m.S3.SecretKey), "S3 secret key; prefer the environment variable (HEADLINE_MEDIA_S3_SECRET_KEY)")
	fs.StringVar(&m.S3.Region, "media-s3-region", env("MEDIA_S3_REGION", m.S3.Region), "S3 region, if the service needs one (HEADLINE_MEDIA_S3_REGION)")
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

// envInt reads a number from the environment (numberOr).
func envInt(getenv func(string) string, name string, def int) int {
	return numberOr(getenv(name), def)
}

// numberOr is v as a number, def when v is empty, and -1 when v is not a
// number, which every numeric flag's check refuses with the flag's name.
func numberOr(v string, def int) int {
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}
