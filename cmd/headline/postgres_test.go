package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/postgres/pgtest"
)

// TestServePostgresEndToEnd walks the story of TestServeDemoEndToEnd on
// PostgreSQL: demo content, a token made at the command line with --db, a
// post through the API, a guest comment, and the guest's email nowhere on
// the site.
func TestServePostgresEndToEnd(t *testing.T) {
	db := pgtest.Schema(t)
	s := startSite(t, "--demo", "--db", db)
	if !strings.Contains(s.Stdout.String(), "Demo content added") {
		t.Fatalf("serve --demo did not report demo content:\n%s", s.Stdout.String())
	}
	if code, home := get(t, s.URL+"/"); code != 200 || !strings.Contains(home, "The Daily Harbor") {
		t.Fatalf("home: status %d, no demo newspaper in page", code)
	}
	token := publisherToken(t, s, db, "globalnews")
	id, postURL := publish(t, s, token, "Harbour ferries return")

	const email = "secret-guest-7731@example.com"
	guestComment(t, s, id, "Glad to hear it.", email)
	u, err := url.Parse(postURL)
	if err != nil || u.Path == "" {
		t.Fatalf("post url %q", postURL)
	}
	code, page := get(t, s.URL+u.EscapedPath())
	for _, want := range []string{"Harbour ferries return", "<strong>ferries</strong>", "Newspaper", "Glad to hear it.", "Wei"} {
		if !strings.Contains(page, want) {
			t.Errorf("article page (status %d) lacks %q", code, want)
		}
	}
	for _, p := range crawl(t, s.URL, 200) {
		if strings.Contains(p.body, email) {
			t.Errorf("guest email appears in %s", p.url)
		}
	}
}

// TestTwoInstancesShareOnePostgres runs two servers on one schema, as a
// site behind a load balancer would: a session made on one is good on the
// other, a comment written on one is listed on the other, and signing out
// on one signs out on both.
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	db := pgtest.Schema(t)
	a := startSite(t, "--demo", "--db", db)
	b := startSite(t, "--db", db)
	if !strings.Contains(b.Stdout.String(), "listening") || strings.Contains(b.Stdout.String(), "Demo content") {
		t.Fatalf("second instance:\n%s", b.Stdout.String())
	}
	a.cli(t, "correct horse battery\n", "account", "create", "--handle", "rita", "--name", "Rita Reader", "--db", db)

	cookie := signIn(t, a.URL, "rita", "correct horse battery")
	if home := getWith(t, b.URL+"/", cookie); !strings.Contains(home, "Sign out") || strings.Contains(home, "Sign in") {
		t.Fatalf("instance B does not know the session made on A")
	}

	_, posts := apiDo(t, "GET", a.URL+"/api/v1/posts", "", nil)
	list, _ := posts["posts"].([]any)
	if len(list) == 0 {
		t.Fatalf("no posts on A: %v", posts)
	}
	first := list[0].(map[string]any)
	id := int64(first["id"].(float64))
	page, _ := first["url"].(string)
	if u, err := url.Parse(page); err == nil {
		page = u.Path
	}
	// B keeps the article page for readers without cookies; a comment
	// written on A must reach them on B (LISTEN/NOTIFY drops B's copy).
	for range 2 {
		if code, body := get(t, b.URL+page); code != 200 || strings.Contains(body, "在A写") {
			t.Fatalf("article page on B before the comment: %d", code)
		}
	}
	guestComment(t, a, id, "Written on A, read on B. 在A写，在B读。", "g@example.com")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, body := get(t, b.URL+page); strings.Contains(body, "在A写，在B读。") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("B's cached article page still lacks the comment written on A after 5 s")
		}
	}
	_, comments := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/posts/%d/comments?sort=new", b.URL, id), "", nil)
	if !strings.Contains(fmt.Sprint(comments), "在A写，在B读。") {
		t.Fatalf("B does not list the comment written on A: %v", comments)
	}

	req, _ := http.NewRequest("POST", b.URL+"/signout", nil)
	req.AddCookie(cookie)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if home := getWith(t, a.URL+"/", cookie); !strings.Contains(home, "Sign in") {
		t.Fatalf("signed out on B, still signed in on A")
	}
}

