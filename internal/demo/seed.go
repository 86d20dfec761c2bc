// Package demo fills an empty Headline site with demo content: official
// accounts, articles in English, Chinese and Russian, a draft, a scheduled
// post and threads of comments. Everything is written through the services,
// so the data is exactly what the product itself writes: validated,
// rendered, sanitized and counted the same way.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// Services are the services Seed writes through.
type Services struct {
	Accounts *accounts.Service
	Posts    *publishing.Service
	Comments *discussion.Service
}

// Login is how to sign in to one demo account.
type Login struct {
	Handle   string
	Name     string
	Password string
	Role     news.Role
}

// Result says what Seed did. Accounts lists the demo accounts and their
// passwords, in creation order, when Seeded is true.
type Result struct {
	Seeded   bool
	Accounts []Login
}

// Counter is the one thing Seed needs from the store: whether the site is
// empty. *sqlite.Store (any news.Store) has it.
type Counter interface {
	CountAccounts(ctx context.Context) (int64, error)
}

// Seed fills an EMPTY site (one without accounts) with demo content. When
// the site already has accounts it does nothing and returns (Result{}, nil),
// so it is safe to run on every start.
//
// Each account gets a new random password, returned in Result so the caller
// (serve --demo) can print how to sign in. The content itself is fixed; only
// the times move: the newest article is published "now" by the services'
// clock and the others at fixed distances before it, so the home page has a
// natural order whenever the demo is seeded.
//
// Seed is not one transaction: if it fails part way, what it wrote stays,
// and since the site then has accounts a second run does nothing. Start
// again from an empty database in that case.
func Seed(ctx context.Context, store Counter, s Services) (Result, error) {
	if store == nil || s.Accounts == nil || s.Posts == nil || s.Comments == nil {
		return Result{}, errors.New("demo: Seed needs a store and the accounts, publishing and discussion services")
	}
	n, err := store.CountAccounts(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("demo: count accounts: %w", err)
	}
	if n > 0 {
		return Result{}, nil
	}

	res := Result{Seeded: true}
	byHandle := make(map[string]*news.Account, len(demoAccounts))
	for i, da := range demoAccounts {
		pw := accounts.GeneratePassword()
		a, err := s.Accounts.Create(ctx, accounts.NewAccount{Handle: da.Handle, Name: da.Name, Email: da.Email,
			Password: pw, Role: da.Role, Official: da.Official})
		if i == 0 && news.ErrorCode(err) == news.Conflict {
			// Another process seeded (or someone signed up) between the
			// count and now: the site is not empty any more.
			return Result{}, nil
		}
		if err != nil {
			return Result{}, fmt.Errorf("demo: create account @%s: %w", da.Handle, err)
		}
		byHandle[a.Handle] = a
		res.Accounts = append(res.Accounts, Login{Handle: a.Handle, Name: a.Name, Password: pw, Role: a.Role})
	}

	posts := make(map[string]*news.Post, len(demoArticles))
	// now is the services' clock, read from the first article: published
	// without a time, it gets the publishing service's "now".
	var now time.Time
	for _, da := range demoArticles {
		author := byHandle[da.Author]
		if author == nil {
			return Result{}, fmt.Errorf("demo: article %q: no account @%s", da.Key, da.Author)
		}
		in, err := da.input(posts, now)
		if err != nil {
			return Result{}, err
		}
		p, err := s.Posts.Publish(ctx, author, in)
		if err != nil {
			return Result{}, fmt.Errorf("demo: publish %q: %w", da.Key, err)
		}
		if now.IsZero() {
			now = p.PublishedAt
		}
		posts[da.Key] = p
		for _, c := range da.Comments {
			if err := postComment(ctx, s.Comments, byHandle, p.ID, 0, c); err != nil {
				return Result{}, fmt.Errorf("demo: comment on %q: %w", da.Key, err)
			}
		}
	}
	return res, nil
}

// input turns a demo article into publishing input. posts holds the
// articles written so far by key; now is the services' clock, zero before
// the first article is written.
func (da *article) input(posts map[string]*news.Post, now time.Time) (publishing.Input, error) {
	in := publishing.Input{Title: da.Title, Summary: da.Summary, Body: da.Body, Lang: da.Lang, Tags: da.Tags}
	if da.RepublishOf != "" {
		orig := posts[da.RepublishOf]
		if orig == nil {
			return in, fmt.Errorf("demo: article %q republishes %q, which is not written before it", da.Key, da.RepublishOf)
		}
		in.Title, in.Body, in.Lang = orig.Title, orig.BodyMarkdown, orig.Lang
		if in.Summary == "" {
			in.Summary = orig.Summary
		}
		if len(in.Tags) == 0 {
			in.Tags = orig.Tags
		}
		// The demo does not know the site's own address, so the credit
		// points at the original's path on a placeholder host.
		in.SourceName, in.SourceURL = orig.Author.Name, sourceHost+news.PostPath(orig)
	}
	switch {
	case now.IsZero() && (da.Status != "" || da.Ago != 0):
		return in, fmt.Errorf("demo: the first article (%q) must be published now, to read the clock", da.Key)
	case da.Status == string(news.PostDraft):
		in.Status = string(news.PostDraft)
	case da.Status == string(news.PostScheduled):
		in.Status, in.PublishAt = string(news.PostScheduled), now.Add(da.In)
	case !now.IsZero():
		in.Status, in.PublishAt = string(news.PostPublished), now.Add(-da.Ago)
	}
	return in, nil
}

// sourceHost is the placeholder site of republished articles' source links.
const sourceHost = "https://example.org"

// postComment writes c under parentID (0 for a top-level comment), then its
// replies under it.
func postComment(ctx context.Context, svc *discussion.Service, byHandle map[string]*news.Account, postID, parentID int64, c comment) error {
	in := discussion.Input{PostID: postID, ParentID: parentID, Body: c.Body, UserAgent: "headline-demo"}
	var actor *news.Account
	if c.By != "" {
		if actor = byHandle[c.By]; actor == nil {
			return fmt.Errorf("no account @%s", c.By)
		}
	} else {
		in.Name, in.Email, in.Website = c.Name, c.Email, c.Website
	}
	made, err := svc.Post(ctx, actor, in)
	if err != nil {
		return err
	}
	for _, r := range c.Replies {
		if err := postComment(ctx, svc, byHandle, postID, made.ID, r); err != nil {
			return err
		}
	}
	return nil
}
