package loadtest

import (
	"context"
	"strings"
	"testing"
	"time"
)

func options(t *testing.T, f *fakeSite, mix string) Options {
	t.Helper()
	m, err := ParseMix(mix)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Target: f.URL, Mix: m, MixName: "test", Mode: ModeMix, Duration: time.Minute,
		MaxRequests: 1_000_000, Concurrency: 4, Timeout: 5 * time.Second}
}

func scenario(t *testing.T, rep *Report, name string) ScenarioResult {
	t.Helper()
	for _, sr := range rep.Scenarios {
		if sr.Name == name {
			return sr
		}
	}
	t.Fatalf("no scenario %q in the report", name)
	return ScenarioResult{}
}

func TestRunStopsAtRequestBudget(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "article=3,home=1,api-post=1,comments=1,comment=1,static=1")
	o.MaxRequests, o.Concurrency = 200, 8
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.StoppedBy != "requests" || rep.Total.Requests+rep.Total.Errors != 200 {
		t.Fatalf("stopped by %s after %d requests and %d errors; want exactly 200 by the request budget", rep.StoppedBy, rep.Total.Requests, rep.Total.Errors)
	}
	if rep.Posts != 3 || rep.ThreadComments != fakeThread {
		t.Errorf("found %d posts, thread of %d; want 3 posts over two pages and the 450-comment thread", rep.Posts, rep.ThreadComments)
	}
	for _, sr := range rep.Scenarios {
		if sr.Requests == 0 || sr.Errors != 0 || sr.VsStatic != nil { // no ratios in a mix: rates follow weights
			t.Errorf("%+v", sr)
		}
	}
}

func TestRunStopsAtDurationAndWarmsUp(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "comment=1")
	o.Duration, o.Warmup = 300*time.Millisecond, 100*time.Millisecond
	start := time.Now()
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second || rep.ElapsedS < 0.3 || rep.StoppedBy != "duration" {
		t.Fatalf("took %v, measured %.2fs, stopped by %s", took, rep.ElapsedS, rep.StoppedBy)
	}
	sr := scenario(t, rep, "comment")
	f.mu.Lock()
	posted := int64(len(f.comments))
	f.mu.Unlock()
	if sr.WarmupRequests == 0 || sr.Requests == 0 || posted != sr.Requests+sr.WarmupRequests {
		t.Errorf("warm-up %d + measured %d comments, server got %d", sr.WarmupRequests, sr.Requests, posted)
	}
}

// TestThreadReadsEveryPage: one thread operation is the whole thread.
func TestThreadReadsEveryPage(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "thread")
	o.MaxRequests, o.Concurrency = 5, 1
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	sr := scenario(t, rep, "thread")
	if sr.Requests != 5 || sr.HTTPRequests != 15 {
		t.Fatalf("thread: %d operations in %d requests; want 5 in 15 (450 comments = 3 pages of 200)", sr.Requests, sr.HTTPRequests)
	}
}

// TestCommentsPagesGoDeeper: each request of a client reads the next page.
func TestCommentsPagesGoDeeper(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "comments")
	o.MaxRequests, o.Concurrency = 11, 1
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	want := "|50|100|150|200|250|300|350|400||50" // 9 pages of 50, then the thread again
	if got := strings.Join(f.cursors, "|"); got != want {
		t.Errorf("cursors %q, want %q", got, want)
	}
}

func TestGuestCommentsDiffer(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "comment")
	o.MaxRequests = 60
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range f.comments {
		if c["name"] == "" || !strings.Contains(c["email"], "@") || seen[c["body"]] {
			t.Fatalf("bad or repeated comment %v", c)
		}
		seen[c["body"]] = true
	}
	if len(seen) != 60 {
		t.Errorf("%d distinct comments, want 60", len(seen))
	}
}

func TestErrorsAreCountedAndSampled(t *testing.T) {
	f := newFakeSite(t)
	f.failWrites = true
	o := options(t, f, "comment=1,static=1")
	o.MaxRequests = 100
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	sr := scenario(t, rep, "comment")
	if sr.Errors == 0 || sr.Requests != 0 || sr.VsStatic != nil || len(sr.ErrorSamples) == 0 {
		t.Fatalf("%+v", sr)
	}
	if s := sr.ErrorSamples[0]; !strings.Contains(s, "500 Internal Server Error") || !strings.Contains(s, "disk full") {
		t.Errorf("sample %q lacks the status or the body", s)
	}
	if rep.Total.Errors != sr.Errors || scenario(t, rep, "static").Errors != 0 {
		t.Errorf("total errors %d, comment errors %d", rep.Total.Errors, sr.Errors)
	}
}

func TestEachModeRunsScenariosAlone(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "home=1,api-post=3,static=1")
	o.Mode, o.Duration = ModeEach, 600*time.Millisecond
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, sr := range rep.Scenarios {
		if sr.Requests == 0 || sr.Seconds < 0.19 || sr.Seconds > 1 || sr.VsStatic == nil {
			t.Errorf("%+v", sr)
		}
	}
	if v := *scenario(t, rep, "static").VsStatic; v != 1 {
		t.Errorf("static vs static = %v", v)
	}
}

func TestCancelStopsPromptlyWithAReport(t *testing.T) {
	f := newFakeSite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	rep, err := Run(ctx, options(t, f, "thread=1,static=1"))
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 2*time.Second || !rep.Interrupted || rep.StoppedBy != "interrupted" || rep.Total.Requests == 0 {
		t.Fatalf("after %v: interrupted %v, stopped by %s, %d requests", time.Since(start), rep.Interrupted, rep.StoppedBy, rep.Total.Requests)
	}
}

func TestRunRefusesAnEmptySite(t *testing.T) {
	f := newFakeSite(t)
	f.noPosts = true
	if _, err := Run(context.Background(), options(t, f, "static")); err == nil || !strings.Contains(err.Error(), "loadgen") {
		t.Fatalf("err = %v; want advice to seed the site", err)
	}
}

// The signed-in page scenario reads as the accounts given, each client
// with its own session cookie; the other scenarios carry none, and a run
// without accounts, or with a wrong password, is refused before it starts.
func TestSignedInScenarioCarriesASession(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "hot-article-signed-in=1,article=1")
	o.MaxRequests = 400
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "--signin") {
		t.Fatalf("a signed-in scenario without accounts: %v", err)
	}
	o.SignIn = []Credential{{"ann", "pw-ann"}, {"bob", "pw-bob"}}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sr := scenario(t, rep, "hot-article-signed-in"); sr.Requests == 0 || sr.Errors != 0 {
		t.Fatalf("%+v", sr)
	}
	f.mu.Lock()
	pages := f.pages
	f.mu.Unlock()
	if pages["s-ann"] == 0 || pages["s-bob"] == 0 || pages[""] == 0 || len(pages) != 3 {
		t.Fatalf("article reads by session: %v; want both accounts' sessions, and none on the guest scenario", pages)
	}
	o.SignIn = []Credential{{"ann", "wrong"}}
	if _, err := Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "sign in as ann") {
		t.Fatalf("a wrong password: %v", err)
	}
	if c, err := ParseCredentials("ann:pw, bob:x:y"); err != nil || len(c) != 2 || c[1] != (Credential{"bob", "x:y"}) {
		t.Fatalf("ParseCredentials = %v, %v", c, err)
	}
	for _, bad := range []string{"ann", ":pw", "ann:"} {
		if _, err := ParseCredentials(bad); err == nil {
			t.Errorf("ParseCredentials(%q) accepted", bad)
		}
	}
}
