package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/ui"
)

func sessionCookie(t *testing.T, r *resp) *http.Cookie {
	t.Helper()
	for _, c := range r.Cookies() {
		if c.Name == "headline_session" {
			return c
		}
	}
	t.Fatalf("%s %s set no session cookie", r.Request.Method, r.Request.URL.Path)
	return nil
}

func TestSignUpInOut(t *testing.T) {
	e := newEnv(t)
	b := e.browser()

	r := b.get("/signup")
	wantStatus(t, r, http.StatusOK)
	r = b.post("/signup", url.Values{"handle": {"Maria"}, "name": {"Maria Petrova"}, "password": {"a long passphrase"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location() != "/" {
		t.Errorf("sign up goes to %q, want /", r.Location())
	}
	c := sessionCookie(t, r)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.Value == "" {
		t.Errorf("session cookie flags: %+v", c)
	}
	home := b.get("/")
	if !contains(home.body, "Maria Petrova") || !contains(home.body, "Sign out") || contains(home.body, "Sign in") {
		t.Error("home does not show the signed-in header")
	}
	if contains(home.body, "Write") || contains(home.body, "Admin") {
		t.Error("a reader sees Write or Admin")
	}

	r = b.post("/signout", nil)
	wantStatus(t, r, http.StatusSeeOther)
	if c := sessionCookie(t, r); c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("sign out does not clear the cookie: %+v", c)
	}
	if home := b.get("/"); !contains(home.body, "Sign in") || contains(home.body, "Maria Petrova") {
		t.Error("still signed in after signing out")
	}
	// The old token is dead even if a browser kept it.
	stale := e.browser()
	u, _ := url.Parse(e.srv.URL)
	stale.c.Jar.SetCookies(u, []*http.Cookie{{Name: "headline_session", Value: c.Value}})
	r = stale.get("/")
	if contains(r.body, "Maria Petrova") {
		t.Error("a signed-out token still works")
	}
	if sc := sessionCookie(t, r); sc.MaxAge >= 0 {
		t.Error("a dead session cookie is not cleared")
	}

	// Sign in: wrong password keeps the handle, never the password.
	r = b.post("/signin", url.Values{"handle": {"maria"}, "password": {"wrong password 123"}})
	wantStatus(t, r, http.StatusUnauthorized)
	if !contains(r.body, "That handle and password do not match an account.") || !strings.Contains(r.body, `value="maria"`) ||
		strings.Contains(r.body, "wrong password 123") {
		t.Error("failed sign-in page is wrong")
	}
	for next, want := range map[string]string{"/write": "/write", "//evil.example/x": "/", "https://evil.example": "/", "/\\evil.example": "/"} {
		r = e.browser().post("/signin", url.Values{"handle": {"maria"}, "password": {"a long passphrase"}, "next": {next}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.Location() != want {
			t.Errorf("next=%q: redirect to %q, want %q", next, r.Location(), want)
		}
	}
	if r := b.get("/signin?next=//evil.example"); strings.Contains(r.body, "evil.example") {
		t.Error("the sign-in form carries a foreign next")
	}
}

func TestSignUpErrors(t *testing.T) {
	e := newEnv(t)
	e.account("taken", "Someone", news.RoleReader)
	b := e.browser()
	r := b.post("/signup", url.Values{"handle": {"taken"}, "name": {"Ann <b>"}, "email": {"ann@example.org"}, "password": {"secret password 1"}})
	wantStatus(t, r, http.StatusConflict)
	if !contains(r.body, "That handle is taken; choose another.") || !strings.Contains(r.body, `value="Ann &lt;b&gt;"`) ||
		!strings.Contains(r.body, `value="ann@example.org"`) || strings.Contains(r.body, "secret password 1") {
		t.Error("conflict page does not keep the values or shows the password")
	}
	r = b.post("/signup", url.Values{"handle": {"x"}, "name": {""}, "password": {"short"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, msg := range []string{"A handle has 3 to 30 characters.", "Name is required.", "A password has at least 8 characters."} {
		if !contains(r.body, msg) {
			t.Errorf("missing %q", msg)
		}
	}
}

func TestSecureCookies(t *testing.T) {
	e := newEnvWith(t, func(d *ui.Deps) { d.SecureCookies = true })
	e.account("maria", "Maria", news.RoleReader)
	r := e.browser().post("/signin", url.Values{"handle": {"maria"}, "password": {testPassword}})
	wantStatus(t, r, http.StatusSeeOther)
	if c := sessionCookie(t, r); !c.Secure || !c.HttpOnly {
		t.Errorf("cookie not Secure: %+v", c)
	}
}

func TestCrossSiteFormsRefused(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	b := e.browser()
	b.signIn("daily")
	comment := url.Values{"body": {"cross-site comment"}}
	path := news.PostIDPath(post.ID) + "/comments"
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}, {"Origin", "https://evil.example"}} {
		r := b.post(path, comment, h...)
		wantStatus(t, r, http.StatusForbidden)
		if !contains(r.body, "sent from another site") {
			t.Errorf("%s: 403 page lacks its message", h)
		}
		if r := b.post("/signout", nil, h...); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: cross-site sign out: %d", h, r.StatusCode)
		}
		if r := b.post("/write", url.Values{"title": {"x"}, "body": {"y"}}, h...); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: cross-site write: %d", h, r.StatusCode)
		}
	}
	if r := b.get(news.PostPath(post)); strings.Contains(r.body, "cross-site comment") || !contains(r.body, "The Daily") {
		t.Error("a refused comment was stored, or the session was lost")
	}
	// A same-origin browser post goes through.
	r := b.post(path, comment, "Sec-Fetch-Site", "same-origin", "Origin", e.srv.URL)
	wantStatus(t, r, http.StatusSeeOther)
}
