package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is a PostgreSQL notification channel shared by every instance
// on the database: LISTEN/NOTIFY, for telling the others what changed.
type Channel struct {
	store *Store
	name  string
}

// Channel returns the channel called name for this store's schema, so that
// sites sharing a database in different schemas (tests do) do not hear each
// other.
func (s *Store) Channel(ctx context.Context, name string) (*Channel, error) {
	var schema string
	if err := s.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, dbErr(err, "find the schema", msgs{})
	}
	return &Channel{store: s, name: name + "." + schema}, nil
}

// Notify sends payload to every listener, this instance's included, when
// the statement commits (at once: it is its own transaction).
func (c *Channel) Notify(ctx context.Context, payload string) error {
	_, err := c.store.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, c.name, payload)
	return dbErr(err, "notify", msgs{})
}

// Listen holds one connection of its own (outside the pool, so that a
// long wait never takes a request's connection) and calls onMessage with
// each notification until ctx ends. A lost connection is made again with
// backoff; onGap is called once listening resumed, since what was sent
// meanwhile is lost.
func (c *Channel) Listen(ctx context.Context, onMessage func(string), onGap func()) error {
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := c.listenOnce(ctx, onMessage, func() {
			if !first {
				onGap()
			}
			first = false
			backoff = 100 * time.Millisecond
		})
		if ctx.Err() != nil {
			return nil
		}
		slog.Default().Warn("postgres: listening connection lost; reconnecting", "channel", c.name, "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
	return nil
}

func (c *Channel) listenOnce(ctx context.Context, onMessage func(string), listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, c.store.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{c.name}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		onMessage(n.Payload)
	}
}
