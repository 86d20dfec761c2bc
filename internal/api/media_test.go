package api

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/media/mediatest"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
)

// mediaEnv is the API with uploads over a real SQLite file and blob folder.
type mediaEnv struct {
	*env
	svc  *media.Service
	proc *media.Processor
}

type nopQueue struct{}

func (nopQueue) EnqueueProcess(context.Context, int64) error { return nil }

func newMediaEnv(t *testing.T) *mediaEnv {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(t.Context(), filepath.Join(dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	disk, err := media.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	svc := &media.Service{Store: store, Blobs: disk, TempDir: disk.TempDir(), Limits: media.DefaultLimits(), Queue: nopQueue{}}
	proc := &media.Processor{Store: store, Blobs: disk, TempDir: disk.TempDir(), Tools: media.FindTools()}
	clk := &clock{t: time.Now().UTC()}
	acc := accounts.New(store, clk.Now)
	h := New(Deps{Accounts: acc, Posts: publishing.New(store, clk.Now), Comments: discussion.New(store, clk.Now),
		Log: slog.New(slog.DiscardHandler), BaseURL: testBase, Now: clk.Now, Media: svc})
	return &mediaEnv{env: &env{t: t, h: h, srv: h.(*server), clock: clk, accounts: acc}, svc: svc, proc: proc}
}

// multipartBody is a multipart/form-data body with fields and one file.
func multipartBody(t *testing.T, fields map[string]string, filename string, file []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

func (e *mediaEnv) upload(token, filename string, file []byte) resp {
	e.t.Helper()
	body, ct := multipartBody(e.t, nil, filename, file)
	return e.do(req{Method: "POST", Path: "/api/v1/media", Token: token, Body: body, ContentType: ct})
}

// minimalMP4 has well-formed boxes and passes the upload checks; nothing in
// it plays. Enough for the routes that do not process.
var minimalMP4 = []byte("\x00\x00\x00\x10ftypisom\x00\x00\x02\x00\x00\x00\x00\x10moov\x00\x00\x00\x00\x00\x00\x00\x00")

func TestMediaUploadAndPost(t *testing.T) {
	e := newMediaEnv(t)
	pub := e.account("embassy", news.RolePublisher, publisherEmail, "Embassy")
	other := e.account("other", news.RolePublisher, "other@example.org", "")

	r := e.upload(pub, "../../etc/passwd", mediatest.JPEGWithGPS(1600, 900, 1))
	if r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	m := r.JSON(t)
	id := num(t, m, "id")
	url, _ := m["url"].(string)
	if m["kind"] != "image" || m["status"] != "processing" || !strings.HasPrefix(url, testBase+"/media/") ||
		strings.Contains(url, "passwd") || strings.Contains(url, "..") || num(t, m, "width") != 1600 {
		t.Fatalf("upload answered %s", r.Body)
	}
	if loc := r.Header.Get("Location"); loc != testBase+"/api/v1/media/"+strconv.FormatInt(id, 10) {
		t.Fatalf("Location %q", loc)
	}
	if err := e.proc.Process(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	m = e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/media/" + strconv.FormatInt(id, 10)})
	if vs, _ := m["variants"].([]any); m["status"] != "ready" || len(vs) != 3 {
		t.Fatalf("after processing: %v", m)
	}

	post := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/posts", Token: pub,
		Body: jsonBody(t, map[string]any{"title": "Photo of the day", "media_id": id})})
	pm, _ := post["media"].(map[string]any)
	if post["kind"] != "image" || pm == nil || num(t, pm, "id") != id {
		t.Fatalf("image post: %v", post)
	}
	got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/posts/" + strconv.FormatInt(num(t, post, "id"), 10)})
	if gm, _ := got["media"].(map[string]any); gm == nil || gm["url"] != url {
		t.Fatalf("GET post media: %v", got["media"])
	}

	// Someone else's upload, and one that does not exist.
	r = e.do(req{Method: "POST", Path: "/api/v1/posts", Token: other, Body: jsonBody(t, map[string]any{"title": "Mine", "media_id": id})})
	if r.Status != http.StatusForbidden {
		t.Fatalf("posting another's media: %d %s", r.Status, r.Body)
	}
	r = e.do(req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: jsonBody(t, map[string]any{"title": "x", "media_id": id + 99})})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "media_id") {
		t.Fatalf("missing media: %d %s", r.Status, r.Body)
	}
}

