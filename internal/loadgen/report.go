package loadgen

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// Stats counts what a run holds, by kind. Languages are indexed en, zh, ru.
type Stats struct {
	Accounts, Officials, Publishers, Moderators, Readers int
	AccountLangs                                         [3]int

	Posts, Published, Scheduled, Drafts int
	PostLangs                           [3]int

	Comments, Replies, GuestComments, MaxDepth, HotComments int

	Follows, PostLikes, CommentLikes, Views, Shares int
}

func (s *Stats) add(o Stats) {
	s.Accounts += o.Accounts
	s.Officials += o.Officials
	s.Publishers += o.Publishers
	s.Moderators += o.Moderators
	s.Readers += o.Readers
	s.Posts += o.Posts
	s.Published += o.Published
	s.Scheduled += o.Scheduled
	s.Drafts += o.Drafts
	for i := range langs {
		s.AccountLangs[i] += o.AccountLangs[i]
		s.PostLangs[i] += o.PostLangs[i]
	}
	s.Comments += o.Comments
	s.Replies += o.Replies
	s.GuestComments += o.GuestComments
	s.MaxDepth = max(s.MaxDepth, o.MaxDepth)
	s.HotComments += o.HotComments
	s.Follows += o.Follows
	s.PostLikes += o.PostLikes
	s.CommentLikes += o.CommentLikes
	s.Views += o.Views
	s.Shares += o.Shares
}

// PhaseResult is what one phase did: Before items were there already (a
// resumed run), Written were written now.
type PhaseResult struct {
	Name                   string
	Total, Before, Written int
	Elapsed                time.Duration
}

// Rate is the phase's write rate in items a second.
func (p PhaseResult) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Written) / p.Elapsed.Seconds()
}

// Report says what a run made. Stats count the whole run, including what an
// interrupted earlier invocation wrote, as far as it got.
type Report struct {
	Run         int
	Seed        uint64
	Phases      []PhaseResult
	Stats       Stats
	HotPostID   int64
	HotPostPath string
	// TopAccount is the account everyone follows, with its counters.
	TopAccount *news.Account
	// Following is the fewest and most accounts an account follows.
	MinFollowing, MaxFollowing int
	Interrupted                bool
	Elapsed                    time.Duration
}

// describeHot fills in the hot post's id and address, and the most
// followed account.
func (g *Generator) describeHot(ctx context.Context, rep *Report) error {
	if g.cfg.Accounts > 1 {
		a, err := g.st.AccountByID(ctx, g.accountID(1))
		if err != nil {
			return fmt.Errorf("read the most followed account: %w", err)
		}
		rep.TopAccount = a
		rep.MinFollowing, rep.MaxFollowing = int(slices.Min(g.follows.counts[1:])), g.follows.max
	}
	if g.plan.hot < 0 {
		return nil
	}
	p, err := g.st.PostByID(ctx, g.postID(g.plan.hot))
	if err != nil {
		return fmt.Errorf("read the hot post: %w", err)
	}
	rep.HotPostID, rep.HotPostPath = p.ID, news.PostPath(p)
	return nil
}

// Write prints the report for a person.
func (r *Report) Write(w io.Writer) {
	s := &r.Stats
	state := "finished"
	if r.Interrupted {
		state = "interrupted"
	}
	fmt.Fprintf(w, "loadgen run %d (seed %d) %s in %s.\n", r.Run, r.Seed, state, r.Elapsed.Round(time.Second))
	fmt.Fprintf(w, "  accounts  %s (official %s, publishers %s, moderators %s, readers %s; %s)\n",
		num(s.Accounts), num(s.Officials), num(s.Publishers), num(s.Moderators), num(s.Readers), byLang(s.AccountLangs))
	fmt.Fprintf(w, "  posts     %s (published %s, scheduled %s, drafts %s; %s)\n",
		num(s.Posts), num(s.Published), num(s.Scheduled), num(s.Drafts), byLang(s.PostLangs))
	fmt.Fprintf(w, "  comments  %s (top-level %s, replies %s, by guests %s; max thread depth %d)\n",
		num(s.Comments), num(s.Comments-s.Replies), num(s.Replies), num(s.GuestComments), s.MaxDepth)
	fmt.Fprintf(w, "  follows   %s", num(s.Follows))
	if a := r.TopAccount; a != nil {
		fmt.Fprintf(w, " (each account follows %s to %s; @%s has %s followers)", num(r.MinFollowing), num(r.MaxFollowing),
			a.Handle, num(int(a.FollowersCount)))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  likes     %s of posts, %s of comments; %s views, %s shares\n",
		num(s.PostLikes), num(s.CommentLikes), num(s.Views), num(s.Shares))
	if r.HotPostID != 0 {
		fmt.Fprintf(w, "  hot post  #%d %s with %s comments\n", r.HotPostID, r.HotPostPath, num(s.HotComments))
	}
	for _, p := range r.Phases {
		switch p.Name {
		case "counters":
			fmt.Fprintf(w, "  counters  set from the rows in %s\n", p.Elapsed.Round(time.Millisecond))
			continue
		case "indexes":
			fmt.Fprintf(w, "  indexes   without counters built in %s\n", p.Elapsed.Round(time.Millisecond))
			continue
		case "indexes+":
			fmt.Fprintf(w, "  indexes+  with counters built in %s\n", p.Elapsed.Round(time.Millisecond))
			continue
		}
		fmt.Fprintf(w, "  %-9s %s written in %s (%s/s)", p.Name, num(p.Written), p.Elapsed.Round(time.Millisecond), num(int(p.Rate())))
		if p.Before > 0 {
			fmt.Fprintf(w, ", %s were already there", num(p.Before))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  sign in   as any generated account (e.g. @%s) with the password %q\n", markerHandle(r.Run), Password)
}

func byLang(n [3]int) string {
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = l + " " + num(n[i])
	}
	return strings.Join(parts, ", ")
}

// num writes n with thousands separators: 1,000,000.
func num(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + num(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
