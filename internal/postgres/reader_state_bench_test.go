package postgres

import (
	"testing"

	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/storetest"
)

// BenchmarkReaderState: a signed-in reader's state on a 200-comment page,
// five queries against one ReaderState.
//
//	go test -run '^$' -bench ReaderState -benchtime 2s ./internal/postgres/
func BenchmarkReaderState(b *testing.B) {
	st, err := Open(b.Context(), pgtest.Schema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	storetest.BenchReaderState(b, st)
}
