// Package feed writes syndication feeds out: RSS 2.0, Atom 1.0 and JSON
// Feed 1.1, from one neutral Feed value, so the three never disagree on
// what a post is. URLs in a Feed must already be absolute.
package feed

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"time"
)

// Feed is a list of posts as every format needs it.
type Feed struct {
	Title       string
	Description string
	Link        string // the HTML page the feed mirrors
	FeedURL     string // this feed's own address
	Lang        string
	Updated     time.Time // the newest item's time, or when the list is empty, the zero time
	Items       []Item
}

// Item is one post.
type Item struct {
	ID          string // a permanent absolute URL: /p/{id}, which never changes with a slug
	URL         string // the readable address
	Title       string
	Summary     string
	ContentHTML string // sanitized at write time, as stored
	Published   time.Time
	Updated     time.Time
	AuthorName  string
	AuthorURL   string
	Tags        []string
	SourceName  string // the credited original of a republished post
	SourceURL   string
}

// Content types of the three formats.
const (
	RSSType  = "application/rss+xml; charset=utf-8"
	AtomType = "application/atom+xml; charset=utf-8"
	JSONType = "application/feed+json; charset=utf-8"
)

// ---- RSS 2.0 (https://www.rssboard.org/rss-specification) ----

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          rssSelf   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string     `xml:"title"`
	Link        string     `xml:"link"`
	GUID        rssGUID    `xml:"guid"`
	PubDate     string     `xml:"pubDate"`
	Creator     string     `xml:"dc:creator,omitempty"`
	Description string     `xml:"description"`
	Categories  []string   `xml:"category"`
	Source      *rssSource `xml:"source"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssSource struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

// RSS writes f as RSS 2.0. The author goes in dc:creator, because RSS's
// own author element must be an email address, which Headline never shows.
// A source credit goes in <source>, which RSS made for exactly that.
func RSS(w io.Writer, f Feed) error {
	ch := rssChannel{Title: f.Title, Link: f.Link, Description: f.Description, Language: f.Lang,
		Self: rssSelf{Href: f.FeedURL, Rel: "self", Type: "application/rss+xml"}}
	if !f.Updated.IsZero() {
		ch.LastBuildDate = f.Updated.UTC().Format(time.RFC1123Z)
	}
	for _, it := range f.Items {
		ri := rssItem{Title: it.Title, Link: it.URL, GUID: rssGUID{IsPermaLink: true, Value: it.ID},
			PubDate: it.Published.UTC().Format(time.RFC1123Z), Creator: it.AuthorName,
			Description: it.ContentHTML, Categories: it.Tags}
		if it.SourceURL != "" {
			ri.Source = &rssSource{URL: it.SourceURL, Name: it.SourceName}
		}
		ch.Items = append(ch.Items, ri)
	}
	return writeXML(w, rssDoc{Version: "2.0", DC: "http://purl.org/dc/elements/1.1/",
		Atom: "http://www.w3.org/2005/Atom", Channel: ch})
}

// ---- Atom 1.0 (RFC 4287) ----

type atomDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle,omitempty"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     atomPerson     `xml:"author"`
	Summary    *atomText      `xml:"summary"`
	Content    atomText       `xml:"content"`
	Categories []atomCategory `xml:"category"`
	Source     *atomSource    `xml:"source"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomSource struct {
	Title string   `xml:"title"`
	Link  atomLink `xml:"link"`
}

// Atom writes f as Atom 1.0. An entry's id is its permanent /p/{id} URL;
// a source credit is an atom:source naming the original and linking to it.
func Atom(w io.Writer, f Feed) error {
	updated := f.Updated
	if updated.IsZero() {
		updated = time.Unix(0, 0) // an empty feed still needs a valid updated
	}
	doc := atomDoc{Lang: f.Lang, ID: f.FeedURL, Title: f.Title, Sub: f.Description, Updated: rfc3339(updated),
		Links: []atomLink{{Href: f.FeedURL, Rel: "self", Type: "application/atom+xml"}, {Href: f.Link, Rel: "alternate", Type: "text/html"}}}
	for _, it := range f.Items {
		e := atomEntry{ID: it.ID, Title: it.Title, Links: []atomLink{{Href: it.URL, Rel: "alternate", Type: "text/html"}},
			Published: rfc3339(it.Published), Updated: rfc3339(it.Updated), Author: atomPerson{Name: it.AuthorName, URI: it.AuthorURL},
			Content: atomText{Type: "html", Body: it.ContentHTML}}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: it.Summary}
		}
		for _, t := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		if it.SourceURL != "" {
			e.Source = &atomSource{Title: it.SourceName, Link: atomLink{Href: it.SourceURL, Rel: "alternate"}}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return writeXML(w, doc)
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}

// ---- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) ----

type jsonDoc struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	FeedURL     string     `json:"feed_url"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language,omitempty"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	ExternalURL   string       `json:"external_url,omitempty"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors"`
	Tags          []string     `json:"tags,omitempty"`
	Source        *jsonSource  `json:"_source,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// jsonSource is a custom extension (JSON Feed allows keys starting with
// "_"): the credited original, with external_url pointing at it too.
type jsonSource struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// JSON writes f as JSON Feed 1.1.
func JSON(w io.Writer, f Feed) error {
	doc := jsonDoc{Version: "https://jsonfeed.org/version/1.1", Title: f.Title, HomePageURL: f.Link, FeedURL: f.FeedURL,
		Description: f.Description, Language: f.Lang, Items: []jsonItem{}}
	for _, it := range f.Items {
		ji := jsonItem{ID: it.ID, URL: it.URL, Title: it.Title, ContentHTML: it.ContentHTML, Summary: it.Summary,
			DatePublished: rfc3339(it.Published), DateModified: rfc3339(it.Updated),
			Authors: []jsonAuthor{{Name: it.AuthorName, URL: it.AuthorURL}}, Tags: it.Tags}
		if it.SourceURL != "" {
			ji.ExternalURL = it.SourceURL
			ji.Source = &jsonSource{Name: it.SourceName, URL: it.SourceURL}
		}
		doc.Items = append(doc.Items, ji)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
