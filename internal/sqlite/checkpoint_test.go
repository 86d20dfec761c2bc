package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

// TestCheckpointer checks that committed pages reach the database file
// without the writer checkpointing: the file only grows when a checkpoint
// copies the WAL into it, and the writer's own bound (10,000 pages) is far
// above what these writes add (50 accounts with 3 KB bios: new pages). Without the checkpointer the file stays as
// the migrations left it.
func TestCheckpointer(t *testing.T) {
	grows := func(every time.Duration) bool {
		path := filepath.Join(t.TempDir(), "headline.db")
		s, err := OpenWith(t.Context(), path, Options{Checkpoint: every})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		time.Sleep(3 * max(every, 0)) // let a first checkpoint take the migrations
		size := fileSize(t, path)
		for i := range 50 {
			a := &news.Account{Handle: fmt.Sprintf("cp%d", i), Name: "Checkpoint", Role: news.RoleReader, Bio: strings.Repeat("b", 3000), Email: fmt.Sprintf("cp%d@example.com", i)}
			if err := s.CreateAccount(t.Context(), a, ""); err != nil {
				t.Fatal(err)
			}
		}
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if fileSize(t, path) > size {
				return true
			}
			if every < 0 && time.Now().After(deadline.Add(-4*time.Second)) {
				return false // a second is ample for a checkpointer that is not there
			}
		}
		return false
	}
	if !grows(20 * time.Millisecond) {
		t.Fatal("with the checkpointer, the writes never reached the database file")
	}
	if grows(-1) {
		t.Fatal("without the checkpointer, the database file grew: something else checkpoints, and this test proves nothing")
	}
}

func fileSize(t *testing.T, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// Closing a store twice is harmless, with its checkpointer running.
func TestCloseTwice(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	if s.cp == nil {
		t.Fatal("the store runs no checkpointer; the test checks nothing")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
