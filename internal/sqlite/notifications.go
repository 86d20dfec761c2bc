package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/headline/headline/internal/news"
)

// ListNotifications returns accountID's notifications newest first, with
// the actor and the post they concern: one range of notifications_list.
func (s *Store) ListNotifications(ctx context.Context, accountID, beforeID int64, n int) ([]*news.Notification, error) {
	if beforeID <= 0 {
		beforeID = 1<<63 - 1
	}
	var out []*news.Notification
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT n.id, n.account_id, n.kind, coalesce(n.post_id, 0), coalesce(n.comment_id, 0), n.count,
				n.read_at IS NOT NULL, n.created_at, n.updated_at, n.actor_name,
				coalesce(act.id, 0), coalesce(act.handle, ''), coalesce(act.name, ''), coalesce(act.official, ''),
				coalesce(p.title, ''), coalesce(p.slug, ''), coalesce(pa.handle, '')
			FROM notifications n
			LEFT JOIN accounts act ON act.id = n.actor_id
			LEFT JOIN posts p ON p.id = n.post_id
			LEFT JOIN accounts pa ON pa.id = p.author_id
			WHERE n.account_id = ? AND n.id < ?
			ORDER BY n.id DESC LIMIT ?`, accountID, beforeID, limit(n, 20, 100))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var nt news.Notification
			var created, updated int64
			var actorName, slug, handle string
			var act news.Account
			if err := rows.Scan(&nt.ID, &nt.AccountID, &nt.Kind, &nt.PostID, &nt.CommentID, &nt.Count,
				&nt.Read, &created, &updated, &actorName, &act.ID, &act.Handle, &act.Name, &act.Official,
				&nt.PostTitle, &slug, &handle); err != nil {
				return err
			}
			nt.CreatedAt, nt.UpdatedAt = fromMicros(created), fromMicros(updated)
			nt.Actor = actorOf(act, actorName)
			nt.PostPath = notificationPostPath(nt.PostID, handle, slug)
			out = append(out, &nt)
		}
		return rows.Err()
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

// UnreadCount counts unread notifications up to max, on the partial index
// notifications_unread, so 10,000 unread cost no more than max.
func (s *Store) UnreadCount(ctx context.Context, accountID int64, max int) (int, error) {
	var n int
	err := s.readOne(ctx, func(ctx context.Context, tx querier) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM notifications
			WHERE account_id = ? AND read_at IS NULL`+subqueryLimit(max)+`)`, accountID).Scan(&n)
	})
	return n, dbErr(err, "unread count", msgs{})
}

