package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/storetest"
)

func openTest(t testing.TB, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.pool.Close() }) // Close is idempotent on the pool
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) news.Store {
		return openTest(t, pgtest.Schema(t))
	})
}

func TestNowStampsTimes(t *testing.T) {
	s := openTest(t, pgtest.Schema(t))
	pinned := time.Date(2030, 1, 2, 3, 4, 5, 678901999, time.FixedZone("MSK", 3*3600))
	want := time.Date(2030, 1, 2, 0, 4, 5, 678901000, time.UTC) // truncated, not rounded
	s.Now = func() time.Time { return pinned }
	a := &news.Account{Handle: "pinned", Role: news.RoleReader}
	if err := s.CreateAccount(t.Context(), a, ""); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostPublished, PublishedAt: pinned}
	if err := s.CreatePost(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	got, err := s.AccountByID(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]time.Time{"account": a.CreatedAt, "account read": got.CreatedAt,
		"post created": p.CreatedAt, "post updated": p.UpdatedAt, "post published": p.PublishedAt} {
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	if p.Kind != "article" {
		t.Errorf("empty Kind stored as %q, want article", p.Kind)
	}
}

// TestConcurrentMigrations opens one fresh schema from many goroutines at
// once, as instances starting together would: all must succeed, and each
// migration must be applied once.
func TestConcurrentMigrations(t *testing.T) {
	url := pgtest.Schema(t)
	const n = 8
	var wg sync.WaitGroup
	stores := make([]*Store, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(t.Context(), url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		defer stores[i].Close()
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var rows, versions int64
	err = stores[0].pool.QueryRow(t.Context(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &versions)
	if err != nil {
		t.Fatal(err)
	}
	if rows != int64(len(ms)) || versions != int64(len(ms)) {
		t.Fatalf("schema_migrations has %d rows of %d versions, want %d", rows, versions, len(ms))
	}
	// Each store works on the shared schema.
	for i, s := range stores {
		a := &news.Account{Handle: fmt.Sprintf("inst%d", i), Role: news.RoleReader}
		if err := s.CreateAccount(t.Context(), a, ""); err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
	}
}

func TestReopenKeepsDataAndMigrations(t *testing.T) {
	url := pgtest.Schema(t)
	s := openTest(t, url)
	a := &news.Account{Handle: "keeper", Name: "Хранитель 守护者", Role: news.RoleAdmin}
	if err := s.CreateAccount(t.Context(), a, "hash"); err != nil {
		t.Fatal(err)
	}
	before := migrationRows(t, s)
	s.Close()

	s = openTest(t, url)
	got, err := s.AccountByHandle(t.Context(), "KEEPER")
	if err != nil || got.ID != a.ID || got.Name != a.Name {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
	if after := migrationRows(t, s); after != before {
		t.Fatalf("schema_migrations changed on reopen:\nbefore %s\nafter  %s", before, after)
	}
}

// migrationRows renders schema_migrations as "version@applied_at;...".
func migrationRows(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.pool.Query(t.Context(), `SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var v int64
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d@%s;", v, at.UTC().Format(time.RFC3339Nano))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNewerSchemaIsRefused(t *testing.T) {
	url := pgtest.Schema(t)
	s := openTest(t, url)
	if _, err := s.pool.Exec(t.Context(), `INSERT INTO schema_migrations (version) VALUES (9999)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(t.Context(), url)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a database migrated by a newer version")
	}
	if !strings.Contains(err.Error(), "newer than this program knows") {
		t.Fatalf("Open: %v", err)
	}
}

// TestOpenErrorsAreOneLine checks that a URL that cannot work gives one
// line that says why and never shows the password.
func TestOpenErrorsAreOneLine(t *testing.T) {
	pgtest.Schema(t) // skips when there is no PostgreSQL: "wrong database" needs one
	for _, tc := range []struct{ url, want string }{
		{"postgres://user:hunter2@127.0.0.1:1/x?sslmode=disable", "connect"},
		{"postgres://user:hunter2@127.0.0.1:99999/x", "parse"},
		{"postgres://user:hunter2@127.0.0.1/x?sslmode=sometimes", "parse"},
		{"postgres://user:hunter2@127.0.0.1/x?pool_max_conns=lots", "parse"},
		{"postgres://user:hunter2@[::1/x", "parse"},
		{"postgres://user:hunt%65r2@127.0.0.1:99999/x", "parse"},
		{"user=bob password=hunter2 host=127.0.0.1 port=1 connect_timeout=2", "connect"},
		{replaceDB(pgtest.URL(), "no_such_database_hl"), "does not exist"},
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		s, err := Open(ctx, tc.url)
		cancel()
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", tc.url)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "hunter2") || strings.Contains(msg, "hunt%65r2") || strings.Contains(msg, "\n") || !strings.Contains(msg, tc.want) {
			t.Errorf("Open(%q) = %q; want one line with %q and no password", tc.url, msg, tc.want)
		}
	}
}

func replaceDB(u, db string) string {
	before, after, _ := strings.Cut(u, "?")
	i := strings.LastIndex(before, "/")
	return before[:i+1] + db + "?" + after
}
