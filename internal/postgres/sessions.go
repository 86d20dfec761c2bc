package postgres

import (
	"context"
	"time"

	"github.com/headline/headline/internal/news"
)

// CreateSession stores a hashed credential. A zero CreatedAt is stamped with
// s.Now; a zero ExpiresAt means the credential never expires. A missing
// account is NotFound (the foreign key sessions_account_fk says so).
func (s *Store) CreateSession(ctx context.Context, sess news.Session) error {
	created := sess.CreatedAt
	if created.IsZero() {
		created = s.now()
	}
	_, err := s.db().Exec(ctx, `
		INSERT INTO sessions (token_hash, account_id, kind, name, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		sess.TokenHash, sess.AccountID, sess.Kind, sess.Name, ts(created), ts(sess.ExpiresAt))
	return dbErr(err, "create session", msgs{conflict: "That session already exists."})
}

// SessionAccount returns the account owning the credential with this hash
// and kind. A credential is valid strictly before its ExpiresAt: at
// ExpiresAt and after it is NotFound.
func (s *Store) SessionAccount(ctx context.Context, tokenHash, kind string, now time.Time) (*news.Account, error) {
	a, err := scanAccount(s.db().QueryRow(ctx, `
		SELECT `+accountCols+`
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = $1 AND s.kind = $2
		  AND (s.expires_at IS NULL OR s.expires_at > $3)`,
		tokenHash, kind, utc(now)))
	return a, dbErr(err, "session account", msgs{notFound: "That session does not exist or has expired."})
}

// DeleteSession removes the credential with this hash. Deleting one that is
// already gone is not an error, so signing out twice is harmless.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db().Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return dbErr(err, "delete session", msgs{})
}
