// Package notify owns notifications: listing them with a cursor, the
// unread count, marking them read, and the background worker that tells
// followers about new posts and commenters about replies, asynchronously,
// so that publishing stays as fast for 100,000 followers as for none.
package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/headline/headline/internal/news"
)

// Store is what the service and the worker need.
type Store interface {
	news.NotificationStore
}

// Service reads and marks notifications.
type Service struct {
	store Store
}

// New returns a Service.
func New(store Store) *Service { return &Service{store: store} }

// Page sizes and the badge's cap.
const (
	DefaultLimit = 20
	MaxLimit     = 50
	// BadgeMax caps the unread count: a badge says "99+", and counting
	// 10,000 unread on every page view would cost for nothing.
	BadgeMax = 100
)

// Page is a page of notifications, newest first.
type Page struct {
	Notifications []*news.Notification
	NextCursor    string
}

// List returns viewer's notifications after the cursor.
func (s *Service) List(ctx context.Context, viewer *news.Account, cursor string, limit int) (Page, error) {
	if viewer == nil {
		return Page{}, news.Errorf(news.Unauthorized, "Sign in to see your notifications.")
	}
	if limit <= 0 || limit > MaxLimit {
		limit = DefaultLimit
	}
	var before int64
	if cursor != "" {
		v, err := news.DecodeCursor(cursor, 1)
		if err != nil {
			return Page{}, err
		}
		before = v[0]
	}
	ns, err := s.store.ListNotifications(ctx, viewer.ID, before, limit+1)
	if err != nil {
		return Page{}, err
	}
	page := Page{Notifications: ns}
	if len(ns) > limit {
		page.Notifications = ns[:limit]
		page.NextCursor = news.EncodeCursor(ns[limit-1].ID)
	}
	return page, nil
}

// Unread counts viewer's unread notifications up to BadgeMax; 0 for guests.
func (s *Service) Unread(ctx context.Context, viewer *news.Account) (int, error) {
	if viewer == nil {
		return 0, nil
	}
	return s.store.UnreadCount(ctx, viewer.ID, BadgeMax)
}

// MarkRead marks viewer's notifications up to upToID read (all when 0).
func (s *Service) MarkRead(ctx context.Context, viewer *news.Account, upToID int64) (int64, error) {
	if viewer == nil {
		return 0, news.Errorf(news.Unauthorized, "Sign in to see your notifications.")
	}
	if upToID < 0 {
		return 0, &news.Error{Code: news.Invalid, Message: "Choose which notifications to mark read.",
			Fields: map[string]string{"up_to": "must be a notification id"}}
	}
	return s.store.MarkRead(ctx, viewer.ID, upToID)
}

// Text is the sentence a notification shows, without the post title.
func Text(n *news.Notification) string {
	who := "Someone"
	if n.Actor != nil && n.Actor.Name != "" {
		who = n.Actor.Name
	}
	switch n.Kind {
	case news.NotifyPost:
		return who + " published"
	case news.NotifyReply:
		return who + " replied to your comment on"
	case news.NotifyFollow:
		return who + " followed you"
	case news.NotifyPostLikes:
		return "Your post got " + likes(n.Count) + ":"
	case news.NotifyCommentLikes:
		return "Your comment got " + likes(n.Count) + " on"
	}
	return "Something happened"
}

func likes(n int64) string {
	if n == 1 {
		return "1 like"
	}
	return itoa(n) + " likes"
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// Worker produces notifications in the background.
type Worker struct {
	Store    Store
	Log      *slog.Logger
	Now      func() time.Time
	Interval time.Duration // between rounds; 1 s by default
	Batch    int           // followers per fan-out transaction; 1,000 by default
	// Grace is how long after a post's publishing time the worker waits
	// before handing it over: a publish transaction stamped just before
	// the watermark moves must have committed by then. 5 s by default.
	Grace time.Duration
}

// Run works until ctx ends. Several workers, in one process or many, may
// run over one PostgreSQL database: the store makes each step exactly once.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("notifications round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (w *Worker) defaults() {
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Interval <= 0 {
		w.Interval = time.Second
	}
	if w.Batch <= 0 {
		w.Batch = 1000
	}
	if w.Grace <= 0 {
		w.Grace = 5 * time.Second
	}
}

// Round enqueues what became due and works the jobs until none is left
// (or ctx ends). Each store call is one short transaction, so publishing
// and reading interleave with a long fan-out.
func (w *Worker) Round(ctx context.Context) error {
	w.defaults()
	cutoff := w.Now().Add(-w.Grace)
	for {
		n, err := w.Store.EnqueueFanouts(ctx, cutoff, 500)
		if err != nil {
			return err
		}
		if n < 500 {
			break
		}
	}
	if _, err := w.Store.EnqueueReplies(ctx, cutoff, 1000); err != nil {
		return err
	}
	for ctx.Err() == nil {
		_, found, err := w.Store.FanoutBatch(ctx, w.Batch)
		if err != nil {
			return err
		}
		if !found {
			return nil
		}
	}
	return ctx.Err()
}
