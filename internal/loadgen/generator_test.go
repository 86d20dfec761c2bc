package loadgen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// small is a site that runs in about a second under the race detector,
// with the hot post spanning several batches.
func small() Config {
	return Config{Accounts: 30, Posts: 50, Comments: 200, HotComments: 80, Seed: 21, Days: 60,
		Now: testNow, Batch: 20, MinFollowing: 3, MaxFollowing: 20, PostLikes: 150, CommentLikes: 100, Views: 200}
}

func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// generate runs cfg into st; hook may set AfterBatch.
func generate(ctx context.Context, t *testing.T, st *sqlite.Store, cfg Config, hook func(*Generator)) (*Report, error) {
	t.Helper()
	g, err := New(cfg, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hook != nil {
		hook(g)
	}
	return g.Run(ctx)
}

func TestRunIsDeterministicAndConsistent(t *testing.T) {
	t.Parallel()
	var dumps []string
	for i := range 2 {
		st := openStore(t, filepath.Join(t.TempDir(), "h.db"))
		rep, err := generate(t.Context(), t, st, small(), nil)
		if err != nil {
			t.Fatal(err)
		}
		s := rep.Stats
		if s.Accounts != 30 || s.Posts != 50 || s.Comments != 200 || s.HotComments != 80 || s.Published+s.Scheduled+s.Drafts != 50 {
			t.Fatalf("run %d: stats %+v", i, s)
		}
		if rep.HotPostID == 0 || !strings.HasPrefix(rep.HotPostPath, "/@") {
			t.Fatalf("hot post #%d at %q", rep.HotPostID, rep.HotPostPath)
		}
		dumps = append(dumps, checkSite(t, st, 200))
	}
	if dumps[0] != dumps[1] {
		t.Fatalf("two runs with the same seed differ:\n%s", firstDiff(dumps[0], dumps[1]))
	}
}

// TestResumeEndsLikeAnUninterruptedRun interrupts a run at several points —
// inside each phase, and inside the hot post's thread — and resumes it
// with only the counts and seed (its "now" comes from the store). The site
// must then be the same, row for row, as one written in one go.
func TestResumeEndsLikeAnUninterruptedRun(t *testing.T) {
	t.Parallel()
	wholePath := filepath.Join(t.TempDir(), "h.db")
	whole := openStore(t, wholePath)
	want, err := generate(t.Context(), t, whole, small(), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantDump := checkSite(t, whole, 200)
	wantIndexes := indexes(t, wholePath)
	for _, stop := range []struct {
		phase  string
		after  int
		reopen bool // close the store and open it again before resuming
	}{{"accounts", 20, false}, {"posts", 40, false}, {"comments", 40, false}, {"comments", 180, true}, {"follows", 100, false},
		{"likes", 40, false}, {"c-likes", 60, false}, {"views", 100, true}, {"shares", 20, false},
		{"counters", 2, false}, {"counters", 1, true}} {
		t.Run(fmt.Sprintf("%s %d reopen=%v", stop.phase, stop.after, stop.reopen), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "h.db")
			st := openStore(t, path)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rep, err := generate(ctx, t, st, small(), func(g *Generator) {
				g.AfterBatch = func(phase string, done int) {
					if phase == stop.phase && done >= stop.after {
						cancel()
					}
				}
			})
			if !errors.Is(err, ErrInterrupted) || !rep.Interrupted {
				t.Fatalf("interrupted run returned %v", err)
			}
			last := rep.Phases[len(rep.Phases)-1]
			if last.Name != stop.phase || last.Before+last.Written != stop.after {
				t.Fatalf("interrupted in %s after %d, want %s after %d", last.Name, last.Before+last.Written, stop.phase, stop.after)
			}
			if stop.reopen {
				st.Close()
				st = openStore(t, path)
			}
			cfg := small()
			cfg.Resume, cfg.Now = true, time.Time{} // "now" is read back from the store
			cfg.Batch = 33                          // the batch size does not change the data
			got, err := generate(t.Context(), t, st, cfg, nil)
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if got.Stats != want.Stats || got.HotPostID != want.HotPostID {
				t.Fatalf("resumed run reports %+v, hot #%d; the whole run %+v, hot #%d", got.Stats, got.HotPostID, want.Stats, want.HotPostID)
			}
			if d := checkSite(t, st, 200); d != wantDump {
				t.Fatalf("resumed site differs from the whole run:\n%s", firstDiff(wantDump, d))
			}
			if got := indexes(t, path); got != wantIndexes {
				t.Fatalf("resumed site has the indexes\n%s\nthe whole run\n%s", got, wantIndexes)
			}
		})
	}
}

// indexes lists the index definitions of the SQLite file at path: a
// run defers some and must leave them all as a new site has them.
func indexes(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			t.Fatal(err)
		}
		list = append(list, q)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(list, "\n")
}

func TestRefusesASiteWithDataAndAppends(t *testing.T) {
	t.Parallel()
	st := openStore(t, filepath.Join(t.TempDir(), "h.db"))
	if _, err := generate(t.Context(), t, st, small(), nil); err != nil {
		t.Fatal(err)
	}
	_, err := generate(t.Context(), t, st, small(), nil)
	if err == nil || !strings.Contains(err.Error(), "already has 30 accounts") || !strings.Contains(err.Error(), "--append") {
		t.Fatalf("a second run without --append returned %v", err)
	}
	cfg := small()
	cfg.Append = true // same seed: the run number keeps handles apart
	rep, err := generate(t.Context(), t, st, cfg, nil)
	if err != nil {
		t.Fatalf("--append: %v", err)
	}
	if rep.Run != 2 || rep.Stats.Accounts != 30 {
		t.Fatalf("appended run %d with %d accounts", rep.Run, rep.Stats.Accounts)
	}
	if _, err := st.AccountByHandle(t.Context(), "newswire_r2"); err != nil {
		t.Fatalf("the second run's marker: %v", err)
	}
	checkSite(t, st, 400)
}

func TestResumeChecksTheRun(t *testing.T) {
	t.Parallel()
	st := openStore(t, filepath.Join(t.TempDir(), "h.db"))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, err := generate(ctx, t, st, small(), func(g *Generator) {
		g.AfterBatch = func(string, int) { cancel() }
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted run returned %v", err)
	}
	cfg := small()
	cfg.Resume, cfg.Seed = true, 22
	_, err = generate(t.Context(), t, st, cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "other parameters") || !strings.Contains(err.Error(), "seed=21") {
		t.Fatalf("resume with another seed returned %v", err)
	}

	cfg.Seed = 21
	if _, err := generate(t.Context(), t, st, cfg, nil); err != nil {
		t.Fatalf("resume: %v", err)
	}
	rep, err := generate(t.Context(), t, st, cfg, nil) // a finished run: nothing to do
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Phases {
		if p.Written != 0 || p.Before != p.Total {
			t.Errorf("resuming a finished run: %+v", p)
		}
	}

	empty := openStore(t, filepath.Join(t.TempDir(), "h.db"))
	if _, err := generate(t.Context(), t, empty, cfg, nil); err != nil {
		t.Fatalf("--resume on an empty site should start the run: %v", err)
	}
	other := openStore(t, filepath.Join(t.TempDir(), "h.db"))
	if err := other.CreateAccount(t.Context(), &news.Account{Handle: "someone", Name: "Someone", Role: news.RoleReader}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := generate(t.Context(), t, other, cfg, nil); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
		t.Fatalf("--resume on a site without a run returned %v", err)
	}
}
