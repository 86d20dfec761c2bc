package ui_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/media/mediatest"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

type mediaEnv struct {
	*env
	st   *sqlite.Store
	svc  *media.Service
	proc *media.Processor
	dir  string
}

type nopQueue struct{}

func (nopQueue) EnqueueProcess(context.Context, int64) error { return nil }

func newMediaEnv(t *testing.T) *mediaEnv {
	return newMediaEnvWith(t, nil)
}

// newMediaEnvWith uses blobs, or the blob folder when it is nil.
func newMediaEnvWith(t *testing.T, blobs media.Blobs) *mediaEnv {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	disk, err := media.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	if blobs == nil {
		blobs = disk
	}
	svc := &media.Service{Store: st, Blobs: blobs, TempDir: disk.TempDir(), Limits: media.DefaultLimits(), Queue: nopQueue{}}
	clk := &clock{t: time.Now().UTC()}
	e := &env{t: t, clock: clk, accounts: accounts.New(st, clk.Now), posts: publishing.New(st, clk.Now), comments: discussion.New(st, clk.Now)}
	h, err := ui.New(ui.Deps{Accounts: e.accounts, Posts: e.posts, Comments: e.comments, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler), Media: svc})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return &mediaEnv{env: e, st: st, svc: svc, dir: dir,
		proc: &media.Processor{Store: st, Blobs: blobs, TempDir: disk.TempDir(), Tools: media.FindTools()}}
}

// storeBlob stores content as a blob directly and returns its key.
func (e *mediaEnv) storeBlob(content []byte, ext string) string {
	e.t.Helper()
	key := media.KeyFor(sha(content), ext)
	p := filepath.Join(e.svc.TempDir, "t")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		e.t.Fatal(err)
	}
	if err := e.svc.Blobs.PutFile(e.t.Context(), key, p); err != nil {
		e.t.Fatal(err)
	}
	return key
}

func (b *browser) rangeGet(path, rng string) *resp {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	return b.do(req)
}

func TestServeMediaRanges(t *testing.T) {
	testServeMediaRanges(t, newMediaEnv(t))
}

