// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in a shared test database, dropped when the test ends. Any
// package's tests may use it to run against PostgreSQL.
//
// The server is taken from HEADLINE_TEST_POSTGRES, by default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When it cannot
// be reached the test is skipped with the reason, unless CI is set in the
// environment: there a missing database is a failure, not a skip.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the test server used when HEADLINE_TEST_POSTGRES is empty.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the test server's URL.
func URL() string {
	if u := os.Getenv("HEADLINE_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultURL
}

// Schema creates a new, empty schema hl_test_<random> on the test server,
// drops it (with everything in it) when t ends, and returns the server's
// URL with search_path set to it, so that whatever opens the URL works in
// that schema alone. Tests that open several stores on one URL share it.
func Schema(t testing.TB) string {
	t.Helper()
	base := URL()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := connectOnce(ctx, base)
	if err != nil {
		unreachable(t, err)
	}
	defer conn.Close(context.Background())

	name := "hl_test_" + randomHex(8)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("pgtest: create schema %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, base, name) })

	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("pgtest: HEADLINE_TEST_POSTGRES is not a postgres:// URL (%v)", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// down remembers that the server could not be reached, so that the tests
// after the first skip at once instead of each waiting for a timeout.
var down struct {
	sync.Mutex
	err error
}

func connectOnce(ctx context.Context, u string) (*pgx.Conn, error) {
	down.Lock()
	defer down.Unlock()
	if down.err != nil {
		return nil, down.err
	}
	conn, err := connect(ctx, u)
	down.err = err
	return conn, err
}

func connect(ctx context.Context, u string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return nil, err
	}
	cfg.ConnectTimeout = 5 * time.Second
	return pgx.ConnectConfig(ctx, cfg)
}

// unreachable skips t, or fails it under CI.
func unreachable(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("pgtest: no PostgreSQL for tests (set HEADLINE_TEST_POSTGRES to a server's URL): %v", err)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// drop removes the schema. It runs after the test's context is done, so it
// has a context of its own.
func drop(t testing.TB, base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := connect(ctx, base)
	if err != nil {
		t.Errorf("pgtest: drop schema %s: %v", name, err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
		t.Errorf("pgtest: drop schema %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
