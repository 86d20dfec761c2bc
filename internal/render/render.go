// Package render turns what people write into safe HTML, once, when it is
// written: articles from Markdown, comments from plain text with clickable
// links. The stored HTML is served as is, so every path out of this package
// goes through an allow-list sanitizer.
package render

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

var (
	// Raw HTML in Markdown is escaped by goldmark (no WithUnsafe), and the
	// sanitizer runs after it anyway: two independent locks.
	markdown = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	articlePolicy = newArticlePolicy()
	commentPolicy = newCommentPolicy()
)

func newArticlePolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Articles are written by the site's publishers, who vouch for their
	// links; only comment links are marked nofollow.
	p.RequireNoFollowOnLinks(false)
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoReferrerOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	// Heading ids let readers link to a section; goldmark makes them.
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}_-]{1,100}$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	// Videos the site itself serves (embedVideos), and nothing else.
	p.AllowElements("video")
	p.AllowAttrs("src").Matching(siteVideoRe).OnElements("video")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`^$`)).OnElements("video")
	p.AllowAttrs("preload").Matching(regexp.MustCompile(`^metadata$`)).OnElements("video")
	return p
}

// siteVideoRe is a video uploaded to this site: /media/ and a content
// address. A video anywhere else is not played inside an article.
var siteVideoRe = regexp.MustCompile(`^/media/[0-9a-f]{64}\.(?:mp4|webm|mov)$`)

// videoImgRe is goldmark's rendering of an image whose address is one of
// the site's videos: ![caption](/media/<sha256>.mp4). goldmark writes
// attributes escaped and in this order.
var videoImgRe = regexp.MustCompile(`<img src="(/media/[0-9a-f]{64}\.(?:mp4|webm|mov))" alt="([^"]*)"(?: title="[^"]*")?>`)

// embedVideos turns the site's videos written as Markdown images into
// players: Markdown has no syntax of its own for a video, and an image of
// a video shows nothing. The caption becomes the fallback link's text.
func embedVideos(html string) string {
	return videoImgRe.ReplaceAllString(html, `<video controls preload="metadata" src="$1"><a href="$1">$2</a></video>`)
}

func newCommentPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	// Comment links are the writer's, not the site's: tell search engines so.
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^[a-z ]+$`)).OnElements("a")
	return p
}

// Article renders Markdown to sanitized HTML.
func Article(src string) (string, error) {
	var buf bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	if err := markdown.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		return "", err
	}
	return articlePolicy.Sanitize(embedVideos(buf.String())), nil
}

// urlRe finds http(s) links in plain text. It stops at spaces, quotes and
// angle brackets, and at CJK punctuation so "见 https://x.cn/a。" works.
var urlRe = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `\x{3000}-\x{303F}\x{FF01}-\x{FF0F}]+`)

// Comment renders a plain-text comment: paragraphs at blank lines, line
// breaks kept, http(s) links made clickable with rel="nofollow ugc". The
// HTML is built safe, escaped text and three elements, and is not run
// through the comment policy on every post (a sixth of a comment post's
// handler CPU): FuzzCommentIsSafeAsBuilt checks that the policy would
// leave it as it is.
func Comment(src string) string {
	// A lone CR ends a line too (as HTML reads it).
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, para := range splitParagraphs(src) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			linkify(&b, line)
		}
		b.WriteString("</p>")
	}
	return b.String()
}

var blankLineRe = regexp.MustCompile(`\n\s*\n`)

func splitParagraphs(s string) []string {
	var out []string
	for _, p := range blankLineRe.Split(strings.TrimSpace(s), -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func linkify(b *strings.Builder, line string) {
	last := 0
	for _, m := range urlRe.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		// Trailing sentence punctuation belongs to the sentence, not the URL.
		for end > start && strings.ContainsRune(".,;:!?)]}", rune(line[end-1])) {
			end--
		}
		b.WriteString(html.EscapeString(line[last:start]))
		u := line[start:end]
		last = end
		// As the comment policy would have it: a link only if the URL
		// parses, its href in the parsed form.
		parsed, err := url.Parse(u)
		if err != nil {
			b.WriteString(html.EscapeString(u))
			continue
		}
		b.WriteString(`<a href="` + html.EscapeString(parsed.String()) + `" rel="nofollow ugc">` + html.EscapeString(u) + `</a>`)
	}
	b.WriteString(html.EscapeString(line[last:]))
}

// Excerpt returns the first n characters of plain text, cut at a word
// boundary where there is one, with an ellipsis when cut.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for i := n; i > n*2/3; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimSpace(string(r[:cut])) + "…"
}