// TestMigrateDataEndToEnd moves a site from SQLite to PostgreSQL with the
// binary: the demo site and a post made over the API keep their addresses,
// and running migrate-data again copies nothing and succeeds.
func TestMigrateDataEndToEnd(t *testing.T) {
	old := startSite(t, "--demo")
	token := publisherToken(t, old, "", "movingnews")
	id, _ := publish(t, old, token, "Moving day")
	guestComment(t, old, id, "Bon voyage!", "v@example.com")
	_, oldComments := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/posts/%d/comments", old.URL, id), "", nil)
	// The site is left running but idle: the copy reads one snapshot of it.

	db := pgtest.Schema(t)
	for run := range 2 {
		var out, errOut bytes.Buffer
		err := run0(t, []string{"migrate-data", "--from", old.DataDir, "--to", db, "--batch", "50"}, &out, &errOut)
		if err != nil {
			t.Fatalf("migrate-data run %d: %v\n%s", run+1, err, errOut.String())
		}
		if !strings.Contains(out.String(), "Rows and counter totals match") || !strings.Contains(errOut.String(), "comments") {
			t.Fatalf("migrate-data run %d said:\n%s\nstderr:\n%s", run+1, out.String(), errOut.String())
		}
		if run == 1 {
			for _, line := range strings.Split(out.String(), "\n") {
				if f := strings.Fields(line); len(f) == 4 && f[0] != "table" && f[3] != "0" {
					t.Errorf("second run copied rows again: %q", line)
				}
			}
		}
	}

	moved := startSite(t, "--db", db)
	code, page := get(t, fmt.Sprintf("%s/p/%d", moved.URL, id))
	if code != 200 || !strings.Contains(page, "Moving day") || !strings.Contains(page, "Bon voyage!") {
		t.Fatalf("/p/%d after the move: status %d", id, code)
	}
	if code, home := get(t, moved.URL+"/"); code != 200 || !strings.Contains(home, "The Daily Harbor") {
		t.Fatalf("home after the move: status %d", code)
	}
	_, newComments := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/posts/%d/comments", moved.URL, id), "", nil)
	// The same, but for the address of the site in the comments' URLs.
	if fmt.Sprint(newComments) != strings.ReplaceAll(fmt.Sprint(oldComments), old.URL, moved.URL) {
		t.Fatalf("comments over the API differ after the move:\n got %v\nwant %v", newComments, oldComments)
	}
	// The API token, stored hashed, moved too.
	if code, body := apiDo(t, "POST", moved.URL+"/api/v1/posts", token, map[string]any{"title": "Settled in", "body": "x"}); code != http.StatusCreated {
		t.Fatalf("posting with the old token after the move: %d %v", code, body)
	}
}

// TestServeRefusesUnreachablePostgres checks the start of serve with a
// database that is not there: one line, saying so, without the password.
func TestServeRefusesUnreachablePostgres(t *testing.T) {
	for _, db := range []string{
		"postgres://user:hunter2@127.0.0.1:1/x?sslmode=disable",
		"host=127.0.0.1 port=1 user=u password=hunter2 dbname=x",
	} {
		var out, errOut bytes.Buffer
		err := run0(t, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--db", db}, &out, &errOut)
		if err == nil {
			t.Fatalf("serve --db %s succeeded", db)
		}
		msg := err.Error()
		if strings.Contains(msg+errOut.String(), "hunter2") || strings.Contains(msg, "\n") || !strings.Contains(msg, "connect") {
			t.Errorf("serve --db %q: %q; want one line about connecting, without the password", db, msg)
		}
	}
}

func run0(t *testing.T, args []string, stdout, stderr *bytes.Buffer) error {
	t.Helper()
	return run(context.Background(), args, func(string) string { return "" }, nil, stdout, stderr)
}

// publisherToken creates an official publisher with the CLI (on db, or on
// the site's data folder when db is "") and returns an API token for it.
func publisherToken(t *testing.T, s *site, db, handle string) string {
	t.Helper()
	var extra []string
	if db != "" {
		extra = []string{"--db", db}
	}
	out := s.cli(t, "correct horse battery\n", append([]string{"account", "create", "--handle", handle, "--name", "News Desk",
		"--role", "publisher", "--official", "Newspaper"}, extra...)...)
	if !strings.Contains(out, "Created @"+handle) {
		t.Fatalf("account create said: %q", out)
	}
	fields := strings.Fields(s.cli(t, "", append([]string{"token", "create", "--handle", handle}, extra...)...))
	return fields[len(fields)-1]
}

// publish posts an article over the API and returns its id and URL.
func publish(t *testing.T, s *site, token, title string) (int64, string) {
	t.Helper()
	code, post := apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{
		"title": title, "body": "The **ferries** are back.", "lang": "en", "tags": []string{"city"},
	})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/posts: %d %v", code, post)
	}
	postURL, _ := post["url"].(string)
	return int64(post["id"].(float64)), postURL
}

