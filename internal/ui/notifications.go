package ui

import (
	"net/http"
	"strconv"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// notificationsPage lists the viewer's notifications, newest first.
type notificationsPage struct {
	Base
	Items    []notificationView
	OlderURL string
	UpTo     int64 // the newest shown: "Mark all read" marks up to it
}

type notificationView struct {
	*news.Notification
	ActorURL string
}

// notifications serves GET /notifications. A reader with 10,000 unread
// gets a page of them and a cursor, never all.
func (s *server) notifications(w http.ResponseWriter, r *http.Request) error {
	if s.notify == nil {
		return s.notFound(w, r)
	}
	pg, err := s.notify.List(r.Context(), viewerOf(r), r.URL.Query().Get("cursor"), 0)
	if err != nil {
		return err
	}
	p := &notificationsPage{OlderURL: olderURL(r, "cursor", pg.NextCursor)}
	for _, n := range pg.Notifications {
		v := notificationView{Notification: n}
		if n.Actor != nil && n.Actor.Handle != "" {
			v.ActorURL = news.AccountPath(n.Actor.Handle)
		}
		p.Items = append(p.Items, v)
	}
	if len(pg.Notifications) > 0 && r.URL.Query().Get("cursor") == "" {
		p.UpTo = pg.Notifications[0].ID
	}
	p.Title = "Notifications"
	return s.render(w, r, http.StatusOK, "notifications", p)
}

// markRead serves POST /notifications/read (up_to: the newest id the
// reader saw; absent: all).
func (s *server) markRead(w http.ResponseWriter, r *http.Request) error {
	if s.notify == nil {
		return s.notFound(w, r)
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	var upTo int64
	if v := r.PostForm.Get("up_to"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return &news.Error{Code: news.Invalid, Message: "Choose which notifications to mark read.",
				Fields: map[string]string{"up_to": "must be a notification id"}}
		}
		upTo = n
	}
	if _, err := s.notify.MarkRead(r.Context(), viewerOf(r), upTo); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	return nil
}
