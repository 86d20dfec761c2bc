package ui

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/engagement"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/pagecache"
)

// readerState is what a cached article page shows differently to one
// reader: one small read (readState), none of it a page's worth.
type readerState struct {
	viewer    *news.Account
	guest     string // the guest cookie's id, for readers not signed in
	unread    int
	follow    followButton
	postLiked bool
	postOK    bool            // the post's like state was read (else its actions are left out)
	liked     map[int64]bool  // the page's comments this reader likes
	held      []*news.Comment // their comments awaiting moderation
	wrote     bool            // the page shows comments of theirs (per request, not kept)
}

// writeCached sends a cached page filled in for r, and counts the view.
// A reader without cookies only gets a fresh form token; others are
// read what the holes show them.
func (s *server) writeCached(w http.ResponseWriter, r *http.Request, key string, page *pagecache.Page) error {
	if s.engagement != nil {
		s.engagement.View(s.viewReader(r), page.PostID)
	}
	hd := page.Data.(*holeData)
	st := &readerState{viewer: viewerOf(r)}
	if st.viewer == nil {
		st.guest = s.guestID(nil, r, false)
	}
	if st.viewer != nil || st.guest != "" {
		if err := s.keptState(r, key, hd, st); err != nil {
			return err
		}
	}
	if st.viewer != nil {
		st.wrote = hd.writers[st.viewer.ID]
	}
	// A kept fragment is sent as it is kept. Others are written one after
	// another into buf; a part keeps pointing at its bytes when buf grows
	// (it is never read from, so nothing written moves).
	var buf bytes.Buffer
	var ferr error
	fill := func(h *pagecache.Hole) ([]byte, bool) {
		from := buf.Len()
		b, ok, err := s.fillHole(r, &buf, hd, st, h)
		if err != nil && ferr == nil {
			ferr = err
		}
		switch {
		case !ok:
			buf.Truncate(from)
			return nil, false
		case b != nil:
			return b, true
		}
		return buf.Bytes()[from:buf.Len():buf.Len()], true
	}
	parts := page.Fill(make([][]byte, 0, 16), fill)
	if ferr != nil {
		return ferr
	}
	s.writePage(w, r, http.StatusOK, parts...)
	return nil
}

// keptState fills st for the page kept under key: from the cache, where
// a reader's state is kept next to the page, tagged like it and with
// their account (a like, a follow, a held comment, notifications marked
// read drop it), else read and kept. New notifications are not writes the
// cache hears of: the unread badge may lag them by the cache's TTL (30 s).
func (s *server) keptState(r *http.Request, key string, hd *holeData, st *readerState) error {
	reader := engagement.ReaderOf(st.viewer, st.guest)
	key = "reader\x00" + reader.Key() + "\x00" + key
	if p, ok := s.pagesCache.Peek(key); ok {
		v, g := st.viewer, st.guest
		*st = *p.Data.(*readerState)
		st.viewer, st.guest = v, g
		return nil
	}
	t := s.pagesCache.Ticket()
	complete, err := s.readState(r, hd, st)
	if err != nil || !complete {
		return err
	}
	kept := *st
	kept.viewer, kept.guest = nil, ""
	tags := []string{pagecache.PostTag(hd.post.ID), pagecache.AccountTag(hd.post.AuthorID)}
	if st.viewer != nil {
		tags = append(tags, pagecache.AccountTag(st.viewer.ID))
	}
	s.pagesCache.Put(t, key, pagecache.Page{Data: &kept, Size: 256 + 16*len(kept.liked) + 512*len(kept.held)}, tags...)
	return nil
}

