package sitecopy

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// kind is how a column is stored in SQLite and converted for PostgreSQL.
type kind int

const (
	kInt      kind = iota // INTEGER → bigint or integer
	kNullInt              // INTEGER or NULL (an optional reference)
	kText                 // TEXT → text
	kTime                 // INTEGER unix microseconds → timestamptz
	kNullTime             // the same, or NULL
	kNullText             // TEXT or NULL
)

type column struct {
	name string
	kind kind
}

// table is one table to copy. The column lists are those of the SQLite
// and PostgreSQL 0001_init.sql, which have the same tables and columns.
type table struct {
	name string
	// key is the primary key: rows are read and written in its order, so
	// that a copy that stopped resumes after the largest key it wrote.
	key []string
	// identity: key is an identity column, written with OVERRIDING SYSTEM
	// VALUE and whose sequence is moved past the copied ids afterwards.
	identity bool
	cols     []column
	// sums are counter columns whose totals must match after the copy.
	sums []string
}

func cols(spec string) []column {
	var out []column
	for _, f := range strings.Fields(spec) {
		name, k, _ := strings.Cut(f, ":")
		out = append(out, column{name, map[string]kind{"int": kInt, "nullint": kNullInt, "text": kText, "time": kTime, "nulltime": kNullTime, "nulltext": kNullText}[k]})
	}
	return out
}

// tables are copied in this order, each after the tables it refers to.
// Comments refer to comments too: a parent is older than its replies, so
// copying in id order writes it first.
var tables = []table{
	{name: "accounts", key: []string{"id"}, identity: true,
		cols: cols(`id:int handle:text name:text email:text bio:text role:text official:text password_hash:text
			followers_count:int following_count:int posts_count:int created_at:time follows_version:int`),
		sums: []string{"followers_count", "following_count", "posts_count"}},
	{name: "sessions", key: []string{"token_hash"},
		cols: cols(`token_hash:text account_id:int kind:text name:text created_at:time expires_at:nulltime`)},
	{name: "posts", key: []string{"id"}, identity: true,
		cols: cols(`id:int author_id:int kind:text title:text slug:text summary:text body_markdown:text body_html:text
			lang:text source_name:text source_url:text status:text published_at:nulltime created_at:time updated_at:time
			comments_count:int likes_count:int views_count:int shares_count:int`),
		sums: []string{"comments_count", "likes_count", "views_count", "shares_count"}},
	{name: "post_tags", key: []string{"post_id", "position"},
		cols: cols(`post_id:int position:int tag:text published_at:nulltime`)},
	{name: "comments", key: []string{"id"}, identity: true,
		cols: cols(`id:int post_id:int parent_id:nullint root_id:int depth:int path:text account_id:nullint
			author_name:text email:text website:text body:text body_hash:nullint body_html:text status:text likes_count:int
			replies_count:int ip:text user_agent:text created_at:time edited_at:nulltime deleted_at:nulltime pinned_at:nulltime`),
		sums: []string{"likes_count", "replies_count"}},
	// 0002_social: follows, engagement and notifications. feed_snapshots
	// are not copied: they expire within the hour. notify_marks are not
	// rows to copy but positions; copyMarks carries them over.
	{name: "follows", key: []string{"follower_id", "followee_id"},
		cols: cols(`follower_id:int followee_id:int created_at:time`)},
	{name: "post_likes", key: []string{"post_id", "reader"},
		cols: cols(`post_id:int reader:text created_at:time`)},
	{name: "post_views", key: []string{"post_id", "reader"},
		cols: cols(`post_id:int reader:text created_at:time`)},
	{name: "notifications", key: []string{"id"}, identity: true,
		cols: cols(`id:int account_id:int kind:text actor_id:nullint actor_name:text post_id:nullint comment_id:nullint
			group_key:nulltext count:int read_at:nulltime created_at:time updated_at:time`),
		sums: []string{"count"}},
	// Pending fan-out jobs (finished ones are deleted); done is left to its
	// default, false, as every row there is pending.
	{name: "fanout_jobs", key: []string{"post_id"},
		cols: cols(`post_id:int author_id:int after_at:time after_id:int`)},
	// 0003_comment_reactions.
	{name: "comment_likes", key: []string{"comment_id", "reader"},
		cols: cols(`comment_id:int reader:text account_id:nullint created_at:time`)},
	// 0004_moderation. rate_counters are not copied: they expire within
	// two minutes. moderation_settings has a row the target's migration
	// wrote; copyModerationSettings replaces it.
	{name: "settings", key: []string{"name"}, cols: cols(`name:text value:text`)},
	{name: "bans", key: []string{"id"}, identity: true,
		cols: cols(`id:int kind:text value:text reason:text created_at:time`)},
	{name: "comment_reviews", key: []string{"comment_id"},
		cols: cols(`comment_id:int score:int reasons:text writer:text reports:int`), sums: []string{"reports"}},
	{name: "comment_reports", key: []string{"comment_id", "reader"},
		cols: cols(`comment_id:int reader:text reason:text note:text created_at:time`)},
	// 0005_media. Only the rows move: the blobs stay where they are (the
	// data folder's media/, or the bucket), under the same keys.
	{name: "media", key: []string{"id"}, identity: true,
		cols: cols(`id:int owner_id:int kind:text blob_key:text size:int mime:text status:text failure:text attempts:int
			width:int height:int duration_ms:int video_codec:text audio_codec:text poster_key:text created_at:time`)},
	{name: "media_variants", key: []string{"media_id", "width"},
		cols: cols(`media_id:int width:int height:int blob_key:text size:int`)},
	{name: "subtitles", key: []string{"id"}, identity: true,
		cols: cols(`id:int media_id:int lang:text label:text blob_key:text`)},
	{name: "post_media", key: []string{"post_id", "media_id"},
		cols: cols(`post_id:int media_id:int role:text`)},
	// 0006_deferred_indexes has nothing to copy: it lists indexes a bulk
	// load dropped from the source, and the target has all of its own.
}

