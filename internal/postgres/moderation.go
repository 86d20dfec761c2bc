package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// SiteSecret returns the secret called name, storing fresh() first when
// there is none. INSERT ... ON CONFLICT DO NOTHING makes concurrent first
// calls on several instances agree on the one row that went in.
func (s *Store) SiteSecret(ctx context.Context, name string, fresh func() string) (string, error) {
	var v string
	err := s.db().QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	if err == nil {
		return v, nil
	} else if err != pgx.ErrNoRows {
		return "", dbErr(err, "read site secret", msgs{})
	}
	if _, err := s.db().Exec(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, fresh()); err != nil {
		return "", dbErr(err, "store site secret", msgs{})
	}
	err = s.db().QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	return v, dbErr(err, "read site secret", msgs{})
}

// LoadModerationSettings reads every settings document.
func (s *Store) LoadModerationSettings(ctx context.Context) (news.ModerationSettings, error) {
	out := news.ModerationSettings{Scopes: map[int64]string{}}
	rows, err := s.db().Query(ctx, `SELECT scope, data, version FROM moderation_settings`)
	if err != nil {
		return out, dbErr(err, "load moderation settings", msgs{})
	}
	defer rows.Close()
	for rows.Next() {
		var scope, version int64
		var data string
		if err := rows.Scan(&scope, &data, &version); err != nil {
			return out, dbErr(err, "load moderation settings", msgs{})
		}
		out.Scopes[scope] = data
		if scope == 0 {
			out.Version = version
		}
	}
	return out, dbErr(rows.Err(), "load moderation settings", msgs{})
}

