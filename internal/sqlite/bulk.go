package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
)

var _ news.BulkLoader = (*Store)(nil)

// bulkRows is how many rows one INSERT statement carries: enough to cut
// the per-statement cost (the VM setup, the Go↔C round trip of modernc's
// driver) to noise, and far below SQLite's 32,766 bound parameters even for
// the widest table.
const bulkRows = 200

// bulkCacheKiB is the page cache of the writer connection while loading.
// Index inserts for ten million comments touch pages all over a dozen
// indexes; with the default 2 MB cache most of them are read back from the
// OS for every batch.
const bulkCacheKiB = 256 * 1024

// multiInsert writes rows of n columns with "head VALUES (?, ...), ...",
// bulkRows rows a statement, through at most two prepared statements (the
// full chunk and the remainder), each reused for the whole call.
type multiInsert struct {
	tx    *sql.Tx
	head  string // INSERT INTO t (a, b, c)
	tail  string // ON CONFLICT DO NOTHING, or ""
	ncols int
	stmts map[int]*sql.Stmt
}

func newMultiInsert(tx *sql.Tx, head, tail string, ncols int) *multiInsert {
	return &multiInsert{tx: tx, head: head, tail: tail, ncols: ncols, stmts: map[int]*sql.Stmt{}}
}

// exec writes args, a flat list of rows of m.ncols values each.
func (m *multiInsert) exec(ctx context.Context, args []any) error {
	for len(args) > 0 {
		rows := min(len(args)/m.ncols, bulkRows)
		st, ok := m.stmts[rows]
		if !ok {
			row := "(" + placeholders(m.ncols) + ")"
			q := m.head + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ") + " " + m.tail
			var err error
			if st, err = m.tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			m.stmts[rows] = st
		}
		if _, err := st.ExecContext(ctx, args[:rows*m.ncols]...); err != nil {
			return err
		}
		args = args[rows*m.ncols:]
	}
	return nil
}

func (m *multiInsert) close() {
	for _, st := range m.stmts {
		st.Close()
	}
}

// insertAll writes rows with one multiInsert.
func insertAll(ctx context.Context, tx *sql.Tx, head, tail string, ncols int, args []any) error {
	m := newMultiInsert(tx, head, tail, ncols)
	defer m.close()
	return m.exec(ctx, args)
}

// bulkWrite runs fn in a writer transaction of its own (not shared with
// other writes by group commit), or in the Bulk transaction of a view.
func (s *Store) bulkWrite(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	run := func(tx *sql.Tx) error {
		// A statement that may fail halfway inside a transaction keeps a
		// statement journal of every page it changes, to undo itself alone;
		// for a multi-row INSERT that is most of the work of the load. The
		// whole transaction is undone on any error anyway, so: foreign keys
		// are checked at COMMIT (defer_foreign_keys lasts one transaction),
		// inserts say OR FAIL (or OR IGNORE), and nothing needs the journal.
		//
		// What a statement journal is still needed for (SQLite's STRICT type
		// checks may abort a statement) stays in memory (the writer's
		// temp_store), as do the sorts of building indexes, which use a
		// helper thread a core. The committer puts the writer's own cache,
		// checkpoint and threads back before the next ordinary write
		// (settle). These pragmas are never kept prepared (stmtcache):
		// SQLite applies a pragma when it is prepared.
		for _, p := range []string{fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB), `PRAGMA defer_foreign_keys = ON`,
			`PRAGMA wal_autocheckpoint = 65536`, fmt.Sprintf(`PRAGMA threads = %d`, runtime.GOMAXPROCS(0))} {
			if _, err := tx.ExecContext(ctx, p); err != nil {
				return err
			}
		}
		return fn(tx)
	}
	var err error
	switch {
	case s.tx != nil:
		err = run(s.tx)
	case s.gc == nil:
		err = inTx(ctx, s.w, run)
	default:
		err = s.gc.do(ctx, run, alone)
	}
	return dbErr(err, what, msgs{conflict: "Some of these rows are there already.", missingRef: "A row refers to one that does not exist."})
}

