package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// loadgenArgs is a small site: the hot post spans several batches.
func loadgenArgs(dir string, extra ...string) []string {
	return append([]string{"loadgen", "--data", dir, "--accounts", "30", "--posts", "60", "--comments", "240",
		"--hot-comments", "80", "--seed", "5", "--now", "2026-01-01T00:00:00Z", "--batch", "30"}, extra...)
}

func runLoadgenCmd(ctx context.Context, t *testing.T, args []string, stderr *syncBuffer) (string, error) {
	t.Helper()
	var out syncBuffer
	if stderr == nil {
		stderr = &syncBuffer{}
	}
	err := run(ctx, args, func(string) string { return "" }, nil, &out, stderr)
	return out.String(), err
}

func TestLoadgenFillsASite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := runLoadgenCmd(t.Context(), t, loadgenArgs(dir), nil)
	if err != nil {
		t.Fatalf("loadgen: %v\n%s", err, out)
	}
	for _, want := range []string{"loadgen run 1 (seed 5) finished", "accounts  30 (", "posts     60 (",
		"comments  240 (", "hot post  #1 /@", "with 80 comments", "follows   ", "each account follows 10 to 13", "likes     120 of posts, 120 of comments; 240 views", `"loadgen-password"`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	site := readSite(t, dir)
	if site.accounts != 30 || site.posts != 60 || site.comments != 240 {
		t.Fatalf("the site has %d accounts, %d posts, %d comments; want 30, 60, 240", site.accounts, site.posts, site.comments)
	}
}

func TestLoadgenIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if out, err := runLoadgenCmd(t.Context(), t, loadgenArgs(dir), nil); err != nil {
			t.Fatalf("loadgen: %v\n%s", err, out)
		}
	}
	if da, db := readSite(t, a).dump, readSite(t, b).dump; da != db {
		t.Fatalf("two runs with the same flags made different sites:\n%s", diffLine(da, db))
	}
}

func TestLoadgenRefusesASiteWithData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if out, err := runLoadgenCmd(t.Context(), t, loadgenArgs(dir), nil); err != nil {
		t.Fatalf("loadgen: %v\n%s", err, out)
	}
	_, err := runLoadgenCmd(t.Context(), t, loadgenArgs(dir), nil)
	if err == nil || !strings.Contains(err.Error(), "already has 30 accounts") || !strings.Contains(err.Error(), "--append") {
		t.Fatalf("a second run on the same site returned %v", err)
	}
	out, err := runLoadgenCmd(t.Context(), t, loadgenArgs(dir, "--append"), nil)
	if err != nil || !strings.Contains(out, "loadgen run 2") {
		t.Fatalf("--append: %v\n%s", err, out)
	}
	if site := readSite(t, dir); site.accounts != 60 || site.posts != 120 || site.comments != 480 {
		t.Fatalf("after --append: %d accounts, %d posts, %d comments", site.accounts, site.posts, site.comments)
	}
}

// cancelOn is stderr that presses Ctrl-C (cancels) when a line appears.
type cancelOn struct {
	syncBuffer
	line   string
	cancel context.CancelFunc
}

func (w *cancelOn) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	if strings.Contains(w.String(), w.line) {
		w.cancel()
	}
	return n, err
}

// TestLoadgenResumesAfterInterrupt presses Ctrl-C when the posts start,
// resumes and presses it again when the comments, the follows and the
// views start, then resumes to the end: the site must be the one a single
// run makes. Counters are set at the end of a run, so they are checked
// only then.
func TestLoadgenResumesAfterInterrupt(t *testing.T) {
	t.Parallel()
	whole, cut := t.TempDir(), t.TempDir()
	if out, err := runLoadgenCmd(t.Context(), t, loadgenArgs(whole), nil); err != nil {
		t.Fatalf("loadgen: %v\n%s", err, out)
	}
	steps := []struct {
		stopAt              string
		extra               []string
		accounts, posts, cs int // on the site after the step
	}{
		{"posts: writing", nil, 30, 0, 0},
		{"comments: writing", []string{"--resume"}, 30, 60, 0},
		{"follows: writing", []string{"--resume"}, 30, 60, 240},
		{"views: writing", []string{"--resume", "--batch", "70"}, 30, 60, 240},
		{"", []string{"--resume", "--batch", "70"}, 30, 60, 240},
	}
	for _, step := range steps {
		ctx, cancel := context.WithCancel(t.Context())
		stderr := &cancelOn{line: step.stopAt, cancel: cancel}
		if step.stopAt == "" {
			stderr.line = "\x00never"
		}
		var out syncBuffer
		err := run(ctx, loadgenArgs(cut, step.extra...), func(string) string { return "" }, nil, &out, stderr)
		cancel()
		switch {
		case step.stopAt != "" && (err == nil || !strings.Contains(err.Error(), "--resume") || !strings.Contains(out.String(), "interrupted")):
			t.Fatalf("Ctrl-C at %q: run returned %v\n%s", step.stopAt, err, out.String())
		case step.stopAt == "" && err != nil:
			t.Fatalf("--resume: %v\n%s", err, stderr.String())
		}
		if site := readSiteAt(t, cut, step.stopAt == ""); site.accounts != step.accounts || site.posts != step.posts || site.comments != step.cs {
			t.Fatalf("after %v: %d accounts, %d posts, %d comments", step.extra, site.accounts, site.posts, site.comments)
		}
	}
	if dw, dc := readSite(t, whole).dump, readSite(t, cut).dump; dw != dc {
		t.Fatalf("the resumed site differs from one made in one go:\n%s", diffLine(dw, dc))
	}
}

func TestLoadgenRejectsBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--accounts", "0"}, "--accounts must be at least 1 (got 0)"},
		{[]string{"--posts", "-3"}, "--posts must not be negative (got -3)"},
		{[]string{"--posts", "0", "--comments", "10"}, "--comments 10 needs posts to comment on"},
		{[]string{"--comments", "10", "--hot-comments", "11"}, "--hot-comments 11 is more than --comments 10"},
		{[]string{"--batch", "0"}, "--batch must be between 1 and 100000"},
		{[]string{"--append", "--resume"}, "--append and --resume do not go together"},
		{[]string{"--now", "yesterday"}, `--now "yesterday": want a time such as`},
		{[]string{"--accounts", "many"}, `invalid value "many" for flag -accounts`},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		_, err := runLoadgenCmd(t.Context(), t, append([]string{"loadgen", "--data", dir}, tt.args...), nil)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("loadgen %v returned %v, want a usage error with %q", tt.args, err, tt.want)
		}
		if matches, _ := filepath.Glob(filepath.Join(dir, "*")); len(matches) > 0 {
			t.Errorf("loadgen %v created %v before checking its flags", tt.args, matches)
		}
	}
}

// siteContents is what readSite finds.
type siteContents struct {
	accounts, posts, comments int
	dump                      string // every row, for comparing sites
}

// readSite opens the SQLite site in dir and reads every row back (ids run
// 1, 2, ... in a fresh file), checking the stored counters against the rows
// as it goes: each post's CommentsCount is the number of its comments listed,
// each account's PostsCount the number of its published posts.
func readSite(t *testing.T, dir string) siteContents {
	t.Helper()
	return readSiteAt(t, dir, true)
}

// readSiteAt is readSite, checking the counters only when counters is set:
// an interrupted run sets them when it is resumed and finishes.
func readSiteAt(t *testing.T, dir string, counters bool) siteContents {
	t.Helper()
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var s siteContents
	var b strings.Builder
	var accounts []*news.Account
	for id := int64(1); ; id++ {
		a, err := st.AccountByID(ctx, id)
		if news.ErrorCode(err) == news.NotFound {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, a)
		// FollowsVersion counts the loads that wrote the account's follows:
		// a resumed run writes a batch again, so it may count one more.
		a.FollowsVersion = 0
		fmt.Fprintf(&b, "%+v\n", *a)
	}
	published := map[int64]int64{}
	for id := int64(1); ; id++ {
		p, err := st.PostByID(ctx, id)
		if news.ErrorCode(err) == news.NotFound {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Status == news.PostPublished {
			published[p.AuthorID]++
		}
		p.Author = nil
		fmt.Fprintf(&b, "%+v\n", *p)
		s.posts++
		s.comments += readComments(t, st, p, &b, counters)
	}
	for _, a := range accounts {
		if counters && a.PostsCount != published[a.ID] {
			t.Errorf("@%s: PostsCount %d, but %d published posts", a.Handle, a.PostsCount, published[a.ID])
		}
	}
	s.accounts, s.dump = len(accounts), b.String()
	return s
}

func readComments(t *testing.T, st *sqlite.Store, p *news.Post, b *strings.Builder, counters bool) int {
	t.Helper()
	n := 0
	f := news.CommentFilter{PostID: p.ID, Sort: news.SortOld, Limit: 200}
	for {
		page, err := st.ListComments(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			fmt.Fprintf(b, "  %+v\n", *c)
		}
		n += len(page)
		if len(page) < f.Limit {
			break
		}
		f.AfterID = page[len(page)-1].ID
	}
	if counters && int64(n) != p.CommentsCount {
		t.Errorf("post %d: CommentsCount %d, but %d comments listed", p.ID, p.CommentsCount, n)
	}
	return n
}

// diffLine shows the first line where a and b differ.
func diffLine(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines and %d lines", len(la), len(lb))
}
