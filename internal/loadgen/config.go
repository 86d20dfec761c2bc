// Package loadgen fills a Headline site with realistic generated data —
// accounts, posts and threads of comments in English, Chinese and Russian,
// follows, likes, views and shares — through the store's bulk contract
// (news.BulkLoader): many rows a statement, one transaction a batch, and
// every counter set from the rows at the end, so that rows and counters are
// exactly what the product writes. A run is deterministic for a seed and
// resumable after an interruption.
package loadgen

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Password is the password of every generated account. It is hashed once
// per run with accounts.HashPassword and the hash is reused: argon2id for
// 100,000 accounts would take an hour.
const Password = "loadgen-password"

// Limits keep a run inside what one machine can hold in memory: a run keeps
// about 30 bytes per account and per post (ids, plan), and the ids of the
// comments of the post being written.
const (
	MaxAccounts = 10_000_000
	MaxPosts    = 20_000_000
	MaxComments = 1_000_000_000
	MaxBatch    = 100_000
)

// Config is one run. Zero Now means "when the run starts"; HotComments < 0
// means the default, min(100000, Comments/2).
type Config struct {
	Accounts    int
	Posts       int
	Comments    int
	HotComments int
	Seed        uint64
	Days        int       // posts are published over the Days before Now
	Now         time.Time // the generated site's "now"
	Batch       int       // writes per transaction
	// MinFollowing and MaxFollowing bound how many accounts each account
	// follows (a power law between them); everyone follows the first
	// official account.
	MinFollowing, MaxFollowing int
	PostLikes                  int  // likes of posts; < 0: Comments/2
	CommentLikes               int  // likes of comments; < 0: Comments/2
	Views                      int  // counted views of posts; < 0: Comments
	Append                     bool // add a new run to a site that has data
	Resume                     bool // continue the last run on the site
}

// Default returns a small site: 1,000 accounts, 10,000 posts, 100,000
// comments, in batches of 5,000 writes.
func Default() Config {
	return Config{Accounts: 1000, Posts: 10_000, Comments: 100_000, HotComments: -1,
		Seed: 1, Days: 365, Batch: 5000, MinFollowing: 10, MaxFollowing: 5000,
		PostLikes: -1, CommentLikes: -1, Views: -1}
}

// Likes, CLikes and ViewCount return the number of post likes, comment
// likes and views, defaults applied.
func (c Config) Likes() int     { return orDefault(c.PostLikes, c.Comments/2) }
func (c Config) CLikes() int    { return orDefault(c.CommentLikes, c.Comments/2) }
func (c Config) ViewCount() int { return orDefault(c.Views, c.Comments) }

func orDefault(n, def int) int {
	if n < 0 {
		return def
	}
	return n
}

// Hot returns the number of comments on the hot post.
func (c Config) Hot() int {
	if c.HotComments >= 0 {
		return c.HotComments
	}
	return min(100_000, c.Comments/2)
}

