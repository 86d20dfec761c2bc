package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// sessionCookie is the name of the browser session cookie.
const sessionCookie = "headline_session"

// withSession loads the signed-in account from the session cookie into the
// request context. A cookie that no longer names a live session is cleared
// and the request goes on signed out.
func (s *server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.accounts.SessionAccount(r.Context(), c.Value)
		switch news.ErrorCode(err) {
		case "":
			r = r.WithContext(httpx.WithAccount(r.Context(), a))
		case news.NotFound, news.Invalid:
			s.clearSession(w)
		default:
			s.renderError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// setSession gives the browser a session cookie.
func (s *server) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure, MaxAge: int(accounts.SessionTTL / time.Second)})
}

// clearSession tells the browser to forget its session cookie.
func (s *server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure, MaxAge: -1})
}

// safeNext returns next when it is a path on this site, else "/". It
// refuses "//host", "/\host" and anything a browser could read as another
// origin, so sign-in cannot be used to send people elsewhere.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}
