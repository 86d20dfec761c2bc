package api

import (
	"net/http"
	"time"

	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// off is the answer of a route whose service is not configured.
func off() error { return news.Errorf(news.NotFound, "There is no API endpoint at this address.") }

// followJSON is the state after a follow or unfollow.
type followJSON struct {
	Following bool        `json:"following"`
	Changed   bool        `json:"changed"`
	Account   accountJSON `json:"account"`
}

// follow handles POST (follow) and DELETE (unfollow)
// /api/v1/accounts/{handle}/follow. Both are idempotent: doing it twice
// answers 200 with changed false. Following yourself is a 422.
func (s *server) follow(w http.ResponseWriter, r *http.Request) error {
	if s.Following == nil {
		return off()
	}
	change := s.Following.Follow
	if r.Method == http.MethodDelete {
		change = s.Following.Unfollow
	}
	res, err := change(r.Context(), httpx.Account(r.Context()), r.PathValue("handle"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, followJSON{Following: res.Following, Changed: res.Changed, Account: s.account(r, res.Account)})
	return nil
}

// followEntryJSON is an account in a followers or following list.
type followEntryJSON struct {
	accountJSON
	FollowedAt time.Time `json:"followed_at"`
}

// listFollowers handles GET /api/v1/accounts/{handle}/followers.
func (s *server) listFollowers(w http.ResponseWriter, r *http.Request) error {
	return s.listFollows(w, r, true)
}

// listFollowing handles GET /api/v1/accounts/{handle}/following.
func (s *server) listFollowing(w http.ResponseWriter, r *http.Request) error {
	return s.listFollows(w, r, false)
}

func (s *server) listFollows(w http.ResponseWriter, r *http.Request, followers bool) error {
	if s.Following == nil {
		return off()
	}
	limit, err := queryLimit(r, following.DefaultLimit, following.MaxLimit)
	if err != nil {
		return err
	}
	list := s.Following.Following
	if followers {
		list = s.Following.Followers
	}
	pg, err := list(r.Context(), r.PathValue("handle"), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	out := struct {
		Accounts   []followEntryJSON `json:"accounts"`
		NextCursor *string           `json:"next_cursor"`
	}{Accounts: make([]followEntryJSON, 0, len(pg.Entries)), NextCursor: cursorJSON(pg.NextCursor)}
	for _, e := range pg.Entries {
		out.Accounts = append(out.Accounts, followEntryJSON{accountJSON: s.account(r, e.Account), FollowedAt: utc(e.FollowedAt)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