// readState reads what r's holes show, in one store call
// (discussion.ReaderState): the parts the full render reads one by one,
// for the services that are on. When that call fails, the parts are read
// again one by one (readStateApart), so that each failure has the effect
// it has on a full render.
func (s *server) readState(r *http.Request, hd *holeData, st *readerState) (complete bool, err error) {
	ctx := r.Context()
	q := news.ReaderStateQuery{Reader: engagement.ReaderOf(st.viewer, st.guest), PostID: hd.post.ID,
		PostLike: s.engagement != nil}
	var follow followButton
	if v := st.viewer; v != nil {
		if s.notify != nil {
			q.UnreadMax = notify.BadgeMax
		}
		follow = s.followForm(v, hd.post.Author, news.PostPath(hd.post))
		if follow.Show {
			q.AuthorID = hd.post.AuthorID
		}
	}
	q.CommentIDs = hd.ids
	if s.moderation != nil {
		q.HeldMax = moderation.HeldShown
	}
	rs, err := s.comments.ReaderState(ctx, q)
	if err != nil {
		s.log.WarnContext(ctx, "reader state", "err", err)
		return s.readStateApart(r, hd, st)
	}
	follow.Following = rs.Following
	st.unread, st.follow = rs.Unread, follow
	st.postLiked, st.postOK = rs.PostLiked, q.PostLike
	st.liked, st.held = rs.LikedComments, rs.Held
	return true, nil
}

// readStateApart is readState one read at a time. A failure where the
// full render would fail fails the page; where it would leave a part
// out, so does this, and complete is false: such a state is not kept.
func (s *server) readStateApart(r *http.Request, hd *holeData, st *readerState) (complete bool, err error) {
	ctx := r.Context()
	reader := engagement.ReaderOf(st.viewer, st.guest)
	complete = true
	if v := st.viewer; v != nil {
		if s.notify != nil {
			if st.unread, err = s.notify.Unread(ctx, v); err != nil {
				s.log.WarnContext(ctx, "unread count", "err", err)
				st.unread, complete = 0, false
			}
		}
		st.follow = s.followButton(r, hd.post.Author, news.PostPath(hd.post))
		if s.following != nil && !st.follow.Show && hd.post.AuthorID != v.ID {
			complete = false // the lookup failed: the button is left out
		}
	}
	if s.engagement != nil {
		liked, err := s.engagement.Liked(ctx, reader, []int64{hd.post.ID})
		if err != nil {
			s.log.WarnContext(ctx, "liked", "err", err)
			complete = false
		} else {
			st.postLiked, st.postOK = liked[hd.post.ID], true
		}
	}
	if len(hd.ids) > 0 {
		if st.liked, err = s.comments.LikedBy(ctx, reader, hd.ids); err != nil {
			return false, err
		}
	}
	if s.moderation != nil {
		if st.held, err = s.moderation.Held(ctx, st.viewer, st.guest, hd.post.ID); err != nil {
			return false, err
		}
	}
	return complete, nil
}

// fillHole writes to buf what hole h shows this reader, and reports
// whether it differs from what the cached page holds.
func (s *server) fillHole(r *http.Request, buf *bytes.Buffer, hd *holeData, st *readerState, h *pagecache.Hole) ([]byte, bool, error) {
	v := st.viewer
	switch h.Name {
	case "token":
		if s.moderation == nil {
			return nil, false, nil
		}
		tok, err := s.moderation.FormToken(r.Context(), hd.post.ID)
		if err != nil {
			// As on a rendered page: the form shows, and sending it is
			// refused with a clear message until the database answers.
			s.log.WarnContext(r.Context(), "guest form token", "err", err)
		}
		buf.WriteString(tok)
		return nil, true, nil
	case "like":
		if !st.liked[h.Arg] {
			return nil, false, nil
		}
		cv, ok := hd.comments[h.Arg]
		if !ok {
			return nil, false, nil
		}
		return keptFragment(hd.frags.get("like\x00"+itoa(int(cv.ID)), func(b *bytes.Buffer) error {
			c := *cv
			c.Liked = true
			return s.fragment(b, "comment-like", &c)
		}))
	case "post-like":
		switch {
		case s.engagement == nil || (v == nil && st.guest == ""):
			return nil, false, nil // as cached
		case !st.postOK:
			return nil, true, nil // not read: left out, as a full render does
		case st.postLiked:
			social := hd.social
			social.Liked = true
			return keptFragment(hd.frags.get("post-like", func(b *bytes.Buffer) error {
				return s.fragment(b, "post-actions", &social)
			}))
		}
		return nil, false, nil
	case "held":
		if len(st.held) == 0 {
			return nil, false, nil
		}
		return nil, true, s.fragment(buf, "held-comments", hd.vc.list(st.held))
	}
	if v == nil {
		return nil, false, nil // the other holes are a guest's as cached
	}
	return s.fillViewerHole(hd, st, h)
}

