package media_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/media/mediatest"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// env is a media service and processor over a real SQLite file and a blob
// folder, with a queue that only records what it was given: the tests run
// Process themselves.
type env struct {
	st    *sqlite.Store
	blobs *media.Disk
	svc   *media.Service
	proc  *media.Processor
	queue *recordQueue
	pub   *news.Account
	dir   string
}

type recordQueue struct{ ids []int64 }

func (q *recordQueue) EnqueueProcess(ctx context.Context, id int64) error {
	q.ids = append(q.ids, id)
	return nil
}

func newEnv(t testing.TB) *env {
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
	return newEnvWith(t, st, disk, disk.TempDir(), dir)
}

func newEnvWith(t testing.TB, st *sqlite.Store, blobs media.Blobs, tmp, dir string) *env {
	t.Helper()
	pub := &news.Account{Handle: "embassy", Name: "Embassy", Role: news.RolePublisher}
	if err := st.CreateAccount(t.Context(), pub, ""); err != nil {
		t.Fatal(err)
	}
	q := &recordQueue{}
	e := &env{st: st, svc: &media.Service{Store: st, Blobs: blobs, TempDir: tmp, Limits: media.DefaultLimits(), Queue: q},
		proc:  &media.Processor{Store: st, Blobs: blobs, TempDir: tmp, Tools: media.FindTools(), Transcode: true},
		queue: q, pub: pub, dir: dir}
	e.blobs, _ = blobs.(*media.Disk)
	return e
}

func (e *env) upload(t *testing.T, b []byte) (*news.Media, error) {
	t.Helper()
	return e.svc.Upload(t.Context(), e.pub, bytes.NewReader(b))
}

func wantCode(t *testing.T, what string, err error, code news.Code) {
	t.Helper()
	if news.ErrorCode(err) != code {
		t.Fatalf("%s: error %v (code %q), want %q", what, err, news.ErrorCode(err), code)
	}
	if code != "" && !strings.HasSuffix(news.ErrorMessage(err), ".") {
		t.Fatalf("%s: message %q is not a sentence", what, news.ErrorMessage(err))
	}
}

// tempFiles lists what is left in the upload folder.
func (e *env) tempFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(e.svc.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	return names
}

func TestUploadRefusesBadFiles(t *testing.T) {
	e := newEnv(t)
	jpg := mediatest.JPEG(64, 48)
	video, err := os.ReadFile(mediatest.Video(t, 1, 64, 48, "mp4"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		body []byte
		code news.Code
		msg  string
	}{
		{"zero bytes", nil, news.Invalid, "empty"},
		{"text that says it is a JPEG", []byte("this is plain text, whatever its name or Content-Type say"), news.Unsupported, "not accepted"},
		{"SVG with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), news.Unsupported, "SVG"},
		{"SVG behind an XML prolog", []byte("<?xml version=\"1.0\"?>\n<svg onload=\"alert(1)\"/>"), news.Unsupported, "SVG"},
		{"HTML", []byte("<!doctype html><script>alert(1)</script>"), news.Unsupported, "not accepted"},
		{"decompression bomb", mediatest.BombPNG(100000, 100000), news.Invalid, "megapixels"},
		{"truncated JPEG", jpg[:len(jpg)/2], news.Invalid, "incomplete"},
		{"truncated MP4", video[:len(video)*2/3], news.Invalid, "incomplete"},
		{"JPEG header, garbage after", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{0x42}, 4000)...), news.Invalid, ""},
		{"Matroska", append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88}, []byte("matroska")...), news.Unsupported, "Matroska"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.upload(t, tc.body)
			wantCode(t, tc.name, err, tc.code)
			if !strings.Contains(news.ErrorMessage(err), tc.msg) {
				t.Fatalf("message %q does not say %q", news.ErrorMessage(err), tc.msg)
			}
			if left := e.tempFiles(t); len(left) > 0 {
				t.Fatalf("a refused upload left %v behind", left)
			}
		})
	}
	if len(e.queue.ids) != 0 {
		t.Fatalf("refused uploads were queued: %v", e.queue.ids)
	}
}

func TestUploadLimits(t *testing.T) {
	e := newEnv(t)
	e.svc.Limits.Image = 2 << 10
	big := mediatest.JPEG(400, 400)
	if len(big) <= 2<<10 {
		t.Fatalf("the sample is only %d bytes", len(big))
	}
	_, err := e.upload(t, big)
	wantCode(t, "image over the limit", err, news.TooLarge)
	if left := e.tempFiles(t); len(left) > 0 {
		t.Fatalf("a refused upload left %v behind", left)
	}
	_, err = e.svc.Upload(t.Context(), nil, bytes.NewReader(mediatest.PNG(8, 8)))
	wantCode(t, "signed out", err, news.Unauthorized)
	reader := &news.Account{Handle: "reader", Role: news.RoleReader}
	must(t, e.st.CreateAccount(t.Context(), reader, ""))
	_, err = e.svc.Upload(t.Context(), reader, bytes.NewReader(mediatest.PNG(8, 8)))
	wantCode(t, "reader", err, news.Forbidden)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// errReader fails after n bytes, as a connection cut off midway.
type errReader struct {
	r io.Reader
	n int
}

func (e *errReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	p = p[:min(len(p), e.n)]
	n, err := e.r.Read(p)
	e.n -= n
	return n, err
}

func TestInterruptedUploadLeavesNothing(t *testing.T) {
	e := newEnv(t)
	body := mediatest.JPEG(800, 600)
	_, err := e.svc.Upload(t.Context(), e.pub, &errReader{r: bytes.NewReader(body), n: len(body) / 2})
	if err == nil {
		t.Fatal("an upload cut off midway was accepted")
	}
	if left := e.tempFiles(t); len(left) > 0 {
		t.Fatalf("left %v behind", left)
	}
	page, _ := e.st.ListMediaByStatus(t.Context(), news.MediaProcessing, 0, 10)
	if len(page) != 0 {
		t.Fatalf("a media row was created: %+v", page[0])
	}
}

func TestSniffIgnoresNames(t *testing.T) {
	for name, b := range map[string][]byte{"image/jpeg": mediatest.JPEG(8, 8), "image/png": mediatest.PNG(8, 8),
		"image/gif": []byte("GIF89a\x01\x00\x01\x00"), "image/webp": []byte("RIFF\x10\x00\x00\x00WEBPVP8 "),
		"video/mp4": []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00"), "video/quicktime": []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00"),
		"video/webm": []byte("\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\x82\x84webm")} {
		got, err := media.Sniff(b)
		if err != nil || got.MIME != name {
			t.Errorf("Sniff(%s sample) = %+v, %v", name, got, err)
		}
	}
}
