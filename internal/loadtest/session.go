package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The signed-in browser scenarios read HTML pages as a person signed in
// through the sign-in form: with a session cookie, which is what the site
// keys its pages on (an API token is not a browser session). Each client
// signs in once, before the run, as one of Options.SignIn in turn.
var sessionScenarios = []*Scenario{
	{Name: "hot-article-signed-in", About: "GET /@handle/slug of the post with the most comments as a signed-in reader (a browser session: --signin)", Run: opHotArticle, Session: true},
}

// Credential is an account the clients sign in as.
type Credential struct{ Handle, Password string }

// ParseCredentials reads "handle:password,handle:password".
func ParseCredentials(spec string) ([]Credential, error) {
	var out []Credential
	for _, part := range strings.Split(spec, ",") {
		h, p, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || h == "" || p == "" {
			return nil, fmt.Errorf("--signin: want handle:password, comma-separated, not %q", part)
		}
		out = append(out, Credential{Handle: h, Password: p})
	}
	return out, nil
}

// sessionCookie is the site's browser session cookie.
const sessionCookie = "headline_session"

// signIn posts the sign-in form as c and keeps the session cookie. It is
// not measured: the run measures reading, and a password hash (argon2id)
// per sign-in would swamp it.
func (w *Worker) signIn(ctx context.Context, c Credential) error {
	form := url.Values{"handle": {c.Handle}, "password": {c.Password}, "next": {"/"}}
	req, err := http.NewRequestWithContext(ctx, "POST", w.base+"/signin", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "headline-bench")
	resp, err := w.env.client.Do(req)
	if err != nil {
		return fmt.Errorf("sign in as %s: %w", c.Handle, err)
	}
	defer resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie && ck.Value != "" {
			w.session = ck.Value
			return nil
		}
	}
	return fmt.Errorf("sign in as %s: %s and no session cookie (wrong handle or password?)", c.Handle, resp.Status)
}

// needsSession names the first scenario of mix that needs a session, or "".
func needsSession(mix []Weighted) string {
	for _, m := range mix {
		if m.Scenario.Session {
			return m.Scenario.Name
		}
	}
	return ""
}
