package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

const msgNoMedia = "That media file does not exist."

const mediaCols = `m.id, m.owner_id, m.kind, m.blob_key, m.size, m.mime, m.status, m.failure, m.attempts,
	m.width, m.height, m.duration_ms, m.video_codec, m.audio_codec, m.poster_key, m.created_at`

func scanMedia(row scanner, extra ...any) (*news.Media, error) {
	var m news.Media
	var durMS int64
	dest := append(extra, &m.ID, &m.OwnerID, &m.Kind, &m.Key, &m.Size, &m.MIME, &m.Status, &m.Failure, &m.Attempts,
		&m.Width, &m.Height, &durMS, &m.VideoCodec, &m.AudioCodec, &m.PosterKey, &m.CreatedAt)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	m.Duration = time.Duration(durMS) * time.Millisecond
	m.CreatedAt = m.CreatedAt.UTC()
	return &m, nil
}

// exists returns NotFound with msg unless the query finds a row.
func exists(ctx context.Context, q querier, msg, sql string, args ...any) error {
	var one int
	err := q.QueryRow(ctx, sql, args...).Scan(&one)
	if err == pgx.ErrNoRows {
		return notFound(msg)
	}
	return err
}

// CreateMedia inserts m as processing and sets ID, Status and CreatedAt.
func (s *Store) CreateMedia(ctx context.Context, m *news.Media) error {
	now := s.now()
	err := s.write(ctx, func(tx pgx.Tx) error {
		if err := exists(ctx, tx, msgNoAccount, `SELECT 1 FROM accounts WHERE id = $1`, m.OwnerID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO media (owner_id, kind, blob_key, size, mime, status, width, height, created_at)
			VALUES ($1, $2, $3, $4, $5, 'processing', $6, $7, $8) RETURNING id`,
			m.OwnerID, string(m.Kind), m.Key, m.Size, m.MIME, m.Width, m.Height, now).Scan(&m.ID)
	})
	if err != nil {
		return dbErr(err, "create media", msgs{})
	}
	m.Status, m.CreatedAt, m.Attempts, m.Failure = news.MediaProcessing, now, 0, ""
	return nil
}

// MediaByID returns a media item with its variants and subtitles.
func (s *Store) MediaByID(ctx context.Context, id int64) (*news.Media, error) {
	m, err := mediaWhere(ctx, s.db(), `m.id = $1`, id)
	return m, dbErr(err, "media by id", msgs{notFound: msgNoMedia})
}

// MediaByKey returns the oldest media item whose original has this key.
func (s *Store) MediaByKey(ctx context.Context, key string) (*news.Media, error) {
	m, err := mediaWhere(ctx, s.db(), `m.blob_key = $1 ORDER BY m.id LIMIT 1`, key)
	return m, dbErr(err, "media by key", msgs{notFound: msgNoMedia})
}

func mediaWhere(ctx context.Context, q querier, where string, args ...any) (*news.Media, error) {
	m, err := scanMedia(q.QueryRow(ctx, `SELECT `+mediaCols+` FROM media m WHERE `+where, args...))
	if err != nil {
		return nil, err
	}
	return m, fillMedia(ctx, q, m)
}

func fillMedia(ctx context.Context, q querier, m *news.Media) error {
	rows, err := q.Query(ctx, `SELECT width, height, blob_key, size FROM media_variants WHERE media_id = $1 ORDER BY width`, m.ID)
	if err != nil {
		return err
	}
	m.Variants, err = collect(rows, func(r scanner) (news.ImageVariant, error) {
		var v news.ImageVariant
		return v, r.Scan(&v.Width, &v.Height, &v.Key, &v.Size)
	})
	if err != nil {
		return err
	}
	rows, err = q.Query(ctx, `SELECT id, media_id, lang, label, blob_key FROM subtitles WHERE media_id = $1 ORDER BY lang`, m.ID)
	if err != nil {
		return err
	}
	m.Subtitles, err = collect(rows, func(r scanner) (news.Subtitle, error) {
		var st news.Subtitle
		return st, r.Scan(&st.ID, &st.MediaID, &st.Lang, &st.Label, &st.Key)
	})
	return err
}

// ListMediaByStatus returns up to limit items in status after afterID.
func (s *Store) ListMediaByStatus(ctx context.Context, status news.MediaStatus, afterID int64, n int) ([]*news.Media, error) {
	rows, err := s.db().Query(ctx, `SELECT `+mediaCols+` FROM media m WHERE m.status = $1 AND m.id > $2 ORDER BY m.id LIMIT $3`,
		string(status), afterID, limit(n, 100, maxPage))
	if err != nil {
		return nil, dbErr(err, "list media", msgs{})
	}
	out, err := collect(rows, func(r scanner) (*news.Media, error) { return scanMedia(r) })
	return out, dbErr(err, "list media", msgs{})
}

// StartMediaAttempt counts a processing run of an item still processing.
func (s *Store) StartMediaAttempt(ctx context.Context, id int64) (*news.Media, error) {
	var m *news.Media
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE media SET attempts = attempts + 1 WHERE id = $1 AND status = 'processing'`, id); err != nil {
			return err
		}
		var err error
		m, err = mediaWhere(ctx, tx, `m.id = $1`, id)
		return err
	})
	return m, dbErr(err, "start media attempt", msgs{notFound: msgNoMedia})
}

