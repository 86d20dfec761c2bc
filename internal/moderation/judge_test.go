package moderation

import (
	"slices"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

func TestJudge(t *testing.T) {
	def := Default()
	strict := Default()
	strict.HoldFirstTime = true
	blocks := Default()
	blocks.BlockedWords = []string{"casino", "free money"}
	blocks.BlockedEmails = []string{"bot@spam.example"}
	blocks.BlockedIPs = []string{"203.0.113.0/24", "198.51.100.9"}
	blocks.BlockedDomains = []string{"pills.example"}
	all := Default()
	all.HoldAll = true
	nolinks := Default()
	nolinks.MaxLinks = -1
	guest := func(body string) *news.Comment {
		return &news.Comment{AuthorName: "Ann", Email: "ann@example.com", IP: "192.0.2.1", Body: body}
	}
	links4 := "see https://a.example/1 and http://b.example www.c.example and [d](https://d.example/x)"
	for _, tc := range []struct {
		name    string
		set     Settings
		c       *news.Comment
		f       Facts
		status  news.CommentStatus
		reasons []string
	}{
		{"plain comment", def, guest("Thanks for the article."), Facts{Known: true}, news.CommentPublished, nil},
		{"3 links is fine", def, guest("https://a.example https://b.example https://c.example"), Facts{}, news.CommentPublished, nil},
		{"4 links held", def, guest(links4), Facts{}, news.CommentPending, []string{"4 links"}},
		{"links rule off", nolinks, guest(links4), Facts{}, news.CommentPublished, nil},
		{"first-time held", strict, guest("hello"), Facts{}, news.CommentPending, []string{"first comment"}},
		{"known writer passes", strict, guest("hello"), Facts{Known: true}, news.CommentPublished, nil},
		{"hold all", all, guest("hello"), Facts{Known: true}, news.CommentPending, []string{"the site holds every comment"}},
		{"honeypot is spam", def, guest("hello"), Facts{Honeypot: true, Fill: time.Minute}, news.CommentSpam, []string{"honeypot filled"}},
		{"too fast", def, guest("hello"), Facts{Fill: 800 * time.Millisecond}, news.CommentPending, []string{"form filled in 0.8 s"}},
		{"slow enough", def, guest("hello"), Facts{Fill: 4 * time.Second}, news.CommentPublished, nil},
		{"word", blocks, guest("Best CASINO in town"), Facts{}, news.CommentPending, []string{"blocklisted word 'casino'"}},
		{"word inside another word passes", blocks, guest("occasional casinos"), Facts{}, news.CommentPublished, nil},
		{"phrase", blocks, guest("get Free  money? no: free money!"), Facts{}, news.CommentPending, []string{"blocklisted word 'free money'"}},
		{"email", blocks, &news.Comment{AuthorName: "B", Email: "Bot@Spam.example", Body: "x"}, Facts{}, news.CommentPending, []string{"blocklisted email 'bot@spam.example'"}},
		{"ip range", blocks, &news.Comment{AuthorName: "B", IP: "203.0.113.77", Body: "x"}, Facts{}, news.CommentPending, []string{"blocklisted IP '203.0.113.0/24'"}},
		{"domain in link", blocks, guest("buy at https://shop.pills.example/now"), Facts{}, news.CommentPending, []string{"blocklisted domain 'pills.example'"}},
		{"domain of website", blocks, &news.Comment{AuthorName: "B", Website: "https://pills.example", Body: "x"}, Facts{}, news.CommentPending, []string{"blocklisted domain 'pills.example'"}},
		{"two blocked reasons make spam", blocks, &news.Comment{AuthorName: "B", Email: "bot@spam.example", IP: "198.51.100.9", Body: "casino"}, Facts{},
			news.CommentSpam, []string{"blocklisted word 'casino'", "blocklisted email 'bot@spam.example'", "blocklisted IP '198.51.100.9'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Judge(tc.set, tc.c, tc.f)
			if v.Status != tc.status || !slices.Equal(v.Reasons, tc.reasons) {
				t.Fatalf("Judge = %s %q (score %d), want %s %q", v.Status, v.Reasons, v.Score, tc.status, tc.reasons)
			}
		})
	}
}

func TestSettingsValidate(t *testing.T) {
	s := Default()
	s.MaxLinks, s.CommentsPerMinute = -2, -1
	s.BlockedIPs = []string{"not-an-ip"}
	s.BlockedWords = []string{"bad\u202eword"}
	err := s.Validate()
	fields := news.ErrorFields(err)
	for _, f := range []string{"max_links", "comments_per_minute", "blocked_ips", "blocked_words"} {
		if fields[f] == "" {
			t.Errorf("Validate: no message for %s (%v)", f, fields)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	n := Settings{BlockedDomains: []string{" *.Spam.Example ", "spam.example", ""}, BlockedWords: []string{"A", "a"}}
	n.Normalize()
	if !slices.Equal(n.BlockedDomains, []string{"spam.example"}) || !slices.Equal(n.BlockedWords, []string{"a"}) {
		t.Fatalf("Normalize = %q %q", n.BlockedDomains, n.BlockedWords)
	}
}
