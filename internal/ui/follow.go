package ui

import (
	"net/http"
	"strings"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
)

// followButton is the follow form of an account, on its profile and in
// bylines. Guests get a link to sign in instead.
type followButton struct {
	Show      bool // not the viewer's own account, and follows are on
	Guest     bool
	Handle    string
	Following bool
	Action    string // POST here with follow=1 or follow=0
	Back      string
	SigninURL string
}

// followButton says whether the viewer follows a, for its follow form.
// A failed lookup leaves the button out rather than failing the page.
func (s *server) followButton(r *http.Request, a *news.Account, back string) followButton {
	viewer := viewerOf(r)
	b := s.followForm(viewer, a, back)
	if b.Show && viewer != nil {
		on, err := s.following.IsFollowing(r.Context(), viewer, a.ID)
		if err != nil {
			s.log.WarnContext(r.Context(), "follow state", "err", err)
			return followButton{}
		}
		b.Following = on
	}
	return b
}

// followForm is followButton without the lookup: Following is false.
func (s *server) followForm(viewer, a *news.Account, back string) followButton {
	if s.following == nil || a == nil || (viewer != nil && viewer.ID == a.ID) {
		return followButton{}
	}
	return followButton{Show: true, Guest: viewer == nil, Handle: a.Handle, Action: news.AccountPath(a.Handle) + "/follow",
		Back: back, SigninURL: signinURL(back)}
}

// follow serves POST /@{handle}/follow (follow=1 to follow, follow=0 to
// stop). A script asking for JSON gets the new state and counts; a form
// gets a 303 back to where it was sent from.
func (s *server) follow(w http.ResponseWriter, r *http.Request) error {
	if s.following == nil {
		return s.notFound(w, r)
	}
	handle, err := handleSeg(r)
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	change := s.following.Follow
	if r.PostForm.Get("follow") == "0" {
		change = s.following.Unfollow
	}
	res, err := change(r.Context(), viewerOf(r), handle)
	if wantsJSON(r) {
		if err != nil {
			httpx.WriteError(w, r, err)
			return nil
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"following": res.Following,
			"followers_count": res.Account.FollowersCount, "following_count": res.Account.FollowingCount})
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, localBack(r.PostForm.Get("back"), news.AccountPath(res.Account.Handle)), http.StatusSeeOther)
	return nil
}

// localBack is back when it is a path on this site, else fallback.
func localBack(back, fallback string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") ||
		strings.ContainsAny(back, "\r\n") {
		return fallback
	}
	return back
}

// followsPage lists an account's followers or the accounts it follows.
type followsPage struct {
	Base
	Account   *news.Account
	Followers bool
	Entries   []followEntry
	OlderURL  string
}

type followEntry struct {
	Account *news.Account
	Button  followButton
}

// followers serves GET /@{handle}/followers.
func (s *server) followers(w http.ResponseWriter, r *http.Request) error {
	return s.follows(w, r, true)
}

// followingList serves GET /@{handle}/following.
func (s *server) followingList(w http.ResponseWriter, r *http.Request) error {
	return s.follows(w, r, false)
}

func (s *server) follows(w http.ResponseWriter, r *http.Request, followers bool) error {
	if s.following == nil {
		return s.notFound(w, r)
	}
	handle, err := handleSeg(r)
	if err != nil {
		return err
	}
	list := s.following.Following
	if followers {
		list = s.following.Followers
	}
	pg, err := list(r.Context(), handle, r.URL.Query().Get("cursor"), 0)
	if err != nil {
		return err
	}
	p := &followsPage{Account: pg.Account, Followers: followers, OlderURL: olderURL(r, "cursor", pg.NextCursor)}
	for _, e := range pg.Entries {
		p.Entries = append(p.Entries, followEntry{Account: e.Account, Button: s.followButton(r, e.Account, r.URL.RequestURI())})
	}
	if followers {
		p.Title = "Followers of " + pg.Account.Name
	} else {
		p.Title = pg.Account.Name + " follows"
	}
	return s.render(w, r, http.StatusOK, "follows", p)
}

// fillSocial sets the layout's unread badge. A failure to count leaves
// the badge off: it must never fail a page.
func (s *server) fillSocial(r *http.Request, b *Base) {
	b.Social = s.following != nil
	if s.notify == nil || b.Viewer == nil {
		return
	}
	n, err := s.notify.Unread(r.Context(), b.Viewer)
	if err != nil {
		s.log.WarnContext(r.Context(), "unread count", "err", err)
		return
	}
	b.Unread = n
}

// badge is the unread count as the header shows it.
func badge(n int) string {
	if n >= notify.BadgeMax {
		return "99+"
	}
	return itoa(n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// accountSub serves GET /@{handle}/{slug}: the account's follower lists
// and feeds by their fixed names, and otherwise the article with that
// slug. A post slug never contains a dot, so the feeds shadow none; a post
// whose slug is "followers" or "following" stays reachable at /p/{id}.
func (s *server) accountSub(w http.ResponseWriter, r *http.Request) error {
	switch sub := r.PathValue("slug"); sub {
	case "followers":
		return s.followers(w, r)
	case "following":
		return s.followingList(w, r)
	default:
		for _, f := range feedFormats {
			if sub == "feed."+f.ext {
				return s.accountFeed(f.ext)(w, r)
			}
		}
	}
	return s.articleBySlug(w, r)
}
