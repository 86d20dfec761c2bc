package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/headline/headline/internal/news"
)

// Follow makes followerID follow followeeID. The counters move in the same
// transaction as the row and only when INSERT ... ON CONFLICT DO NOTHING
// inserted it: concurrent follows of the same pair wait on the primary key
// and the loser inserts nothing, so the counts stay exact. The account rows
// are updated in id order so that two accounts following each other at
// once cannot deadlock.
func (s *Store) Follow(ctx context.Context, followerID, followeeID int64) (bool, error) {
	if followerID == followeeID {
		return false, news.Errorf(news.Invalid, "You cannot follow yourself.")
	}
	now := s.now()
	var changed bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		changed = false
		tag, err := tx.Exec(ctx, `INSERT INTO follows (follower_id, followee_id, created_at)
			VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, followerID, followeeID, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return accountsExist(ctx, tx, followerID, followeeID)
		}
		changed = true
		if err := moveFollowCounts(ctx, tx, followerID, followeeID, 1); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO notifications (account_id, kind, actor_id, group_key, created_at, updated_at)
			VALUES ($1, 'follow', $2, $4, $3, $3)
			ON CONFLICT (account_id, group_key) WHERE read_at IS NULL AND group_key IS NOT NULL
			DO UPDATE SET updated_at = excluded.updated_at`,
			followeeID, followerID, now, "follow:"+strconv.FormatInt(followerID, 10))
		return err
	})
	return changed, followErr(err, "follow")
}

// Unfollow removes the follow and moves the counters back, only if the
// DELETE removed a row.
func (s *Store) Unfollow(ctx context.Context, followerID, followeeID int64) (bool, error) {
	var changed bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		changed = false
		tag, err := tx.Exec(ctx, `DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2`, followerID, followeeID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return accountsExist(ctx, tx, followerID, followeeID)
		}
		changed = true
		return moveFollowCounts(ctx, tx, followerID, followeeID, -1)
	})
	return changed, followErr(err, "unfollow")
}

// followErr maps a missing account (the follows foreign keys) to NotFound.
func followErr(err error, what string) error {
	if err != nil && isForeignKey(err) {
		return notFound(msgNoAccount)
	}
	return dbErr(err, what, msgs{})
}

func accountsExist(ctx context.Context, q querier, ids ...int64) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE id = ANY($1)`, ids).Scan(&n); err != nil {
		return err
	}
	if n != len(ids) {
		return notFound(msgNoAccount)
	}
	return nil
}

// moveFollowCounts updates both accounts in one statement, locking them in
// id order. The lock is FOR NO KEY UPDATE, not FOR UPDATE: the follows
// foreign key check already holds KEY SHARE on both rows, which FOR UPDATE
// would wait on in every concurrent follow of the same account (deadlock).
func moveFollowCounts(ctx context.Context, tx pgx.Tx, followerID, followeeID, delta int64) error {
	_, err := tx.Exec(ctx, `UPDATE accounts SET
			following_count = following_count + CASE WHEN id = $1 THEN $3::bigint ELSE 0 END,
			follows_version = follows_version + CASE WHEN id = $1 THEN 1 ELSE 0 END,
			followers_count = followers_count + CASE WHEN id = $2 THEN $3::bigint ELSE 0 END
		WHERE id IN (SELECT id FROM accounts WHERE id IN ($1, $2) ORDER BY id FOR NO KEY UPDATE)`,
		followerID, followeeID, delta)
	return err
}

// IsFollowing reports whether followerID follows followeeID.
func (s *Store) IsFollowing(ctx context.Context, followerID, followeeID int64) (bool, error) {
	m, err := s.FollowingAmong(ctx, followerID, []int64{followeeID})
	return m[followeeID], err
}

// FollowingAmong returns which of ids followerID follows.
func (s *Store) FollowingAmong(ctx context.Context, followerID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	// One primary key probe per id: with "followee_id = ANY($2)" the
	// cached generic plan read all of a heavy reader's 5,000 follows and
	// tested each against the array (21 ms for 500 ids; this is ~1 ms).
	rows, err := s.db().Query(ctx, `SELECT f.followee_id FROM unnest($2::bigint[]) AS x (id)
		JOIN follows f ON f.follower_id = $1 AND f.followee_id = x.id`, followerID, ids)
	if err != nil {
		return nil, dbErr(err, "following among", msgs{})
	}
	got, err := collect(rows, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	for _, id := range got {
		out[id] = true
	}
	return out, dbErr(err, "following among", msgs{})
}

// FollowedSet reads the follower's version and every followee in one
// statement, so one snapshot even under READ COMMITTED.
func (s *Store) FollowedSet(ctx context.Context, followerID int64) (news.FollowedSet, error) {
	var set news.FollowedSet
	err := s.db().QueryRow(ctx, `SELECT a.follows_version,
			ARRAY(SELECT f.followee_id FROM follows f WHERE f.follower_id = a.id ORDER BY f.followee_id)
		FROM accounts a WHERE a.id = $1`, followerID).Scan(&set.Version, &set.IDs)
	if len(set.IDs) == 0 {
		set.IDs = nil
	}
	return set, dbErr(err, "followed set", msgs{notFound: msgNoAccount})
}

// ListFollowers lists who follows accountID, newest follow first.
func (s *Store) ListFollowers(ctx context.Context, accountID int64, after *news.FollowCursor, n int) ([]news.FollowEntry, error) {
	return s.listFollows(ctx, "followee_id", "follower_id", accountID, after, n)
}

// ListFollowing lists whom accountID follows, newest follow first.
func (s *Store) ListFollowing(ctx context.Context, accountID int64, after *news.FollowCursor, n int) ([]news.FollowEntry, error) {
	return s.listFollows(ctx, "follower_id", "followee_id", accountID, after, n)
}

// listFollows reads one side of follows; by and listed are column names
// from the two methods above, never input. follows_followers and
// follows_following serve exactly this order (scanned backwards).
func (s *Store) listFollows(ctx context.Context, by, listed string, id int64, after *news.FollowCursor, n int) ([]news.FollowEntry, error) {
	var a args
	q := `SELECT f.created_at, ` + accountCols + ` FROM follows f JOIN accounts a ON a.id = f.` + listed +
		` WHERE f.` + by + ` = ` + a.add(id)
	if after != nil {
		q += ` AND (f.created_at, f.` + listed + `) < (` + a.add(utc(after.Time)) + `, ` + a.add(after.ID) + `)`
	}
	q += ` ORDER BY f.created_at DESC, f.` + listed + ` DESC LIMIT ` + a.add(limit(n, 20, 100))
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "list follows", msgs{})
	}
	out, err := collect(rows, func(r scanner) (news.FollowEntry, error) {
		var e news.FollowEntry
		var acc news.Account
		err := r.Scan(&e.FollowedAt, &acc.ID, &acc.Handle, &acc.Name, &acc.Email, &acc.Bio, &acc.Role, &acc.Official,
			&acc.FollowersCount, &acc.FollowingCount, &acc.PostsCount, &acc.CreatedAt, &acc.FollowsVersion)
		e.FollowedAt, acc.CreatedAt = e.FollowedAt.UTC(), acc.CreatedAt.UTC()
		e.Account = &acc
		return e, err
	})
	return out, dbErr(err, "list follows", msgs{})
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}