// SaveModerationSettings stores one document and bumps the version on the
// site's row, which also serializes concurrent saves.
func (s *Store) SaveModerationSettings(ctx context.Context, scope int64, data string) (int64, error) {
	var version int64
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		if scope != 0 && data == "" {
			_, err = tx.Exec(ctx, `DELETE FROM moderation_settings WHERE scope = $1`, scope)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO moderation_settings (scope, data) VALUES ($1, $2)
				ON CONFLICT (scope) DO UPDATE SET data = excluded.data`, scope, data)
		}
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `UPDATE moderation_settings SET version = version + 1 WHERE scope = 0 RETURNING version`).Scan(&version)
	})
	return version, dbErr(err, "save moderation settings", msgs{})
}

// WriterFacts is one statement of three index probes: the settings
// version, a ban on any of the writer's names, and whether the writer has
// a published comment.
func (s *Store) WriterFacts(ctx context.Context, q news.WriterQuery) (news.WriterFacts, error) {
	known := `EXISTS (SELECT 1 FROM comments WHERE account_id = $4 AND status = 'published')`
	var who any = q.AccountID
	if q.AccountID == 0 {
		known, who = `EXISTS (SELECT 1 FROM comments WHERE account_id IS NULL AND email = $4 AND status = 'published')`, q.Email
	}
	var f news.WriterFacts
	var banned string
	err := s.db().QueryRow(ctx, `SELECT (SELECT version FROM moderation_settings WHERE scope = 0),
		coalesce((SELECT kind FROM bans WHERE (kind = 'account' AND value = $1) OR (kind = 'email' AND value = $2)
			OR (kind = 'ip' AND value = $3) LIMIT 1), ''), `+known,
		accountValue(q.AccountID), q.Email, q.IP, who).Scan(&f.SettingsVersion, &banned, &f.Known)
	f.Banned = news.BanKind(banned)
	return f, dbErr(err, "writer facts", msgs{})
}

func accountValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// CountHits bumps fixed-window counters. Each upsert is atomic under READ
// COMMITTED: concurrent hits from several instances queue on the row and
// each sees the count its own increment made.
func (s *Store) CountHits(ctx context.Context, keys []string, window, expired time.Time) ([]int64, error) {
	out := make([]int64, len(keys))
	err := s.write(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for i, k := range keys {
			b.Queue(`INSERT INTO rate_counters (key, win_start, count) VALUES ($1, $2, 1)
				ON CONFLICT (key, win_start) DO UPDATE SET count = rate_counters.count + 1 RETURNING count`, k, window.Unix()).
				QueryRow(func(row pgx.Row) error { return row.Scan(&out[i]) })
		}
		b.Queue(`DELETE FROM rate_counters WHERE win_start < $1`, expired.Unix())
		return tx.SendBatch(ctx, b).Close()
	})
	return out, dbErr(err, "count hits", msgs{})
}

// AddBan stores a ban, or returns the one already there.
func (s *Store) AddBan(ctx context.Context, b *news.Ban) error {
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO bans (kind, value, reason, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind, value) DO NOTHING`, string(b.Kind), b.Value, b.Reason, now); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT id, reason, created_at FROM bans WHERE kind = $1 AND value = $2`, string(b.Kind), b.Value).
			Scan(&b.ID, &b.Reason, &b.CreatedAt)
		b.CreatedAt = b.CreatedAt.UTC()
		return err
	})
	return dbErr(err, "add ban", msgs{})
}

// DeleteBan lifts a ban; a missing one is NotFound.
func (s *Store) DeleteBan(ctx context.Context, id int64) error {
	tag, err := s.db().Exec(ctx, `DELETE FROM bans WHERE id = $1`, id)
	if err != nil {
		return dbErr(err, "delete ban", msgs{})
	}
	if tag.RowsAffected() == 0 {
		return notFound("That ban does not exist.")
	}
	return nil
}

// ListBans returns bans newest first.
func (s *Store) ListBans(ctx context.Context, n int) ([]news.Ban, error) {
	rows, err := s.db().Query(ctx, `SELECT id, kind, value, reason, created_at FROM bans ORDER BY id DESC LIMIT $1`, limit(n, 100, maxPage))
	if err != nil {
		return nil, dbErr(err, "list bans", msgs{})
	}
	out, err := collect(rows, func(row scanner) (news.Ban, error) {
		var b news.Ban
		err := row.Scan(&b.ID, &b.Kind, &b.Value, &b.Reason, &b.CreatedAt)
		b.CreatedAt = b.CreatedAt.UTC()
		return b, err
	})
	return out, dbErr(err, "list bans", msgs{})
}

// reviewCols follow commentCols in reads that carry the review.
const reviewCols = `, coalesce(r.score, 0), coalesce(r.reasons, ''), coalesce(r.writer, ''), coalesce(r.reports, 0)`

const reviewFrom = commentFrom + ` LEFT JOIN comment_reviews r ON r.comment_id = c.id`

// reviewScanner scans commentCols followed by reviewCols.
type reviewScanner struct {
	row     scanner
	score   int
	reasons string
	writer  string
	reports int64
}

func (w *reviewScanner) Scan(dest ...any) error {
	return w.row.Scan(append(dest, &w.score, &w.reasons, &w.writer, &w.reports)...)
}

func scanReviewed(row scanner) (*news.Comment, error) {
	w := &reviewScanner{row: row}
	c, err := scanComment(w)
	if err != nil {
		return nil, err
	}
	if w.score != 0 || w.reasons != "" || w.writer != "" || w.reports != 0 {
		c.Review = &news.Review{Score: w.score, Writer: w.writer, Reports: w.reports}
		if w.reasons != "" {
			c.Review.Reasons = strings.Split(w.reasons, "\n")
		}
	}
	return c, nil
}

// ModerationQueue reads a queue newest first.
func (s *Store) ModerationQueue(ctx context.Context, f news.QueueFilter) ([]*news.Comment, error) {
	q, a, err := queueQuery(f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "moderation queue", msgs{})
	}
	list, err := collect(rows, scanReviewed)
	return list, dbErr(err, "moderation queue", msgs{})
}

// queueQuery builds ModerationQueue's query: the pending and spam queues
// through the partial index comments_queue, the reported one from the
// partial index comment_reviews_reported to the comments.
func queueQuery(f news.QueueFilter) (string, args, error) {
	var a args
	var where []string
	from, order := reviewFrom, "c.id"
	switch f.Queue {
	case news.QueuePending, news.QueueSpam:
		where = append(where, "c.status = '"+string(f.Queue)+"'")
	case news.QueueReported:
		from, order = ` FROM comment_reviews r JOIN comments c ON c.id = r.comment_id LEFT JOIN accounts a ON a.id = c.account_id`, "r.comment_id"
		where = append(where, "r.reports > 0", "c.status = 'published'")
	default:
		return "", nil, &news.Error{Code: news.Invalid, Message: "Choose the pending, spam or reported queue.",
			Fields: map[string]string{"status": "must be pending, spam or reported"}}
	}
	if f.BeforeID > 0 {
		where = append(where, order+" < "+a.add(f.BeforeID))
	}
	if f.PostAuthorID != 0 {
		where = append(where, "c.post_id IN (SELECT id FROM posts WHERE author_id = "+a.add(f.PostAuthorID)+")")
	}
	q := `SELECT ` + commentCols + reviewCols + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + ` DESC LIMIT ` + a.add(limit(f.Limit, 50, maxPage))
	return q, a, nil
}

// HeldComments reads a writer's held comments on one post.
func (s *Store) HeldComments(ctx context.Context, postID int64, writer string, n int) ([]*news.Comment, error) {
	if writer == "" {
		return nil, nil
	}
	rows, err := s.db().Query(ctx, `SELECT `+commentCols+reviewCols+reviewFrom+`
		WHERE c.post_id = $1 AND c.status = 'pending' AND r.writer = $2 ORDER BY c.id LIMIT $3`,
		postID, writer, limit(n, 20, maxPage))
	if err != nil {
		return nil, dbErr(err, "held comments", msgs{})
	}
	list, err := collect(rows, scanReviewed)
	return list, dbErr(err, "held comments", msgs{})
}

// ReportComment records one reader's report and counts it on the review.
func (s *Store) ReportComment(ctx context.Context, r news.Report) (bool, error) {
	now := s.now()
	added := false
	err := s.write(ctx, func(tx pgx.Tx) error {
		var status string
		var deleted bool
		err := tx.QueryRow(ctx, `SELECT status, deleted_at IS NOT NULL FROM comments WHERE id = $1`, r.CommentID).Scan(&status, &deleted)
		if err == pgx.ErrNoRows || (err == nil && (status != string(news.CommentPublished) || deleted)) {
			return notFound(msgNoComment)
		} else if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO comment_reports (comment_id, reader, reason, note, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, r.CommentID, r.Reader, r.Reason, r.Note, now)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		added = true
		_, err = tx.Exec(ctx, `INSERT INTO comment_reviews (comment_id, reports) VALUES ($1, 1)
			ON CONFLICT (comment_id) DO UPDATE SET reports = comment_reviews.reports + 1`, r.CommentID)
		return err
	})
	return added, dbErr(err, "report comment", msgs{})
}

// ModerateComment applies act in one transaction, the comment locked
// first and then its ancestors child to parent, the order DeleteComment
// takes.
func (s *Store) ModerateComment(ctx context.Context, id int64, act news.ModerationAction) (*news.Comment, error) {
	now := s.now()
	var c *news.Comment
	err := s.write(ctx, func(tx pgx.Tx) error {
		var cur moderated
		err := tx.QueryRow(ctx, `SELECT post_id, parent_id, status, deleted_at IS NOT NULL, replies_count FROM comments WHERE id = $1 FOR UPDATE`, id).
			Scan(&cur.postID, &cur.parent, &cur.status, &cur.placeholder, &cur.replies)
		if err != nil {
			return err
		}
		switch act {
		case news.ActApprove:
			err = approveComment(ctx, tx, id, cur, now)
		case news.ActSpam:
			err = takeDown(ctx, tx, id, cur, news.CommentSpam, now)
		case news.ActTrash:
			err = takeDown(ctx, tx, id, cur, news.CommentDeleted, now)
		case news.ActDismiss:
		default:
			return news.Errorf(news.Invalid, "Choose approve, spam, trash or dismiss.")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE comment_reviews SET reports = 0 WHERE comment_id = $1 AND reports > 0`, id); err != nil {
			return err
		}
		c, err = scanReviewed(tx.QueryRow(ctx, `SELECT `+commentCols+reviewCols+reviewFrom+` WHERE c.id = $1`, id))
		return err
	})
	return c, dbErr(err, "moderate comment", msgs{notFound: msgNoComment})
}

