package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/headline/headline/internal/news"
)

const msgNoMedia = "That media file does not exist."

const mediaCols = `id, owner_id, kind, blob_key, size, mime, status, failure, attempts,
	width, height, duration_ms, video_codec, audio_codec, poster_key, created_at`

func scanMedia(row scanner) (*news.Media, error) {
	var m news.Media
	var durMS, created int64
	err := row.Scan(&m.ID, &m.OwnerID, &m.Kind, &m.Key, &m.Size, &m.MIME, &m.Status, &m.Failure, &m.Attempts,
		&m.Width, &m.Height, &durMS, &m.VideoCodec, &m.AudioCodec, &m.PosterKey, &created)
	if err != nil {
		return nil, err
	}
	m.Duration = time.Duration(durMS) * time.Millisecond
	m.CreatedAt = fromMicros(created)
	return &m, nil
}

// CreateMedia inserts m as processing and sets ID, Status and CreatedAt.
func (s *Store) CreateMedia(ctx context.Context, m *news.Media) error {
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = ?`, m.OwnerID).Scan(&one); err == sql.ErrNoRows {
			return notFound(msgNoAccount)
		} else if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO media (owner_id, kind, blob_key, size, mime, status, width, height, created_at)
			VALUES (?, ?, ?, ?, ?, 'processing', ?, ?, ?) RETURNING id`,
			m.OwnerID, string(m.Kind), m.Key, m.Size, m.MIME, m.Width, m.Height, now.UnixMicro()).Scan(&m.ID)
	})
	if err != nil {
		return dbErr(err, "create media", msgs{missingRef: msgNoAccount})
	}
	m.Status, m.CreatedAt, m.Attempts, m.Failure = news.MediaProcessing, now, 0, ""
	return nil
}

// MediaByID returns a media item with its variants and subtitles.
func (s *Store) MediaByID(ctx context.Context, id int64) (*news.Media, error) {
	var m *news.Media
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = mediaWhere(ctx, tx, `id = ?`, id)
		return err
	})
	return m, dbErr(err, "media by id", msgs{notFound: msgNoMedia})
}

// MediaByKey returns the oldest media item whose original has this key.
func (s *Store) MediaByKey(ctx context.Context, key string) (*news.Media, error) {
	var m *news.Media
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = mediaWhere(ctx, tx, `blob_key = ? ORDER BY id LIMIT 1`, key)
		return err
	})
	return m, dbErr(err, "media by key", msgs{notFound: msgNoMedia})
}

// mediaWhere reads one media row and its variants and subtitles.
func mediaWhere(ctx context.Context, tx *sql.Tx, where string, args ...any) (*news.Media, error) {
	m, err := scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media WHERE `+where, args...))
	if err != nil {
		return nil, err
	}
	return m, fillMedia(ctx, tx, m)
}

func fillMedia(ctx context.Context, tx *sql.Tx, m *news.Media) error {
	rows, err := tx.QueryContext(ctx, `SELECT width, height, blob_key, size FROM media_variants WHERE media_id = ? ORDER BY width`, m.ID)
	if err != nil {
		return err
	}
	m.Variants = nil
	for rows.Next() {
		var v news.ImageVariant
		if err := rows.Scan(&v.Width, &v.Height, &v.Key, &v.Size); err != nil {
			rows.Close()
			return err
		}
		m.Variants = append(m.Variants, v)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, media_id, lang, label, blob_key FROM subtitles WHERE media_id = ? ORDER BY lang`, m.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	m.Subtitles = nil
	for rows.Next() {
		var st news.Subtitle
		if err := rows.Scan(&st.ID, &st.MediaID, &st.Lang, &st.Label, &st.Key); err != nil {
			return err
		}
		m.Subtitles = append(m.Subtitles, st)
	}
	return rows.Err()
}

// ListMediaByStatus returns up to limit items in status after afterID.
func (s *Store) ListMediaByStatus(ctx context.Context, status news.MediaStatus, afterID int64, n int) ([]*news.Media, error) {
	var out []*news.Media
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+mediaCols+` FROM media WHERE status = ? AND id > ? ORDER BY id LIMIT ?`,
			string(status), afterID, limit(n, 100, maxPage))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMedia(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, dbErr(err, "list media", msgs{})
}

// StartMediaAttempt counts a processing run of an item still processing.
func (s *Store) StartMediaAttempt(ctx context.Context, id int64) (*news.Media, error) {
	var m *news.Media
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE media SET attempts = attempts + 1 WHERE id = ? AND status = 'processing'`, id); err != nil {
			return err
		}
		var err error
		m, err = mediaWhere(ctx, tx, `id = ?`, id)
		return err
	})
	return m, dbErr(err, "start media attempt", msgs{notFound: msgNoMedia})
}

// FinishMedia stores r and marks the item ready.
func (s *Store) FinishMedia(ctx context.Context, id int64, r news.MediaResult) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE media SET status = 'ready', failure = '', width = ?, height = ?, duration_ms = ?,
				video_codec = ?, audio_codec = ?, poster_key = ?,
				blob_key = coalesce(nullif(?, ''), blob_key),
				size = CASE WHEN ? <> '' THEN ? ELSE size END,
				mime = CASE WHEN ? <> '' THEN ? ELSE mime END
			WHERE id = ?`,
			r.Width, r.Height, r.Duration.Milliseconds(), r.VideoCodec, r.AudioCodec, r.PosterKey,
			r.ReplaceKey, r.ReplaceKey, r.Size, r.ReplaceKey, r.MIME, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(msgNoMedia)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM media_variants WHERE media_id = ?`, id); err != nil {
			return err
		}
		for _, v := range r.Variants {
			if _, err := tx.ExecContext(ctx, `INSERT INTO media_variants (media_id, width, height, blob_key, size) VALUES (?, ?, ?, ?, ?)`,
				id, v.Width, v.Height, v.Key, v.Size); err != nil {
				return err
			}
		}
		return nil
	})
	return dbErr(err, "finish media", msgs{})
}

// FailMedia records why a run failed, and gives up when final.
func (s *Store) FailMedia(ctx context.Context, id int64, reason string, final bool) error {
	status := news.MediaProcessing
	if final {
		status = news.MediaFailed
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE media SET failure = ?, status = ? WHERE id = ? AND status <> 'ready'`, reason, string(status), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			return tx.QueryRowContext(ctx, `SELECT 1 FROM media WHERE id = ?`, id).Scan(&one)
		}
		return nil
	})
	return dbErr(err, "fail media", msgs{notFound: msgNoMedia})
}

