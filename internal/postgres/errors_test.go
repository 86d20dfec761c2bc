package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
)

func TestDBErr(t *testing.T) {
	pg := func(code, constraint string) error {
		return fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code, ConstraintName: constraint, Message: "m"})
	}
	m := msgs{notFound: "Gone.", conflict: "Taken."}
	for _, tc := range []struct {
		name string
		err  error
		m    msgs
		code news.Code
		msg  string
	}{
		{"nil", nil, m, "", ""},
		{"product error passes", news.Errorf(news.Invalid, "Bad."), m, news.Invalid, "Bad."},
		{"no rows", pgx.ErrNoRows, m, news.NotFound, "Gone."},
		{"no rows without a sentence", pgx.ErrNoRows, msgs{}, news.Internal, ""},
		{"unique", pg("23505", "accounts_handle"), m, news.Conflict, "Taken."},
		{"unique without a sentence", pg("23505", "x"), msgs{}, news.Internal, ""},
		{"foreign key", pg("23503", "comments_post_fk"), msgs{}, news.NotFound, msgNoPost},
		{"unknown foreign key", pg("23503", "other_fk"), msgs{}, news.Internal, ""},
		{"check", pg("23514", "posts_check"), m, news.Internal, ""},
		{"admin shutdown", pg("57P01", ""), m, news.Unavailable, msgUnavailable},
		{"connection failure", pg("08006", ""), m, news.Unavailable, msgUnavailable},
		{"too many connections", pg("53300", ""), m, news.Unavailable, msgUnavailable},
		{"deadline", context.DeadlineExceeded, m, news.Unavailable, msgUnavailable},
		{"connection cut", io.ErrUnexpectedEOF, m, news.Unavailable, msgUnavailable},
		{"network", &net.OpError{Op: "read", Err: errors.New("reset")}, m, news.Unavailable, msgUnavailable},
		{"other", errors.New("boom"), m, news.Internal, ""},
	} {
		err := dbErr(tc.err, "doing it", tc.m)
		if got := news.ErrorCode(err); got != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.code)
		}
		if tc.msg != "" && news.ErrorMessage(err) != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, news.ErrorMessage(err), tc.msg)
		}
		if (tc.code == news.Internal || tc.code == news.Unavailable) && !errors.Is(err, tc.err) {
			t.Errorf("%s: %v does not wrap the cause", tc.name, err)
		}
	}
}

// TestDatabaseGoneIsUnavailable runs a store through a TCP proxy, then cuts
// the proxy: reads, writes and Ping must say Unavailable (503 over HTTP),
// not Internal, and must come back when the database does.
func TestDatabaseGoneIsUnavailable(t *testing.T) {
	u, err := url.Parse(pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr
	s := openTest(t, u.String())
	ctx := t.Context()
	a := &news.Account{Handle: "survivor", Role: news.RoleReader}
	if err := s.CreateAccount(ctx, a, ""); err != nil {
		t.Fatal(err)
	}

	p.cut()
	ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = s.AccountByID(ctx2, a.ID)
	wantUnavailable(t, "AccountByID", err)
	wantUnavailable(t, "CreateAccount", s.CreateAccount(ctx2, &news.Account{Handle: "late", Role: news.RoleReader}, ""))
	wantUnavailable(t, "CreatePost", s.CreatePost(ctx2, &news.Post{AuthorID: a.ID, Title: "t", Slug: "t", Status: news.PostDraft}))
	wantUnavailable(t, "Bulk", s.Bulk(ctx2, func(news.Store) error { return nil }))
	wantUnavailable(t, "Ping", s.Ping(ctx2))

	p.restore()
	if _, err := s.AccountByID(ctx, a.ID); err != nil {
		t.Fatalf("after the database came back: %v", err)
	}
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if news.ErrorCode(err) != news.Unavailable || news.ErrorMessage(err) != msgUnavailable {
		t.Errorf("%s: %v; want Unavailable", what, err)
	}
}

// proxy forwards TCP connections to a target; cut closes every connection
// and refuses new ones, as a database that went away would.
type proxy struct {
	addr   string
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: ln.Addr().String(), target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *proxy) serve(c net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		c.Close()
		return
	}
	d, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, d)
	p.mu.Unlock()
	go func() { io.Copy(d, c); d.Close() }()
	io.Copy(c, d)
	c.Close()
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

func TestURLPassword(t *testing.T) {
	for url, want := range map[string]string{
		"postgres://u:hunter2@h/db":                 "hunter2",
		"postgres://u:p%40ss@h:5432/db?sslmode=off": "p%40ss",
		"postgres://u:p@ss@h/db":                    "p@ss",
		"postgres://u@h/db":                         "",
		"postgres://h/db?x=a@b":                     "",
		"host=h password=hunter2 user=u":            "hunter2",
		"host=h password='two words' user=u":        "two words",
		"host=h user=u":                             "",
	} {
		if got := urlPassword(url); got != want {
			t.Errorf("urlPassword(%q) = %q, want %q", url, got, want)
		}
	}
}
