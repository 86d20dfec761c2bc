package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/headline/headline/internal/storetest"
)

// BenchmarkReaderState: a signed-in reader's state on a 200-comment page,
// five reads against one ReaderState.
//
//	go test -run '^$' -bench ReaderState -benchtime 2s ./internal/sqlite/
func BenchmarkReaderState(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "headline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchReaderState(b, s)
}
