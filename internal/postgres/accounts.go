package postgres

import (
	"context"
	"strings"

	"github.com/headline/headline/internal/news"
)

// accountCols are the columns scanAccount reads, for accounts aliased "a".
const accountCols = `a.id, a.handle, a.name, a.email, a.bio, a.role, a.official,
	a.followers_count, a.following_count, a.posts_count, a.created_at, a.follows_version`

func scanAccount(row scanner) (*news.Account, error) {
	var a news.Account
	err := row.Scan(&a.ID, &a.Handle, &a.Name, &a.Email, &a.Bio, &a.Role, &a.Official,
		&a.FollowersCount, &a.FollowingCount, &a.PostsCount, &a.CreatedAt, &a.FollowsVersion)
	if err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, nil
}

// CreateAccount inserts a and sets its ID and CreatedAt. The handle is stored
// as given; a handle taken in any letter case is a Conflict.
func (s *Store) CreateAccount(ctx context.Context, a *news.Account, passwordHash string) error {
	now := s.now()
	var id int64
	err := s.db().QueryRow(ctx, `
		INSERT INTO accounts (handle, name, email, bio, role, official, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id`,
		a.Handle, a.Name, a.Email, a.Bio, string(a.Role), a.Official, passwordHash, now,
	).Scan(&id)
	if err != nil {
		return dbErr(err, "create account", msgs{conflict: "That handle is taken."})
	}
	a.ID, a.CreatedAt = id, now
	a.FollowersCount, a.FollowingCount, a.PostsCount = 0, 0, 0
	return nil
}

// AccountByID returns the account with this id.
func (s *Store) AccountByID(ctx context.Context, id int64) (*news.Account, error) {
	a, err := accountByID(ctx, s.db(), id)
	return a, dbErr(err, "account by id", msgs{notFound: msgNoAccount})
}

func accountByID(ctx context.Context, q querier, id int64) (*news.Account, error) {
	return scanAccount(q.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.id = $1`, id))
}

// AccountByHandle finds an account by handle, ignoring letter case.
func (s *Store) AccountByHandle(ctx context.Context, handle string) (*news.Account, error) {
	// lower(handle) is the expression of the unique index accounts_handle.
	a, err := scanAccount(s.db().QueryRow(ctx,
		`SELECT `+accountCols+` FROM accounts a WHERE lower(a.handle) = lower($1)`, handle))
	return a, dbErr(err, "account by handle", msgs{notFound: msgNoAccount})
}

// PasswordHash returns the stored password hash of the account.
func (s *Store) PasswordHash(ctx context.Context, accountID int64) (string, error) {
	var hash string
	err := s.db().QueryRow(ctx, `SELECT password_hash FROM accounts WHERE id = $1`, accountID).Scan(&hash)
	return hash, dbErr(err, "password hash", msgs{notFound: msgNoAccount})
}

// UpdateAccount changes the non-nil fields of u and returns the account, in
// one statement.
func (s *Store) UpdateAccount(ctx context.Context, id int64, u news.AccountUpdate) (*news.Account, error) {
	var set []string
	var a args
	if u.Name != nil {
		set = append(set, "name = "+a.add(*u.Name))
	}
	if u.Bio != nil {
		set = append(set, "bio = "+a.add(*u.Bio))
	}
	if u.Role != nil {
		set = append(set, "role = "+a.add(string(*u.Role)))
	}
	if u.Official != nil {
		set = append(set, "official = "+a.add(*u.Official))
	}
	if len(set) == 0 {
		return s.AccountByID(ctx, id)
	}
	q := `UPDATE accounts a SET ` + strings.Join(set, ", ") + ` WHERE a.id = ` + a.add(id) + ` RETURNING ` + accountCols
	acc, err := scanAccount(s.db().QueryRow(ctx, q, a...))
	return acc, dbErr(err, "update account", msgs{notFound: msgNoAccount})
}

// CountAccounts returns the number of accounts.
func (s *Store) CountAccounts(ctx context.Context) (int64, error) {
	var n int64
	err := s.db().QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, dbErr(err, "count accounts", msgs{})
}
