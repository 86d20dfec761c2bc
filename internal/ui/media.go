package ui

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// serveMedia serves GET /media/{key}: a stored blob, with range requests
// (http.ServeContent: 206 with Content-Range, 416 for a malformed or
// unsatisfiable range, Accept-Ranges, conditional requests). A key is the
// hash of the bytes, so the response never changes and may be cached for a
// year. Blobs in S3 are proxied the same way: each range read fetches only
// that range from the bucket.
func (s *server) serveMedia(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	if s.media == nil || !media.ValidKey(key) {
		return news.Errorf(news.NotFound, "That file does not exist.")
	}
	b, err := s.media.Open(r.Context(), key)
	if err != nil {
		return err
	}
	defer b.Close()
	h := w.Header()
	h.Set("Content-Type", media.ContentType(key))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+strings.TrimSuffix(key, key[strings.LastIndexByte(key, '.'):])+`"`)
	// Uploaded bytes are never a page of this site, even if a browser were
	// to guess so.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	http.ServeContent(w, r, "", b.ModTime(), b)
	return nil
}

// uploadJSON is what POST /media answers the editor's script.
type uploadJSON struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	URL      string `json:"url"`
	Markdown string `json:"markdown"` // what to insert in the article body
}

// uploadMedia serves POST /media: the editor's upload (XMLHttpRequest, with
// the session cookie, same-origin only). It answers JSON, errors included,
// because a script reads it.
func (s *server) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	m, err := s.acceptUpload(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return nil
	}
	httpx.WriteJSON(w, http.StatusCreated, uploadJSON{ID: m.ID, Kind: string(m.Kind), URL: media.URL(m.Key), Markdown: mediaMarkdown(m)})
	return nil
}

func (s *server) acceptUpload(w http.ResponseWriter, r *http.Request) (*news.Media, error) {
	if s.media == nil {
		return nil, news.Errorf(news.NotFound, "Uploads are not enabled on this site.")
	}
	if err := requirePublisher(viewerOf(r)); err != nil {
		return nil, err
	}
	part, err := httpx.FilePart(w, r, s.media.Limits.MaxUpload())
	if err != nil {
		return nil, err
	}
	m, err := s.media.Upload(r.Context(), viewerOf(r), part)
	return m, httpx.UploadError(err)
}

// mediaMarkdown is how an uploaded image or video appears in an article's
// Markdown: as an image, which render turns into a player for a video.
func mediaMarkdown(m *news.Media) string {
	return "![](" + media.URL(m.Key) + ")"
}

// mediaView is a post's main media as the article page shows it.
type mediaView struct {
	Kind       string
	URL        string
	Alt        string // images: the post's title
	MIME       string
	Poster     string
	Width      int
	Height     int
	Duration   string // "1:23", "" when unknown
	Srcset     string // images: the variants and the original
	Processing bool
	Failed     bool
	Failure    string // for the uploader only
	Subtitles  []subtitleView
}

type subtitleView struct{ Lang, Label, URL string }

func newMediaView(viewer *news.Account, m *news.Media) *mediaView {
	if m == nil {
		return nil
	}
	v := &mediaView{Kind: string(m.Kind), URL: media.URL(m.Key), MIME: m.MIME, Poster: media.URL(m.PosterKey),
		Width: m.Width, Height: m.Height, Duration: clock(m.Duration),
		Processing: m.Status == news.MediaProcessing, Failed: m.Status == news.MediaFailed}
	if v.Failed && media.ShowFailure(viewer, m) {
		v.Failure = m.Failure
	}
	var set []string
	for _, va := range m.Variants {
		set = append(set, media.URL(va.Key)+" "+strconv.Itoa(va.Width)+"w")
	}
	if len(set) > 0 && m.Width > 0 {
		v.Srcset = strings.Join(append(set, v.URL+" "+strconv.Itoa(m.Width)+"w"), ", ")
	}
	for _, st := range m.Subtitles {
		v.Subtitles = append(v.Subtitles, subtitleView{Lang: st.Lang, Label: st.Label, URL: media.URL(st.Key)})
	}
	return v
}

// clock writes a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	sec := int(d.Round(time.Second) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// postMedia loads the post's main media for its page.
func (s *server) postMedia(r *http.Request, p *news.Post) (*mediaView, error) {
	if s.media == nil {
		return nil, nil
	}
	if err := s.media.Fill(r.Context(), p); err != nil {
		return nil, err
	}
	v := newMediaView(viewerOf(r), p.Media)
	if v != nil {
		v.Alt = p.Title
	}
	return v, nil
}

// readWriteForm reads the writing form: urlencoded, or multipart when it
// carries a file (the editor without JavaScript), which is uploaded as it
// arrives and becomes the post's main media.
func (s *server) readWriteForm(w http.ResponseWriter, r *http.Request) error {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return httpx.ParseForm(w, r)
	}
	if s.media == nil {
		return news.Errorf(news.NotFound, "Uploads are not enabled on this site.")
	}
	var uploaded *news.Media
	err := httpx.StreamForm(w, r, s.media.Limits.MaxUpload(), func(f io.Reader) error {
		m, err := s.media.Upload(r.Context(), viewerOf(r), f)
		uploaded = m
		return err
	})
	if uploaded != nil {
		r.PostForm.Set("media_id", strconv.FormatInt(uploaded.ID, 10))
	}
	return err
}

// formMainMedia checks the form's media_id, if any.
func (s *server) formMainMedia(r *http.Request) (*news.Media, error) {
	v := strings.TrimSpace(r.PostForm.Get("media_id"))
	if v == "" || s.media == nil {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, &news.Error{Code: news.Invalid, Message: "Please correct the marked field.", Fields: map[string]string{"file": "That upload does not exist; choose the file again."}}
	}
	m, err := s.media.MainMedia(r.Context(), viewerOf(r), id)
	if err != nil {
		var fields = map[string]string{"file": news.ErrorMessage(err)}
		return nil, &news.Error{Code: news.ErrorCode(err), Message: news.ErrorMessage(err), Fields: fields}
	}
	return m, nil
}

// attach records the media a post uses after it was written.
func (s *server) attach(r *http.Request, p *news.Post, main *news.Media) error {
	if s.media == nil {
		return nil
	}
	var id int64
	if main != nil {
		id = main.ID
	}
	return s.media.Attach(r.Context(), p, id)
}
