package media

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/headline/headline/internal/news"
)

// Service applies the media rules: who may upload, what is accepted, which
// posts use what, and subtitles.
type Service struct {
	Store   news.MediaStore
	Blobs   Blobs
	TempDir string // uploads are written here first; beside a Disk's blobs
	Limits  Limits
	Queue   Queue
	Log     *slog.Logger
}

// URL is the site path a blob is served at.
func URL(key string) string {
	if key == "" {
		return ""
	}
	return "/media/" + key
}

func canUpload(actor *news.Account) error {
	if actor == nil {
		return news.Errorf(news.Unauthorized, "Sign in to upload files.")
	}
	if !actor.Role.CanPublish() {
		return news.Errorf(news.Forbidden, "Your account cannot upload files. Ask an admin to make you a publisher.")
	}
	return nil
}

// Upload accepts a file from actor: it is streamed to disk, sniffed,
// checked and stored, then queued for processing. The returned media is
// processing; its original is served at once.
func (s *Service) Upload(ctx context.Context, actor *news.Account, r io.Reader) (*news.Media, error) {
	if err := canUpload(actor); err != nil {
		return nil, err
	}
	in, err := s.ingest(ctx, r)
	if err != nil {
		return nil, err
	}
	m := &news.Media{OwnerID: actor.ID, Kind: in.Type.Kind, Key: in.Key, Size: in.Size, MIME: in.Type.MIME,
		Width: in.Width, Height: in.Height}
	if err := s.Store.CreateMedia(ctx, m); err != nil {
		return nil, err
	}
	// A queue that refuses is not the uploader's problem: the item is
	// stored as processing, and the next start enqueues it again.
	if s.Queue != nil {
		if err := s.Queue.EnqueueProcess(ctx, m.ID); err != nil {
			s.log().Warn("enqueue media processing", "media", m.ID, "err", err)
		}
	}
	return m, nil
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Get returns a media item. Media is public once uploaded (its URL is in
// the pages that use it); only Failure is the owner's, see ShowFailure.
func (s *Service) Get(ctx context.Context, id int64) (*news.Media, error) {
	return s.Store.MediaByID(ctx, id)
}

// ShowFailure reports whether viewer may read why m failed.
func ShowFailure(viewer *news.Account, m *news.Media) bool {
	return viewer != nil && (viewer.ID == m.OwnerID || viewer.Role == news.RoleAdmin)
}

// Open opens a blob for serving.
func (s *Service) Open(ctx context.Context, key string) (Blob, error) {
	return s.Blobs.Open(ctx, key)
}

// maxSubtitle bounds a WebVTT file: hours of dialogue are well under it.
const maxSubtitle = 1 << 20

// SubtitleInput is a WebVTT track to add to a video.
type SubtitleInput struct {
	Lang  string
	Label string
	Body  io.Reader
}

// AddSubtitle adds a WebVTT track to a video its owner uploaded.
func (s *Service) AddSubtitle(ctx context.Context, actor *news.Account, mediaID int64, in SubtitleInput) (*news.Subtitle, error) {
	if err := canUpload(actor); err != nil {
		return nil, err
	}
	m, err := s.Store.MediaByID(ctx, mediaID)
	if err != nil {
		return nil, err
	}
	if m.OwnerID != actor.ID && actor.Role != news.RoleAdmin {
		return nil, news.Errorf(news.Forbidden, "Only the uploader can add subtitles to this video.")
	}
	if m.Kind != news.MediaVideo {
		return nil, news.Errorf(news.Invalid, "Subtitles go with videos; this is an image.")
	}
	in.Lang, in.Label = strings.TrimSpace(in.Lang), strings.TrimSpace(in.Label)
	p := news.Problems{}
	news.CheckLang(p, "language", in.Lang)
	if in.Label == "" {
		in.Label = in.Lang
	}
	news.CheckLine(p, "label", "Label", in.Label, 60, true)
	if err := p.Err(); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(in.Body, maxSubtitle+1))
	if err != nil {
		return nil, fmt.Errorf("read subtitles: %w", err)
	}
	if err := checkVTT(body); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	key := KeyFor(sum[:], "vtt")
	if err := s.putBytes(ctx, key, body); err != nil {
		return nil, err
	}
	st := &news.Subtitle{MediaID: m.ID, Lang: in.Lang, Label: in.Label, Key: key}
	if err := s.Store.AddSubtitle(ctx, st); err != nil {
		return nil, err
	}
	return st, nil
}

// checkVTT accepts a WebVTT file: UTF-8 text under the size limit whose
// first line is the WEBVTT signature.
func checkVTT(b []byte) error {
	bad := func(msg string) error {
		return &news.Error{Code: news.Invalid, Message: msg, Fields: map[string]string{"file": msg}}
	}
	switch {
	case len(b) > maxSubtitle:
		return &news.Error{Code: news.TooLarge, Message: "The subtitle file is too large (at most 1 MB).", Fields: map[string]string{"file": "too large"}}
	case !utf8.Valid(b):
		return bad("Subtitles must be a UTF-8 text file.")
	}
	first, _, _ := bytes.Cut(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if !bytes.HasPrefix(first, []byte("WEBVTT")) || (len(first) > 6 && first[6] != ' ' && first[6] != '\t') {
		return bad("This is not a WebVTT file: its first line must be WEBVTT.")
	}
	return nil
}

func (s *Service) putBytes(ctx context.Context, key string, b []byte) error {
	f, err := os.CreateTemp(s.TempDir, "put-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.Write(b)
	err = w.Flush()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.Blobs.PutFile(ctx, key, f.Name())
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("store blob: %w", err)
	}
	return nil
}

// MainMedia checks that actor may make media id the main media of a post,
// and returns it.
func (s *Service) MainMedia(ctx context.Context, actor *news.Account, id int64) (*news.Media, error) {
	m, err := s.Store.MediaByID(ctx, id)
	if news.ErrorCode(err) == news.NotFound {
		return nil, &news.Error{Code: news.Invalid, Message: "That media file does not exist.", Fields: map[string]string{"media_id": "no such media"}}
	}
	if err != nil {
		return nil, err
	}
	if actor == nil || (m.OwnerID != actor.ID && actor.Role != news.RoleAdmin) {
		return nil, &news.Error{Code: news.Forbidden, Message: "You can only post media you uploaded.", Fields: map[string]string{"media_id": "not yours"}}
	}
	if m.Status == news.MediaFailed {
		return nil, &news.Error{Code: news.Invalid, Message: "That file could not be processed (" + m.Failure + ").", Fields: map[string]string{"media_id": "failed"}}
	}
	return m, nil
}

// embedRe finds media keys in an article's Markdown: /media/{key} links.
var embedRe = regexp.MustCompile(`/media/([0-9a-f]{64}\.(?:jpg|png|gif|webp|mp4|mov|webm))`)

// Attach records which media post p uses: mainID (0: none) and the media
// its body links to. Links to files that are not media rows are ignored.
func (s *Service) Attach(ctx context.Context, p *news.Post, mainID int64) error {
	var embedded []int64
	seen := map[int64]bool{mainID: true}
	for _, sm := range embedRe.FindAllStringSubmatch(p.BodyMarkdown, 100) {
		m, err := s.Store.MediaByKey(ctx, sm[1])
		if news.ErrorCode(err) == news.NotFound {
			continue
		} else if err != nil {
			return err
		}
		if !seen[m.ID] {
			seen[m.ID] = true
			embedded = append(embedded, m.ID)
		}
	}
	return s.Store.SetPostMedia(ctx, p.ID, mainID, embedded)
}

// Fill sets p.Media to the post's main media, if it has one.
func (s *Service) Fill(ctx context.Context, p *news.Post) error {
	main, _, err := s.Store.PostMedia(ctx, p.ID)
	if err != nil {
		return err
	}
	p.Media = main
	return nil
}

// ReleasePost lets go of the media post postID used (the post is being
// deleted) and removes the blobs of media nobody else uses.
func (s *Service) ReleasePost(ctx context.Context, postID int64) error {
	released, err := s.Store.ReleasePostMedia(ctx, postID)
	if err != nil {
		return err
	}
	for _, m := range released {
		keys := []string{m.Key, m.PosterKey}
		for _, v := range m.Variants {
			keys = append(keys, v.Key)
		}
		for _, st := range m.Subtitles {
			keys = append(keys, st.Key)
		}
		for _, k := range keys {
			if k == "" {
				continue
			}
			// The same bytes may belong to another upload too.
			used, err := s.Store.BlobInUse(ctx, k)
			if err != nil {
				return err
			}
			if !used {
				if err := s.Blobs.Delete(ctx, k); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Requeue enqueues every item still processing: what was accepted before
// a stop is processed after the start. It returns how many it queued.
func (s *Service) Requeue(ctx context.Context) (int, error) {
	n := 0
	var after int64
	for {
		page, err := s.Store.ListMediaByStatus(ctx, news.MediaProcessing, after, 200)
		if err != nil {
			return n, err
		}
		for _, m := range page {
			if err := s.Queue.EnqueueProcess(ctx, m.ID); err != nil {
				return n, err
			}
			n++
			after = m.ID
		}
		if len(page) < 200 {
			return n, nil
		}
	}
}
