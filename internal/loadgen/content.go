package loadgen

import (
	"fmt"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
)

// Pool sizes per language. Every distinct text is rendered once, when the
// pools are built, and its HTML is shared by every post or comment that
// uses it: rendering 1M articles through goldmark and bluemonday would take
// longer than writing them.
const (
	articlesPerLang = 96
	commentsPerLang = 512
)

// text is a source text and its stored HTML, rendered by the product's
// renderer.
type text struct {
	Src, HTML, Summary string
}

// pools are a run's texts, per language.
type pools struct {
	articles [3][]text
	comments [3][]text
}

// newPools draws and renders the texts of a run, checking each with the
// product's rules for posts and comments.
func newPools(seed uint64) (*pools, error) {
	r := newRand(seed, streamContent)
	p := &pools{}
	for l := range langs {
		v := &vocabs[l]
		for range articlesPerLang {
			src := v.article(r)
			html, err := render.Article(src)
			if err != nil {
				return nil, fmt.Errorf("render generated article: %w", err)
			}
			t := text{Src: src, HTML: html, Summary: render.Excerpt(v.paragraph(r, 1+r.IntN(2)), 300)}
			if err := checkText(t.Src, news.MaxPostBody, t.Summary); err != nil {
				return nil, err
			}
			p.articles[l] = append(p.articles[l], t)
		}
		for range commentsPerLang {
			src := v.comment(r)
			if err := checkText(src, news.MaxCommentBody, ""); err != nil {
				return nil, err
			}
			p.comments[l] = append(p.comments[l], text{Src: src, HTML: render.Comment(src)})
		}
	}
	return p, nil
}

func checkText(body string, max int, summary string) error {
	p := news.Problems{}
	news.CheckText(p, "body", "Text", body, max, true)
	news.CheckText(p, "summary", "Summary", summary, news.MaxSummary, false)
	if err := p.Err(); err != nil {
		return fmt.Errorf("generated text is not valid (%v): %q", p, body)
	}
	return nil
}