// MarkRead marks notifications read; a grouped one then stops growing and
// the next like starts a new group.
func (s *Store) MarkRead(ctx context.Context, accountID, upToID int64) (int64, error) {
	if upToID <= 0 {
		upToID = 1<<63 - 1
	}
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ?
			WHERE account_id = ? AND read_at IS NULL AND id <= ?`, s.now().UnixMicro(), accountID, upToID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, dbErr(err, "mark read", msgs{})
}

// NotifyLikes bumps the recipient's grouped likes notification.
func (s *Store) NotifyLikes(ctx context.Context, recipientID int64, kind string, postID, commentID int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		return notifyLikes(ctx, tx, recipientID, kind, postID, commentID, s.now().UnixMicro())
	})
	return dbErr(err, "notify likes", msgs{missingRef: msgNoAccount})
}

// notifyLikes upserts the unread group: the partial unique index
// notifications_group makes the second like an increment, not a new row.
func notifyLikes(ctx context.Context, tx *sql.Tx, recipientID int64, kind string, postID, commentID, now int64) error {
	key := kind + ":" + strconv.FormatInt(postID, 10) + ":" + strconv.FormatInt(commentID, 10)
	_, err := tx.ExecContext(ctx, `
		INSERT INTO notifications (account_id, kind, post_id, comment_id, group_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, group_key) WHERE read_at IS NULL AND group_key IS NOT NULL
		DO UPDATE SET count = count + 1, updated_at = excluded.updated_at`,
		recipientID, kind, nullID(postID), nullID(commentID), key, now, now)
	return err
}

// EnqueueFanouts moves the "posts" watermark over posts that became
// visible up to cutoff, in (published_at, id) order, and makes one job for
// each whose author has followers. Mark and jobs commit together, so a
// post is enqueued once. A scheduled post is reached when its time comes.
func (s *Store) EnqueueFanouts(ctx context.Context, cutoff time.Time, n int) (int, error) {
	jobs := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		jobs = 0
		var at, id int64
		if err := tx.QueryRowContext(ctx, `SELECT at, id FROM notify_marks WHERE name = 'posts'`).Scan(&at, &id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT p.id, p.author_id, p.published_at, a.followers_count FROM posts p INDEXED BY posts_home
			JOIN accounts a ON a.id = p.author_id
			WHERE p.status = 'published' AND (p.published_at, p.id) > (?, ?) AND p.published_at <= ?
			ORDER BY p.published_at, p.id LIMIT ?`, at, id, cutoff.UnixMicro(), n)
		if err != nil {
			return err
		}
		type job struct{ post, author int64 }
		var todo []job
		for rows.Next() {
			var j job
			var followers int64
			if err := rows.Scan(&j.post, &j.author, &at, &followers); err != nil {
				rows.Close()
				return err
			}
			id = j.post
			if followers > 0 {
				todo = append(todo, j)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, j := range todo {
			if _, err := tx.ExecContext(ctx, `INSERT INTO fanout_jobs (post_id, author_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				j.post, j.author); err != nil {
				return err
			}
		}
		jobs = len(todo)
		_, err = tx.ExecContext(ctx, `UPDATE notify_marks SET at = ?, id = ? WHERE name = 'posts'`, at, id)
		return err
	})
	return jobs, dbErr(err, "enqueue fanouts", msgs{})
}

// FanoutBatch writes one batch of "published" notifications for the
// oldest pending job. SQLite has one writer, so the claim is the write
// transaction itself.
func (s *Store) FanoutBatch(ctx context.Context, batch int) (int, bool, error) {
	written, found := 0, false
	now := s.now().UnixMicro()
	err := s.write(ctx, func(tx *sql.Tx) error {
		written, found = 0, false
		var post, author, afterAt, afterID int64
		err := tx.QueryRowContext(ctx, `SELECT post_id, author_id, after_at, after_id FROM fanout_jobs
			WHERE done = 0 ORDER BY post_id LIMIT 1`).Scan(&post, &author, &afterAt, &afterID)
		if err == sql.ErrNoRows {
			return nil
		} else if err != nil {
			return err
		}
		found = true
		const batchQ = ` FROM follows INDEXED BY follows_followers
			WHERE followee_id = ? AND (created_at, follower_id) > (?, ?)
			ORDER BY created_at, follower_id LIMIT ?`
		res, err := tx.ExecContext(ctx, `INSERT INTO notifications (account_id, kind, actor_id, post_id, created_at, updated_at)
			SELECT follower_id, 'post', ?, ?, ?, ?`+batchQ, author, post, now, now, author, afterAt, afterID, batch)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		written = int(n)
		if written < batch {
			_, err = tx.ExecContext(ctx, `DELETE FROM fanout_jobs WHERE post_id = ?`, post)
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT created_at, follower_id FROM (SELECT created_at, follower_id`+batchQ+`)
			ORDER BY created_at DESC, follower_id DESC LIMIT 1`, author, afterAt, afterID, batch).Scan(&afterAt, &afterID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE fanout_jobs SET after_at = ?, after_id = ? WHERE post_id = ?`, afterAt, afterID, post)
		return err
	})
	return written, found, dbErr(err, "fanout batch", msgs{})
}

// EnqueueReplies notifies the authors of comments that got a published
// reply, for comments after the "replies" watermark created up to cutoff.
func (s *Store) EnqueueReplies(ctx context.Context, cutoff time.Time, n int) (int, error) {
	made := 0
	now := s.now().UnixMicro()
	err := s.write(ctx, func(tx *sql.Tx) error {
		made = 0
		var mark int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM notify_marks WHERE name = 'replies'`).Scan(&mark); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT c.id, c.created_at, c.status, c.post_id, coalesce(c.account_id, 0), c.author_name,
				coalesce(par.account_id, 0)
			FROM comments c LEFT JOIN comments par ON par.id = c.parent_id
			WHERE c.id > ? ORDER BY c.id LIMIT ?`, mark, n)
		if err != nil {
			return err
		}
		var rs []reply
		for rows.Next() {
			var r reply
			if err := rows.Scan(&r.id, &r.created, &r.status, &r.post, &r.actor, &r.name, &r.recipient); err != nil {
				rows.Close()
				return err
			}
			if r.created > cutoff.UnixMicro() {
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
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifications
				(account_id, kind, actor_id, actor_name, post_id, comment_id, created_at, updated_at)
				VALUES (?, 'reply', ?, ?, ?, ?, ?, ?)`,
				r.recipient, nullID(r.actor), r.name, r.post, r.id, now, now); err != nil {
				return err
			}
			made++
		}
		_, err = tx.ExecContext(ctx, `UPDATE notify_marks SET id = ? WHERE name = 'replies'`, mark)
		return err
	})
	return made, dbErr(err, "enqueue replies", msgs{})
}

// reply is a comment seen by EnqueueReplies.
type reply struct {
	id, created, post, actor, recipient int64
	status, name                        string
}

// notifies reports whether the reply tells its parent's author: a
// published reply to an account's comment by someone else.
func (r reply) notifies() bool {
	return r.status == string(news.CommentPublished) && r.recipient != 0 && r.recipient != r.actor
}
