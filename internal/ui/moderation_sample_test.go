package ui

import (
	"html/template"

	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
)

// moderationSample is the sample page of a moderation template for
// TestTemplates, with every optional part filled.
func moderationSample(name string, c *news.Comment, errs map[string]string) page {
	if name == "moderation" {
		p := &queuePage{Queue: news.QueueReported, Moderator: true, NextURL: "/moderation?cursor=x", Done: "1 comment approved.", Message: "m",
			Items: []queueItem{{Comment: c, HTML: template.HTML(c.BodyHTML), PostTitle: "Title", PostURL: "/p/7#comment-2",
				Reasons: []string{"3 links"}, Reports: 2, Checked: true}}}
		for _, l := range queueLabels {
			p.Tabs = append(p.Tabs, queueTab{Label: l.Label, URL: "/moderation?status=" + string(l.Queue), Current: l.Queue == p.Queue})
		}
		return p
	}
	set := moderation.Default()
	set.BlockedWords = []string{"casino"}
	errs["max_links"] = "x"
	return &settingsPage{Handle: "daily", HasOverride: true, Form: formOf(set), Done: "Saved.", Message: "m", Errors: errs,
		Overrides: []*news.Account{{ID: 1, Handle: "daily", Official: "Newspaper"}},
		Bans:      []news.Ban{{ID: 1, Kind: news.BanIP, Value: "192.0.2.1", Reason: "comment 2"}}}
}
