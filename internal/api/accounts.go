package api

import (
	"net/http"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// accountJSON is an account's public profile. It never carries the email.
type accountJSON struct {
	Handle         string    `json:"handle"`
	Name           string    `json:"name"`
	Bio            string    `json:"bio"`
	Official       string    `json:"official"`
	Role           string    `json:"role"`
	FollowersCount int64     `json:"followers_count"`
	FollowingCount int64     `json:"following_count"`
	PostsCount     int64     `json:"posts_count"`
	CreatedAt      time.Time `json:"created_at"`
	URL            string    `json:"url"`
}

func (s *server) account(r *http.Request, a *news.Account) accountJSON {
	return accountJSON{
		Handle: a.Handle, Name: a.Name, Bio: a.Bio, Official: a.Official, Role: string(a.Role),
		FollowersCount: a.FollowersCount, FollowingCount: a.FollowingCount, PostsCount: a.PostsCount,
		CreatedAt: utc(a.CreatedAt), URL: s.base(r) + news.AccountPath(a.Handle),
	}
}

// getAccount handles GET /api/v1/accounts/{handle}. The handle is matched
// in any letter case, with or without a leading "@".
func (s *server) getAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Accounts.ByHandle(r.Context(), r.PathValue("handle"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s.account(r, a))
	return nil
}

// getMe handles GET /api/v1/me: the account of the bearer token.
func (s *server) getMe(w http.ResponseWriter, r *http.Request) error {
	a := httpx.Account(r.Context())
	if a == nil {
		return news.Errorf(news.Unauthorized, "Send an API token as Authorization: Bearer <token> to see your account.")
	}
	httpx.WriteJSON(w, http.StatusOK, s.account(r, a))
	return nil
}