// Media in an S3 bucket is served through the same route, proxied: each
// range is fetched from the bucket as a range.
func TestServeMediaRangesFromS3(t *testing.T) {
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	c, err := minio.New(srv.Listener.Addr().String(), &minio.Options{Creds: credentials.NewStaticV4("k", "s", "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.MakeBucket(t.Context(), "media", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	s3, err := media.NewS3(t.Context(), media.S3Config{Endpoint: "http://" + srv.Listener.Addr().String(), Bucket: "media", AccessKey: "k", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	testServeMediaRanges(t, newMediaEnvWith(t, s3))
}

func testServeMediaRanges(t *testing.T, e *mediaEnv) {
	content := bytes.Repeat([]byte("0123456789"), 10000) // 100,000 bytes
	key := e.storeBlob(content, "mp4")
	b := e.browser()
	path := "/media/" + key

	r := b.rangeGet(path, "")
	wantStatus(t, r, 200)
	if r.body != string(content) || r.Header.Get("Content-Length") != "100000" || r.Header.Get("Accept-Ranges") != "bytes" ||
		r.Header.Get("Content-Type") != "video/mp4" || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("full GET: %d bytes, headers %v", len(r.body), r.Header)
	}
	for _, tc := range []struct{ rng, want, cr string }{
		{"bytes=0-9", "0123456789", "bytes 0-9/100000"},
		{"bytes=99995-", "56789", "bytes 99995-99999/100000"},
		{"bytes=-3", "789", "bytes 99997-99999/100000"},
		{"bytes=50003-50005", "345", "bytes 50003-50005/100000"},
		{"bytes=99998-200000", "89", "bytes 99998-99999/100000"}, // the end is clamped
	} {
		r := b.rangeGet(path, tc.rng)
		wantStatus(t, r, 206)
		if r.body != tc.want || r.Header.Get("Content-Range") != tc.cr || r.Header.Get("Content-Length") != strconv.Itoa(len(tc.want)) {
			t.Errorf("Range %s: %q, Content-Range %q, Content-Length %q", tc.rng, r.body, r.Header.Get("Content-Range"), r.Header.Get("Content-Length"))
		}
	}
	for _, rng := range []string{"bytes=100000-", "bytes=200000-300000", "bytes=abc", "bytes=5-2", "lines=1-2", "bytes=--1", "bytes=-"} {
		r := b.rangeGet(path, rng)
		if r.StatusCode != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("Range %s: status %d, want 416", rng, r.StatusCode)
		}
	}
	if cr := b.rangeGet(path, "bytes=100000-").Header.Get("Content-Range"); cr != "bytes */100000" {
		t.Errorf("416 Content-Range = %q", cr)
	}
	// Conditional requests: the key is the ETag.
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("If-None-Match", r.Header.Get("ETag"))
	if r := b.do(req); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	for _, bad := range []string{"/media/../../etc/passwd", "/media/%2e%2e%2fetc%2fpasswd", "/media/" + strings.Repeat("a", 64) + ".mp4", "/media/" + key + "x"} {
		if r := b.get(bad); r.StatusCode != http.StatusNotFound && (r.StatusCode < 300 || r.StatusCode > 308) { // the mux redirects ../ to the cleaned path
			t.Errorf("GET %s: %d", bad, r.StatusCode)
		}
	}
}

// multipartRequest builds a multipart POST with fields and a file.
func (e *mediaEnv) multipartRequest(path string, fields [][2]string, filename string, file []byte) *http.Request {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func TestEditorUploadJSON(t *testing.T) {
	e := newMediaEnv(t)
	e.account("pub", "Publisher", news.RolePublisher)
	e.account("reader", "Reader", news.RoleReader)
	anon := e.browser()
	r := anon.do(e.multipartRequest("/media", nil, "a.png", mediatest.PNG(8, 8)))
	if r.StatusCode != 401 || !strings.Contains(r.body, `"unauthorized"`) {
		t.Fatalf("signed out: %d %s", r.StatusCode, r.body)
	}
	reader := e.browser()
	reader.signIn("reader")
	if r := reader.do(e.multipartRequest("/media", nil, "a.png", mediatest.PNG(8, 8))); r.StatusCode != 403 {
		t.Fatalf("reader: %d %s", r.StatusCode, r.body)
	}
	pub := e.browser()
	pub.signIn("pub")
	r = pub.do(e.multipartRequest("/media", nil, "../../etc/passwd", mediatest.PNG(30, 20)))
	wantStatus(t, r, 201)
	var out struct {
		ID       int64
		Kind     string
		URL      string
		Markdown string
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || out.Kind != "image" || !strings.HasPrefix(out.URL, "/media/") || out.Markdown != "![]("+out.URL+")" {
		t.Fatalf("upload answered %s (%v)", r.body, err)
	}
	if r := pub.do(e.multipartRequest("/media", nil, "x.svg", []byte("<svg onload=alert(1)>"))); r.StatusCode != 415 {
		t.Fatalf("svg: %d %s", r.StatusCode, r.body)
	}
	// From another site: refused before anything is read.
	req := e.multipartRequest("/media", nil, "a.png", mediatest.PNG(8, 8))
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := pub.do(req); r.StatusCode != 403 {
		t.Fatalf("cross-site upload: %d", r.StatusCode)
	}
}

// Without JavaScript the file goes with the form: the post is a video or
// image post, and a bad file shows the form again with what was typed.
func TestWriteFormWithFile(t *testing.T) {
	e := newMediaEnv(t)
	e.account("pub", "Publisher", news.RolePublisher)
	pub := e.browser()
	pub.signIn("pub")
	fields := [][2]string{{"title", "Парад 阅兵"}, {"summary", "Кратко"}, {"body", ""}, {"lang", "ru"}, {"action", "publish"}}

	r := pub.do(e.multipartRequest("/write", fields, "fake.jpg", []byte("<svg><script>alert(1)</script></svg>")))
	wantStatus(t, r, 415)
	if !contains(r.body, "SVG images are not accepted") || !strings.Contains(r.body, `value="Парад 阅兵"`) || !strings.Contains(r.body, "Кратко") {
		t.Fatalf("the form was not shown again with the message and the typed text:\n%s", r.body)
	}
	assertSafe(t, "refused upload", r.body)

	r = pub.do(e.multipartRequest("/write", fields, "photo.jpg", mediatest.JPEG(700, 400)))
	wantStatus(t, r, 303)
	page := pub.get(r.Location())
	wantStatus(t, page, 200)
	if !strings.Contains(page.body, `<img class="post-image" src="/media/`) || !contains(page.body, "processing…") || !contains(page.body, "700×400") {
		t.Fatalf("the post page does not show the image being processed:\n%s", page.body)
	}

	// Once processed, the page offers the variants.
	var id int64
	for _, m := range listProcessing(t, e) {
		id = m.ID
	}
	if err := e.proc.Process(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	page = pub.get(r.Location())
	if !strings.Contains(page.body, `srcset="/media/`) || !strings.Contains(page.body, " 320w, /media/") || contains(page.body, "processing…") {
		t.Fatalf("no srcset after processing:\n%s", page.body)
	}
}

func listProcessing(t *testing.T, e *mediaEnv) []*news.Media {
	t.Helper()
	ms, err := e.st.ListMediaByStatus(t.Context(), news.MediaProcessing, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// A video post shows a player with a poster, its subtitle tracks, the
// duration and the dimensions.
func TestVideoPostPage(t *testing.T) {
	e := newMediaEnv(t)
	a := e.account("embassy", "Embassy", news.RolePublisher)
	f, err := os.Open(mediatest.Video(t, 2, 320, 240, "mp4"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := e.svc.Upload(t.Context(), a, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ lang, label string }{{"ru", "Русский"}, {"en", "English"}} {
		_, err := e.svc.AddSubtitle(t.Context(), a, m.ID, media.SubtitleInput{Lang: s.lang, Label: s.label,
			Body: strings.NewReader("WEBVTT\n\n00:00.000 --> 00:01.000\n" + s.label + "\n")})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := e.proc.Process(t.Context(), m.ID); err != nil {
		t.Fatal(err)
	}
	p, err := e.posts.Publish(t.Context(), a, publishing.Input{Title: "大使讲话", Lang: "zh", Kind: "video"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Attach(t.Context(), p, m.ID); err != nil {
		t.Fatal(err)
	}
	page := e.browser().get(news.PostPath(p))
	wantStatus(t, page, 200)
	m, _ = e.svc.Get(t.Context(), m.ID)
	for _, want := range []string{
		fmt.Sprintf(`<video class="player" controls preload="metadata" src="/media/%s" poster="/media/%s" width="320" height="240">`, m.Key, m.PosterKey),
		`<track kind="subtitles" srclang="en" label="English" src="/media/`,
		`<track kind="subtitles" srclang="ru" label="Русский" src="/media/`,
	} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("the page lacks %s:\n%s", want, page.body)
		}
	}
	if !contains(page.body, "0:02") || !contains(page.body, "320×240") || contains(page.body, "processing…") {
		t.Fatalf("duration or dimensions missing:\n%s", page.body)
	}
	// The poster and a subtitle track are served.
	if r := e.browser().get("/media/" + m.PosterKey); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("poster: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r := e.browser().get("/media/" + m.Subtitles[0].Key); r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/vtt") {
		t.Fatalf("subtitles: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
}

func sha(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// A post whose media failed says so; only its author reads why.
func TestFailedMediaOnPostPage(t *testing.T) {
	e := newMediaEnv(t)
	a := e.account("pub", "Publisher", news.RolePublisher)
	e.account("reader", "Reader", news.RoleReader)
	m, err := e.svc.Upload(t.Context(), a, bytes.NewReader(mediatest.PNG(40, 30)))
	if err != nil {
		t.Fatal(err)
	}
	const why = "the image cannot be decoded"
	if err := e.st.FailMedia(t.Context(), m.ID, why, true); err != nil {
		t.Fatal(err)
	}
	p, err := e.posts.Publish(t.Context(), a, publishing.Input{Title: "Broken", Kind: "image"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Attach(t.Context(), p, m.ID); err != nil {
		t.Fatal(err)
	}
	author, reader := e.browser(), e.browser()
	author.signIn("pub")
	reader.signIn("reader")
	if page := author.get(news.PostPath(p)); !contains(page.body, "This image could not be processed. "+why) {
		t.Fatalf("the author does not see why:\n%s", page.body)
	}
	page := reader.get(news.PostPath(p))
	if !contains(page.body, "This image could not be processed.") || strings.Contains(page.body, why) {
		t.Fatalf("a reader sees:\n%s", page.body)
	}
}
