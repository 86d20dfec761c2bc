package loadgen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/headline/headline/internal/news"
)

// Post states, in op.kind. A scheduled post is stored as published with a
// PublishedAt after the run's "now", as the publishing service stores it.
const (
	statusPublished = iota
	statusScheduled
	statusDraft
)

const day = 24 * time.Hour

// postStatus positions r on post j and draws its state: 3% drafts, 2%
// scheduled. Post 0 is always published: it is the hot post.
func (g *Generator) postStatus(r *itemRand, j int) int {
	u := r.at(streamPosts, j).IntN(1000)
	switch {
	case j == 0:
		return statusPublished
	case u < 30:
		return statusDraft
	case u < 50:
		return statusScheduled
	}
	return statusPublished
}

// genPost generates post j of the run into o: its author (Zipf over the
// publishers, officials first), language (mostly the author's), title and
// slug, a body from the pool, normalized tags, now and then a source credit,
// and its times.
func (g *Generator) genPost(r *itemRand, j int, o *op) {
	status := g.postStatus(r, j)
	author := g.authors.sample(r.Rand)
	if j == 0 {
		author = min(1, g.nPublishers-1) // the first newspaper
	}
	lang := int(g.authorLangs[author])
	if r.IntN(100) < 15 {
		lang = r.IntN(len(langs))
	}
	v := &vocabs[lang]
	title := v.title(r.Rand)
	art := &g.pools.articles[lang][r.IntN(articlesPerLang)]
	p := &o.post
	*p = news.Post{Kind: "article", Title: title, Slug: slugFor(title, j), Summary: art.Summary,
		BodyMarkdown: art.Src, BodyHTML: art.HTML, Lang: langs[lang],
		Tags: news.NormalizeTags(tagsFor(r.Rand, lang))}
	if r.IntN(10) == 0 {
		p.SourceName = pick(r.Rand, v.sources)
		p.SourceURL = "https://example.com/" + langs[lang] + "/" + strconv.Itoa(r.IntN(1_000_000))
	}
	now, days := g.cfg.Now, time.Duration(g.cfg.Days)*day
	switch status {
	case statusPublished:
		p.Status, p.PublishedAt = news.PostPublished, now.Add(-time.Duration(r.Float64()*float64(days)))
		if j == 0 {
			p.PublishedAt = now.Add(-26 * time.Hour)
		}
	case statusScheduled:
		p.Status, p.PublishedAt = news.PostPublished, now.Add(time.Hour+time.Duration(r.Float64()*float64(14*day)))
		o.at = now.Add(-time.Duration(r.Float64() * float64(3*day)))
	default:
		p.Status = news.PostDraft
		o.at = now.Add(-time.Duration(r.Float64() * float64(days)))
	}
	p.PublishedAt = p.PublishedAt.UTC().Truncate(time.Microsecond)
	if status == statusPublished {
		o.at = p.PublishedAt
	}
	o.index, o.author, o.lang, o.kind = j, author, int8(lang), int8(status)
}

// slugFor is news.Slugify of the title, cut at a word to leave room, with
// the post's index in base 36 after it: unique per author whatever the
// titles, as publishing's "-2", "-3" would make them.
func slugFor(title string, j int) string {
	s := news.Slugify(title)
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:60])
		if k := strings.LastIndexByte(s, '-'); k > 0 {
			s = s[:k]
		}
	}
	return s + "-" + strconv.FormatInt(int64(j), 36)
}

// checkPost checks what publishing checks of a post's fields.
func checkPost(p *news.Post) error {
	pr := news.Problems{}
	news.CheckLine(pr, "title", "Title", p.Title, news.MaxTitle, true)
	news.CheckLang(pr, "lang", p.Lang)
	news.CheckTags(pr, "tags", p.Tags)
	news.CheckLine(pr, "source_name", "Source name", p.SourceName, news.MaxSourceName, p.SourceURL != "")
	news.CheckWebURL(pr, "source_url", "Source link", p.SourceURL)
	return pr.Err()
}

func (g *Generator) postsPhase() *phase {
	return &phase{
		name:  "posts",
		total: g.cfg.Posts,
		produce: func(b *batcher, from int, skipped *Stats) error {
			r := newItemRand(g.cfg.Seed)
			for j := range g.cfg.Posts {
				if j < from {
					g.genPost(r, j, &b.skip)
					countPost(skipped, &b.skip)
					continue
				}
				o := b.slot()
				if o == nil {
					return errStopped
				}
				g.genPost(r, j, o)
				if err := checkPost(&o.post); err != nil {
					return fmt.Errorf("generated post %d (%q) is not valid: %w", j, o.post.Title, err)
				}
			}
			return nil
		},
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			list := make([]*news.Post, len(batch))
			for k := range batch {
				o := &batch[k]
				p := &o.post
				p.ID, p.AuthorID = g.postID(o.index), g.accountID(o.author)
				p.CreatedAt, p.UpdatedAt = o.at.UTC().Truncate(time.Microsecond), o.at.UTC().Truncate(time.Microsecond)
				list[k] = p
			}
			return bl.LoadPosts(ctx, list)
		},
		count: countPost,
	}
}

func countPost(s *Stats, o *op) {
	s.Posts++
	s.PostLangs[o.lang]++
	switch o.kind {
	case statusPublished:
		s.Published++
	case statusScheduled:
		s.Scheduled++
	default:
		s.Drafts++
	}
}
