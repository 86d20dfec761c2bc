package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/headline/headline/internal/news"
)

// accountCols are the columns scanAccount reads, for accounts aliased "a".
const accountCols = `a.id, a.handle, a.name, a.email, a.bio, a.role, a.official,
	a.followers_count, a.following_count, a.posts_count, a.created_at, a.follows_version`

func scanAccount(row scanner) (*news.Account, error) {
	var a news.Account
	var created int64
	err := row.Scan(&a.ID, &a.Handle, &a.Name, &a.Email, &a.Bio, &a.Role, &a.Official,
		&a.FollowersCount, &a.FollowingCount, &a.PostsCount, &created, &a.FollowsVersion)
	if err != nil {
		return nil, err
	}
	a.CreatedAt = fromMicros(created)
	return &a, nil
}

// CreateAccount inserts a and sets its ID and CreatedAt. The handle is stored
// as given; a handle taken in any letter case is a Conflict.
func (s *Store) CreateAccount(ctx context.Context, a *news.Account, passwordHash string) error {
	now := s.now()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO accounts (handle, name, email, bio, role, official, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			a.Handle, a.Name, a.Email, a.Bio, string(a.Role), a.Official, passwordHash, now.UnixMicro(),
		).Scan(&id)
	})
	if err != nil {
		return dbErr(err, "create account", msgs{conflict: "That handle is taken."})
	}
	a.ID, a.CreatedAt = id, now
	a.FollowersCount, a.FollowingCount, a.PostsCount = 0, 0, 0
	return nil
}

// AccountByID returns the account with this id.
func (s *Store) AccountByID(ctx context.Context, id int64) (*news.Account, error) {
	var a *news.Account
	err := s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		a, err = accountByID(ctx, tx, id)
		return err
	})
	return a, dbErr(err, "account by id", msgs{notFound: msgNoAccount})
}

func accountByID(ctx context.Context, tx querier, id int64) (*news.Account, error) {
	return scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.id = ?`, id))
}

// AccountByHandle finds an account by handle, ignoring letter case.
func (s *Store) AccountByHandle(ctx context.Context, handle string) (*news.Account, error) {
	var a *news.Account
	err := s.readOne(ctx, func(ctx context.Context, tx querier) (err error) {
		// COLLATE NOCASE matches the unique index accounts_handle.
		a, err = scanAccount(tx.QueryRowContext(ctx,
			`SELECT `+accountCols+` FROM accounts a WHERE a.handle = ? COLLATE NOCASE`, handle))
		return err
	})
	return a, dbErr(err, "account by handle", msgs{notFound: msgNoAccount})
}

// PasswordHash returns the stored password hash of the account.
func (s *Store) PasswordHash(ctx context.Context, accountID int64) (string, error) {
	var hash string
	err := s.readOne(ctx, func(ctx context.Context, tx querier) error {
		return tx.QueryRowContext(ctx, `SELECT password_hash FROM accounts WHERE id = ?`, accountID).Scan(&hash)
	})
	return hash, dbErr(err, "password hash", msgs{notFound: msgNoAccount})
}

// UpdateAccount changes the non-nil fields of u and returns the account.
func (s *Store) UpdateAccount(ctx context.Context, id int64, u news.AccountUpdate) (*news.Account, error) {
	var set []string
	var args []any
	if u.Name != nil {
		set, args = append(set, "name = ?"), append(args, *u.Name)
	}
	if u.Bio != nil {
		set, args = append(set, "bio = ?"), append(args, *u.Bio)
	}
	if u.Role != nil {
		set, args = append(set, "role = ?"), append(args, string(*u.Role))
	}
	if u.Official != nil {
		set, args = append(set, "official = ?"), append(args, *u.Official)
	}
	var a *news.Account
	err := s.write(ctx, func(tx *sql.Tx) error {
		if len(set) > 0 {
			res, err := tx.ExecContext(ctx, `UPDATE accounts SET `+strings.Join(set, ", ")+` WHERE id = ?`, append(args, id)...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return notFound(msgNoAccount)
			}
		}
		var err error
		a, err = accountByID(ctx, tx, id)
		return err
	})
	return a, dbErr(err, "update account", msgs{notFound: msgNoAccount})
}

// CountAccounts returns the number of accounts.
func (s *Store) CountAccounts(ctx context.Context) (int64, error) {
	var n int64
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	})
	return n, dbErr(err, "count accounts", msgs{})
}