// AddSubtitle inserts s and sets its ID.
func (s *Store) AddSubtitle(ctx context.Context, st *news.Subtitle) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM media WHERE id = ?`, st.MediaID).Scan(&one); err == sql.ErrNoRows {
			return notFound(msgNoMedia)
		} else if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO subtitles (media_id, lang, label, blob_key) VALUES (?, ?, ?, ?) RETURNING id`,
			st.MediaID, st.Lang, st.Label, st.Key).Scan(&st.ID)
	})
	return dbErr(err, "add subtitle", msgs{conflict: "This video already has subtitles in that language.", missingRef: msgNoMedia})
}

// SetPostMedia replaces the media the post uses.
func (s *Store) SetPostMedia(ctx context.Context, postID, mainID int64, embedded []int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM posts WHERE id = ?`, postID).Scan(&one); err == sql.ErrNoRows {
			return notFound(msgNoPost)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM post_media WHERE post_id = ?`, postID); err != nil {
			return err
		}
		add := func(id int64, role string) error {
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM media WHERE id = ?`, id).Scan(&one); err == sql.ErrNoRows {
				return notFound(msgNoMedia)
			} else if err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO post_media (post_id, media_id, role) VALUES (?, ?, ?)
				ON CONFLICT (post_id, media_id) DO NOTHING`, postID, id, role)
			return err
		}
		if mainID != 0 {
			if err := add(mainID, news.MediaRoleMain); err != nil {
				return err
			}
		}
		for _, id := range embedded {
			if err := add(id, news.MediaRoleEmbed); err != nil {
				return err
			}
		}
		return nil
	})
	return dbErr(err, "set post media", msgs{})
}

// PostMedia returns the post's main media and the media embedded in it.
func (s *Store) PostMedia(ctx context.Context, postID int64) (*news.Media, []*news.Media, error) {
	var main *news.Media
	var embedded []*news.Media
	err := s.read(ctx, func(tx *sql.Tx) error {
		ms, roles, err := postMediaRows(ctx, tx, postID)
		if err != nil {
			return err
		}
		for i, m := range ms {
			if err := fillMedia(ctx, tx, m); err != nil {
				return err
			}
			if roles[i] == news.MediaRoleMain {
				main = m
			} else {
				embedded = append(embedded, m)
			}
		}
		return nil
	})
	return main, embedded, dbErr(err, "post media", msgs{})
}

func postMediaRows(ctx context.Context, tx *sql.Tx, postID int64) ([]*news.Media, []string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT pm.role, m.id, m.owner_id, m.kind, m.blob_key, m.size, m.mime, m.status,
		m.failure, m.attempts, m.width, m.height, m.duration_ms, m.video_codec, m.audio_codec, m.poster_key, m.created_at
		FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = ? ORDER BY m.id`, postID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ms []*news.Media
	var roles []string
	for rows.Next() {
		var role string
		m, err := scanMedia(prefixScanner{row: rows, first: &role})
		if err != nil {
			return nil, nil, err
		}
		ms, roles = append(ms, m), append(roles, role)
	}
	return ms, roles, rows.Err()
}

// prefixScanner scans one extra leading column into first.
type prefixScanner struct {
	row   scanner
	first any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.row.Scan(append([]any{p.first}, dest...)...)
}

// ReleasePostMedia drops the post's references and deletes media left
// unused, returning them.
func (s *Store) ReleasePostMedia(ctx context.Context, postID int64) ([]*news.Media, error) {
	var released []*news.Media
	err := s.write(ctx, func(tx *sql.Tx) error {
		ms, _, err := postMediaRows(ctx, tx, postID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM post_media WHERE post_id = ?`, postID); err != nil {
			return err
		}
		for _, m := range ms {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM post_media WHERE media_id = ?`, m.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if err := fillMedia(ctx, tx, m); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM media WHERE id = ?`, m.ID); err != nil {
				return err
			}
			released = append(released, m)
		}
		return nil
	})
	return released, dbErr(err, "release post media", msgs{})
}

// BlobInUse reports whether any row still names key.
func (s *Store) BlobInUse(ctx context.Context, key string) (bool, error) {
	var used bool
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT
			EXISTS (SELECT 1 FROM media WHERE blob_key = ?1) OR
			EXISTS (SELECT 1 FROM media WHERE poster_key = ?1 AND poster_key <> '') OR
			EXISTS (SELECT 1 FROM media_variants WHERE blob_key = ?1) OR
			EXISTS (SELECT 1 FROM subtitles WHERE blob_key = ?1)`, key).Scan(&used)
	})
	return used, dbErr(err, "blob in use", msgs{})
}
