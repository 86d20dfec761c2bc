package moderation

import (
	"context"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
)

// QueuePage is a page of a moderation queue, newest first.
type QueuePage struct {
	Queue      news.Queue
	Comments   []*news.Comment
	NextCursor string
}

// queueCursorCode marks the cursors of Queue, so that a comments cursor
// is refused here.
const queueCursorCode = 7

// MaxBatch is how many comments one bulk action may name.
const MaxBatch = 100

// ParseQueue checks a queue name from a request; "" is pending.
func ParseQueue(s string) (news.Queue, error) {
	switch q := news.Queue(s); q {
	case "":
		return news.QueuePending, nil
	case news.QueuePending, news.QueueSpam, news.QueueReported:
		return q, nil
	}
	return "", &news.Error{Code: news.Invalid, Message: "Choose the pending, spam or reported queue.",
		Fields: map[string]string{"status": "must be pending, spam or reported"}}
}

// CanUseQueue reports whether viewer has a moderation queue: moderators
// and admins (every comment), and publishers (comments on their posts).
func CanUseQueue(viewer *news.Account) bool {
	return viewer != nil && (viewer.Role.CanModerate() || viewer.Role.CanPublish())
}

// Queue returns a page of a queue: every comment for moderators, the
// comments on their own posts for a post's author.
func (s *Service) Queue(ctx context.Context, viewer *news.Account, q news.Queue, cursor string, limit int) (QueuePage, error) {
	if viewer == nil {
		return QueuePage{}, news.Errorf(news.Unauthorized, "Sign in to moderate comments.")
	}
	if !CanUseQueue(viewer) {
		return QueuePage{}, news.Errorf(news.Forbidden, "Only moderators and authors can moderate comments.")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	f := news.QueueFilter{Queue: q, Limit: limit + 1}
	if !viewer.Role.CanModerate() {
		f.PostAuthorID = viewer.ID
	}
	if cursor != "" {
		v, err := news.DecodeCursor(cursor, 2)
		if err == nil && v[0] != queueCursorCode {
			err = &news.Error{Code: news.Invalid, Message: "That cursor is not a queue cursor; start again from the first page.", Fields: map[string]string{"cursor": "not a queue cursor"}}
		}
		if err != nil {
			return QueuePage{}, err
		}
		f.BeforeID = v[1]
	}
	cs, err := s.store.ModerationQueue(ctx, f)
	if err != nil {
		return QueuePage{}, err
	}
	page := QueuePage{Queue: q, Comments: cs}
	if len(cs) > limit {
		page.Comments = cs[:limit]
		page.NextCursor = news.EncodeCursor(queueCursorCode, cs[limit-1].ID)
	}
	return page, nil
}

// Action names accepted by Act.
const (
	ActionApprove = "approve"
	ActionSpam    = "spam"
	ActionTrash   = "trash"
	ActionDismiss = "dismiss"
	ActionBan     = "ban"    // ban the writer's account (or a guest's email), and mark spam
	ActionBanIP   = "ban_ip" // ban the writer's IP, and mark spam
)

// ParseAction checks an action name from a request.
func ParseAction(a string) error {
	switch a {
	case ActionApprove, ActionSpam, ActionTrash, ActionDismiss, ActionBan, ActionBanIP:
		return nil
	}
	msg := "Choose approve, spam, trash, dismiss, ban or ban_ip."
	return &news.Error{Code: news.Invalid, Message: msg, Fields: map[string]string{"action": msg}}
}

// Act applies one action to up to MaxBatch comments. Every comment is
// checked first (it exists; the viewer moderates it: a moderator, or the
// post's author for all but bans), so a bulk action is refused whole or
// applied whole. It returns the comments as they are afterwards.
func (s *Service) Act(ctx context.Context, viewer *news.Account, ids []int64, action string) ([]*news.Comment, error) {
	if viewer == nil {
		return nil, news.Errorf(news.Unauthorized, "Sign in to moderate comments.")
	}
	if err := ParseAction(action); err != nil {
		return nil, err
	}
	ids = unique(ids)
	if len(ids) == 0 || len(ids) > MaxBatch {
		msg := "Select from 1 to " + strconv.Itoa(MaxBatch) + " comments."
		return nil, &news.Error{Code: news.Invalid, Message: msg, Fields: map[string]string{"ids": msg}}
	}
	targets, err := s.checkTargets(ctx, viewer, ids, action)
	if err != nil {
		return nil, err
	}
	out := make([]*news.Comment, 0, len(targets))
	for _, c := range targets {
		act, err := s.applyBan(ctx, c, action)
		if err != nil {
			return out, err
		}
		after, err := s.store.ModerateComment(ctx, c.ID, act)
		if err != nil {
			return out, err
		}
		out = append(out, after)
	}
	s.log.InfoContext(ctx, "comments moderated", "action", action, "by", viewer.Handle, "count", len(out))
	return out, nil
}

func unique(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (s *Service) checkTargets(ctx context.Context, viewer *news.Account, ids []int64, action string) ([]*news.Comment, error) {
	ban := action == ActionBan || action == ActionBanIP
	if ban && !viewer.Role.CanModerate() {
		return nil, news.Errorf(news.Forbidden, "Only moderators can ban commenters.")
	}
	authors := map[int64]int64{} // post id → author id
	var out []*news.Comment
	for _, id := range ids {
		c, err := s.store.CommentByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if !viewer.Role.CanModerate() {
			author, ok := authors[c.PostID]
			if !ok {
				p, err := s.store.PostByID(ctx, c.PostID)
				if err != nil {
					return nil, err
				}
				author, authors[c.PostID] = p.AuthorID, p.AuthorID
			}
			if author != viewer.ID {
				return nil, news.Errorf(news.Forbidden, "You can moderate comments on your own posts only.")
			}
		}
		if action == ActionBanIP && c.IP == "" {
			return nil, news.Errorf(news.Invalid, "Comment %d has no IP address to ban.", c.ID)
		}
		out = append(out, c)
	}
	return out, nil
}

// applyBan stores the ban an action asks for and returns the store action.
func (s *Service) applyBan(ctx context.Context, c *news.Comment, action string) (news.ModerationAction, error) {
	var b *news.Ban
	switch action {
	case ActionBan:
		b = &news.Ban{Kind: news.BanEmail, Value: strings.ToLower(c.Email), Reason: "comment " + strconv.FormatInt(c.ID, 10)}
		if c.AccountID != 0 {
			b.Kind, b.Value = news.BanAccount, strconv.FormatInt(c.AccountID, 10)
		}
	case ActionBanIP:
		b = &news.Ban{Kind: news.BanIP, Value: c.IP, Reason: "comment " + strconv.FormatInt(c.ID, 10)}
	default:
		return news.ModerationAction(action), nil
	}
	if b.Value == "" {
		return "", news.Errorf(news.Invalid, "Comment %d has no account or email to ban.", c.ID)
	}
	return news.ActSpam, s.store.AddBan(ctx, b)
}

// Bans lists the bans, newest first; moderators only.
func (s *Service) Bans(ctx context.Context, viewer *news.Account) ([]news.Ban, error) {
	if viewer == nil || !viewer.Role.CanModerate() {
		return nil, news.Errorf(news.Forbidden, "Only moderators can see bans.")
	}
	return s.store.ListBans(ctx, 200)
}

// LiftBan removes a ban; moderators only.
func (s *Service) LiftBan(ctx context.Context, viewer *news.Account, id int64) error {
	if viewer == nil || !viewer.Role.CanModerate() {
		return news.Errorf(news.Forbidden, "Only moderators can lift bans.")
	}
	return s.store.DeleteBan(ctx, id)
}

// ReportReasons are the reasons a reader may give, in the order a form
// lists them, with their labels.
var ReportReasons = []struct{ Code, Label string }{
	{"spam", "Spam or advertising"},
	{"abuse", "Abuse or harassment"},
	{"hate", "Hate speech"},
	{"misinformation", "False or misleading"},
	{"off_topic", "Off topic"},
	{"other", "Something else"},
}

// MaxReportNote is the longest note a report may carry.
const MaxReportNote = 500

// Report records reader r's report of a published comment, once per
// reader; it reports whether this was new.
func (s *Service) Report(ctx context.Context, r news.Reader, commentID int64, reason, note string) (bool, error) {
	if r.Key() == "" {
		return false, news.Errorf(news.Unauthorized, "Sign in, or allow cookies, to report comments.")
	}
	p := news.Problems{}
	known := false
	for _, rr := range ReportReasons {
		known = known || rr.Code == reason
	}
	if !known {
		p.Add("reason", "Choose a reason from the list.")
	}
	note = strings.TrimSpace(note)
	news.CheckText(p, "note", "The note", note, MaxReportNote, false)
	if err := p.Err(); err != nil {
		return false, err
	}
	added, err := s.store.ReportComment(ctx, news.Report{CommentID: commentID, Reader: r.Key(), Reason: reason, Note: note})
	if err == nil {
		s.log.InfoContext(ctx, "comment reported", "comment", commentID, "reason", reason, "new", added)
	}
	return added, err
}

// Held returns the held comments on a post written by this viewer (or,
// for a guest, this browser's guest id): what only they may see.
func (s *Service) Held(ctx context.Context, viewer *news.Account, guestID string, postID int64) ([]*news.Comment, error) {
	key := WriterKey(viewer, guestID)
	if key == "" {
		return nil, nil
	}
	return s.store.HeldComments(ctx, postID, key, HeldShown)
}

// HeldShown is how many of their held comments on a post a writer is
// shown, oldest first.
const HeldShown = 20

// WriterKey is the Reader key a comment's writer is known by.
func WriterKey(viewer *news.Account, guestID string) string {
	if viewer != nil {
		return news.Reader{AccountID: viewer.ID}.Key()
	}
	return news.Reader{GuestID: guestID}.Key()
}