// fillViewerHole is fillHole for the holes only a signed-in reader's
// differ in.
func (s *server) fillViewerHole(hd *holeData, st *readerState, h *pagecache.Hole) ([]byte, bool, error) {
	v := st.viewer
	switch h.Name {
	// The keys below name everything the fragment's template reads.
	case "nav":
		key := "nav\x00" + hd.path + "\x00" + v.Handle + "\x00" + v.Name + "\x00" + string(v.Role) + "\x00" + itoa(st.unread)
		return keptFragment(s.frags.get(key, func(b *bytes.Buffer) error {
			return s.fragment(b, "site-nav", &Base{Viewer: v, Path: hd.path, Social: s.following != nil, Unread: st.unread})
		}))
	case "follow":
		f := st.follow
		key := "follow\x00" + f.Handle + "\x00" + f.Action + "\x00" + f.Back + "\x00" + f.SigninURL + "\x00" + flags(f.Show, f.Guest, f.Following)
		return keptFragment(s.frags.get(key, func(b *bytes.Buffer) error { return s.fragment(b, "follow-button", f) }))
	case "form":
		return keptFragment(s.frags.get("form\x00"+v.Handle+"\x00"+v.Name, func(b *bytes.Buffer) error {
			return s.fragment(b, "comment-form-who", &articlePage{Base: Base{Viewer: v}, Form: commentForm{ViewerName: v.Name}})
		}))
	case "own":
		if !st.wrote {
			return nil, false, nil
		}
		cv, ok := hd.comments[h.Arg]
		if !ok || cv.AccountID != v.ID {
			return nil, false, nil
		}
		edit, del := discussion.CanEdit(v, cv.Comment, s.now()), discussion.CanDelete(v, cv.Comment)
		if !edit && !del {
			return nil, false, nil
		}
		// Per cached page: the links carry the page's address.
		return keptFragment(hd.frags.get("own\x00"+itoa(int(cv.ID))+flags(edit, del), func(b *bytes.Buffer) error {
			c := *cv
			c.CanEdit, c.CanDelete = edit, del
			return s.fragment(b, "comment-own", &c)
		}))
	}
	return nil, false, nil
}

func flags(bs ...bool) string {
	out := make([]byte, len(bs))
	for i, b := range bs {
		out[i] = '0'
		if b {
			out[i] = '1'
		}
	}
	return string(out)
}

// fragMemo keeps fragments of pages by everything their template reads,
// so that a reader's header or form is rendered once, not per request.
// A key names its inputs fully, so nothing needs invalidating. It holds
// at most max bytes, counted against the page cache's budget: a page's
// memo is part of the page's size (cutPage), the server's memo is
// reserved from the cache (New). Past max it starts over.
type fragMemo struct {
	mu    sync.Mutex
	max   int
	bytes int
	m     map[string][]byte
}

// get returns the fragment under key, rendering it with render first if
// it is not kept. What it returns is never changed: it may be sent as it
// is, without a copy.
func (f *fragMemo) get(key string, render func(*bytes.Buffer) error) ([]byte, error) {
	f.mu.Lock()
	b, ok := f.m[key]
	f.mu.Unlock()
	if ok {
		return b, nil
	}
	var out bytes.Buffer
	if err := render(&out); err != nil {
		return nil, err
	}
	b = out.Bytes()
	if n := len(key) + len(b); n <= f.max {
		f.mu.Lock()
		if f.m == nil || f.bytes+n > f.max {
			f.m, f.bytes = map[string][]byte{}, 0
		}
		if _, ok := f.m[key]; !ok {
			f.m[key] = b
			f.bytes += n
		}
		f.mu.Unlock()
	}
	return b, nil
}

// keptFragment is a fragment from a memo as fillHole answers it: sent as
// it is. (Not to be confused with server.fragment, which renders one.)
func keptFragment(b []byte, err error) ([]byte, bool, error) {
	if err != nil {
		return nil, true, err
	}
	if b == nil {
		b = []byte{} // an empty fragment still replaces the hole
	}
	return b, true, nil
}
