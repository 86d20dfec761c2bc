package feed

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var published = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

func sample() Feed {
	return Feed{
		Title: "The Daily Harbor", Description: "Port news & <weather>", Link: "https://news.example/@harbor",
		FeedURL: "https://news.example/@harbor/feed.atom", Lang: "en", Updated: published.Add(time.Hour),
		Items: []Item{{
			ID: "https://news.example/p/42", URL: "https://news.example/@harbor/%E6%B8%AF%E5%8F%A3",
			Title: "港口 reopens — «Порт»", Summary: "Ships & cranes", ContentHTML: "<p>Ships <b>return</b> &amp; cranes</p>",
			Published: published, Updated: published.Add(time.Hour), AuthorName: "The Daily Harbor",
			AuthorURL: "https://news.example/@harbor", Tags: []string{"ports", "health"},
			SourceName: "Wire Agency", SourceURL: "https://wire.example/story/1",
		}},
	}
}

// parse writes f with write and parses it back with gofeed, as a reader's
// feed client would.
func parse(t *testing.T, write func(*bytes.Buffer) error, wantType string) *gofeed.Feed {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	fp := gofeed.NewParser()
	got, err := fp.ParseString(buf.String())
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, buf.String())
	}
	if got.FeedType != wantType {
		t.Fatalf("feed type %q, want %q", got.FeedType, wantType)
	}
	return got
}

func TestFormatsParse(t *testing.T) {
	f := sample()
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
		typ   string
	}{
		{"rss", func(b *bytes.Buffer) error { return RSS(b, f) }, "rss"},
		{"atom", func(b *bytes.Buffer) error { return Atom(b, f) }, "atom"},
		{"json", func(b *bytes.Buffer) error { return JSON(b, f) }, "json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parse(t, tc.write, tc.typ)
			if got.Title != f.Title || got.Link != f.Link || len(got.Items) != 1 {
				t.Fatalf("feed title %q link %q items %d", got.Title, got.Link, len(got.Items))
			}
			if tc.name != "rss" && got.FeedLink != f.FeedURL {
				t.Errorf("feed link %q, want %q", got.FeedLink, f.FeedURL)
			}
			it := got.Items[0]
			want := f.Items[0]
			if it.Title != want.Title || it.Link != want.URL || it.GUID != want.ID {
				t.Errorf("item title %q link %q guid %q", it.Title, it.Link, it.GUID)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(want.Published) {
				t.Errorf("published %v, want %v", it.PublishedParsed, want.Published)
			}
			if tc.name != "rss" && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(want.Updated)) {
				t.Errorf("updated %v, want %v", it.UpdatedParsed, want.Updated)
			}
			if len(it.Authors) == 0 || it.Authors[0].Name != want.AuthorName {
				t.Errorf("authors %+v, want %q", it.Authors, want.AuthorName)
			}
			if strings.Join(it.Categories, ",") != "ports,health" {
				t.Errorf("categories %v", it.Categories)
			}
			html := it.Content
			if html == "" {
				html = it.Description
			}
			if !strings.Contains(html, "<b>return</b>") {
				t.Errorf("content %q lost its HTML", html)
			}
		})
	}
}

func TestSourceCredit(t *testing.T) {
	f := sample()
	var rss, atom, js bytes.Buffer
	if err := RSS(&rss, f); err != nil {
		t.Fatal(err)
	}
	if err := Atom(&atom, f); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, f); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		rss.String():  `<source url="https://wire.example/story/1">Wire Agency</source>`,
		atom.String(): `<source>`,
		js.String():   `"external_url": "https://wire.example/story/1"`,
	} {
		if !strings.Contains(name, want) {
			t.Errorf("feed lacks the source credit %s:\n%s", want, name)
		}
	}
}

func TestEmptyFeedsParse(t *testing.T) {
	f := Feed{Title: "Empty", Link: "https://news.example/t/none", FeedURL: "https://news.example/t/none/feed.rss"}
	parse(t, func(b *bytes.Buffer) error { return RSS(b, f) }, "rss")
	parse(t, func(b *bytes.Buffer) error { return Atom(b, f) }, "atom")
	parse(t, func(b *bytes.Buffer) error { return JSON(b, f) }, "json")
}
