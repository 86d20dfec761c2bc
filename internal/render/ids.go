package render

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// headingIDs makes heading anchors that keep letters of every script, so a
// Chinese or Russian heading gets a readable anchor ("#列车时刻", "#расписание")
// instead of goldmark's default "heading-1", which keeps only ASCII.
type headingIDs struct{ used map[string]bool }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

// Generate returns a unique id for a heading's text.
func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range string(value) {
		if b.Len() >= 80 {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	// The article page uses these ids itself; a heading must not steal them.
	if reservedID(base) {
		base = "section-" + base
	}
	id := base
	for i := 1; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put records an id given explicitly in the source.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// reservedID reports ids the page around an article uses: its landmarks,
// the comment anchors ("comment-12") and form fields ("c-body").
func reservedID(id string) bool {
	switch id {
	case "comments", "respond", "main", "reply-title", "signout-form":
		return true
	}
	return strings.HasPrefix(id, "comment-") || len(id) > 2 && id[1] == '-'
}
