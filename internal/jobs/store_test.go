package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// busyStore, on SQLite, opens Headline's store on the queue's file and
// keeps its group-commit writer busy creating accounts (at most 2,000, at
// most a minute) until the returned stop is called; stop reports the
// first write that failed. On PostgreSQL, where writers do not take turns,
// it does nothing.
func busyStore(t *testing.T, d testDB) (stop func() error) {
	if d.cfg.SQLitePath == "" {
		return func() error { return nil }
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	st, err := sqlite.Open(ctx, d.cfg.SQLitePath)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		var first error
		i := 0
		for ; i < 2000 && ctx.Err() == nil; i++ {
			a := &news.Account{Handle: fmt.Sprint("busy", i), Name: "Busy", Role: news.RoleReader}
			if err := st.CreateAccount(ctx, a, "hash"); err != nil && ctx.Err() == nil && first == nil {
				first = err
			}
		}
		t.Logf("the store wrote %d accounts beside the queue", i)
		errc <- first
	}()
	return func() error {
		cancel()
		err := <-errc
		st.Close()
		return err
	}
}
