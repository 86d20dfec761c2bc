package ui

import (
	"html/template"
	"strconv"
	"strings"
	"testing"
)

// The memo of rendered comments stays within its bytes, keeps what pages
// still render across a turn of generations, and keeps nothing when it
// has no bytes.
func TestCommentMemoBounded(t *testing.T) {
	const max = 64 << 10
	m := newCommentMemo(max)
	key := func(i int) commentKey {
		return commentKey{commentData: commentData{ID: int64(i), AuthorName: "Sam", HTML: template.HTML("<p>" + strings.Repeat("x", 500) + "</p>")}}
	}
	html := strings.Repeat("y", 1000)
	hot := key(-1)
	for i := range 1000 {
		k := key(i)
		m.put(&k, html+strconv.Itoa(i))
		out := make([]string, 2)
		m.get([]commentKey{k, hot}, out)
		if out[0] != html+strconv.Itoa(i) {
			t.Fatalf("comment %d: not kept right after it was rendered", i)
		}
		if out[1] == "" {
			m.put(&hot, "hot") // a comment every render shows
		}
		if held := m.bytes + size(m.old); held > max {
			t.Fatalf("after %d comments the memo holds %d bytes, more than its %d", i, held, max)
		}
	}
	out := make([]string, 1)
	if m.get([]commentKey{hot}, out); out[0] != "hot" {
		t.Fatal("the comment shown on every render was dropped")
	}
	out[0] = ""
	if m.get([]commentKey{key(0)}, out); out[0] != "" {
		t.Fatal("the first comment is still kept after 1,000 others")
	}
	var none *commentMemo = newCommentMemo(0)
	k := key(1)
	none.put(&k, html)
	if none.get([]commentKey{k}, out); out[0] != "" || none != nil {
		t.Fatal("a memo without bytes kept a comment")
	}
}

func size(m map[commentKey]string) int {
	n := 0
	for k, v := range m {
		n += k.size() + len(v)
	}
	return n
}