// Validate returns every problem with c, one line each, naming the flag.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case c.Accounts < 1:
		bad("--accounts must be at least 1 (got %d)", c.Accounts)
	case c.Accounts > MaxAccounts:
		bad("--accounts must be at most %d (got %d)", MaxAccounts, c.Accounts)
	}
	switch {
	case c.Posts < 0:
		bad("--posts must not be negative (got %d)", c.Posts)
	case c.Posts > MaxPosts:
		bad("--posts must be at most %d (got %d)", MaxPosts, c.Posts)
	}
	switch {
	case c.Comments < 0:
		bad("--comments must not be negative (got %d)", c.Comments)
	case c.Comments > MaxComments:
		bad("--comments must be at most %d (got %d)", MaxComments, c.Comments)
	case c.Comments > 0 && c.Posts == 0:
		bad("--comments %d needs posts to comment on: give --posts 1 or more", c.Comments)
	}
	if c.HotComments < -1 {
		bad("--hot-comments must not be negative (got %d)", c.HotComments)
	}
	if c.HotComments > c.Comments && c.Comments >= 0 {
		bad("--hot-comments %d is more than --comments %d", c.HotComments, c.Comments)
	}
	if c.Days < 1 || c.Days > 36500 {
		bad("--days must be between 1 and 36500 (got %d)", c.Days)
	}
	if c.Batch < 1 || c.Batch > MaxBatch {
		bad("--batch must be between 1 and %d (got %d)", MaxBatch, c.Batch)
	}
	if c.MinFollowing < 0 || c.MaxFollowing < c.MinFollowing || c.MaxFollowing > MaxAccounts {
		bad("--min-following and --max-following must satisfy 0 <= min <= max (got %d and %d)", c.MinFollowing, c.MaxFollowing)
	}
	for _, f := range []struct {
		flag string
		n    int
	}{{"--likes", c.PostLikes}, {"--comment-likes", c.CommentLikes}, {"--views", c.Views}} {
		if f.n < -1 || f.n > MaxComments {
			bad("%s must be between 0 and %d (got %d)", f.flag, MaxComments, f.n)
		}
	}
	if c.Posts == 0 && c.Comments == 0 && (c.Likes() > 0 || c.ViewCount() > 0) {
		bad("--likes and --views need posts: give --posts 1 or more, or --likes 0 --views 0")
	}
	if c.CLikes() > 0 && c.Comments == 0 && c.Posts > 0 {
		bad("--comment-likes %d needs comments to like", c.CLikes())
	}
	if c.Append && c.Resume {
		bad("--append and --resume do not go together: --append starts a new run, --resume finishes the last one")
	}
	return errors.Join(errs...)
}

// The marker is the first account of every run, the wire agency "Loadgen
// Newswire". Its bio records the run's parameters, in the same transaction
// as the first batch, so --resume finds them in the store itself, on any
// database, with no file on the side.
const markerPrefix = "Wire service of a generated test site. headline loadgen"

// markerHandle is the handle of the marker account of run r (1, 2, ...).
// Generated handles end in "_<digits>", so they can never take it.
func markerHandle(r int) string {
	if r == 1 {
		return "newswire"
	}
	return "newswire_r" + strconv.Itoa(r)
}

// fingerprint is what the marker's bio records: every parameter that
// changes the generated data. Batch does not, nor do Append and Resume.
func (c Config) fingerprint() string {
	return fmt.Sprintf("%s seed=%d accounts=%d posts=%d comments=%d hot=%d days=%d now=%s following=%d-%d likes=%d clikes=%d views=%d",
		markerPrefix, c.Seed, c.Accounts, c.Posts, c.Comments, c.Hot(), c.Days,
		c.Now.UTC().Format(time.RFC3339), c.MinFollowing, c.MaxFollowing, c.Likes(), c.CLikes(), c.ViewCount())
}

// parseFingerprint reads a marker's bio back into the parameters it records.
func parseFingerprint(bio string) (Config, error) {
	c := Config{HotComments: -1, PostLikes: -1, CommentLikes: -1, Views: -1}
	rest, ok := strings.CutPrefix(bio, markerPrefix+" ")
	if !ok {
		return c, errors.New("not a loadgen marker")
	}
	for _, kv := range strings.Fields(rest) {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "seed":
			c.Seed, err = strconv.ParseUint(v, 10, 64)
		case "accounts":
			c.Accounts, err = strconv.Atoi(v)
		case "posts":
			c.Posts, err = strconv.Atoi(v)
		case "comments":
			c.Comments, err = strconv.Atoi(v)
		case "hot":
			c.HotComments, err = strconv.Atoi(v)
		case "days":
			c.Days, err = strconv.Atoi(v)
		case "now":
			c.Now, err = time.Parse(time.RFC3339, v)
		case "following":
			lo, hi, _ := strings.Cut(v, "-")
			if c.MinFollowing, err = strconv.Atoi(lo); err == nil {
				c.MaxFollowing, err = strconv.Atoi(hi)
			}
		case "likes":
			c.PostLikes, err = strconv.Atoi(v)
		case "clikes":
			c.CommentLikes, err = strconv.Atoi(v)
		case "views":
			c.Views, err = strconv.Atoi(v)
		}
		if err != nil {
			return c, fmt.Errorf("marker field %s: %w", k, err)
		}
	}
	return c, nil
}
