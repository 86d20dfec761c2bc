package ui_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/headline/headline/internal/news"
)

// failingState is a store whose ReaderState fails, as on a database
// error, and counts the calls.
type failingState struct {
	news.Store
	calls atomic.Int32
}

func (f *failingState) ReaderState(context.Context, news.ReaderStateQuery) (news.ReaderState, error) {
	f.calls.Add(1)
	return news.ReaderState{}, errors.New("reader state: disk I/O error")
}

// When the one read of a reader's state fails, its parts are read one by
// one, as a full render reads them: the filled page is still the full
// render, for a signed-in reader with everything of their own and for a
// guest with a cookie.
func TestReaderStateFailureReadsThePartsApart(t *testing.T) {
	fs := &failingState{}
	e := newHolesEnvOver(t, func(st news.Store) news.Store { fs.Store = st; return fs })
	ra := newRichArticle(t, e)
	path := news.PostPath(ra.post)
	rita := e.browser()
	rita.signIn("rita")
	for name, b := range map[string]*browser{"rita": rita, "guest with a cookie": ra.guest} {
		expire(b, e.srv.URL, "headline_fresh")
		for round := range 2 {
			calls := fs.calls.Load()
			got, want := b.get(path), b.getFrom(e.full.URL, path)
			wantStatus(t, got, http.StatusOK)
			if g, w := tokenRe.ReplaceAllString(got.body, "TOKEN"), tokenRe.ReplaceAllString(want.body, "TOKEN"); g != w {
				at := firstDiff(g, w)
				t.Fatalf("%s, round %d: the filled page differs from the full render at byte %d:\ncached: %q\nfull:   %q",
					name, round, at, around(g, at), around(w, at))
			}
			// The state read apart is kept: the second view reads nothing.
			if n := fs.calls.Load() - calls; n != int32(1-round) {
				t.Fatalf("%s, round %d: %d calls of ReaderState, want %d", name, round, n, 1-round)
			}
		}
	}
}
