package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// mediaJSON is an uploaded file as the API shows it. URLs are absolute;
// url changes once, when processing replaces an MP4 with its fast-start
// copy. Error is the failure reason, for the owner only.
type mediaJSON struct {
	ID        int64          `json:"id"`
	Kind      string         `json:"kind"`
	Status    string         `json:"status"`
	URL       string         `json:"url"`
	MIME      string         `json:"mime"`
	Size      int64          `json:"size"`
	Poster    *string        `json:"poster"`
	Width     int            `json:"width"`
	Height    int            `json:"height"`
	Duration  float64        `json:"duration"` // seconds
	Variants  []variantJSON  `json:"variants"`
	Subtitles []subtitleJSON `json:"subtitles"`
	Error     *string        `json:"error,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
}

type variantJSON struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

type subtitleJSON struct {
	Lang  string `json:"lang"`
	Label string `json:"label"`
	URL   string `json:"url"`
}

func (s *server) mediaOut(r *http.Request, m *news.Media) mediaJSON {
	base := s.base(r)
	out := mediaJSON{ID: m.ID, Kind: string(m.Kind), Status: string(m.Status), URL: base + media.URL(m.Key), MIME: m.MIME,
		Size: m.Size, Width: m.Width, Height: m.Height, Duration: m.Duration.Seconds(), CreatedAt: utc(m.CreatedAt),
		Variants: []variantJSON{}, Subtitles: []subtitleJSON{}}
	if m.PosterKey != "" {
		p := base + media.URL(m.PosterKey)
		out.Poster = &p
	}
	for _, v := range m.Variants {
		out.Variants = append(out.Variants, variantJSON{Width: v.Width, Height: v.Height, URL: base + media.URL(v.Key)})
	}
	for _, st := range m.Subtitles {
		out.Subtitles = append(out.Subtitles, subtitleJSON{Lang: st.Lang, Label: st.Label, URL: base + media.URL(st.Key)})
	}
	if m.Failure != "" && media.ShowFailure(httpx.Account(r.Context()), m) {
		out.Error = &m.Failure
	}
	return out
}

// uploadMedia handles POST /api/v1/media: a multipart body whose "file"
// part is streamed to disk as it arrives. The caller's role is checked
// before a byte of the body is read.
func (s *server) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	if s.Media == nil {
		return news.Errorf(news.NotFound, "Uploads are not enabled on this site.")
	}
	me := httpx.Account(r.Context())
	if me == nil {
		return news.Errorf(news.Unauthorized, "Sign in to upload files.")
	}
	if !me.Role.CanPublish() {
		return news.Errorf(news.Forbidden, "Your account cannot upload files. Ask an admin to make you a publisher.")
	}
	part, err := httpx.FilePart(w, r, s.Media.Limits.MaxUpload())
	if err != nil {
		return err
	}
	m, err := s.Media.Upload(r.Context(), me, part)
	if err != nil {
		return httpx.UploadError(err)
	}
	return created(w, s.base(r)+Prefix+"/media/"+strconv.FormatInt(m.ID, 10), s.mediaOut(r, m))
}

// getMedia handles GET /api/v1/media/{id}.
func (s *server) getMedia(w http.ResponseWriter, r *http.Request) error {
	if s.Media == nil {
		return news.Errorf(news.NotFound, "Uploads are not enabled on this site.")
	}
	id, err := pathID(r, "id", "media file")
	if err != nil {
		return err
	}
	m, err := s.Media.Get(r.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s.mediaOut(r, m))
	return nil
}

// addSubtitles handles POST /api/v1/media/{id}/subtitles: a multipart
// body with "language", optional "label" and a WebVTT "file".
func (s *server) addSubtitles(w http.ResponseWriter, r *http.Request) error {
	if s.Media == nil {
		return news.Errorf(news.NotFound, "Uploads are not enabled on this site.")
	}
	id, err := pathID(r, "id", "media file")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 2<<20)
	if err := r.ParseMultipartForm(2 << 20); err != nil {
		return httpx.UploadError(news.Errorf(httpx.BadRequest, "Send the subtitles as multipart/form-data with language, label and file."))
	}
	defer r.MultipartForm.RemoveAll()
	f, _, err := r.FormFile("file")
	if err != nil {
		return &news.Error{Code: news.Invalid, Message: "Attach the WebVTT file in a part named file.", Fields: map[string]string{"file": "required"}}
	}
	defer f.Close()
	st, err := s.Media.AddSubtitle(r.Context(), httpx.Account(r.Context()), id,
		media.SubtitleInput{Lang: r.FormValue("language"), Label: r.FormValue("label"), Body: f})
	if err != nil {
		return err
	}
	return created(w, s.base(r)+media.URL(st.Key), subtitleJSON{Lang: st.Lang, Label: st.Label, URL: s.base(r) + media.URL(st.Key)})
}
