package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/headline/headline/internal/loadgen"
)

// runLoadgen is `headline loadgen`: it fills a site with generated accounts,
// posts, comments, follows, likes and views through the store's bulk loader, prints progress on stderr and a
// report on stdout. Ctrl-C stops it after the batch being written; the same
// command with --resume then finishes the run.
func runLoadgen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, lc, err := parseLoadgenFlags(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	g, err := loadgen.New(lc, st, loadgen.NewProgress(stderr, isTerminal(stderr)))
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	rep, err := g.Run(ctx)
	if rep.Run > 0 {
		rep.Write(stdout)
	}
	if errors.Is(err, loadgen.ErrInterrupted) {
		return errors.New("interrupted: every finished batch is saved; run the same command with --resume to finish the run")
	}
	return err
}

// parseLoadgenFlags reads loadgen's flags and checks them, before anything
// is opened or written.
func parseLoadgenFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, loadgen.Config, error) {
	cfg := DefaultConfig()
	lc := loadgen.Default()
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	bindFlags(fs, &cfg, getenv, false)
	fs.IntVar(&lc.Accounts, "accounts", lc.Accounts, "accounts to create (a few official ones, 5% publishers, the rest readers)")
	fs.IntVar(&lc.Posts, "posts", lc.Posts, "posts to create, by publishers (Zipf), 3% drafts and 2% scheduled")
	fs.IntVar(&lc.Comments, "comments", lc.Comments, "comments to create, on published posts")
	fs.IntVar(&lc.HotComments, "hot-comments", lc.HotComments, "comments on the one hot post (default min(100000, comments/2))")
	fs.Uint64Var(&lc.Seed, "seed", lc.Seed, "random seed: the same flags and seed make the same data")
	fs.IntVar(&lc.Days, "days", lc.Days, "posts are published over this many days before --now")
	now := fs.String("now", "", "the generated site's present, RFC 3339, e.g. 2026-01-31T12:00:00Z (default: when the run starts)")
	fs.IntVar(&lc.MinFollowing, "min-following", lc.MinFollowing, "fewest accounts an account follows")
	fs.IntVar(&lc.MaxFollowing, "max-following", lc.MaxFollowing, "most accounts an account follows (a power law between the two; everyone follows the first official account)")
	fs.IntVar(&lc.PostLikes, "likes", lc.PostLikes, "likes of posts, power-law over posts (default comments/2)")
	fs.IntVar(&lc.CommentLikes, "comment-likes", lc.CommentLikes, "likes of comments, power-law over comments (default comments/2)")
	fs.IntVar(&lc.Views, "views", lc.Views, "counted views of posts, power-law over posts (default comments)")
	fs.IntVar(&lc.Batch, "batch", lc.Batch, "rows per transaction")
	fs.BoolVar(&lc.Append, "append", false, "add a new generated run to a site that already has data")
	fs.BoolVar(&lc.Resume, "resume", false, "finish the last run on the site, interrupted before; give the same flags")
	if err := parseFlags(fs, args, stderr); err != nil {
		return cfg, lc, err
	}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return cfg, lc, fmt.Errorf("%w: --now %q: want a time such as 2026-01-31T12:00:00Z", errUsage, *now)
		}
		lc.Now = t.UTC().Truncate(time.Second)
	}
	if err := lc.Validate(); err != nil {
		return cfg, lc, fmt.Errorf("%w: %v", errUsage, err)
	}
	if cfg.DataDir == "" && cfg.DatabaseURL == "" {
		return cfg, lc, fmt.Errorf("%w: --data: a data folder is required", errUsage)
	}
	return cfg, lc, nil
}

// isTerminal reports whether w is a terminal, where progress is redrawn in
// place rather than printed line after line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
