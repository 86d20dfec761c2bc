package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// ListNotifications returns accountID's notifications newest first, with
// the actor and the post they concern: one range of notifications_list.
func (s *Store) ListNotifications(ctx context.Context, accountID, beforeID int64, n int) ([]*news.Notification, error) {
	if beforeID <= 0 {
		beforeID = 1<<63 - 1
	}
	rows, err := s.db().Query(ctx, `
		SELECT n.id, n.account_id, n.kind, coalesce(n.post_id, 0), coalesce(n.comment_id, 0), n.count,
			n.read_at IS NOT NULL, n.created_at, n.updated_at, n.actor_name,
			coalesce(act.id, 0), coalesce(act.handle, ''), coalesce(act.name, ''), coalesce(act.official, ''),
			coalesce(p.title, ''), coalesce(p.slug, ''), coalesce(pa.handle, '')
		FROM notifications n
		LEFT JOIN accounts act ON act.id = n.actor_id
		LEFT JOIN posts p ON p.id = n.post_id
		LEFT JOIN accounts pa ON pa.id = p.author_id
		WHERE n.account_id = $1 AND n.id < $2
		ORDER BY n.id DESC LIMIT $3`, accountID, beforeID, limit(n, 20, 100))
	if err != nil {
		return nil, dbErr(err, "list notifications", msgs{})
	}
	out, err := collect(rows, func(r scanner) (*news.Notification, error) {
		var nt news.Notification
		var actorName, slug, handle string
		var act news.Account
		err := r.Scan(&nt.ID, &nt.AccountID, &nt.Kind, &nt.PostID, &nt.CommentID, &nt.Count,
			&nt.Read, &nt.CreatedAt, &nt.UpdatedAt, &actorName, &act.ID, &act.Handle, &act.Name, &act.Official,
			&nt.PostTitle, &slug, &handle)
		nt.CreatedAt, nt.UpdatedAt = nt.CreatedAt.UTC(), nt.UpdatedAt.UTC()
		nt.Actor = actorOf(act, actorName)
		nt.PostPath = notificationPostPath(nt.PostID, handle, slug)
		return &nt, err
	})
	return out, dbErr(err, "list notifications", msgs{})
}

// actorOf is the notification's actor: the account, a guest by name, or nil.
func actorOf(a news.Account, guestName string) *news.Account {
	if a.ID != 0 {
		return &a
	}
	if guestName != "" {
		return &news.Account{Name: guestName}
	}
	return nil
}

func notificationPostPath(postID int64, handle, slug string) string {
	if postID == 0 {
		return ""
	}
	p := &news.Post{ID: postID, Slug: slug}
	if handle != "" {
		p.Author = &news.Account{Handle: handle}
	}
	return news.PostPath(p)
}

// UnreadCount counts unread notifications up to max on the partial index
// notifications_unread.
func (s *Store) UnreadCount(ctx context.Context, accountID int64, max int) (int, error) {
	var n int
	err := s.db().QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM notifications
		WHERE account_id = $1 AND read_at IS NULL LIMIT $2) x`, accountID, max).Scan(&n)
	return n, dbErr(err, "unread count", msgs{})
}

// MarkRead marks notifications read.
func (s *Store) MarkRead(ctx context.Context, accountID, upToID int64) (int64, error) {
	if upToID <= 0 {
		upToID = 1<<63 - 1
	}
	tag, err := s.db().Exec(ctx, `UPDATE notifications SET read_at = $1
		WHERE account_id = $2 AND read_at IS NULL AND id <= $3`, s.now(), accountID, upToID)
	return tag.RowsAffected(), dbErr(err, "mark read", msgs{})
}

// NotifyLikes bumps the recipient's grouped likes notification.
func (s *Store) NotifyLikes(ctx context.Context, recipientID int64, kind string, postID, commentID int64) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		return notifyLikes(ctx, tx, recipientID, kind, postID, commentID, s.now())
	})
	if err != nil && isForeignKey(err) {
		return notFound(msgNoAccount)
	}
	return dbErr(err, "notify likes", msgs{})
}

// notifyLikes upserts the unread group on notifications_group; concurrent
// likes serialize on that unique index and each adds one.
func notifyLikes(ctx context.Context, tx pgx.Tx, recipientID int64, kind string, postID, commentID int64, now time.Time) error {
	key := kind + ":" + strconv.FormatInt(postID, 10) + ":" + strconv.FormatInt(commentID, 10)
	_, err := tx.Exec(ctx, `
		INSERT INTO notifications (account_id, kind, post_id, comment_id, group_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (account_id, group_key) WHERE read_at IS NULL AND group_key IS NOT NULL
		DO UPDATE SET count = notifications.count + 1, updated_at = excluded.updated_at`,
		recipientID, kind, nullID(postID), nullID(commentID), key, now)
	return err
}

// EnqueueFanouts moves the "posts" watermark over posts that became
// visible up to cutoff and makes one job for each whose author has
// followers. The mark row is locked FOR UPDATE, so two instances take
// turns and each post is enqueued once; mark and jobs commit together.
func (s *Store) EnqueueFanouts(ctx context.Context, cutoff time.Time, n int) (int, error) {
	jobs := 0
	err := s.write(ctx, func(tx pgx.Tx) error {
		jobs = 0
		var at time.Time
		var id int64
		if err := tx.QueryRow(ctx, `SELECT at, id FROM notify_marks WHERE name = 'posts' FOR UPDATE`).Scan(&at, &id); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			WITH next AS (
				SELECT p.id, p.author_id, p.published_at FROM posts p
				WHERE p.status = 'published' AND (p.published_at, p.id) > ($1, $2) AND p.published_at <= $3
				ORDER BY p.published_at, p.id LIMIT $4
			), ins AS (
				INSERT INTO fanout_jobs (post_id, author_id)
				SELECT next.id, next.author_id FROM next JOIN accounts a ON a.id = next.author_id
				WHERE a.followers_count > 0
				ON CONFLICT DO NOTHING RETURNING 1
			), last AS (
				SELECT published_at, id FROM next ORDER BY published_at DESC, id DESC LIMIT 1
			), mark AS (
				UPDATE notify_marks SET at = last.published_at, id = last.id FROM last WHERE name = 'posts'
			)
			SELECT count(*) FROM ins`, at, id, utc(cutoff), n).Scan(&jobs)
		return err
	})
	return jobs, dbErr(err, "enqueue fanouts", msgs{})
}

