// Package publishing owns posts: writing, drafts, scheduling, editing and
// who may see what when.
package publishing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
)

// Service applies the publishing rules over a PostStore.
type Service struct {
	store news.PostStore
	now   func() time.Time

	// ReleaseMedia, when set, lets go of the media a post uses before the
	// post is deleted (media.Service.ReleasePost, wired in cmd/headline so
	// that publishing does not import media). It runs first because the
	// post's media references go with the post row (ON DELETE CASCADE):
	// afterwards nothing would say which media it used, and media nobody
	// uses would stay forever.
	ReleaseMedia func(ctx context.Context, postID int64) error
}

// New returns a Service. now may be nil for time.Now.
func New(store news.PostStore, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// Input is what a writer gives for a new or edited post.
type Input struct {
	Title      string
	Summary    string
	Body       string // Markdown
	Lang       string
	Tags       []string // each may itself be comma-separated
	SourceName string
	SourceURL  string
	// Status is "published" (the default), "draft" or "scheduled". A
	// scheduled post needs PublishAt in the future; a published post with a
	// future PublishAt is scheduled too.
	Status    string
	PublishAt time.Time
	// Kind is "article" (the default), or "video" or "image" for a post
	// about its main media, whose text is optional.
	Kind string
}

func (in *Input) normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	in.Lang = strings.TrimSpace(in.Lang)
	if in.Lang == "" {
		in.Lang = "en"
	}
	in.Tags = news.NormalizeTags(in.Tags)
	in.SourceName = strings.TrimSpace(in.SourceName)
	in.SourceURL = strings.TrimSpace(in.SourceURL)
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = string(news.PostPublished)
	}
}

func (in *Input) check(now time.Time) error {
	p := news.Problems{}
	news.CheckLine(p, "title", "Title", in.Title, news.MaxTitle, true)
	news.CheckText(p, "summary", "Summary", in.Summary, news.MaxSummary, false)
	if len(in.Body) > news.MaxPostBody {
		p.Add("body", fmt.Sprintf("The text is too long (at most %d KB).", news.MaxPostBody/1000))
	}
	switch in.Kind {
	case "", "article":
	case string(news.MediaVideo), string(news.MediaImage):
	default:
		p.Add("kind", "Kind must be article, video or image.")
	}
	news.CheckText(p, "body", "Text", in.Body, news.MaxPostBody, in.Status != string(news.PostDraft) && (in.Kind == "" || in.Kind == "article"))
	news.CheckLang(p, "lang", in.Lang)
	news.CheckTags(p, "tags", in.Tags)
	news.CheckLine(p, "source_name", "Source name", in.SourceName, news.MaxSourceName, in.SourceURL != "")
	news.CheckWebURL(p, "source_url", "Source link", in.SourceURL)
	switch news.PostStatus(in.Status) {
	case news.PostPublished, news.PostDraft:
	case news.PostScheduled:
		if in.PublishAt.IsZero() {
			p.Add("publish_at", "Choose when to publish.")
		} else if !in.PublishAt.After(now) {
			p.Add("publish_at", "The publishing time must be in the future.")
		}
	default:
		p.Add("status", "Status must be published, draft or scheduled.")
	}
	return p.Err()
}

// Publish creates a post by actor.
func (s *Service) Publish(ctx context.Context, actor *news.Account, in Input) (*news.Post, error) {
	if err := canWrite(actor); err != nil {
		return nil, err
	}
	now := s.now()
	in.normalize()
	if err := in.check(now); err != nil {
		return nil, err
	}
	p := &news.Post{AuthorID: actor.ID, Kind: "article"}
	if in.Kind != "" {
		p.Kind = in.Kind
	}
	if err := apply(p, in, now); err != nil {
		return nil, err
	}
	base := news.Slugify(in.Title)
	for i := 1; ; i++ {
		p.Slug = base
		if i > 1 {
			p.Slug = fmt.Sprintf("%s-%d", base, i)
		}
		err := s.store.CreatePost(ctx, p)
		if news.ErrorCode(err) == news.Conflict && i < 50 {
			continue
		}
		if err != nil {
			return nil, err
		}
		p.Author = actor
		return p, nil
	}
}

