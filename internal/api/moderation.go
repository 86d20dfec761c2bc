package api

import (
	"net/http"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
)

// Page sizes of GET /api/v1/moderation/comments.
const (
	defaultQueueLimit = 50
	maxQueueLimit     = 200
)

// queuedCommentJSON is a comment as a moderator sees it: the public
// comment plus its status, the reasons it was held and its reports, and,
// for moderators, the writer's email and IP.
type queuedCommentJSON struct {
	commentJSON
	Status  string   `json:"status"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
	Reports int64    `json:"reports"`
	Body    string   `json:"body"`
	Email   *string  `json:"email,omitempty"`
	IP      *string  `json:"ip,omitempty"`
}

func (s *server) queued(r *http.Request, viewer *news.Account, c *news.Comment) queuedCommentJSON {
	out := queuedCommentJSON{commentJSON: s.comment(r, c), Status: string(c.Status), Reasons: []string{}, Body: c.Body}
	if c.Review != nil {
		out.Score, out.Reports = c.Review.Score, c.Review.Reports
		if c.Review.Reasons != nil {
			out.Reasons = c.Review.Reasons
		}
	}
	if viewer.Role.CanModerate() {
		email, ip := c.Email, c.IP
		out.Email, out.IP = &email, &ip
	}
	return out
}

func (s *server) needModeration() error {
	if s.Moderation == nil {
		return news.Errorf(news.NotFound, "There is no API endpoint at this address.")
	}
	return nil
}

// moderationQueue handles GET /api/v1/moderation/comments?status=pending|spam|reported&cursor=&limit=:
// a page of the queue, newest first.
func (s *server) moderationQueue(w http.ResponseWriter, r *http.Request) error {
	if err := s.needModeration(); err != nil {
		return err
	}
	q := r.URL.Query()
	queue, err := moderation.ParseQueue(q.Get("status"))
	if err != nil {
		return err
	}
	limit, err := queryLimit(r, defaultQueueLimit, maxQueueLimit)
	if err != nil {
		return err
	}
	viewer := httpx.Account(r.Context())
	page, err := s.Moderation.Queue(r.Context(), viewer, queue, q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	out := struct {
		Comments   []queuedCommentJSON `json:"comments"`
		NextCursor *string             `json:"next_cursor"`
	}{Comments: make([]queuedCommentJSON, 0, len(page.Comments)), NextCursor: cursorJSON(page.NextCursor)}
	for _, c := range page.Comments {
		out.Comments = append(out.Comments, s.queued(r, viewer, c))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// moderateInput is the body of POST /api/v1/moderation/comments.
type moderateInput struct {
	IDs    []int64 `json:"ids"`
	Action string  `json:"action"`
}

// moderateComments handles POST /api/v1/moderation/comments: one action
// (approve, spam, trash, dismiss, ban, ban_ip) on up to 100 comments, all
// or none; it answers with the comments as they are afterwards.
func (s *server) moderateComments(w http.ResponseWriter, r *http.Request) error {
	if err := s.needModeration(); err != nil {
		return err
	}
	var in moderateInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	viewer := httpx.Account(r.Context())
	done, err := s.Moderation.Act(r.Context(), viewer, in.IDs, in.Action)
	if err != nil {
		return err
	}
	out := struct {
		Comments []queuedCommentJSON `json:"comments"`
	}{Comments: make([]queuedCommentJSON, 0, len(done))}
	for _, c := range done {
		out.Comments = append(out.Comments, s.queued(r, viewer, c))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// reportInput is the body of POST /api/v1/comments/{id}/report.
type reportInput struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// reportComment handles POST /api/v1/comments/{id}/report: the caller's
// report of a published comment, once (a repeat answers "new": false).
func (s *server) reportComment(w http.ResponseWriter, r *http.Request) error {
	if err := s.needModeration(); err != nil {
		return err
	}
	id, err := pathID(r, "id", "comment")
	if err != nil {
		return err
	}
	var in reportInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	a := httpx.Account(r.Context())
	if a == nil {
		return news.Errorf(news.Unauthorized, "Reporting needs an API token.")
	}
	added, err := s.Moderation.Report(r.Context(), news.Reader{AccountID: a.ID}, id, in.Reason, in.Note)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"comment_id": id, "reported": true, "new": added})
	return nil
}

// settingsTarget is the account named by ?account=HANDLE: 0 for the site.
func (s *server) settingsTarget(r *http.Request) (int64, error) {
	h := r.URL.Query().Get("account")
	if h == "" {
		return 0, nil
	}
	a, err := s.Accounts.ByHandle(r.Context(), h)
	if err != nil {
		return 0, err
	}
	return a.ID, nil
}

// settingsJSON is the settings document with whether it is an override.
type settingsJSON struct {
	moderation.Settings
	Override bool `json:"override"`
}

// moderationSettings handles GET, PUT and DELETE
// /api/v1/moderation/settings[?account=HANDLE] (admins): the site's
// settings, or an official account's own; DELETE drops an override.
func (s *server) moderationSettings(w http.ResponseWriter, r *http.Request) error {
	if err := s.needModeration(); err != nil {
		return err
	}
	viewer := httpx.Account(r.Context())
	if viewer == nil {
		return news.Errorf(news.Unauthorized, "Moderation settings need an admin's API token.")
	}
	if viewer.Role != news.RoleAdmin {
		return news.Errorf(news.Forbidden, "Only admins can see and change the moderation settings.")
	}
	id, err := s.settingsTarget(r)
	if err != nil {
		return err
	}
	switch r.Method {
	case http.MethodPut:
		// A whole document: fields left out take their defaults. The
		// "override" of a GET answer may be sent back and is ignored.
		in := settingsJSON{Settings: moderation.Default()}
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			return err
		}
		err = s.Moderation.SaveSettings(r.Context(), viewer, id, in.Settings)
	case http.MethodDelete:
		err = s.Moderation.RemoveOverride(r.Context(), viewer, id)
	}
	if err != nil {
		return err
	}
	set, over, err := s.Moderation.Settings(r.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, settingsJSON{Settings: set, Override: over})
	return nil
}
