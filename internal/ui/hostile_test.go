package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/headline/headline/internal/news"
)

var payloads = map[string]string{
	"script":       "<script>alert(1)</script>",
	"attr-break":   `"><img src=x onerror=alert(1)>`,
	"js-url":       "javascript:alert(1)",
	"textarea":     "</textarea><script>alert(1)</script>",
	"template":     "{{.}}",
	"rtl-override": "Evil\u202Egnp.exe",
	"bad-utf8":     "bad\xff\xfebytes",
}

// checkOutcome accepts a write that was refused with a 4xx and a message,
// or stored (303) and then rendered without executable markup on every page
// that shows it.
func checkOutcome(t *testing.T, b *browser, r *resp, pages ...string) {
	t.Helper()
	assertSafe(t, "response", r.body)
	if !utf8.ValidString(r.body) {
		t.Error("response is not valid UTF-8")
	}
	switch {
	case r.StatusCode == http.StatusSeeOther:
		loc, _ := url.Parse(r.Location())
		for _, p := range append([]string{loc.Path}, pages...) {
			page := b.get(p)
			wantStatus(t, page, http.StatusOK)
			assertSafe(t, p, page.body)
			if !utf8.ValidString(page.body) {
				t.Errorf("%s is not valid UTF-8", p)
			}
		}
	case r.StatusCode >= 400 && r.StatusCode < 500:
		if !strings.Contains(r.body, `class="form-error"`) && !strings.Contains(r.body, `class="error-page"`) {
			t.Errorf("refused with %d but no message", r.StatusCode)
		}
	default:
		t.Errorf("status %d: neither stored nor refused", r.StatusCode)
	}
}

func TestHostilePostFields(t *testing.T) {
	e := newEnv(t)
	e.account("daily", "The Daily", news.RolePublisher)
	b := e.browser()
	b.signIn("daily")
	fields := []string{"title", "summary", "body", "tags", "source_name", "source_url", "lang"}
	n := 0
	for _, field := range fields {
		for name, payload := range payloads {
			t.Run(field+"/"+name, func(t *testing.T) {
				n++
				form := url.Values{"title": {"Story " + strings.Repeat("i", n)}, "body": {"Text."}, "lang": {"en"},
					"source_name": {"Wire"}, "source_url": {"https://wire.example/"}, "action": {"publish"}}
				form.Set(field, payload)
				r := b.post("/write", form)
				checkOutcome(t, b, r, "/", "/@daily")
				if field == "source_url" && r.StatusCode == http.StatusSeeOther {
					t.Error("a source link that is not http(s) was accepted")
				}
			})
		}
	}
	r := b.post("/write", url.Values{"title": {"Big"}, "body": {strings.Repeat("x", news.MaxRequestBytes+1)}})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
}

func TestHostileCommentFields(t *testing.T) {
	e := newEnv(t)
	pub := e.account("daily", "The Daily", news.RolePublisher)
	post := e.publish(pub, "Quiet day", "Nothing happened.")
	b := e.browser()
	path := news.PostIDPath(post.ID) + "/comments"
	for _, field := range []string{"name", "email", "website", "body", "parent_id"} {
		for name, payload := range payloads {
			t.Run(field+"/"+name, func(t *testing.T) {
				form := url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "website": {"https://ann.example/"}, "body": {"Hi"}}
				form.Set(field, payload)
				r := b.post(path, form)
				checkOutcome(t, b, r, "/", "/@daily")
				if (field == "website" || field == "email" || field == "parent_id") && r.StatusCode == http.StatusSeeOther {
					t.Errorf("%s %q was accepted", field, payload)
				}
				if name == "rtl-override" && field == "name" && r.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("a name with a bidi override was accepted: %d", r.StatusCode)
				}
			})
		}
	}
	r := b.post(path, url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "body": {strings.Repeat("x", news.MaxRequestBytes+1)}})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	// A long but allowed comment body is kept whole on re-render.
	long := strings.Repeat("é", news.MaxCommentBody+1)
	r = b.post(path, url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "body": {long}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, long) || !contains(r.body, "Comment is too long") {
		t.Error("too-long comment not kept or not explained")
	}
}

func TestHostileAccountFields(t *testing.T) {
	e := newEnv(t)
	for name, payload := range payloads {
		t.Run(name, func(t *testing.T) {
			b := e.browser()
			r := b.post("/signup", url.Values{"handle": {"user_" + strings.ReplaceAll(name, "-", "_")}, "name": {payload}, "password": {"long enough password"}})
			checkOutcome(t, b, r, "/@user_"+strings.ReplaceAll(name, "-", "_"))
			r = b.post("/signin", url.Values{"handle": {payload}, "password": {"x"}, "next": {payload}})
			checkOutcome(t, b, r)
		})
	}
}
