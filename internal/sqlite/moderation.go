package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/headline/headline/internal/news"
)

// SiteSecret returns the secret called name, storing fresh() first when
// there is none. The read comes first, so only the very first call writes.
func (s *Store) SiteSecret(ctx context.Context, name string, fresh func() string) (string, error) {
	var v string
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	})
	if err == nil {
		return v, nil
	} else if err != sql.ErrNoRows {
		return "", dbErr(err, "read site secret", msgs{})
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING`, name, fresh()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	})
	return v, dbErr(err, "store site secret", msgs{})
}

// LoadModerationSettings reads every settings document; there are a few
// (the site and the official accounts with overrides).
func (s *Store) LoadModerationSettings(ctx context.Context) (news.ModerationSettings, error) {
	out := news.ModerationSettings{Scopes: map[int64]string{}}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT scope, data, version FROM moderation_settings`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var scope, version int64
			var data string
			if err := rows.Scan(&scope, &data, &version); err != nil {
				return err
			}
			out.Scopes[scope] = data
			if scope == 0 {
				out.Version = version
			}
		}
		return rows.Err()
	})
	return out, dbErr(err, "load moderation settings", msgs{})
}

// SaveModerationSettings stores one document and bumps the version kept
// on the site's row.
func (s *Store) SaveModerationSettings(ctx context.Context, scope int64, data string) (int64, error) {
	var version int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if scope != 0 && data == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM moderation_settings WHERE scope = ?`, scope)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO moderation_settings (scope, data) VALUES (?, ?)
				ON CONFLICT (scope) DO UPDATE SET data = excluded.data`, scope, data)
		}
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `UPDATE moderation_settings SET version = version + 1 WHERE scope = 0 RETURNING version`).Scan(&version)
	})
	return version, dbErr(err, "save moderation settings", msgs{})
}

// WriterFacts is one statement of three primary-key or index probes: the
// settings version, a ban on any of the writer's three names, and whether
// the writer has a published comment (comments_account for accounts,
// comments_guest_email for guests).
func (s *Store) WriterFacts(ctx context.Context, q news.WriterQuery) (news.WriterFacts, error) {
	var f news.WriterFacts
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		f, err = writerFacts(ctx, tx, q)
		return err
	})
	return f, dbErr(err, "writer facts", msgs{})
}

func writerFacts(ctx context.Context, tx *sql.Tx, q news.WriterQuery) (news.WriterFacts, error) {
	query, args := writerFactsQuery(q)
	var f news.WriterFacts
	var banned string
	err := tx.QueryRowContext(ctx, query, args...).Scan(&f.SettingsVersion, &banned, &f.Known)
	f.Banned = news.BanKind(banned)
	return f, err
}

// writerFactsQuery builds WriterFacts' statement; apart for the plan test.
func writerFactsQuery(q news.WriterQuery) (string, []any) {
	cols, args := writerFactsCols(q)
	return `SELECT ` + cols, args
}

// writerFactsCols are the three columns of the writer's facts, subqueries
// that a statement may select beside others (CheckComment).
func writerFactsCols(q news.WriterQuery) (string, []any) {
	known := `EXISTS (SELECT 1 FROM comments WHERE account_id = ? AND status = 'published')`
	var who any = q.AccountID
	if q.AccountID == 0 {
		known, who = `EXISTS (SELECT 1 FROM comments WHERE account_id IS NULL AND email = ? AND status = 'published')`, q.Email
	}
	return `(SELECT version FROM moderation_settings WHERE scope = 0),
		coalesce((SELECT kind FROM bans WHERE (kind = 'account' AND value = ?) OR (kind = 'email' AND value = ?)
			OR (kind = 'ip' AND value = ?) LIMIT 1), ''), ` + known,
		[]any{accountValue(q.AccountID), q.Email, q.IP, who}
}

// accountValue is how an account ban stores its account; "" (no account)
// matches no ban.
func accountValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// CountHits bumps fixed-window counters. On SQLite they live in memory:
// one process serves a SQLite site, so there is nothing to share, and a
// counter matters for a minute. Kept in the database they cost a durable
// write of their own: a comment paid two syncs, one for its limit and one
// for itself. A restart forgets the current minute's counts. (PostgreSQL
// keeps them in rate_counters, shared by every instance.)
func (s *Store) CountHits(ctx context.Context, keys []string, window, expired time.Time) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.rates.hit(keys, window.Unix(), expired.Unix()), nil
}

