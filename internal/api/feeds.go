package api

import (
	"net/http"

	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/following"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/ranking"
)

// followingFeed handles GET /api/v1/feed/following?cursor=&limit=: the
// newest posts of the accounts the caller follows.
func (s *server) followingFeed(w http.ResponseWriter, r *http.Request) error {
	if s.Following == nil {
		return off()
	}
	limit, err := queryLimit(r, following.DefaultLimit, following.MaxLimit)
	if err != nil {
		return err
	}
	pg, err := s.Following.Timeline(r.Context(), httpx.Account(r.Context()), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	now := s.Now()
	out := struct {
		Posts      []postItemJSON `json:"posts"`
		NextCursor *string        `json:"next_cursor"`
	}{Posts: make([]postItemJSON, 0, len(pg.Posts)), NextCursor: cursorJSON(pg.NextCursor)}
	for _, p := range pg.Posts {
		out.Posts = append(out.Posts, s.postItem(r, p, now))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// rankedJSON is a post in a ranked feed with why it is there.
type rankedJSON struct {
	postItemJSON
	Reason string `json:"reason"`
}

func (s *server) rankedItems(r *http.Request, items []ranking.Item) []rankedJSON {
	now := s.Now()
	out := make([]rankedJSON, 0, len(items))
	for _, it := range items {
		out = append(out, rankedJSON{postItemJSON: s.postItem(r, it.Post, now), Reason: it.Reason})
	}
	return out
}

// headlinesFeed handles GET /api/v1/feed/headlines?cursor=: the ranked
// feed (personal with a token, global for guests). The cursor names a
// stored ranking, so pages never repeat a post; it expires after an hour
// (422, start again without a cursor).
func (s *server) headlinesFeed(w http.ResponseWriter, r *http.Request) error {
	if s.Ranking == nil {
		return off()
	}
	pg, err := s.Ranking.Headlines(r.Context(), httpx.Account(r.Context()), r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Posts      []rankedJSON `json:"posts"`
		NextCursor *string      `json:"next_cursor"`
	}{Posts: s.rankedItems(r, pg.Items), NextCursor: cursorJSON(pg.NextCursor)})
	return nil
}

// trendingFeed handles GET /api/v1/feed/trending?tag=&limit=: the hottest
// posts of the last 24 hours.
func (s *server) trendingFeed(w http.ResponseWriter, r *http.Request) error {
	if s.Ranking == nil {
		return off()
	}
	limit, err := queryLimit(r, 10, 50)
	if err != nil {
		return err
	}
	tag := ""
	if t := r.URL.Query().Get("tag"); t != "" {
		tags := news.NormalizeTags([]string{t})
		if len(tags) != 1 {
			return invalid("tag", "That is not a tag.", "not a tag")
		}
		tag = tags[0]
	}
	items, err := s.Ranking.Trending(r.Context(), tag, limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Posts []rankedJSON `json:"posts"`
	}{Posts: s.rankedItems(r, items)})
	return nil
}

// likePost handles POST (like) and DELETE (unlike) /api/v1/posts/{id}/like.
// It needs a token: the API has no guest cookie to make a like one per
// reader. Both are idempotent.
func (s *server) likePost(w http.ResponseWriter, r *http.Request) error {
	if s.Engagement == nil {
		return off()
	}
	id, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	viewer := httpx.Account(r.Context())
	if viewer == nil {
		return news.Errorf(news.Unauthorized, "Send an API token as Authorization: Bearer <token> to like posts.")
	}
	if s.Moderation != nil {
		if err := s.Moderation.Limit(r.Context(), moderation.ActLike, httpx.ClientIP(r), news.Reader{AccountID: viewer.ID}.Key()); err != nil {
			return err
		}
	}
	change := s.Engagement.Like
	if r.Method == http.MethodDelete {
		change = s.Engagement.Unlike
	}
	res, err := change(r.Context(), engagement.ReaderOf(viewer, ""), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"liked": res.Liked, "likes": res.Likes, "changed": res.Changed})
	return nil
}

// sharePost handles POST /api/v1/posts/{id}/share: counts a share (open to
// guests) and returns the post's share count.
func (s *server) sharePost(w http.ResponseWriter, r *http.Request) error {
	if s.Engagement == nil {
		return off()
	}
	id, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	n, err := s.Engagement.Share(r.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"shares": n})
	return nil
}