func guestComment(t *testing.T, s *site, postID int64, body, email string) {
	t.Helper()
	code, c := apiDo(t, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", s.URL, postID), "", map[string]any{
		"body": body, "name": "Wei", "email": email,
	})
	if code != http.StatusCreated {
		t.Fatalf("guest comment: %d %v", code, c)
	}
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// signIn posts the sign-in form as a browser on the same site would (no
// Origin header, which cross-origin protection lets through) and returns
// the session cookie.
func signIn(t *testing.T, base, handle, password string) *http.Cookie {
	t.Helper()
	resp, err := noRedirects.PostForm(base+"/signin", url.Values{"handle": {handle}, "password": {password}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "headline_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("POST /signin: status %d, no session cookie", resp.StatusCode)
	return nil
}

func getWith(t *testing.T, u string, c *http.Cookie) string {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.String()
}

// TestTwoInstancesPublishScheduledPostOnce: a post scheduled on one
// instance becomes visible on both at its time, and its followers are told
// exactly once although both instances run the background workers.
func TestTwoInstancesPublishScheduledPostOnce(t *testing.T) {
	db := pgtest.Schema(t)
	a := startSite(t, "--db", db)
	b := startSite(t, "--db", db)
	a.cli(t, "correct horse battery\n", "account", "create", "--handle", "embassy", "--name", "The Embassy", "--role", "publisher", "--db", db)
	publisher := lastWord(a.cli(t, "", "token", "create", "--handle", "embassy", "--db", db))
	var readers []string
	for i := range 3 {
		h := fmt.Sprintf("reader%d", i)
		a.cli(t, "correct horse battery\n", "account", "create", "--handle", h, "--name", h, "--db", db)
		tok := lastWord(a.cli(t, "", "token", "create", "--handle", h, "--db", db))
		site := []*site{a, b}[i%2]
		if code, body := apiDo(t, "POST", site.URL+"/api/v1/accounts/embassy/follow", tok, nil); code != 200 && code != 201 {
			t.Fatalf("follow: %d %v", code, body)
		}
		readers = append(readers, tok)
	}

	at := time.Now().Add(1500 * time.Millisecond).UTC()
	code, post := apiDo(t, "POST", a.URL+"/api/v1/posts", publisher, map[string]any{
		"title": "Scheduled statement", "body": "Published once.", "status": "scheduled", "publish_at": at.Format(time.RFC3339Nano)})
	if code != http.StatusCreated {
		t.Fatalf("schedule: %d %v", code, post)
	}
	id := int64(post["id"].(float64))
	if code, _ := get(t, fmt.Sprintf("%s/p/%d", b.URL, id)); code != http.StatusNotFound {
		t.Fatalf("B shows the scheduled post before its time: %d", code)
	}
	published := func(tok string, s *site) int {
		_, n := apiDo(t, "GET", s.URL+"/api/v1/notifications", tok, nil)
		list, _ := n["notifications"].([]any)
		count := 0
		for _, x := range list {
			m := x.(map[string]any)
			if p, _ := m["post"].(map[string]any); p != nil && int64(p["id"].(float64)) == id {
				count++
			}
		}
		return count
	}
	for i, tok := range readers {
		waitFor(t, "the followers' notification", func() bool { return published(tok, []*site{b, a}[i%2]) > 0 })
	}
	if code, _ := get(t, fmt.Sprintf("%s/api/v1/posts/%d", b.URL, id)); code != http.StatusOK {
		t.Fatalf("B does not show the post after its time: %d", code)
	}
	time.Sleep(2500 * time.Millisecond) // more rounds of both workers
	for i, tok := range readers {
		if n := published(tok, a); n != 1 {
			t.Errorf("reader %d was told %d times of the post", i, n)
		}
	}
}

func lastWord(s string) string {
	f := strings.Fields(s)
	return f[len(f)-1]
}