// FinishMedia stores r and marks the item ready.
func (s *Store) FinishMedia(ctx context.Context, id int64, r news.MediaResult) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE media SET status = 'ready', failure = '', width = $1, height = $2, duration_ms = $3,
				video_codec = $4, audio_codec = $5, poster_key = $6,
				blob_key = coalesce(nullif($7, ''), blob_key),
				size = CASE WHEN $7 <> '' THEN $8 ELSE size END,
				mime = CASE WHEN $7 <> '' THEN $9 ELSE mime END
			WHERE id = $10`,
			r.Width, r.Height, r.Duration.Milliseconds(), r.VideoCodec, r.AudioCodec, r.PosterKey,
			r.ReplaceKey, r.Size, r.MIME, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound(msgNoMedia)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM media_variants WHERE media_id = $1`, id); err != nil {
			return err
		}
		for _, v := range r.Variants {
			if _, err := tx.Exec(ctx, `INSERT INTO media_variants (media_id, width, height, blob_key, size) VALUES ($1, $2, $3, $4, $5)`,
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
	tag, err := s.db().Exec(ctx, `UPDATE media SET failure = $1, status = $2 WHERE id = $3 AND status <> 'ready'`, reason, string(status), id)
	if err == nil && tag.RowsAffected() == 0 {
		err = exists(ctx, s.db(), msgNoMedia, `SELECT 1 FROM media WHERE id = $1`, id)
	}
	return dbErr(err, "fail media", msgs{})
}

// AddSubtitle inserts st and sets its ID.
func (s *Store) AddSubtitle(ctx context.Context, st *news.Subtitle) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		if err := exists(ctx, tx, msgNoMedia, `SELECT 1 FROM media WHERE id = $1`, st.MediaID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO subtitles (media_id, lang, label, blob_key) VALUES ($1, $2, $3, $4) RETURNING id`,
			st.MediaID, st.Lang, st.Label, st.Key).Scan(&st.ID)
	})
	return dbErr(err, "add subtitle", msgs{conflict: "This video already has subtitles in that language."})
}

// SetPostMedia replaces the media the post uses.
func (s *Store) SetPostMedia(ctx context.Context, postID, mainID int64, embedded []int64) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		if err := exists(ctx, tx, msgNoPost, `SELECT 1 FROM posts WHERE id = $1`, postID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM post_media WHERE post_id = $1`, postID); err != nil {
			return err
		}
		add := func(id int64, role string) error {
			if err := exists(ctx, tx, msgNoMedia, `SELECT 1 FROM media WHERE id = $1`, id); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO post_media (post_id, media_id, role) VALUES ($1, $2, $3)
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
	ms, roles, err := postMediaRows(ctx, s.db(), postID)
	if err != nil {
		return nil, nil, dbErr(err, "post media", msgs{})
	}
	var main *news.Media
	var embedded []*news.Media
	for i, m := range ms {
		if err := fillMedia(ctx, s.db(), m); err != nil {
			return nil, nil, dbErr(err, "post media", msgs{})
		}
		if roles[i] == news.MediaRoleMain {
			main = m
		} else {
			embedded = append(embedded, m)
		}
	}
	return main, embedded, nil
}

func postMediaRows(ctx context.Context, q querier, postID int64) ([]*news.Media, []string, error) {
	rows, err := q.Query(ctx, `SELECT pm.role, `+mediaCols+`
		FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = $1 ORDER BY m.id`, postID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ms []*news.Media
	var roles []string
	for rows.Next() {
		var role string
		m, err := scanMedia(rows, &role)
		if err != nil {
			return nil, nil, err
		}
		ms, roles = append(ms, m), append(roles, role)
	}
	return ms, roles, rows.Err()
}

// ReleasePostMedia drops the post's references and deletes media left
// unused, returning them. The media rows are locked first, so a post
// taking one of them at the same moment waits and then finds it gone.
func (s *Store) ReleasePostMedia(ctx context.Context, postID int64) ([]*news.Media, error) {
	var released []*news.Media
	err := s.write(ctx, func(tx pgx.Tx) error {
		ms, _, err := postMediaRows(ctx, tx, postID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM post_media WHERE post_id = $1`, postID); err != nil {
			return err
		}
		released = released[:0]
		for _, m := range ms {
			var used bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM post_media WHERE media_id = $1)
				FROM media WHERE id = $1 FOR UPDATE`, m.ID).Scan(&used); err != nil {
				return err
			}
			if used {
				continue
			}
			if err := fillMedia(ctx, tx, m); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM media WHERE id = $1`, m.ID); err != nil {
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
	err := s.db().QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM media WHERE blob_key = $1) OR
		EXISTS (SELECT 1 FROM media WHERE poster_key = $1 AND poster_key <> '') OR
		EXISTS (SELECT 1 FROM media_variants WHERE blob_key = $1) OR
		EXISTS (SELECT 1 FROM subtitles WHERE blob_key = $1)`, key).Scan(&used)
	return used, dbErr(err, "blob in use", msgs{})
}
