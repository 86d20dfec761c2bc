package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/headline/headline/internal/news"
)

// msgs are the sentences dbErr uses for one operation.
type msgs struct {
	notFound string // pgx.ErrNoRows
	conflict string // a unique or primary key violation
}

const (
	msgNoAccount   = "That account does not exist."
	msgNoPost      = "That post does not exist."
	msgNoComment   = "That comment does not exist."
	msgUnavailable = "The database is unavailable; please try again shortly."
)

// missingRef names, for each foreign key the store's writes can violate,
// what the referenced row is: the violation means it does not exist.
var missingRef = map[string]string{
	"sessions_account_fk":      msgNoAccount,
	"posts_author_fk":          msgNoAccount,
	"comments_post_fk":         msgNoPost,
	"comments_parent_fk":       msgNoComment,
	"comments_account_fk":      msgNoAccount,
	"comment_likes_comment_fk": msgNoComment,
	"comment_likes_account_fk": msgNoAccount,
}

// dbErr is the one place driver errors become product errors:
//   - a *news.Error passes through;
//   - no row becomes NotFound when m has a sentence for it;
//   - a unique violation (23505) becomes Conflict when m has a sentence;
//   - a foreign key violation (23503) becomes NotFound of the missing row;
//   - a database that cannot be reached or went away becomes Unavailable,
//     which the HTTP surfaces answer with 503;
//   - anything else is wrapped with the lower-case context what and maps
//     to Internal.
func dbErr(err error, what string, m msgs) error {
	if err == nil {
		return nil
	}
	var ne *news.Error
	if errors.As(err, &ne) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) && m.notFound != "" {
		return &news.Error{Code: news.NotFound, Message: m.notFound}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			if m.conflict != "" {
				return &news.Error{Code: news.Conflict, Message: m.conflict, Err: err}
			}
		case "23503":
			if msg := missingRef[pe.ConstraintName]; msg != "" {
				return &news.Error{Code: news.NotFound, Message: msg, Err: err}
			}
		}
	}
	err = fmt.Errorf("%s: %w", what, err)
	if isUnavailable(err) {
		return &news.Error{Code: news.Unavailable, Message: msgUnavailable, Err: err}
	}
	return err
}

// isUnavailable reports whether err says the database could not be reached,
// went away, or did not answer in time, as opposed to refusing a statement:
// trying again later may succeed.
func isUnavailable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // admin or crash shutdown, cannot connect now
			return true
		case pe.Code == "53300": // too many connections
			return true
		case pe.Code == "57014": // query canceled: statement_timeout or a deadline
			return true
		}
		return false
	}
	var nerr net.Error
	return errors.As(err, &nerr) ||
		pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, pgconn.ErrConnClosed)
}

func notFound(msg string) error { return &news.Error{Code: news.NotFound, Message: msg} }