func (t table) colNames() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// readBatch reads up to n source rows after the key after (nil: from the
// start) in key order, converted for PostgreSQL, and the key of the last.
func readBatch(ctx context.Context, src *sql.Tx, t table, after []any, n int) ([][]any, []any, error) {
	q := `SELECT ` + t.colNames() + ` FROM ` + t.name
	var args []any
	if after != nil {
		// A row value comparison: the keyset continues in primary key order.
		q += ` WHERE (` + strings.Join(t.key, ", ") + `) > (` + strings.TrimSuffix(strings.Repeat("?, ", len(t.key)), ", ") + `)`
		args = append(args, after...)
	}
	q += ` ORDER BY ` + strings.Join(t.key, ", ") + ` LIMIT ?`
	rows, err := src.QueryContext(ctx, q, append(args, n)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		row, err := scanRow(rows, t)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return nil, nil, err
	}
	last := out[len(out)-1]
	key := make([]any, len(t.key))
	for i := range t.key {
		key[i] = last[i] // key columns come first in every table's list
	}
	return out, key, nil
}

// scanRow reads one SQLite row and converts it: unix microseconds become
// UTC times, NULLs become nil.
func scanRow(rows *sql.Rows, t table) ([]any, error) {
	dest := make([]any, len(t.cols))
	for i, c := range t.cols {
		switch c.kind {
		case kInt, kTime:
			dest[i] = new(int64)
		case kNullInt, kNullTime:
			dest[i] = new(sql.NullInt64)
		case kText:
			dest[i] = new(string)
		case kNullText:
			dest[i] = new(sql.NullString)
		}
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	row := make([]any, len(t.cols))
	for i, c := range t.cols {
		switch c.kind {
		case kInt:
			row[i] = *dest[i].(*int64)
		case kTime:
			row[i] = time.UnixMicro(*dest[i].(*int64)).UTC()
		case kText:
			row[i] = *dest[i].(*string)
		case kNullText:
			if v := dest[i].(*sql.NullString); v.Valid {
				row[i] = v.String
			}
		case kNullInt, kNullTime:
			v := dest[i].(*sql.NullInt64)
			switch {
			case !v.Valid:
				row[i] = nil
			case c.kind == kNullTime:
				row[i] = time.UnixMicro(v.Int64).UTC()
			default:
				row[i] = v.Int64
			}
		}
	}
	return row, nil
}

// writeBatch inserts rows in one statement, so the batch commits whole or
// not at all. Rows whose key is already there are skipped: a batch that
// was committed just before an interruption is not an error the next time.
// It returns the number of rows inserted.
func writeBatch(ctx context.Context, dst *pgxpool.Pool, t table, rows [][]any) (int64, error) {
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + t.name + ` (` + t.colNames() + `)`)
	if t.identity {
		b.WriteString(` OVERRIDING SYSTEM VALUE`) // keep the ids: /p/{id} links must go on working
	}
	b.WriteString(` VALUES `)
	args := make([]any, 0, len(rows)*len(t.cols))
	for i, row := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			args = append(args, row[j])
			fmt.Fprintf(&b, "$%d", len(args))
		}
		b.WriteByte(')')
	}
	// Only the primary key: a row that clashes on another unique key (a
	// handle taken by another account) is an error, not skipped.
	b.WriteString(` ON CONFLICT (` + strings.Join(t.key, ", ") + `) DO NOTHING`)
	tag, err := dst.Exec(ctx, b.String(), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// maxParams is PostgreSQL's limit on the parameters of one statement.
const maxParams = 65535

// batchRows is the batch size for t: n, or fewer when n rows would pass
// the parameter limit.
func batchRows(t table, n int) int {
	return max(1, min(n, maxParams/len(t.cols)))
}