// rateCounters are fixed-window counters by key and window start.
type rateCounters struct {
	mu     sync.Mutex
	counts map[rateKey]int64
	swept  int64 // the expiry of the last sweep
}

type rateKey struct {
	key string
	win int64
}

func newRateCounters() *rateCounters { return &rateCounters{counts: map[rateKey]int64{}} }

// hit adds one to each key's counter in window win and returns the new
// counts; windows before expired are dropped, once per new expiry.
func (c *rateCounters) hit(keys []string, win, expired int64) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if expired > c.swept {
		for k := range c.counts {
			if k.win < expired {
				delete(c.counts, k)
			}
		}
		c.swept = expired
	}
	out := make([]int64, len(keys))
	for i, k := range keys {
		rk := rateKey{k, win}
		c.counts[rk]++
		out[i] = c.counts[rk]
	}
	return out
}

// AddBan stores a ban, or returns the one already there.
func (s *Store) AddBan(ctx context.Context, b *news.Ban) error {
	now := s.now().UnixMicro()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bans (kind, value, reason, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, value) DO NOTHING`, string(b.Kind), b.Value, b.Reason, now); err != nil {
			return err
		}
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT id, reason, created_at FROM bans WHERE kind = ? AND value = ?`, string(b.Kind), b.Value).
			Scan(&b.ID, &b.Reason, &created)
		b.CreatedAt = fromMicros(created)
		return err
	})
	return dbErr(err, "add ban", msgs{})
}

// DeleteBan lifts a ban; a missing one is NotFound.
func (s *Store) DeleteBan(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM bans WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return sql.ErrNoRows
		}
		return nil
	})
	return dbErr(err, "delete ban", msgs{notFound: "That ban does not exist."})
}

// ListBans returns bans newest first.
func (s *Store) ListBans(ctx context.Context, n int) ([]news.Ban, error) {
	var out []news.Ban
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, value, reason, created_at FROM bans ORDER BY id DESC LIMIT ?`, limit(n, 100, maxPage))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b news.Ban
			var created int64
			if err := rows.Scan(&b.ID, &b.Kind, &b.Value, &b.Reason, &created); err != nil {
				return err
			}
			b.CreatedAt = fromMicros(created)
			out = append(out, b)
		}
		return rows.Err()
	})
	return out, dbErr(err, "list bans", msgs{})
}

// insertReview writes a comment's review row, when it has one.
func insertReview(ctx context.Context, tx *sql.Tx, id int64, r *news.Review) error {
	if r == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO comment_reviews (comment_id, score, reasons, writer, reports) VALUES (?, ?, ?, ?, ?)`,
		id, r.Score, strings.Join(r.Reasons, "\n"), r.Writer, r.Reports)
	return err
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

func queryReviewed(ctx context.Context, tx querier, q string, args ...any) ([]*news.Comment, error) {
	return queryAll(ctx, tx, scanReviewed, q, args...)
}

// ModerationQueue reads a queue newest first.
func (s *Store) ModerationQueue(ctx context.Context, f news.QueueFilter) ([]*news.Comment, error) {
	q, args, err := queueQuery(f)
	if err != nil {
		return nil, err
	}
	var list []*news.Comment
	err = s.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryReviewed(ctx, tx, q, args...)
		return err
	})
	return list, dbErr(err, "moderation queue", msgs{})
}

