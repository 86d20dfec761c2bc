package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// Page sizes of GET /api/v1/posts.
const (
	defaultPostsLimit = 20
	maxPostsLimit     = 100
)

// postItemJSON is a post in a list: everything but the body, so that a page
// of 100 long articles stays small.
type postItemJSON struct {
	ID            int64       `json:"id"`
	URL           string      `json:"url"`
	Kind          string      `json:"kind"`
	Title         string      `json:"title"`
	Summary       string      `json:"summary"`
	Lang          string      `json:"lang"`
	Tags          []string    `json:"tags"`
	Source        *sourceJSON `json:"source"`
	Status        string      `json:"status"`
	PublishedAt   *time.Time  `json:"published_at"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
	CommentsCount int64       `json:"comments_count"`
	LikesCount    int64       `json:"likes_count"`
	Author        authorJSON  `json:"author"`
}

// postJSON is one post with its body. BodyMarkdown, the source an editor
// needs, is sent only to callers who may edit the post.
type postJSON struct {
	postItemJSON
	BodyHTML     string  `json:"body_html"`
	BodyMarkdown *string `json:"body_markdown,omitempty"`
	// Media is the main media of a video or image post, null for articles.
	Media *mediaJSON `json:"media"`
}

// sourceJSON credits where a republished post comes from.
type sourceJSON struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// authorJSON is the author of a post as shown with it.
type authorJSON struct {
	Handle         string `json:"handle"`
	Name           string `json:"name"`
	Official       string `json:"official"`
	FollowersCount int64  `json:"followers_count"`
	URL            string `json:"url"`
}

func (s *server) postItem(r *http.Request, p *news.Post, now time.Time) postItemJSON {
	base := s.base(r)
	out := postItemJSON{
		ID: p.ID, URL: base + news.PostPath(p), Kind: p.Kind, Title: p.Title, Summary: p.Summary,
		Lang: p.Lang, Tags: p.Tags, Status: string(p.ShownStatus(now)), PublishedAt: utcOrNil(p.PublishedAt),
		CreatedAt: utc(p.CreatedAt), UpdatedAt: utc(p.UpdatedAt), CommentsCount: p.CommentsCount, LikesCount: p.LikesCount,
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if p.SourceName != "" || p.SourceURL != "" {
		out.Source = &sourceJSON{Name: p.SourceName, URL: p.SourceURL}
	}
	if a := p.Author; a != nil {
		out.Author = authorJSON{Handle: a.Handle, Name: a.Name, Official: a.Official, FollowersCount: a.FollowersCount, URL: base + news.AccountPath(a.Handle)}
	}
	return out
}

func (s *server) post(r *http.Request, p *news.Post, now time.Time) postJSON {
	out := postJSON{postItemJSON: s.postItem(r, p, now), BodyHTML: p.BodyHTML}
	if p.Media != nil {
		m := s.mediaOut(r, p.Media)
		out.Media = &m
	}
	if publishing.CanEdit(httpx.Account(r.Context()), p) {
		md := p.BodyMarkdown
		out.BodyMarkdown = &md
	}
	return out
}

// postInput is the body of POST /api/v1/posts. PublishAt is a string so a
// malformed time is a 422 on publish_at rather than a 400 for the body.
type postInput struct {
	Title      string   `json:"title"`
	Summary    string   `json:"summary"`
	Body       string   `json:"body"`
	Lang       string   `json:"lang"`
	Tags       []string `json:"tags"`
	SourceName string   `json:"source_name"`
	SourceURL  string   `json:"source_url"`
	Status     string   `json:"status"`
	PublishAt  string   `json:"publish_at"`
	// MediaID makes a video or image post of an uploaded file.
	MediaID int64 `json:"media_id"`
}

// parsePublishAt reads an RFC 3339 time; "" is the zero time.
func parsePublishAt(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, invalid("publish_at", "The publishing time is not a valid time.", "must be an RFC 3339 time such as 2030-01-02T15:04:05Z")
	}
	return t, nil
}

// createPost handles POST /api/v1/posts.
func (s *server) createPost(w http.ResponseWriter, r *http.Request) error {
	var in postInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	at, err := parsePublishAt(in.PublishAt)
	if err != nil {
		return err
	}
	me := httpx.Account(r.Context())
	main, err := s.mainMedia(r, me, in.MediaID)
	if err != nil {
		return err
	}
	pin := publishing.Input{
		Title: in.Title, Summary: in.Summary, Body: in.Body, Lang: in.Lang, Tags: in.Tags,
		SourceName: in.SourceName, SourceURL: in.SourceURL, Status: in.Status, PublishAt: at,
	}
	if main != nil {
		pin.Kind = string(main.Kind)
	}
	p, err := s.Posts.Publish(r.Context(), me, pin)
	if err != nil {
		return err
	}
	if err := s.attachMedia(r, p, main); err != nil {
		return err
	}
	return created(w, s.base(r)+Prefix+"/posts/"+strconv.FormatInt(p.ID, 10), s.post(r, p, s.Now()))
}

// getPost handles GET /api/v1/posts/{id}. Posts the caller may not see yet
// (drafts, scheduled) are 404, as if they did not exist.
func (s *server) getPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	p, err := s.Posts.Get(r.Context(), httpx.Account(r.Context()), id)
	if err != nil {
		return err
	}
	if s.Media != nil {
		if err := s.Media.Fill(r.Context(), p); err != nil {
			return err
		}
	}
	httpx.WriteJSON(w, http.StatusOK, s.post(r, p, s.Now()))
	return nil
}

// deletePost handles DELETE /api/v1/posts/{id}: 204 with no body. The
// author, moderators and admins may; the post's media nobody else uses
// goes with it.
func (s *server) deletePost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	if err := s.Posts.Delete(r.Context(), httpx.Account(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// mainMedia checks the media_id of a new post: 0 is none.
func (s *server) mainMedia(r *http.Request, me *news.Account, id int64) (*news.Media, error) {
	if id == 0 {
		return nil, nil
	}
	if s.Media == nil {
		return nil, invalid("media_id", "Uploads are not enabled on this site.", "uploads are not enabled")
	}
	if id < 0 {
		return nil, invalid("media_id", "That media file does not exist.", "no such media")
	}
	return s.Media.MainMedia(r.Context(), me, id)
}

// attachMedia records the post's main media and the media its body links
// to, and fills p.Media for the response.
func (s *server) attachMedia(r *http.Request, p *news.Post, main *news.Media) error {
	if s.Media == nil {
		return nil
	}
	var mainID int64
	if main != nil {
		mainID = main.ID
	}
	if err := s.Media.Attach(r.Context(), p, mainID); err != nil {
		return err
	}
	p.Media = main
	return nil
}

// postPatch is the body of PATCH /api/v1/posts/{id}: fields left out keep
// their value.
type postPatch struct {
	Title      *string   `json:"title"`
	Summary    *string   `json:"summary"`
	Body       *string   `json:"body"`
	Lang       *string   `json:"lang"`
	Tags       *[]string `json:"tags"`
	SourceName *string   `json:"source_name"`
	SourceURL  *string   `json:"source_url"`
	Status     *string   `json:"status"`
	PublishAt  *string   `json:"publish_at"`
}

// updatePost handles PATCH /api/v1/posts/{id}.
func (s *server) updatePost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "post")
	if err != nil {
		return err
	}
	var in postPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	me := httpx.Account(r.Context())
	p, err := s.Posts.Get(r.Context(), me, id)
	if err != nil {
		return err
	}
	merged, err := in.merge(p, s.Now())
	if err != nil {
		return err
	}
	if s.Media != nil {
		if err := s.Media.Fill(r.Context(), p); err != nil {
			return err
		}
	}
	main := p.Media
	p, err = s.Posts.Update(r.Context(), me, id, merged)
	if err != nil {
		return err
	}
	if err := s.attachMedia(r, p, main); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s.post(r, p, s.Now()))
	return nil
}

// merge lays the given fields over the post's current values. When the
// status is not given, the post keeps its status and time; when it is, the
// time comes only from publish_at, as on create.
func (in postPatch) merge(p *news.Post, now time.Time) (publishing.Input, error) {
	out := publishing.Input{Kind: p.Kind, Title: p.Title, Summary: p.Summary, Body: p.BodyMarkdown, Lang: p.Lang, Tags: p.Tags,
		SourceName: p.SourceName, SourceURL: p.SourceURL, Status: string(p.ShownStatus(now)), PublishAt: p.PublishedAt}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&out.Title, in.Title)
	set(&out.Summary, in.Summary)
	set(&out.Body, in.Body)
	set(&out.Lang, in.Lang)
	set(&out.SourceName, in.SourceName)
	set(&out.SourceURL, in.SourceURL)
	if in.Tags != nil {
		out.Tags = *in.Tags
	}
	if in.Status != nil {
		out.Status, out.PublishAt = *in.Status, time.Time{}
	}
	if in.PublishAt != nil {
		at, err := parsePublishAt(*in.PublishAt)
		if err != nil {
			return out, err
		}
		out.PublishAt = at
	}
	return out, nil
}

// listPosts handles GET /api/v1/posts?author=&tag=&status=&cursor=&limit=.
// status=draft or scheduled lists the caller's own such posts and needs
// author to be the caller.
func (s *server) listPosts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := queryLimit(r, defaultPostsLimit, maxPostsLimit)
	if err != nil {
		return err
	}
	pq := publishing.Query{Tag: q.Get("tag"), Cursor: q.Get("cursor"), Limit: limit}
	switch q.Get("status") {
	case "", string(news.PostPublished):
	case string(news.PostDraft):
		pq.Drafts = true
	case string(news.PostScheduled):
		pq.Scheduled = true
	default:
		return invalid("status", "Status must be published, draft or scheduled.", "must be published, draft or scheduled")
	}
	if h := q.Get("author"); h != "" {
		a, err := s.Accounts.ByHandle(r.Context(), h)
		if err != nil {
			return err
		}
		pq.AuthorID = a.ID
	} else if pq.Drafts || pq.Scheduled {
		return invalid("author", "Listing drafts or scheduled posts needs your handle as author.", "required with status draft or scheduled")
	}
	page, err := s.Posts.List(r.Context(), httpx.Account(r.Context()), pq)
	if err != nil {
		return err
	}
	now := s.Now()
	out := struct {
		Posts      []postItemJSON `json:"posts"`
		NextCursor *string        `json:"next_cursor"`
	}{Posts: make([]postItemJSON, 0, len(page.Posts)), NextCursor: cursorJSON(page.NextCursor)}
	for _, p := range page.Posts {
		out.Posts = append(out.Posts, s.postItem(r, p, now))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
