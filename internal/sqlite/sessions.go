package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/headline/headline/internal/news"
)

// CreateSession stores a hashed credential. A zero CreatedAt is stamped with
// s.Now; a zero ExpiresAt means the credential never expires.
func (s *Store) CreateSession(ctx context.Context, sess news.Session) error {
	created := sess.CreatedAt
	if created.IsZero() {
		created = s.now()
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (token_hash, account_id, kind, name, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			sess.TokenHash, sess.AccountID, sess.Kind, sess.Name, created.UnixMicro(), micros(sess.ExpiresAt))
		return err
	})
	return dbErr(err, "create session", msgs{
		conflict:   "That session already exists.",
		missingRef: msgNoAccount,
	})
}

// SessionAccount returns the account owning the credential with this hash
// and kind. A credential is valid strictly before its ExpiresAt: at
// ExpiresAt and after it is NotFound.
func (s *Store) SessionAccount(ctx context.Context, tokenHash, kind string, now time.Time) (*news.Account, error) {
	a, err := scanAccount(s.queryRow(ctx, `
		SELECT `+accountCols+`
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = ? AND s.kind = ?
		  AND (s.expires_at IS NULL OR s.expires_at > ?)`,
		tokenHash, kind, now.UnixMicro()))
	return a, dbErr(err, "session account", msgs{notFound: "That session does not exist or has expired."})
}

// DeleteSession removes the credential with this hash. Deleting one that is
// already gone is not an error, so signing out twice is harmless.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
	return dbErr(err, "delete session", msgs{})
}
