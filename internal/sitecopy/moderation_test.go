package sitecopy

import (
	"testing"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/sqlite"
)

const siteModeration = `{"hold_all":true,"max_links":2}`

// fillModeration adds the site's form key and settings, a ban, a held
// comment with its reasons and a report.
func (s *site) fillModeration(t *testing.T, st *sqlite.Store) error {
	ctx := t.Context()
	if _, err := st.SiteSecret(ctx, "guest_form_key", func() string { return "copied-key" }); err != nil {
		return err
	}
	if _, err := st.SaveModerationSettings(ctx, 0, siteModeration); err != nil {
		return err
	}
	if err := st.AddBan(ctx, &news.Ban{Kind: news.BanIP, Value: "192.0.2.66", Reason: "flood"}); err != nil {
		return err
	}
	c := &news.Comment{PostID: s.posts[0], AuthorName: "Held", Email: "held@example.com", Body: "held", Status: news.CommentPending,
		Review: &news.Review{Score: 3, Reasons: []string{"4 links"}, Writer: "g:held"}}
	if err := st.CreateComment(ctx, c); err != nil {
		return err
	}
	s.comments = append(s.comments, c.ID)
	_, err := st.ReportComment(ctx, news.Report{CommentID: s.comments[0], Reader: "a:1", Reason: "spam"})
	return err
}

func TestCopyKeepsModeration(t *testing.T) {
	s := fillSite(t)
	url := pgtest.Schema(t)
	if _, err := copySite(t.Context(), s, url, func(o *Options) {}); err != nil {
		t.Fatalf("Copy: %v", err)
	}
	_, dst := openStores(t, s, url)
	ctx := t.Context()
	ms, err := dst.LoadModerationSettings(ctx)
	if err != nil || ms.Scopes[0] != siteModeration || ms.Version < 2 {
		t.Fatalf("settings after the copy: %+v %v", ms, err)
	}
	key, err := dst.SiteSecret(ctx, "guest_form_key", func() string { return "a new key" })
	if err != nil || key != "copied-key" {
		t.Fatalf("form key after the copy: %q %v; want the site's, so its open forms stay valid", key, err)
	}
	f, err := dst.WriterFacts(ctx, news.WriterQuery{IP: "192.0.2.66"})
	if err != nil || f.Banned != news.BanIP {
		t.Fatalf("the IP ban did not carry over: %+v %v", f, err)
	}
	held, err := dst.HeldComments(ctx, s.posts[0], "g:held", 10)
	if err != nil || len(held) != 1 || held[0].Review == nil || held[0].Review.Reasons[0] != "4 links" {
		t.Fatalf("held comment after the copy: %v %v", held, err)
	}
	q, err := dst.ModerationQueue(ctx, news.QueueFilter{Queue: news.QueueReported})
	if err != nil || len(q) != 1 || q[0].Review.Reports != 1 {
		t.Fatalf("reported queue after the copy: %v %v", q, err)
	}
}