// NextIDs returns one more than the largest account, post and comment id.
func (s *Store) NextIDs(ctx context.Context) (news.BulkIDs, error) {
	var ids news.BulkIDs
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT
			(SELECT coalesce(max(id), 0) + 1 FROM accounts),
			(SELECT coalesce(max(id), 0) + 1 FROM posts),
			(SELECT coalesce(max(id), 0) + 1 FROM comments)`).Scan(&ids.Account, &ids.Post, &ids.Comment)
	})
	return ids, dbErr(err, "next ids", msgs{})
}

// LoadAccounts inserts accounts with their ids and sign-up times.
func (s *Store) LoadAccounts(ctx context.Context, list []*news.Account, passwordHash string) error {
	args := make([]any, 0, len(list)*9)
	for _, a := range list {
		args = append(args, a.ID, a.Handle, a.Name, a.Email, a.Bio, string(a.Role), a.Official, passwordHash, a.CreatedAt.UnixMicro())
	}
	return s.bulkWrite(ctx, "load accounts", func(tx *sql.Tx) error {
		return insertAll(ctx, tx, `INSERT OR FAIL INTO accounts (id, handle, name, email, bio, role, official, password_hash, created_at)`, "", 9, args)
	})
}

// LoadPosts inserts posts and their tags, as CreatePost writes them.
func (s *Store) LoadPosts(ctx context.Context, list []*news.Post) error {
	args := make([]any, 0, len(list)*15)
	var tags []any
	for _, p := range list {
		kind := p.Kind
		if kind == "" {
			kind = "article"
		}
		args = append(args, p.ID, p.AuthorID, kind, p.Title, p.Slug, p.Summary, p.BodyMarkdown, p.BodyHTML, p.Lang,
			p.SourceName, p.SourceURL, string(p.Status), micros(p.PublishedAt), p.CreatedAt.UnixMicro(), p.UpdatedAt.UnixMicro())
		var published any
		if p.Status == news.PostPublished {
			published = micros(p.PublishedAt)
		}
		for pos, t := range uniqueTags(p.Tags) {
			tags = append(tags, p.ID, pos, t, published)
		}
	}
	return s.bulkWrite(ctx, "load posts", func(tx *sql.Tx) error {
		err := insertAll(ctx, tx, `INSERT OR FAIL INTO posts (id, author_id, kind, title, slug, summary, body_markdown, body_html,
			lang, source_name, source_url, status, published_at, created_at, updated_at)`, "", 15, args)
		if err != nil {
			return err
		}
		return insertAll(ctx, tx, `INSERT OR FAIL INTO post_tags (post_id, position, tag, published_at)`, "", 4, tags)
	})
}

// uniqueTags is tags without repeats, in order, as writeTags stores them.
func uniqueTags(tags []string) []string {
	out := tags[:0:0]
	for _, t := range tags {
		if !containsString(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// LoadComments inserts comments with the thread columns CreateComment
// would give them. Parents outside the call are read from the table.
func (s *Store) LoadComments(ctx context.Context, list []*news.Comment) error {
	return s.bulkWrite(ctx, "load comments", func(tx *sql.Tx) error {
		parentOf, err := tx.PrepareContext(ctx, `SELECT post_id, root_id, depth, path, status, deleted_at FROM comments WHERE id = ?`)
		if err != nil {
			return err
		}
		defer parentOf.Close()
		lookup := func(id int64) (news.ThreadSpot, error) {
			var p news.ThreadSpot
			var status string
			var deleted sql.NullInt64
			err := parentOf.QueryRowContext(ctx, id).Scan(&p.PostID, &p.RootID, &p.Depth, &p.Path, &status, &deleted)
			if err == sql.ErrNoRows {
				return p, notFound(msgNoComment)
			}
			p.Status, p.Deleted = news.CommentStatus(status), deleted.Valid
			return p, err
		}
		spots, err := news.PlaceComments(list, pathSegment, lookup)
		if err != nil {
			return err
		}
		if err := fillAuthorNames(ctx, tx, list); err != nil {
			return err
		}
		args := make([]any, 0, len(list)*17)
		for i, c := range list {
			sp := spots[i]
			args = append(args, c.ID, c.PostID, nullID(c.ParentID), sp.RootID, sp.Depth, sp.Path, nullID(c.AccountID),
				c.AuthorName, c.Email, c.Website, c.Body, news.BodyHash(c.Body), c.BodyHTML, string(c.Status), c.IP,
				c.UserAgent, c.CreatedAt.UnixMicro())
		}
		return insertAll(ctx, tx, `INSERT OR FAIL INTO comments (id, post_id, parent_id, root_id, depth, path, account_id, author_name,
			email, website, body, body_hash, body_html, status, ip, user_agent, created_at)`, "", 17, args)
	})
}

// fillAuthorNames gives each account's comment without an AuthorName the
// account's name, as CreateComment stores it, before the rows are written.
func fillAuthorNames(ctx context.Context, tx *sql.Tx, list []*news.Comment) error {
	names := map[int64]string{}
	for _, c := range list {
		if c.AccountID != 0 && c.AuthorName == "" {
			names[c.AccountID] = ""
		}
	}
	if len(names) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `SELECT name FROM accounts WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for id := range names {
		var name string
		if err := st.QueryRowContext(ctx, id).Scan(&name); err != nil {
			if err == sql.ErrNoRows {
				return notFound(msgNoAccount)
			}
			return err
		}
		names[id] = name
	}
	for _, c := range list {
		if c.AccountID != 0 && c.AuthorName == "" {
			c.AuthorName = names[c.AccountID]
		}
	}
	return nil
}