// moderated is the state of a comment ModerateComment changes.
type moderated struct {
	postID, replies int64
	parent          *int64
	status          string
	placeholder     bool
}

// approveComment publishes a held or spam comment and counts it; a parent
// that left the lists meanwhile comes back as a placeholder (see the
// SQLite store for why).
func approveComment(ctx context.Context, tx pgx.Tx, id int64, cur moderated, now time.Time) error {
	switch {
	case cur.status == string(news.CommentDeleted) || cur.placeholder:
		return news.Errorf(news.Conflict, "That comment was deleted; it cannot be approved.")
	case cur.status == string(news.CommentPublished):
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'published' WHERE id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE posts SET comments_count = comments_count + 1 WHERE id = $1`, cur.postID); err != nil {
		return err
	}
	if err := notifyApprovedReply(ctx, tx, id, now); err != nil {
		return err
	}
	parent := cur.parent
	for range news.MaxCommentDepth + 1 {
		if parent == nil {
			return nil
		}
		var status string
		var next *int64
		err := tx.QueryRow(ctx, `UPDATE comments SET replies_count = replies_count + 1 WHERE id = $1
			RETURNING status, parent_id`, *parent).Scan(&status, &next)
		if err != nil || status == string(news.CommentPublished) {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'published', deleted_at = coalesce(deleted_at, $1),
			body_html = '', pinned_at = NULL WHERE id = $2`, now, *parent); err != nil {
			return err
		}
		parent = next
	}
	return nil
}