// queueQuery builds ModerationQueue's query. The status is written into
// the SQL as a literal, from the closed set of queues, so that SQLite can
// use the partial index comments_queue.
func queueQuery(f news.QueueFilter) (string, []any, error) {
	var where []string
	var args []any
	from, order := reviewFrom, "c.id"
	switch f.Queue {
	case news.QueuePending, news.QueueSpam:
		// The IN term is the partial index's own WHERE, word for word,
		// which is how SQLite knows it may use the index.
		where = append(where, "c.status IN ('pending', 'spam')", "c.status = '"+string(f.Queue)+"'")
	case news.QueueReported:
		// From the reviews with open reports (a partial index) to their
		// comments, not the other way round.
		from, order = ` FROM comment_reviews r JOIN comments c ON c.id = r.comment_id LEFT JOIN accounts a ON a.id = c.account_id`, "r.comment_id"
		where = append(where, "r.reports > 0", "c.status = 'published'")
	default:
		return "", nil, &news.Error{Code: news.Invalid, Message: "Choose the pending, spam or reported queue.",
			Fields: map[string]string{"status": "must be pending, spam or reported"}}
	}
	if f.BeforeID > 0 {
		where, args = append(where, order+" < ?"), append(args, f.BeforeID)
	}
	if f.PostAuthorID != 0 {
		where, args = append(where, "c.post_id IN (SELECT id FROM posts WHERE author_id = ?)"), append(args, f.PostAuthorID)
	}
	args = append(args, limit(f.Limit, 50, maxPage))
	return `SELECT ` + commentCols + reviewCols + from + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` DESC LIMIT ?`, args, nil
}

// HeldComments reads a writer's held comments on one post: a short range
// of comments_post (post, 'pending').
func (s *Store) HeldComments(ctx context.Context, postID int64, writer string, n int) ([]*news.Comment, error) {
	if writer == "" {
		return nil, nil
	}
	var list []*news.Comment
	err := s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		list, err = queryReviewed(ctx, tx, `SELECT `+commentCols+reviewCols+reviewFrom+`
			WHERE c.post_id = ? AND c.status = 'pending' AND r.writer = ? ORDER BY c.id LIMIT ?`,
			postID, writer, limit(n, 20, maxPage))
		return err
	})
	return list, dbErr(err, "held comments", msgs{})
}

