package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestFollowPublishNotifyEndToEnd is the story on a running
// server: a reader follows an official account, the account publishes
// through the API, and the reader sees the post in /following and is
// told about it by the background worker.
func TestFollowPublishNotifyEndToEnd(t *testing.T) {
	s := startSite(t)
	s.cli(t, "correct horse battery\n", "account", "create", "--handle", "harbor", "--name", "The Daily Harbor", "--role", "publisher", "--official", "Newspaper")
	s.cli(t, "correct horse battery\n", "account", "create", "--handle", "lena", "--name", "Lena", "--role", "reader")
	token := func(h string) string {
		f := strings.Fields(s.cli(t, "", "token", "create", "--handle", h))
		return f[len(f)-1]
	}
	paper, reader := token("harbor"), token("lena")

	if code, out := apiDo(t, "POST", s.URL+"/api/v1/accounts/harbor/follow", reader, nil); code != 200 || out["changed"] != true {
		t.Fatalf("follow: %d %v", code, out)
	}
	code, post := apiDo(t, "POST", s.URL+"/api/v1/posts", paper, map[string]any{
		"title": "Ferries return to the harbour", "body": "The ferries are back.", "tags": []string{"city"}})
	if code != http.StatusCreated {
		t.Fatalf("publish: %d %v", code, post)
	}
	id := post["id"].(float64)

	_, feed := apiDo(t, "GET", s.URL+"/api/v1/feed/following", reader, nil)
	posts, _ := feed["posts"].([]any)
	if len(posts) != 1 || posts[0].(map[string]any)["id"] != id {
		t.Fatalf("following feed = %v", feed)
	}
	_, acct := apiDo(t, "GET", s.URL+"/api/v1/accounts/harbor", "", nil)
	if acct["followers_count"] != 1.0 || acct["posts_count"] != 1.0 || acct["official"] != "Newspaper" {
		t.Fatalf("account = %v", acct)
	}

	// The notification comes from the worker, a few seconds later (it waits
	// out a grace period for the publishing transaction).
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, notes := apiDo(t, "GET", s.URL+"/api/v1/notifications", reader, nil)
		items, _ := notes["notifications"].([]any)
		if len(items) == 1 {
			n := items[0].(map[string]any)
			if n["kind"] != "post" || n["post"].(map[string]any)["id"] != id || notes["unread"] != 1.0 {
				t.Fatalf("notification = %v", notes)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no notification after 30s: %v", notes)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The same in the browser's HTML: /following and the badge.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(s.URL+"/signin", url.Values{"handle": {"lena"}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = c.Get(s.URL + "/following")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 1<<16)
	for {
		n, err := res.Body.Read(buf)
		b.WriteString(string(buf[:n]))
		if err != nil {
			break
		}
	}
	page := b.String()
	if !strings.Contains(page, "Ferries return to the harbour") || !strings.Contains(page, `class="unread-badge"`) {
		t.Fatalf("/following (status %d) lacks the post or the badge:\n%s", res.StatusCode, page)
	}
	if code, body := get(t, s.URL+"/@harbor/feed.atom"); code != 200 || !strings.Contains(body, "Ferries return to the harbour") {
		t.Fatalf("account feed: %d", code)
	}
}