// FanoutBatch claims the oldest pending job that no other transaction
// holds (FOR UPDATE SKIP LOCKED), writes notifications to its next batch
// followers and moves the job on, in one transaction: with several
// instances each batch is written by exactly one, and after a crash the
// batch is either all there with the job moved, or not there at all.
func (s *Store) FanoutBatch(ctx context.Context, batch int) (int, bool, error) {
	written, found := 0, false
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error {
		written, found = 0, false
		var post, author, afterID int64
		var afterAt time.Time
		err := tx.QueryRow(ctx, `SELECT post_id, author_id, after_at, after_id FROM fanout_jobs
			WHERE NOT done ORDER BY post_id LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&post, &author, &afterAt, &afterID)
		if err == pgx.ErrNoRows {
			return nil
		} else if err != nil {
			return err
		}
		found = true
		var lastAt *time.Time
		var lastID *int64
		err = tx.QueryRow(ctx, `
			WITH b AS (
				SELECT follower_id, created_at FROM follows
				WHERE followee_id = $1 AND (created_at, follower_id) > ($2, $3)
				ORDER BY created_at, follower_id LIMIT $4
			), ins AS (
				INSERT INTO notifications (account_id, kind, actor_id, post_id, created_at, updated_at)
				SELECT follower_id, 'post', $1, $5, $6, $6 FROM b RETURNING 1
			)
			SELECT (SELECT count(*) FROM ins), max(created_at),
				(SELECT follower_id FROM b ORDER BY created_at DESC, follower_id DESC LIMIT 1) FROM b`,
			author, afterAt, afterID, batch, post, now).Scan(&written, &lastAt, &lastID)
		if err != nil {
			return err
		}
		if written < batch || lastAt == nil {
			_, err = tx.Exec(ctx, `DELETE FROM fanout_jobs WHERE post_id = $1`, post)
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE fanout_jobs SET after_at = $1, after_id = $2 WHERE post_id = $3`, *lastAt, *lastID, post)
		return err
	})
	return written, found, dbErr(err, "fanout batch", msgs{})
}

// EnqueueReplies notifies the authors of comments that got a published
// reply, for comments after the "replies" watermark created up to cutoff.
// The mark row is locked, so instances take turns.
func (s *Store) EnqueueReplies(ctx context.Context, cutoff time.Time, n int) (int, error) {
	made := 0
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error {
		made = 0
		var mark int64
		if err := tx.QueryRow(ctx, `SELECT id FROM notify_marks WHERE name = 'replies' FOR UPDATE`).Scan(&mark); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT c.id, c.created_at, c.status, c.post_id, coalesce(c.account_id, 0), c.author_name,
				coalesce(par.account_id, 0)
			FROM comments c LEFT JOIN comments par ON par.id = c.parent_id
			WHERE c.id > $1 ORDER BY c.id LIMIT $2`, mark, n)
		if err != nil {
			return err
		}
		var rs []reply
		for rows.Next() {
			var r reply
			var created time.Time
			if err := rows.Scan(&r.id, &created, &r.status, &r.post, &r.actor, &r.name, &r.recipient); err != nil {
				rows.Close()
				return err
			}
			if created.After(cutoff) {
				break
			}
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range rs {
			mark = r.id
			if !r.notifies() {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO notifications
				(account_id, kind, actor_id, actor_name, post_id, comment_id, created_at, updated_at)
				VALUES ($1, 'reply', $2, $3, $4, $5, $6, $6)`,
				r.recipient, nullID(r.actor), r.name, r.post, r.id, now); err != nil {
				return err
			}
			made++
		}
		_, err = tx.Exec(ctx, `UPDATE notify_marks SET id = $1 WHERE name = 'replies'`, mark)
		return err
	})
	return made, dbErr(err, "enqueue replies", msgs{})
}

// reply is a comment seen by EnqueueReplies.
type reply struct {
	id, post, actor, recipient int64
	status, name               string
}

// notifies reports whether the reply tells its parent's author.
func (r reply) notifies() bool {
	return r.status == string(news.CommentPublished) && r.recipient != 0 && r.recipient != r.actor
}
