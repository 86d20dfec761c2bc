package loadtest

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// The social scenarios act as signed-in readers: they need API tokens
// (Options.Tokens, `headline token create`), one per reader; clients take
// them in turn. A reader that follows many accounts (loadgen makes readers
// following 10 to 5,000) makes the following timeline realistic.
var socialScenarios = []*Scenario{
	{Name: "timeline", About: "GET /api/v1/feed/following?cursor=… as a signed-in reader, each client walking up to 5 pages deep (token)", Run: opTimeline, Token: TokenRequired},
	{Name: "headlines", About: "GET /api/v1/feed/headlines?cursor=…, ranked for the signed-in reader when tokens are given, each client walking up to 5 pages deep", Run: opHeadlines, Token: TokenIfGiven},
	{Name: "like", About: "POST, then on the client's next turn DELETE, /api/v1/posts/{id}/like of a random post (token)", Run: opLike, Token: TokenRequired},
	{Name: "follow", About: "POST, then on the client's next turn DELETE, /api/v1/accounts/{handle}/follow of a random author (token)", Run: opFollow, Token: TokenRequired},
}

// feedDepth is how many pages a feed walk goes before starting over: the
// first pages are what readers read; deeper ones test the cursor.
const feedDepth = 5

// feedPage is the part of a feed page the scenarios read.
type feedPage struct {
	NextCursor *string `json:"next_cursor"`
}

func opTimeline(ctx context.Context, w *Worker) Result {
	return w.walkFeed(ctx, "/api/v1/feed/following")
}

func opHeadlines(ctx context.Context, w *Worker) Result {
	return w.walkFeed(ctx, "/api/v1/feed/headlines")
}

// walkFeed reads the next page of the feed this worker is walking.
func (w *Worker) walkFeed(ctx context.Context, path string) Result {
	if w.feedPath != path || w.feedPages >= feedDepth {
		w.feedPath, w.feedCursor, w.feedPages = path, "", 0
	}
	p := path + "?limit=20"
	if w.feedCursor != "" {
		p += "&cursor=" + url.QueryEscape(w.feedCursor)
	}
	var page feedPage
	res := w.get(ctx, p, &page)
	w.feedPages++
	w.feedCursor = ""
	if res.Err == nil && page.NextCursor != nil && *page.NextCursor != "" {
		w.feedCursor = *page.NextCursor
	} else {
		w.feedPages = feedDepth // the end: start over next time
	}
	return res
}

// opLike likes a random post, and on the worker's next like turn takes
// the like back, so that a long run neither runs out of posts to like nor
// measures only no-op repeats.
func opLike(ctx context.Context, w *Worker) Result {
	if w.liked != 0 {
		id := w.liked
		w.liked = 0
		return w.do(ctx, "DELETE", "/api/v1/posts/"+strconv.FormatInt(id, 10)+"/like", nil, nil)
	}
	id := w.randomPost().ID
	res := w.do(ctx, "POST", "/api/v1/posts/"+strconv.FormatInt(id, 10)+"/like", nil, nil)
	if res.Err == nil {
		w.liked = id
	}
	return res
}

// opFollow follows the author of a random post, and unfollows on the
// worker's next follow turn.
func opFollow(ctx context.Context, w *Worker) Result {
	if w.followed != "" {
		h := w.followed
		w.followed = ""
		return w.do(ctx, "DELETE", "/api/v1/accounts/"+url.PathEscape(h)+"/follow", nil, nil)
	}
	h := authorOf(w.randomPost().Path)
	res := w.do(ctx, "POST", "/api/v1/accounts/"+url.PathEscape(h)+"/follow", nil, nil)
	if res.Err == nil {
		w.followed = h
	}
	return res
}

// authorOf is the handle in a post path /@handle/slug.
func authorOf(path string) string {
	h, _, _ := strings.Cut(strings.TrimPrefix(path, "/@"), "/")
	h, _ = url.PathUnescape(h)
	return h
}
