package ui

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/headline/headline/internal/feed"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
)

// feedSize is how many of the newest posts a feed carries.
const feedSize = 50

// alternate is a feed advertised in a page's head.
type alternate struct {
	Type, Title, Href string
}

// feedFormats are the three formats, by file extension.
var feedFormats = []struct {
	ext, mime, name string
	write           func(io.Writer, feed.Feed) error
}{
	{"atom", "application/atom+xml", "Atom", feed.Atom},
	{"rss", "application/rss+xml", "RSS", feed.RSS},
	{"json", "application/feed+json", "JSON Feed", feed.JSON},
}

// feedLinks are the <link rel="alternate"> of a page whose feeds live at
// prefix + "feed.<ext>" ("/" for the site, "/@h/" for an account).
func (s *server) feedLinks(prefix, title string) []alternate {
	var out []alternate
	for _, f := range feedFormats {
		out = append(out, alternate{Type: f.mime, Title: title + " (" + f.name + ")", Href: prefix + "feed." + f.ext})
	}
	return out
}

// feedSource says whose posts a feed carries.
type feedSource struct {
	title, description, page string
	query                    publishing.Query
}

// siteFeed serves GET /feed.{atom,rss,json}: the newest posts of the site.
func (s *server) siteFeed(ext string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.writeFeed(w, r, ext, feedSource{title: s.siteName, description: "The latest posts on " + s.siteName, page: "/"})
	}
}

// accountFeed serves GET /@{handle}/feed.{atom,rss,json}.
func (s *server) accountFeed(ext string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		handle, err := handleSeg(r)
		if err != nil {
			return err
		}
		a, err := s.accounts.ByHandle(r.Context(), handle)
		if err != nil {
			return err
		}
		return s.writeFeed(w, r, ext, feedSource{title: a.Name, description: a.Bio, page: news.AccountPath(a.Handle),
			query: publishing.Query{AuthorID: a.ID}})
	}
}

// tagFeed serves GET /t/{tag}/feed.{atom,rss,json}.
func (s *server) tagFeed(ext string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tags := news.NormalizeTags([]string{r.PathValue("tag")})
		if len(tags) != 1 {
			return news.Errorf(news.NotFound, "There is no such tag.")
		}
		return s.writeFeed(w, r, ext, feedSource{title: "#" + tags[0] + " on " + s.siteName,
			description: "Posts tagged #" + tags[0], page: "/t/" + tags[0], query: publishing.Query{Tag: tags[0]}})
	}
}

// writeFeed lists the source's newest visible posts (as a guest sees them)
// and writes them in the format of ext, with absolute URLs.
func (s *server) writeFeed(w http.ResponseWriter, r *http.Request, ext string, src feedSource) error {
	src.query.Limit = feedSize
	pg, err := s.posts.List(r.Context(), nil, src.query)
	if err != nil {
		return err
	}
	base := s.base(r)
	f := feed.Feed{Title: src.title, Description: src.description, Link: base + src.page,
		FeedURL: base + strings.TrimSuffix(src.page, "/") + "/feed." + ext, Lang: "en"}
	for _, p := range pg.Posts {
		it := feed.Item{ID: base + news.PostIDPath(p.ID), URL: base + news.PostPath(p), Title: p.Title, Summary: p.Summary,
			ContentHTML: p.BodyHTML, Published: p.PublishedAt, Updated: p.UpdatedAt, Tags: p.Tags,
			SourceName: p.SourceName, SourceURL: p.SourceURL}
		if it.Updated.Before(it.Published) {
			it.Updated = it.Published // a scheduled post is updated before it is published
		}
		if p.Author != nil {
			it.AuthorName, it.AuthorURL = p.Author.Name, base+news.AccountPath(p.Author.Handle)
		}
		if it.Updated.After(f.Updated) {
			f.Updated = it.Updated
		}
		f.Items = append(f.Items, it)
	}
	for _, ff := range feedFormats {
		if ff.ext != ext {
			continue
		}
		var buf bytes.Buffer
		if err := ff.write(&buf, f); err != nil {
			return err
		}
		w.Header().Set("Content-Type", ff.mime+"; charset=utf-8")
		// Feeds are the same for everyone: caches and readers may keep them
		// for a few minutes.
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, err := w.Write(buf.Bytes())
		return err
	}
	return news.Errorf(news.NotFound, "There is no such feed.")
}
