package ui

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// The memo keeps fragments up to its bytes and no further: past them it
// starts over, and a fragment larger than the whole memo is written but
// never kept.
func TestFragMemoKeepsWithinItsBytes(t *testing.T) {
	f := fragMemo{max: 100}
	renders := 0
	frag := func(text string) func(*bytes.Buffer) error {
		return func(b *bytes.Buffer) error {
			renders++
			b.WriteString(text)
			return nil
		}
	}
	var out bytes.Buffer
	write := func(key string, render func(*bytes.Buffer) error) {
		t.Helper()
		b, err := f.get(key, render)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(b)
	}
	for range 3 {
		write("a", frag(strings.Repeat("a", 40)))
	}
	if renders != 1 || out.Len() != 120 {
		t.Fatalf("%d renders, %d bytes written; want 1 render, 120 bytes", renders, out.Len())
	}
	write("b", frag(strings.Repeat("b", 40)))
	if f.bytes > f.max || len(f.m) != 2 {
		t.Fatalf("memo holds %d bytes in %d fragments, max %d", f.bytes, len(f.m), f.max)
	}
	write("c", frag(strings.Repeat("c", 40))) // over 100: starts over
	if f.bytes > f.max || len(f.m) != 1 {
		t.Fatalf("after overflowing: %d bytes in %d fragments, max %d", f.bytes, len(f.m), f.max)
	}
	renders = 0
	big := strings.Repeat("x", 200)
	write("big", frag(big))
	write("big", frag(big))
	if renders != 2 || f.bytes > f.max || !strings.HasSuffix(out.String(), big+big) {
		t.Fatalf("a fragment over the whole memo: %d renders, memo %d bytes", renders, f.bytes)
	}
}

// writeCounter is a ResponseWriter that counts the Write calls.
type writeCounter struct {
	h      http.Header
	body   bytes.Buffer
	writes int
}

func (w *writeCounter) Header() http.Header { return w.h }
func (w *writeCounter) WriteHeader(int)     {}
func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.body.Write(p)
}

// A page of many parts goes to the connection in one Write: part by part
// it went out a system call and a loopback segment per 4 KB.
func TestFilledPageIsWrittenAtOnce(t *testing.T) {
	s := &server{log: slog.New(slog.DiscardHandler)}
	parts := [][]byte{[]byte("<html>"), []byte("nav"), bytes.Repeat([]byte("x"), 9000), []byte("like"), []byte("</html>")}
	for round := range 2 { // the second takes its buffer from the pool
		w := &writeCounter{h: http.Header{}}
		s.writePage(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, parts...)
		want := bytes.Join(parts, nil)
		if w.writes != 1 || !bytes.Equal(w.body.Bytes(), want) {
			t.Fatalf("round %d: %d writes of %d bytes, want 1 of %d", round, w.writes, w.body.Len(), len(want))
		}
		if got := w.h.Get("Content-Length"); got != strconv.Itoa(len(want)) {
			t.Fatalf("Content-Length %s, want %d", got, len(want))
		}
	}
}