// ReportComment records one reader's report and counts it on the review.
func (s *Store) ReportComment(ctx context.Context, r news.Report) (bool, error) {
	now := s.now().UnixMicro()
	added := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var status string
		var deleted sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT status, deleted_at FROM comments WHERE id = ?`, r.CommentID).Scan(&status, &deleted)
		if err == sql.ErrNoRows || (err == nil && (status != string(news.CommentPublished) || deleted.Valid)) {
			return notFound(msgNoComment)
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO comment_reports (comment_id, reader, reason, note, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.CommentID, r.Reader, r.Reason, r.Note, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		added = true
		_, err = tx.ExecContext(ctx, `INSERT INTO comment_reviews (comment_id, reports) VALUES (?, 1)
			ON CONFLICT (comment_id) DO UPDATE SET reports = reports + 1`, r.CommentID)
		return err
	})
	return added, dbErr(err, "report comment", msgs{})
}

// ModerateComment applies act in one write; see news.ModerationStore.
func (s *Store) ModerateComment(ctx context.Context, id int64, act news.ModerationAction) (*news.Comment, error) {
	now := s.now().UnixMicro()
	var c *news.Comment
	err := s.write(ctx, func(tx *sql.Tx) error {
		var cur moderated
		err := tx.QueryRowContext(ctx, `SELECT post_id, parent_id, status, deleted_at IS NOT NULL, replies_count FROM comments WHERE id = ?`, id).
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
		// Whatever a moderator did, the reports were seen.
		if _, err := tx.ExecContext(ctx, `UPDATE comment_reviews SET reports = 0 WHERE comment_id = ? AND reports > 0`, id); err != nil {
			return err
		}
		c, err = scanReviewed(tx.QueryRowContext(ctx, `SELECT `+commentCols+reviewCols+reviewFrom+` WHERE c.id = ?`, id))
		return err
	})
	return c, dbErr(err, "moderate comment", msgs{notFound: msgNoComment})
}

// moderated is the state of a comment ModerateComment changes.
type moderated struct {
	postID, replies int64
	parent          sql.NullInt64
	status          string
	placeholder     bool
}

// approveComment publishes a held or spam comment and counts it. Its
// parent was published when the reply was written; if it was deleted or
// marked spam meanwhile (and, having no published replies then, left the
// lists), it comes back as a "comment deleted" placeholder, and so on up,
// so that the approved reply has a thread to sit in. Placeholders are not
// in CommentsCount, so only the approved comment is added there.
func approveComment(ctx context.Context, tx *sql.Tx, id int64, cur moderated, now int64) error {
	switch {
	case cur.status == string(news.CommentDeleted) || cur.placeholder:
		return news.Errorf(news.Conflict, "That comment was deleted; it cannot be approved.")
	case cur.status == string(news.CommentPublished):
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'published' WHERE id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET comments_count = comments_count + 1 WHERE id = ?`, cur.postID); err != nil {
		return err
	}
	if err := notifyApprovedReply(ctx, tx, id, now); err != nil {
		return err
	}
	parent := cur.parent
	for range news.MaxCommentDepth + 1 {
		if !parent.Valid {
			return nil
		}
		var status string
		var next sql.NullInt64
		err := tx.QueryRowContext(ctx, `UPDATE comments SET replies_count = replies_count + 1 WHERE id = ?
			RETURNING status, parent_id`, parent.Int64).Scan(&status, &next)
		if err != nil || status == string(news.CommentPublished) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'published', deleted_at = coalesce(deleted_at, ?),
			body_html = '', pinned_at = NULL WHERE id = ?`, now, parent.Int64); err != nil {
			return err
		}
		parent = next
	}
	return nil
}

// takeDown marks a comment spam or deleted. A published one leaves the
// counts as DeleteComment takes it out: a placeholder when it has
// published replies, otherwise gone (its body kept for a spam comment, so
// that approving it again restores it).
func takeDown(ctx context.Context, tx *sql.Tx, id int64, cur moderated, to news.CommentStatus, now int64) error {
	if cur.status == string(news.CommentDeleted) || cur.placeholder || cur.status == string(to) {
		return nil
	}
	if cur.status != string(news.CommentPublished) {
		_, err := tx.ExecContext(ctx, `UPDATE comments SET status = ?,
			deleted_at = CASE WHEN ? = 'deleted' THEN ? END, body_html = CASE WHEN ? = 'deleted' THEN '' ELSE body_html END
			WHERE id = ?`, string(to), string(to), now, string(to), id)
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET comments_count = comments_count - 1 WHERE id = ?`, cur.postID); err != nil {
		return err
	}
	if cur.replies > 0 {
		_, err := tx.ExecContext(ctx, `UPDATE comments SET deleted_at = ?, body_html = '', pinned_at = NULL WHERE id = ?`, now, id)
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = ?, pinned_at = NULL,
		deleted_at = CASE WHEN ? = 'deleted' THEN ? END, body_html = CASE WHEN ? = 'deleted' THEN '' ELSE body_html END
		WHERE id = ?`, string(to), string(to), now, string(to), id); err != nil {
		return err
	}
	return removeEmptyPlaceholders(ctx, tx, cur.parent, now)
}

// notifyApprovedReply tells the parent's author of a reply approved after
// the reply notifier passed it (it skips held replies): the notification
// EnqueueReplies would have written had the reply been published then.
// A reply it has not reached yet is left to it, so nobody is told twice.
func notifyApprovedReply(ctx context.Context, tx *sql.Tx, id, now int64) error {
	var r reply
	var mark int64
	err := tx.QueryRowContext(ctx, `SELECT c.post_id, coalesce(c.account_id, 0), c.author_name, coalesce(par.account_id, 0),
			(SELECT id FROM notify_marks WHERE name = 'replies')
		FROM comments c JOIN comments par ON par.id = c.parent_id WHERE c.id = ?`, id).
		Scan(&r.post, &r.actor, &r.name, &r.recipient, &mark)
	if err == sql.ErrNoRows {
		return nil // a top-level comment
	} else if err != nil {
		return err
	}
	r.id, r.status = id, string(news.CommentPublished)
	if id > mark || !r.notifies() {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO notifications
		(account_id, kind, actor_id, actor_name, post_id, comment_id, created_at, updated_at)
		VALUES (?, 'reply', ?, ?, ?, ?, ?, ?)`, r.recipient, nullID(r.actor), r.name, r.post, id, now, now)
	return err
}
