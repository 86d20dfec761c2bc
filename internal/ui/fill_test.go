package ui

import (
	"bytes"
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
