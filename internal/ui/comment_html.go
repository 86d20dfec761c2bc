package ui

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
)

// commentData is everything the "comment" template reads, in plain
// fields: the template is run with it rather than with a commentView, so
// that executing it is field reads on a flat struct, not reflect method
// calls and lookups through the embedded *news.Comment. Every field is
// comparable, so the value itself is the key of the comments' memo: the
// template can read nothing the key does not hold.
type commentData struct {
	ID             int64
	Level          int
	Placeholder    bool // deleted: only the "Comment deleted" line shows
	Pinned         bool
	Anchor         string
	AuthorName     string
	AuthorURL      string // an account's profile; "" for guests
	Website        string // a guest's website
	AuthorOfficial string
	Created        string // RFC 3339; "" when the time is zero
	CreatedText    string // as readableTime shows it
	Edited         string // RFC 3339; "" when not edited
	InReplyTo      string
	HTML           template.HTML
	ReplyURL       string
	ActionURL      string
	ThreadURL      string
	Back           string
	Liked          bool
	LikesCount     int64
	CanEdit        bool
	CanDelete      bool
	CanPin         bool
	Report         bool
	MoreURL        string
	MoreCount      int64
}

// data is what the comment template shows of v.
func (v *commentView) data() commentData {
	c := v.Comment
	d := commentData{ID: c.ID, Level: v.Level, Placeholder: c.Placeholder(), Pinned: !c.PinnedAt.IsZero(), Anchor: v.Anchor,
		AuthorName: c.AuthorName, AuthorURL: v.AuthorURL, Website: c.Website, AuthorOfficial: c.AuthorOfficial,
		CreatedText: readableTime(c.CreatedAt), InReplyTo: v.InReplyTo, HTML: v.HTML,
		ReplyURL: v.ReplyURL, ActionURL: v.ActionURL, ThreadURL: v.ThreadURL, Back: v.Back,
		Liked: v.Liked, LikesCount: c.LikesCount, CanEdit: v.CanEdit, CanDelete: v.CanDelete, CanPin: v.CanPin, Report: v.Report,
		MoreURL: v.MoreURL, MoreCount: v.MoreCount}
	if !c.CreatedAt.IsZero() {
		d.Created = rfc3339(c.CreatedAt)
	}
	if !c.EditedAt.IsZero() {
		d.Edited = rfc3339(c.EditedAt)
	}
	return d
}

// size is about the bytes d holds, for the memo's budget.
func (d *commentData) size() int {
	return 256 + len(d.Anchor) + len(d.AuthorName) + len(d.AuthorURL) + len(d.Website) + len(d.AuthorOfficial) +
		len(d.Created) + len(d.CreatedText) + len(d.Edited) + len(d.InReplyTo) + len(d.HTML) +
		len(d.ReplyURL) + len(d.ActionURL) + len(d.ThreadURL) + len(d.Back) + len(d.MoreURL)
}

// comments is the template function that writes a list of comments: each
// is the "comment" template run with its data, taken from the memo when
// the same comment was shown the same way before.
func (pt *pageTemplate) comments(list []commentView) (template.HTML, error) {
	keys := make([]commentKey, len(list))
	for i := range list {
		keys[i] = commentKey{marked: pt.marked, commentData: list[i].data()}
	}
	out := make([]string, len(list))
	pt.memo.get(keys, out)
	var buf bytes.Buffer
	for i := range keys {
		if out[i] != "" {
			continue
		}
		buf.Reset()
		if err := pt.t.ExecuteTemplate(&buf, "comment", &keys[i].commentData); err != nil {
			return "", err
		}
		out[i] = buf.String()
		pt.memo.put(&keys[i], out[i])
	}
	return template.HTML(strings.Join(out, "")), nil
}

// commentKey names a rendered comment: its data, and whether it was
// rendered with the holes marked (for the page cache) or not.
type commentKey struct {
	marked bool
	commentData
}

// commentMemoBytes is what rendered comments may keep (commentMemo), out
// of the page cache's budget: the comments of about 20 pages of 200.
const commentMemoBytes = 8 << 20

// commentMemo keeps rendered comments by everything they show, so that a
// page rendered again (a comment on a hot post drops its page) renders
// only the comments that changed. A key is the template's whole input, so
// nothing needs invalidating. It holds at most max bytes, reserved from
// the page cache's budget (New); nil keeps nothing. Two generations: when
// the newer one is full the older is dropped, and a comment found in the
// older is moved to the newer, so the comments of pages still rendered
// stay.
type commentMemo struct {
	mu       sync.Mutex
	max      int
	bytes    int // of cur
	cur, old map[commentKey]string
}

func newCommentMemo(max int) *commentMemo {
	if max <= 0 {
		return nil
	}
	return &commentMemo{max: max, cur: map[commentKey]string{}}
}

// get sets out[i] to the kept rendering of keys[i], where one is kept.
func (m *commentMemo) get(keys []commentKey, out []string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range keys {
		if h, ok := m.cur[keys[i]]; ok {
			out[i] = h
		} else if h, ok := m.old[keys[i]]; ok {
			out[i] = h
			delete(m.old, keys[i])
			m.add(&keys[i], h)
		}
	}
}

// put keeps html as the rendering of k.
func (m *commentMemo) put(k *commentKey, html string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.cur[*k]; !ok {
		m.add(k, html)
	}
}

func (m *commentMemo) add(k *commentKey, html string) {
	n := k.size() + len(html)
	if n > m.max/2 {
		return
	}
	if m.bytes+n > m.max/2 {
		m.old, m.cur, m.bytes = m.cur, map[commentKey]string{}, 0
	}
	m.cur[*k] = html
	m.bytes += n
}