func TestMediaUploadRefusals(t *testing.T) {
	e := newMediaEnv(t)
	pub := e.account("pub", news.RolePublisher, publisherEmail, "")
	reader := e.account("reader", news.RoleReader, readerEmail, "")
	png := mediatest.PNG(16, 16)
	cases := []struct {
		name, token, filename string
		file                  []byte
		status                int
		code                  string
	}{
		{"not signed in", "", "a.png", png, 401, "unauthorized"},
		{"a reader", reader, "a.png", png, 403, "forbidden"},
		{"a text file named .jpg", pub, "photo.jpg", []byte("just text, not a photo"), 415, "unsupported"},
		{"an SVG with script", pub, "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`), 415, "unsupported"},
		{"zero bytes", pub, "empty.mp4", []byte{}, 422, "invalid"},
		{"a decompression bomb", pub, "bomb.png", mediatest.BombPNG(60000, 60000), 422, "invalid"},
		{"a truncated JPEG", pub, "cut.jpg", mediatest.JPEG(300, 200)[:900], 422, "invalid"},
		{"a truncated video", pub, "cut.mp4", []byte("\x00\x00\x00\x10ftypisom\x00\x00\x02\x00\x00\x00\x40\x00moov\x00\x00\x00\x00"), 422, "invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.upload(tc.token, tc.filename, tc.file)
			if r.Status != tc.status || r.JSON(t)["error"].(map[string]any)["code"] != tc.code {
				t.Fatalf("status %d %s, want %d %s", r.Status, r.Body, tc.status, tc.code)
			}
		})
	}
	// No file part at all, and a body that is not multipart.
	body, ct := multipartBody(t, map[string]string{"title": "x"}, "", nil)
	if r := e.do(req{Method: "POST", Path: "/api/v1/media", Token: pub, Body: body, ContentType: ct}); r.Status != 422 {
		t.Fatalf("no file part: %d %s", r.Status, r.Body)
	}
	if r := e.do(req{Method: "POST", Path: "/api/v1/media", Token: pub, Body: `{"file":"x"}`}); r.Status != 400 {
		t.Fatalf("JSON body: %d %s", r.Status, r.Body)
	}
	e.svc.Limits.Image = 1 << 10
	if r := e.upload(pub, "big.jpg", mediatest.JPEG(400, 400)); r.Status != 413 {
		t.Fatalf("over the image limit: %d %s", r.Status, r.Body)
	}
	// Over the whole request limit: refused while reading.
	e.svc.Limits.Video = 1 << 10
	big := append(append([]byte{}, minimalMP4...), bytes.Repeat([]byte{0}, 3<<20)...)
	if r := e.upload(pub, "big.mp4", big); r.Status != 413 {
		t.Fatalf("over the request limit: %d %s", r.Status, r.Body)
	}
}

func TestSubtitles(t *testing.T) {
	e := newMediaEnv(t)
	pub := e.account("embassy", news.RolePublisher, publisherEmail, "Embassy")
	other := e.account("other", news.RolePublisher, "other@example.org", "")
	video := e.upload(pub, "talk.mp4", minimalMP4)
	image := e.upload(pub, "a.png", mediatest.PNG(8, 8))
	if video.Status != 201 || image.Status != 201 {
		t.Fatalf("uploads: %d %s / %d %s", video.Status, video.Body, image.Status, image.Body)
	}
	vid := strconv.FormatInt(num(t, video.JSON(t), "id"), 10)
	add := func(token, id string, fields map[string]string, vtt string) resp {
		body, ct := multipartBody(t, fields, "track.vtt", []byte(vtt))
		return e.do(req{Method: "POST", Path: "/api/v1/media/" + id + "/subtitles", Token: token, Body: body, ContentType: ct})
	}
	good := "WEBVTT\n\n00:00.000 --> 00:02.000\nЗдравствуйте\n"
	r := add(pub, vid, map[string]string{"language": "ru", "label": "Русский"}, good)
	if r.Status != 201 || r.JSON(t)["lang"] != "ru" {
		t.Fatalf("add ru: %d %s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		name   string
		token  string
		id     string
		fields map[string]string
		vtt    string
		status int
	}{
		{"same language again", pub, vid, map[string]string{"language": "ru"}, good, 409},
		{"not WebVTT", pub, vid, map[string]string{"language": "en"}, "1\n00:00:00,000 --> 00:00:02,000\nHello\n", 422},
		{"bad language tag", pub, vid, map[string]string{"language": "english!"}, good, 422},
		{"someone else's video", other, vid, map[string]string{"language": "en"}, good, 403},
		{"not signed in", "", vid, map[string]string{"language": "en"}, good, 401},
		{"an image", pub, strconv.FormatInt(num(t, image.JSON(t), "id"), 10), map[string]string{"language": "en"}, good, 422},
		{"no such media", pub, "999", map[string]string{"language": "en"}, good, 404},
	} {
		if r := add(tc.token, tc.id, tc.fields, tc.vtt); r.Status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.status)
		}
	}
	must := add(pub, vid, map[string]string{"language": "en", "label": "English"}, "\ufeffWEBVTT - with a BOM\r\n\r\n")
	if must.Status != 201 {
		t.Fatalf("add en: %d %s", must.Status, must.Body)
	}
	m := e.must(200, req{Method: "GET", Path: "/api/v1/media/" + vid})
	subs, _ := m["subtitles"].([]any)
	if len(subs) != 2 || subs[0].(map[string]any)["lang"] != "en" || subs[1].(map[string]any)["label"] != "Русский" {
		t.Fatalf("subtitles: %v", m["subtitles"])
	}
}

// Why processing failed is the uploader's to read, not everyone's.
func TestMediaFailureReasonForOwnerOnly(t *testing.T) {
	e := newMediaEnv(t)
	pub := e.account("pub", news.RolePublisher, publisherEmail, "")
	other := e.account("other", news.RolePublisher, "other@example.org", "")
	r := e.upload(pub, "v.mp4", minimalMP4)
	id := num(t, r.JSON(t), "id")
	const why = "the file has no video stream"
	if err := e.svc.Store.FailMedia(t.Context(), id, why, true); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/media/" + strconv.FormatInt(id, 10)
	if m := e.must(200, req{Method: "GET", Path: path, Token: pub}); m["status"] != "failed" || m["error"] != why {
		t.Fatalf("owner sees %v", m)
	}
	for _, token := range []string{"", other} {
		if m := e.must(200, req{Method: "GET", Path: path, Token: token}); m["status"] != "failed" || m["error"] != nil {
			t.Fatalf("someone else sees %v", m)
		}
	}
	r = e.do(req{Method: "POST", Path: "/api/v1/posts", Token: pub, Body: jsonBody(t, map[string]any{"title": "x", "media_id": id})})
	if r.Status != 422 || !strings.Contains(string(r.Body), why) {
		t.Fatalf("posting failed media: %d %s", r.Status, r.Body)
	}
}
