package loadgen

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/render"
)

var testNow = time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)

// prepared returns a Generator for run 1 of cfg with everything but a store.
func prepared(t testing.TB, cfg Config) *Generator {
	t.Helper()
	cfg.Now = testNow
	g, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	g.run = 1
	if err := g.prepare(); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGeneratedAccountsAreValid(t *testing.T) {
	g := prepared(t, Config{Accounts: 20_000, Posts: 0, Comments: 0, HotComments: -1, Seed: 3, Days: 30, Batch: 100})
	r := newItemRand(3)
	handles := map[string]bool{}
	var s Stats
	for i := range g.cfg.Accounts {
		var o op
		g.genAccount(r, i, &o)
		a := &o.account
		if err := checkAccount(a); err != nil {
			t.Fatalf("account %d %+v: %v", i, a, err)
		}
		if h := strings.ToLower(a.Handle); handles[h] {
			t.Fatalf("account %d: handle %q repeats", i, a.Handle)
		} else {
			handles[h] = true
		}
		if (o.kind == kindOfficial) != (a.Official != "") || (a.Official != "" && a.Role != news.RolePublisher) {
			t.Fatalf("account %d: official %q with role %s and kind %d", i, a.Official, a.Role, o.kind)
		}
		if !o.at.Before(testNow.Add(-30 * day)) {
			t.Fatalf("account %d signed up at %v, after the first post could be published", i, o.at)
		}
		countAccount(&s, &o)
	}
	if s.Officials != 1+len(officials) || s.Publishers+s.Officials != 1000 || s.Moderators != 20 {
		t.Errorf("officials %d, publishers %d, moderators %d", s.Officials, s.Publishers, s.Moderators)
	}
	for l, want := range []float64{0.5, 0.25, 0.25} {
		if got := float64(s.AccountLangs[l]) / float64(s.Accounts); got < want-0.03 || got > want+0.03 {
			t.Errorf("%s accounts: %.3f, want ≈ %.2f", langs[l], got, want)
		}
	}
	var marker op
	g.genAccount(r, 0, &marker)
	if marker.account.Handle != "newswire" || marker.account.Bio != g.cfg.fingerprint() {
		t.Errorf("account 0 is not the marker: %+v", marker.account)
	}
}

func TestGeneratedPostsAreValid(t *testing.T) {
	g := prepared(t, Config{Accounts: 2000, Posts: 20_000, Comments: 0, HotComments: -1, Seed: 5, Days: 90, Batch: 100})
	r := newItemRand(5)
	slugs := map[int]map[string]bool{}
	perAuthor := make([]int, g.nPublishers)
	var s Stats
	for j := range g.cfg.Posts {
		var o op
		g.genPost(r, j, &o)
		p := &o.post
		if err := checkPost(p); err != nil {
			t.Fatalf("post %d %q: %v", j, p.Title, err)
		}
		if slugs[o.author] == nil {
			slugs[o.author] = map[string]bool{}
		}
		if slugs[o.author][p.Slug] {
			t.Fatalf("post %d: author %d has the slug %q twice", j, o.author, p.Slug)
		}
		slugs[o.author][p.Slug] = true
		if stem := p.Slug[:strings.LastIndexByte(p.Slug, '-')]; !strings.HasPrefix(news.Slugify(p.Title), stem) {
			t.Fatalf("post %d: slug %q is not made from the title %q", j, p.Slug, p.Title)
		}
		if len(p.Tags) == 0 || !slices.Equal(news.NormalizeTags(p.Tags), p.Tags) {
			t.Fatalf("post %d: tags %q are not normalized", j, p.Tags)
		}
		checkPostTimes(t, j, &o)
		perAuthor[o.author]++
		countPost(&s, &o)
	}
	if s.Drafts < 400 || s.Drafts > 800 || s.Scheduled < 250 || s.Scheduled > 550 {
		t.Errorf("drafts %d, scheduled %d of %d: want about 3%% and 2%%", s.Drafts, s.Scheduled, s.Posts)
	}
	// Zipf over publishers: the first writes about as much as the next two.
	if perAuthor[0] < perAuthor[1]+perAuthor[2]-perAuthor[0]/3 || perAuthor[0] < 10*perAuthor[len(perAuthor)-1] {
		t.Errorf("posts per author are not a power law: first %v, last %d", perAuthor[:5], perAuthor[len(perAuthor)-1])
	}
	for l := range langs {
		for _, a := range g.pools.articles[l][:5] {
			if html, _ := render.Article(a.Src); html != a.HTML || a.HTML == "" {
				t.Fatalf("%s article HTML is not render.Article of its Markdown", langs[l])
			}
		}
	}
}

func checkPostTimes(t *testing.T, j int, o *op) {
	t.Helper()
	p := &o.post
	switch o.kind {
	case statusPublished:
		if p.PublishedAt.After(testNow) || p.PublishedAt.Before(testNow.Add(-90*day)) || !o.at.Equal(p.PublishedAt) {
			t.Fatalf("published post %d at %v, created %v", j, p.PublishedAt, o.at)
		}
	case statusScheduled:
		if !p.PublishedAt.After(testNow) || p.Status != news.PostPublished || o.at.After(testNow) {
			t.Fatalf("scheduled post %d: %s at %v, created %v", j, p.Status, p.PublishedAt, o.at)
		}
	default:
		if !p.PublishedAt.IsZero() || p.Status != news.PostDraft {
			t.Fatalf("draft %d: %s at %v", j, p.Status, p.PublishedAt)
		}
	}
}

func TestCommentPlan(t *testing.T) {
	g := prepared(t, Config{Accounts: 100, Posts: 3000, Comments: 100_000, HotComments: 20_000, Seed: 9, Days: 30, Batch: 100})
	pl := g.plan
	var sum int64
	r := newItemRand(9)
	for k, j := range pl.posts {
		if k > 0 && j <= pl.posts[k-1] {
			t.Fatalf("posts not in index order at %d", k)
		}
		if pl.starts[k] != sum {
			t.Fatalf("start of post %d = %d, want %d", j, pl.starts[k], sum)
		}
		sum += pl.counts[k]
		if g.postStatus(r, int(j)) != statusPublished {
			t.Fatalf("post %d gets comments but is not published", j)
		}
		if j != 0 && pl.counts[k] > 10_000 {
			t.Fatalf("post %d gets %d comments, over half the hot post's", j, pl.counts[k])
		}
	}
	if sum != 100_000 || pl.hot != 0 || pl.posts[0] != 0 || pl.counts[0] != 20_000 {
		t.Fatalf("sum %d, hot %d, first post %d with %d", sum, pl.hot, pl.posts[0], pl.counts[0])
	}
}

func TestGeneratedCommentsAreValid(t *testing.T) {
	g := prepared(t, Config{Accounts: 500, Posts: 50, Comments: 20_000, HotComments: -1, Seed: 11, Days: 30, Batch: 100})
	rp, rc := newItemRand(11), newItemRand(11)
	var s Stats
	for k, j := range g.plan.posts {
		var post op
		g.genPost(rp, int(j), &post)
		rc.at(streamComments, int(j))
		var th thread
		depth := map[int32]int8{}
		last := post.post.PublishedAt
		for l := range g.plan.counts[k] {
			var o op
			g.genComment(rc.Rand, &th, &post, l, g.plan.counts[k], &o)
			checkComment(t, &o, &post)
			if o.parent >= 0 && (o.parent >= o.local || depth[o.parent] != o.depth-1) {
				t.Fatalf("comment %d/%d: parent %d at depth %d, own depth %d", j, l, o.parent, depth[o.parent], o.depth)
			}
			if o.at.Before(last) || o.at.After(testNow) {
				t.Fatalf("comment %d/%d at %v: before the one above (%v) or after now", j, l, o.at, last)
			}
			depth[o.local], last = o.depth, o.at
			g.countComment(&s, &o)
		}
	}
	if share := float64(s.Replies) / float64(s.Comments); share < 0.27 || share > 0.33 {
		t.Errorf("replies are %.2f of comments, want ≈ 0.30", share)
	}
	if share := float64(s.GuestComments) / float64(s.Comments); share < 0.37 || share > 0.43 {
		t.Errorf("guests wrote %.2f of comments, want ≈ 0.40", share)
	}
	if s.MaxDepth != maxDepth || s.HotComments != 10_000 {
		t.Errorf("max depth %d, hot comments %d", s.MaxDepth, s.HotComments)
	}
}

func checkComment(t *testing.T, o, post *op) {
	t.Helper()
	c := &o.comment
	p := news.Problems{}
	news.CheckText(p, "body", "Comment", c.Body, news.MaxCommentBody, true)
	if o.by < 0 {
		news.CheckLine(p, "name", "Name", c.AuthorName, news.MaxName, true)
		news.CheckEmail(p, "email", c.Email, true)
		news.CheckWebURL(p, "website", "Website", c.Website)
	} else if c.AuthorName != "" || c.Email != "" || c.Website != "" {
		p.Add("author", "an account's comment carries guest fields")
	}
	if err := p.Err(); err != nil {
		t.Fatalf("comment %d of post %d %+v: %v", o.local, post.index, c, err)
	}
	if c.BodyHTML != render.Comment(c.Body) {
		t.Fatalf("comment HTML %q is not render.Comment of %q", c.BodyHTML, c.Body)
	}
}
