package pagecache

import (
	"bytes"
	"errors"
	"strconv"
)

// Hole is a part of a cached page that differs from reader to reader:
// the header of a signed-in reader, whether they like a comment, the
// guest form's signed time. Body[Start:End] is what a reader without
// cookies is shown there. Holes may nest (the form's token is inside the
// form): a filled hole replaces the holes inside it.
type Hole struct {
	Name       string
	Arg        int64 // e.g. the comment a "like" hole belongs to; 0 when none
	Start, End int
}

// Marks writes and finds the marks that delimit holes in a rendered page.
// They are made of a NUL byte, which html/template never lets through from
// text it escapes, and a secret of the process, so that nothing a reader
// wrote (a comment's sanitized HTML) can pass for one.
type Marks struct{ open, close string }

// NewMarks returns marks keyed by secret (random bytes of the process).
func NewMarks(secret string) Marks {
	return Marks{open: "\x00" + secret + "|", close: "\x00" + secret + "|/\x00"}
}

// Open is the mark that starts hole name (with arg; 0 for none).
func (m Marks) Open(name string, arg int64) string {
	return m.open + name + "|" + strconv.FormatInt(arg, 10) + "\x00"
}

// Close is the mark that ends the innermost open hole.
func (m Marks) Close() string { return m.close }

var errMarks = errors.New("pagecache: the page's hole marks do not pair up")

// Cut removes the marks from a marked page and returns the page without
// them, with its holes in order of where they start. A page whose marks
// do not pair up (a template put one where it is escaped) is an error:
// such a page cannot be filled.
func (m Marks) Cut(marked []byte) ([]byte, []Hole, error) {
	prefix := m.open[:len(m.open)-1] // "\x00secret"
	out := make([]byte, 0, len(marked))
	var holes []Hole
	var open []int // indexes into holes
	for {
		i := bytes.Index(marked, []byte(prefix))
		if i < 0 {
			break
		}
		out = append(out, marked[:i]...)
		rest := marked[i:]
		if bytes.HasPrefix(rest, []byte(m.close)) {
			if len(open) == 0 {
				return nil, nil, errMarks
			}
			holes[open[len(open)-1]].End = len(out)
			open = open[:len(open)-1]
			marked = rest[len(m.close):]
			continue
		}
		if !bytes.HasPrefix(rest, []byte(m.open)) {
			return nil, nil, errMarks
		}
		rest = rest[len(m.open):]
		end := bytes.IndexByte(rest, 0)
		if end < 0 {
			return nil, nil, errMarks
		}
		name, arg, ok := bytes.Cut(rest[:end], []byte("|"))
		n, err := strconv.ParseInt(string(arg), 10, 64)
		if !ok || err != nil || len(name) == 0 {
			return nil, nil, errMarks
		}
		open = append(open, len(holes))
		holes = append(holes, Hole{Name: string(name), Arg: n, Start: len(out)})
		marked = rest[end+1:]
	}
	if len(open) > 0 {
		return nil, nil, errMarks
	}
	return append(out, marked...), holes, nil
}

// Fill returns the parts to send for page: its body with each hole for
// which fill returns ok replaced by what it returns. Holes inside a
// replaced hole are skipped; holes left alone keep the body's bytes. The
// parts share the body, so no page is copied per reader.
func (p *Page) Fill(parts [][]byte, fill func(h *Hole) ([]byte, bool)) [][]byte {
	at := 0
	for i := range p.Holes {
		h := &p.Holes[i]
		if h.Start < at {
			continue // inside a hole already replaced
		}
		b, ok := fill(h)
		if !ok {
			continue
		}
		parts = append(parts, p.Body[at:h.Start], b)
		at = h.End
	}
	return append(parts, p.Body[at:])
}
