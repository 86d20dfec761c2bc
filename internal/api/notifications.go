package api

import (
	"net/http"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
)

// notificationJSON is one notification.
type notificationJSON struct {
	ID        int64        `json:"id"`
	Kind      string       `json:"kind"`
	Text      string       `json:"text"`
	Actor     *authorJSON  `json:"actor"`
	Post      *postRefJSON `json:"post"`
	CommentID *int64       `json:"comment_id"`
	Count     int64        `json:"count"`
	Read      bool         `json:"read"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// postRefJSON names the post a notification is about.
type postRefJSON struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// listNotifications handles GET /api/v1/notifications?cursor=&limit=.
func (s *server) listNotifications(w http.ResponseWriter, r *http.Request) error {
	if s.Notify == nil {
		return off()
	}
	limit, err := queryLimit(r, notify.DefaultLimit, notify.MaxLimit)
	if err != nil {
		return err
	}
	viewer := httpx.Account(r.Context())
	pg, err := s.Notify.List(r.Context(), viewer, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	unread, err := s.Notify.Unread(r.Context(), viewer)
	if err != nil {
		return err
	}
	out := struct {
		Notifications []notificationJSON `json:"notifications"`
		Unread        int                `json:"unread"`
		NextCursor    *string            `json:"next_cursor"`
	}{Notifications: make([]notificationJSON, 0, len(pg.Notifications)), Unread: unread, NextCursor: cursorJSON(pg.NextCursor)}
	for _, n := range pg.Notifications {
		out.Notifications = append(out.Notifications, s.notification(r, n))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) notification(r *http.Request, n *news.Notification) notificationJSON {
	out := notificationJSON{ID: n.ID, Kind: n.Kind, Text: notify.Text(n), Count: n.Count, Read: n.Read,
		CreatedAt: utc(n.CreatedAt), UpdatedAt: utc(n.UpdatedAt)}
	if a := n.Actor; a != nil {
		out.Actor = &authorJSON{Handle: a.Handle, Name: a.Name, Official: a.Official, FollowersCount: a.FollowersCount}
		if a.Handle != "" {
			out.Actor.URL = s.base(r) + news.AccountPath(a.Handle)
		}
	}
	if n.PostID != 0 {
		out.Post = &postRefJSON{ID: n.PostID, Title: n.PostTitle, URL: s.base(r) + n.PostPath}
	}
	if n.CommentID != 0 {
		id := n.CommentID
		out.CommentID = &id
	}
	return out
}

// markNotificationsRead handles POST /api/v1/notifications/read with
// {"up_to": id} (omitted or 0: all).
func (s *server) markNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	if s.Notify == nil {
		return off()
	}
	var in struct {
		UpTo int64 `json:"up_to"`
	}
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	n, err := s.Notify.MarkRead(r.Context(), httpx.Account(r.Context()), in.UpTo)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"marked": n})
	return nil
}