// LoadFollows inserts follows, skipping those there already.
func (s *Store) LoadFollows(ctx context.Context, list []news.BulkFollow) error {
	args := make([]any, 0, len(list)*3)
	for _, f := range list {
		args = append(args, f.Follower, f.Followee, f.At.UnixMicro())
	}
	return s.bulkWrite(ctx, "load follows", func(tx *sql.Tx) error {
		if err := insertAll(ctx, tx, `INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at)`, "", 3, args); err != nil {
			return err
		}
		// A running instance may hold these followers' sets in memory.
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET follows_version = follows_version + 1
			WHERE id IN (SELECT value FROM json_each(?))`, followersJSON(list))
		return err
	})
}

// followersJSON is the distinct followers of list as a JSON array.
func followersJSON(list []news.BulkFollow) string {
	seen := map[int64]bool{}
	var b strings.Builder
	b.WriteByte('[')
	for _, f := range list {
		if !seen[f.Follower] {
			if len(seen) > 0 {
				b.WriteByte(',')
			}
			seen[f.Follower] = true
			b.WriteString(strconv.FormatInt(f.Follower, 10))
		}
	}
	b.WriteByte(']')
	return b.String()
}

// LoadPostLikes inserts likes of posts, skipping those there already.
func (s *Store) LoadPostLikes(ctx context.Context, list []news.BulkLike) error {
	return s.loadReaderRows(ctx, "load post likes", `INSERT OR IGNORE INTO post_likes (post_id, reader, created_at)`, list)
}

// LoadViews inserts counted views of posts, skipping those there already.
func (s *Store) LoadViews(ctx context.Context, list []news.BulkLike) error {
	return s.loadReaderRows(ctx, "load views", `INSERT OR IGNORE INTO post_views (post_id, reader, created_at)`, list)
}

func (s *Store) loadReaderRows(ctx context.Context, what, head string, list []news.BulkLike) error {
	args := make([]any, 0, len(list)*3)
	for _, l := range list {
		args = append(args, l.ID, l.Reader.Key(), l.At.UnixMicro())
	}
	return s.bulkWrite(ctx, what, func(tx *sql.Tx) error {
		return insertAll(ctx, tx, head, "", 3, args)
	})
}

// LoadCommentLikes inserts likes of comments, skipping those there already.
func (s *Store) LoadCommentLikes(ctx context.Context, list []news.BulkLike) error {
	args := make([]any, 0, len(list)*4)
	for _, l := range list {
		args = append(args, l.ID, l.Reader.Key(), nullID(l.Reader.AccountID), l.At.UnixMicro())
	}
	return s.bulkWrite(ctx, "load comment likes", func(tx *sql.Tx) error {
		return insertAll(ctx, tx, `INSERT OR IGNORE INTO comment_likes (comment_id, reader, account_id, created_at)`, "", 4, args)
	})
}

// SetShares sets the shares count of each post in shares.
func (s *Store) SetShares(ctx context.Context, shares map[int64]int64) error {
	return s.bulkWrite(ctx, "set shares", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE posts SET shares_count = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for id, n := range shares {
			if _, err := st.ExecContext(ctx, n, id); err != nil {
				return err
			}
		}
		return nil
	})
}
