package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// guestCookie names the long-lived anonymous id of a browser that is not
// signed in. It lets a guest like something once (and unlike it), without
// an account and without anything that identifies the person.
const guestCookie = "headline_guest"

// guestIDRe is the form of ids this server issues: 128 random bits.
var guestIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// guestLifetime is how long a browser keeps its guest id.
const guestLifetime = 365 * 24 * 3600

// guestID returns the browser's anonymous guest id. With create, a browser
// without one (or with a malformed one) is given a new id in a cookie;
// without create, "" is returned for such a browser. Signed-in readers are
// identified by their account, not by this id.
func (s *server) guestID(w http.ResponseWriter, r *http.Request, create bool) string {
	if c, err := r.Cookie(guestCookie); err == nil && guestIDRe.MatchString(c.Value) {
		return c.Value
	}
	if !create {
		return ""
	}
	b := make([]byte, 16)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: guestCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure, MaxAge: guestLifetime})
	// Later reads in this request see the new id too.
	r.AddCookie(&http.Cookie{Name: guestCookie, Value: id})
	return id
}

// viewReader is who a view is counted for: the account, the guest cookie,
// or, for a reader without cookies (most readers, served from the page
// cache), a daily pseudonym from their address and browser. The pseudonym
// is keyed by a secret of this process and never stored with what it was
// made from, so it counts a reader once a day per post without tracking
// them; several instances, or a restart, may count one reader twice.
func (s *server) viewReader(r *http.Request) news.Reader {
	if v := viewerOf(r); v != nil {
		return news.Reader{AccountID: v.ID}
	}
	if id := s.guestID(nil, r, false); id != "" {
		return news.Reader{GuestID: id}
	}
	m := hmac.New(sha256.New, s.viewKey[:])
	io.WriteString(m, httpx.ClientIP(r)+"\n"+r.UserAgent()+"\n"+s.now().UTC().Format(time.DateOnly))
	// "." never appears in a cookie's id, so a pseudonym cannot be claimed.
	return news.Reader{GuestID: "v." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])}
}