// Update edits a post. The author and admins may. A post that has been seen
// keeps its slug, so links to it never break.
func (s *Service) Update(ctx context.Context, actor *news.Account, id int64, in Input) (*news.Post, error) {
	if err := canWrite(actor); err != nil {
		return nil, err
	}
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.AuthorID != actor.ID && actor.Role != news.RoleAdmin {
		return nil, news.Errorf(news.Forbidden, "Only the author can edit this post.")
	}
	now := s.now()
	in.normalize()
	if err := in.check(now); err != nil {
		return nil, err
	}
	wasVisible := p.Visible(now)
	if err := apply(p, in, now); err != nil {
		return nil, err
	}
	if wasVisible && p.Status == news.PostPublished && p.PublishedAt.After(now) {
		return nil, &news.Error{Code: news.Invalid, Message: "A post that is already public cannot be scheduled again.", Fields: map[string]string{"publish_at": "already published"}}
	}
	if err := s.store.UpdatePost(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Delete removes a post with its comments, likes and notifications, and
// releases its media. The author and moderators may; to anyone else who
// may not see the post it does not exist.
func (s *Service) Delete(ctx context.Context, actor *news.Account, id int64) error {
	if actor == nil {
		return news.Errorf(news.Unauthorized, "Sign in to delete posts.")
	}
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return err
	}
	if !CanDelete(actor, p) {
		if _, err := s.visible(actor, p); err != nil {
			return err
		}
		return news.Errorf(news.Forbidden, "Only the author or a moderator can delete this post.")
	}
	if s.ReleaseMedia != nil {
		if err := s.ReleaseMedia(ctx, id); err != nil {
			return fmt.Errorf("release media of post %d: %w", id, err)
		}
	}
	return s.store.DeletePost(ctx, id)
}

// apply copies checked input onto p, rendering the body.
func apply(p *news.Post, in Input, now time.Time) error {
	html, err := render.Article(in.Body)
	if err != nil {
		return fmt.Errorf("render article: %w", err)
	}
	p.Title, p.Summary, p.BodyMarkdown, p.BodyHTML = in.Title, in.Summary, in.Body, html
	p.Lang, p.Tags, p.SourceName, p.SourceURL = in.Lang, in.Tags, in.SourceName, in.SourceURL
	switch news.PostStatus(in.Status) {
	case news.PostDraft:
		p.Status, p.PublishedAt = news.PostDraft, time.Time{}
	case news.PostScheduled:
		p.Status, p.PublishedAt = news.PostPublished, in.PublishAt.UTC()
	default:
		if !in.PublishAt.IsZero() {
			p.PublishedAt = in.PublishAt.UTC()
		} else if p.Status != news.PostPublished || p.PublishedAt.IsZero() || p.PublishedAt.After(now) {
			p.PublishedAt = now.UTC()
		}
		p.Status = news.PostPublished
	}
	p.PublishedAt = p.PublishedAt.Truncate(time.Microsecond)
	return nil
}

func canWrite(actor *news.Account) error {
	if actor == nil {
		return news.Errorf(news.Unauthorized, "Sign in to write posts.")
	}
	if !actor.Role.CanPublish() {
		return news.Errorf(news.Forbidden, "Your account cannot publish posts. Ask an admin to make you a publisher.")
	}
	return nil
}

// Get returns the post with this id if viewer may see it: anyone once it is
// published and its time has come; before that only its author, moderators
// and admins. To everyone else an unpublished post does not exist.
func (s *Service) Get(ctx context.Context, viewer *news.Account, id int64) (*news.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.visible(viewer, p)
}

// BySlug returns the post at /@handle/slug if viewer may see it.
func (s *Service) BySlug(ctx context.Context, viewer *news.Account, author *news.Account, slug string) (*news.Post, error) {
	p, err := s.store.PostBySlug(ctx, author.ID, slug)
	if err != nil {
		return nil, err
	}
	return s.visible(viewer, p)
}

func (s *Service) visible(viewer *news.Account, p *news.Post) (*news.Post, error) {
	if p.Visible(s.now()) || CanSeeUnpublished(viewer, p) {
		return p, nil
	}
	return nil, news.Errorf(news.NotFound, "That post does not exist.")
}

// CanSeeUnpublished reports whether viewer may see p before it is public.
func CanSeeUnpublished(viewer *news.Account, p *news.Post) bool {
	return viewer != nil && (viewer.ID == p.AuthorID || viewer.Role.CanModerate())
}

// CanEdit reports whether viewer may edit p.
func CanEdit(viewer *news.Account, p *news.Post) bool {
	return viewer != nil && viewer.Role.CanPublish() && (viewer.ID == p.AuthorID || viewer.Role == news.RoleAdmin)
}

// CanDelete reports whether viewer may delete p: its author, even one no
// longer allowed to publish, and moderators and admins, who take down
// what breaks the rules (editing stays with the author and admins).
func CanDelete(viewer *news.Account, p *news.Post) bool {
	return viewer != nil && (viewer.ID == p.AuthorID || viewer.Role.CanModerate())
}

// Query selects a page of posts.
type Query struct {
	AuthorID  int64
	Tag       string
	Drafts    bool // the viewer's own drafts (AuthorID must be the viewer)
	Scheduled bool // the viewer's own scheduled posts
	Cursor    string
	Limit     int
}

// Page is one page of posts and the cursor of the next, "" at the end.
type Page struct {
	Posts      []*news.Post
	NextCursor string
}

// List returns a page of posts, newest first.
func (s *Service) List(ctx context.Context, viewer *news.Account, q Query) (Page, error) {
	if (q.Drafts || q.Scheduled) && (viewer == nil || viewer.ID != q.AuthorID) {
		return Page{}, news.Errorf(news.Forbidden, "Only the author can list their drafts and scheduled posts.")
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	f := news.PostFilter{AuthorID: q.AuthorID, Tag: strings.ToLower(q.Tag), Drafts: q.Drafts, Scheduled: q.Scheduled,
		Now: s.now(), Limit: q.Limit + 1}
	if q.Cursor != "" {
		v, err := news.DecodeCursor(q.Cursor, 2)
		if err != nil {
			return Page{}, err
		}
		f.After = &news.PostCursor{Time: time.UnixMicro(v[0]).UTC(), ID: v[1]}
	}
	posts, err := s.store.ListPosts(ctx, f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: posts}
	if len(posts) > q.Limit {
		page.Posts = posts[:q.Limit]
		last := page.Posts[q.Limit-1]
		t := last.PublishedAt
		if q.Drafts {
			t = last.CreatedAt
		}
		page.NextCursor = news.EncodeCursor(t.UnixMicro(), last.ID)
	}
	return page, nil
}