// takeDown marks a comment spam or deleted, as the SQLite store does.
func takeDown(ctx context.Context, tx pgx.Tx, id int64, cur moderated, to news.CommentStatus, now time.Time) error {
	if cur.status == string(news.CommentDeleted) || cur.placeholder || cur.status == string(to) {
		return nil
	}
	var deletedAt any
	if to == news.CommentDeleted {
		deletedAt = now
	}
	if cur.status != string(news.CommentPublished) {
		_, err := tx.Exec(ctx, `UPDATE comments SET status = $1, deleted_at = $2,
			body_html = CASE WHEN $1 = 'deleted' THEN '' ELSE body_html END WHERE id = $3`, string(to), deletedAt, id)
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE posts SET comments_count = comments_count - 1 WHERE id = $1`, cur.postID); err != nil {
		return err
	}
	if cur.replies > 0 {
		_, err := tx.Exec(ctx, `UPDATE comments SET deleted_at = $1, body_html = '', pinned_at = NULL WHERE id = $2`, now, id)
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET status = $1, pinned_at = NULL, deleted_at = $2,
		body_html = CASE WHEN $1 = 'deleted' THEN '' ELSE body_html END WHERE id = $3`, string(to), deletedAt, id); err != nil {
		return err
	}
	return removeEmptyPlaceholders(ctx, tx, cur.parent)
}

// notifyApprovedReply tells the parent's author of a reply approved after
// the reply notifier passed it, as the SQLite store does. The notifier
// reads the mark FOR UPDATE in its transaction; reading it here FOR SHARE
// orders an approval and a notifier run, so a reply is told once.
func notifyApprovedReply(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	var mark int64
	if err := tx.QueryRow(ctx, `SELECT id FROM notify_marks WHERE name = 'replies' FOR SHARE`).Scan(&mark); err != nil {
		return err
	}
	if id > mark {
		return nil // the notifier has not reached it; it will tell
	}
	var r reply
	err := tx.QueryRow(ctx, `SELECT c.post_id, coalesce(c.account_id, 0), c.author_name, coalesce(par.account_id, 0)
		FROM comments c JOIN comments par ON par.id = c.parent_id WHERE c.id = $1`, id).
		Scan(&r.post, &r.actor, &r.name, &r.recipient)
	if err == pgx.ErrNoRows {
		return nil // a top-level comment
	} else if err != nil {
		return err
	}
	r.id, r.status = id, string(news.CommentPublished)
	if !r.notifies() {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO notifications
		(account_id, kind, actor_id, actor_name, post_id, comment_id, created_at, updated_at)
		VALUES ($1, 'reply', $2, $3, $4, $5, $6, $6)`, r.recipient, nullID(r.actor), r.name, r.post, id, now)
	return err
}
