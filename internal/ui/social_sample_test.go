package ui

import (
	"time"

	"github.com/headline/headline/internal/news"
)

// socialSample is a filled page of the social templates, every optional
// part set, for TestTemplates.
func socialSample(name string, card postCard, author *news.Account) page {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	btn := followButton{Show: true, Handle: "daily", Following: true, Action: "/@daily/follow", Back: "/x", SigninURL: "/signin?next=/x"}
	alts := []alternate{{Type: "application/atom+xml", Title: "T", Href: "/feed.atom"}}
	switch name {
	case "headlines":
		rc := rankedCard{postCard: card, Reason: "You follow The Daily"}
		p := &headlinesPage{Items: []rankedCard{rc}, Trending: []rankedCard{rc}, MoreURL: "/?cursor=x"}
		p.Alternates, p.Unread, p.Social = alts, 120, true
		return p
	case "timeline":
		return &timelinePage{Posts: []postCard{card}, OlderURL: "/following?cursor=x"}
	case "notifications":
		items := []notificationView{
			{Notification: &news.Notification{ID: 3, Kind: news.NotifyPost, Actor: author, PostID: 7, PostTitle: "T", PostPath: "/@daily/t", UpdatedAt: now}, ActorURL: "/@daily"},
			{Notification: &news.Notification{ID: 2, Kind: news.NotifyCommentLikes, Count: 25, PostID: 7, CommentID: 9, PostTitle: "T", PostPath: "/p/7", Read: true, UpdatedAt: now}},
			{Notification: &news.Notification{ID: 1, Kind: news.NotifyFollow, Actor: &news.Account{Name: "Guest"}, UpdatedAt: now}},
		}
		return &notificationsPage{Items: items, OlderURL: "/notifications?cursor=x", UpTo: 3}
	case "follows":
		return &followsPage{Account: author, Followers: true, Entries: []followEntry{{Account: author, Button: btn},
			{Account: author, Button: followButton{Show: true, Guest: true, SigninURL: "/signin"}}}, OlderURL: "/@daily/followers?cursor=x"}
	}
	return nil
}
