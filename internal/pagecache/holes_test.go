package pagecache

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestMarksCutAndFill(t *testing.T) {
	m := NewMarks("k3y")
	marked := "<ul>" + m.Open("nav", 0) + "<li>Sign in</li>" + m.Close() + "</ul>" +
		"<p>" + m.Open("like", 42) + "♡ Like" + m.Close() + "</p>" +
		m.Open("form", 0) + "<input name=name>" + m.Open("token", 0) + "TOKEN" + m.Close() + "<input name=email>" + m.Close() + "!"
	body, holes, err := m.Cut([]byte(marked))
	if err != nil {
		t.Fatal(err)
	}
	want := "<ul><li>Sign in</li></ul><p>♡ Like</p><input name=name>TOKEN<input name=email>!"
	if string(body) != want {
		t.Fatalf("cut body %q, want %q", body, want)
	}
	var got []string
	for _, h := range holes {
		got = append(got, h.Name+"="+string(body[h.Start:h.End]))
	}
	if g := strings.Join(got, ";"); g != "nav=<li>Sign in</li>;like=♡ Like;form=<input name=name>TOKEN<input name=email>;token=TOKEN" {
		t.Fatalf("holes %s", g)
	}
	if holes[1].Arg != 42 {
		t.Fatalf("like hole arg %d", holes[1].Arg)
	}
	p := Page{Body: body, Holes: holes}
	join := func(fill func(h *Hole) ([]byte, bool)) string {
		return string(bytes.Join(p.Fill(nil, fill), nil))
	}
	// A reader without cookies: only the token changes.
	if g := join(func(h *Hole) ([]byte, bool) { return []byte("T1"), h.Name == "token" }); g != strings.Replace(want, "TOKEN", "T1", 1) {
		t.Fatalf("token filled: %q", g)
	}
	// A signed-in reader: the form is replaced whole, so its token hole is
	// not filled (it is no longer there).
	g := join(func(h *Hole) ([]byte, bool) {
		switch h.Name {
		case "nav":
			return []byte("<li>Ann</li>"), true
		case "form":
			return []byte("Logged in as Ann"), true
		case "token":
			t.Error("the token hole inside a replaced form was filled")
		}
		return nil, false
	})
	if g != "<ul><li>Ann</li></ul><p>♡ Like</p>Logged in as Ann!" {
		t.Fatalf("signed-in fill: %q", g)
	}
	for _, bad := range []string{
		"a" + m.Open("x", 0) + "b",       // never closed
		"a" + m.Close() + "b",            // closed, never opened
		"a\x00k3y|x|zz\x00b" + m.Close(), // arg not a number
		"a\x00k3y|x|1" + "b",             // open mark cut short
	} {
		if _, _, err := m.Cut([]byte(bad)); err == nil {
			t.Errorf("Cut(%q) accepted marks that do not pair up", bad)
		}
	}
	// Another process's marks (another secret) are just text.
	other := NewMarks("0ther").Open("nav", 0)
	if b, h, err := m.Cut([]byte("a" + other + "b")); err != nil || len(h) != 0 || string(b) != "a"+other+"b" {
		t.Fatalf("foreign marks: %q %v %v", b, h, err)
	}
}

// What is kept next to the pages (a reader's state, no body) counts its
// given size against the budget, and looking it up leaves the page
// counters alone.
func TestEntriesWithoutBodyCountTheirSize(t *testing.T) {
	c := New(1000, time.Minute)
	tk := c.Ticket()
	if !c.Put(tk, "reader:1", Page{Data: 1, Size: 200}, PostTag(1)) || !c.Put(tk, "reader:2", Page{Data: 2, Size: 200}, PostTag(1)) {
		t.Fatal("refused")
	}
	if s := c.Stats(); s.Bytes != 400 {
		t.Fatalf("bytes %d, want 400", s.Bytes)
	}
	if p, ok := c.Peek("reader:1"); !ok || p.Data != 1 {
		t.Fatalf("Peek = %v, %v", p, ok)
	}
	c.Peek("nothing")
	if s := c.Stats(); s.Hits != 0 || s.Misses != 0 {
		t.Fatalf("Peek counted: %+v", s)
	}
	c.Put(tk, "reader:3", Page{Size: 200}, PostTag(2))
	c.Put(tk, "reader:4", Page{Size: 200}, PostTag(2))
	c.Put(tk, "reader:5", Page{Size: 200}, PostTag(2))
	c.Put(tk, "reader:6", Page{Size: 200}, PostTag(2))
	if s := c.Stats(); s.Bytes > 1000 || s.Evictions != 1 {
		t.Fatalf("over the budget: %+v", s)
	}
	c.Invalidate(PostTag(1))
	if _, ok := c.Peek("reader:1"); ok {
		t.Fatal("a state survived its post's invalidation")
	}
}
