package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/png"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/media/mediatest"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// readBlob returns a stored blob's bytes.
func readBlob(t *testing.T, b media.Blobs, key string) []byte {
	t.Helper()
	bl, err := b.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("open blob %s: %v", key, err)
	}
	defer bl.Close()
	data, err := io.ReadAll(bl)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func noLocation(t *testing.T, what string, data []byte) {
	t.Helper()
	lat := binary.BigEndian.AppendUint32(nil, mediatest.SecretLatitude)
	if bytes.Contains(data, []byte(mediatest.Secret)) || bytes.Contains(data, lat) {
		t.Fatalf("%s still carries the EXIF description or GPS latitude", what)
	}
}

func TestImageVariantsOrientedAndStripped(t *testing.T) {
	e := newEnv(t)
	// 1600×800 stored sideways: orientation 6 means "turn 90° clockwise",
	// so it is shown 800 wide and 1600 high.
	src := mediatest.JPEGWithGPS(1600, 800, 6)
	if !bytes.Contains(src, []byte(mediatest.Secret)) {
		t.Fatal("the sample has no EXIF to strip")
	}
	m, err := e.upload(t, src)
	must(t, err)
	if m.Status != news.MediaProcessing || m.Kind != news.MediaImage || m.MIME != "image/jpeg" || len(e.queue.ids) != 1 {
		t.Fatalf("uploaded %+v, queued %v", m, e.queue.ids)
	}
	orig := readBlob(t, e.svc.Blobs, m.Key)
	noLocation(t, "the stored original", orig)
	if _, err := media.Sniff(orig); err != nil {
		t.Fatal(err)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(orig)); err != nil || cfg.Width != 1600 {
		t.Fatalf("the stripped original does not decode: %v %+v", err, cfg)
	}

	must(t, e.proc.Process(t.Context(), m.ID))
	got, err := e.st.MediaByID(t.Context(), m.ID)
	must(t, err)
	if got.Status != news.MediaReady || got.Width != 800 || got.Height != 1600 || got.Attempts != 1 {
		t.Fatalf("processed: %+v, want ready, 800×1600 (upright), one attempt", got)
	}
	// 1280 is not narrower than 800: never upscaled.
	if len(got.Variants) != 2 || got.Variants[0].Width != 320 || got.Variants[1].Width != 640 {
		t.Fatalf("variants %+v, want 320 and 640", got.Variants)
	}
	for _, v := range got.Variants {
		data := readBlob(t, e.svc.Blobs, v.Key)
		noLocation(t, "a variant", data)
		if bytes.Contains(data, []byte("Exif\x00\x00")) {
			t.Fatal("a variant carries EXIF at all")
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != v.Width || cfg.Height != v.Width*2 || v.Height != cfg.Height || v.Size != int64(len(data)) {
			t.Fatalf("variant %+v decodes as %+v (%v), want aspect 1:2 kept", v, cfg, err)
		}
	}

	// Idempotent: a second run (a retried job) leaves it as it is.
	must(t, e.proc.Process(t.Context(), m.ID))
	again, _ := e.st.MediaByID(t.Context(), m.ID)
	if again.Attempts != 1 || len(again.Variants) != 2 {
		t.Fatalf("a second Process changed a ready item: %+v", again)
	}
}

func TestPNGWithAlphaKeepsPNGVariants(t *testing.T) {
	e := newEnv(t)
	img := image.NewNRGBA(image.Rect(0, 0, 700, 300))
	var buf bytes.Buffer
	must(t, pngEncode(&buf, img))
	m, err := e.upload(t, buf.Bytes())
	must(t, err)
	must(t, e.proc.Process(t.Context(), m.ID))
	got, _ := e.st.MediaByID(t.Context(), m.ID)
	if len(got.Variants) != 2 || !strings.HasSuffix(got.Variants[0].Key, ".png") {
		t.Fatalf("variants %+v, want two PNGs", got.Variants)
	}
}

func TestVideoProcessing(t *testing.T) {
	e := newEnv(t)
	path := mediatest.Video(t, 3, 320, 240, "mp4")
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	m, err := e.svc.Upload(t.Context(), e.pub, f)
	must(t, err)
	if m.Kind != news.MediaVideo || m.MIME != "video/mp4" {
		t.Fatalf("uploaded %+v", m)
	}
	if moovBeforeMdat(readBlob(t, e.svc.Blobs, m.Key)) {
		t.Fatal("the sample already starts fast; the test would prove nothing")
	}
	must(t, e.proc.Process(t.Context(), m.ID))
	got, err := e.st.MediaByID(t.Context(), m.ID)
	must(t, err)
	if got.Status != news.MediaReady || got.Width != 320 || got.Height != 240 || got.VideoCodec != "h264" || got.AudioCodec != "aac" {
		t.Fatalf("processed: %+v", got)
	}
	if got.Duration < 2900*time.Millisecond || got.Duration > 3100*time.Millisecond {
		t.Fatalf("Duration = %v, want about 3s", got.Duration)
	}
	if got.Key == m.Key || !moovBeforeMdat(readBlob(t, e.svc.Blobs, got.Key)) {
		t.Fatalf("the served file %s is not the fast-start remux", got.Key)
	}
	if _, err := e.svc.Blobs.Open(t.Context(), m.Key); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("the replaced original is still stored: %v", err)
	}
	poster := readBlob(t, e.svc.Blobs, got.PosterKey)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(poster))
	if err != nil || format != "jpeg" || cfg.Width != 320 {
		t.Fatalf("poster: %s %+v %v", format, cfg, err)
	}
}

func TestWebMIsKeptAsUploaded(t *testing.T) {
	e := newEnv(t)
	f, err := os.Open(mediatest.Video(t, 1, 160, 120, "webm"))
	must(t, err)
	defer f.Close()
	m, err := e.svc.Upload(t.Context(), e.pub, f)
	must(t, err)
	must(t, e.proc.Process(t.Context(), m.ID))
	got, _ := e.st.MediaByID(t.Context(), m.ID)
	if got.Status != news.MediaReady || got.Key != m.Key || got.MIME != "video/webm" || got.VideoCodec != "vp8" || got.PosterKey == "" {
		t.Fatalf("processed webm: %+v", got)
	}
}

// moovBeforeMdat reports whether an MP4's index comes before its data.
func moovBeforeMdat(b []byte) bool {
	moov, mdat := bytes.Index(b, []byte("moov")), bytes.Index(b, []byte("mdat"))
	return moov >= 0 && mdat >= 0 && moov < mdat
}

// A file that passes the upload checks but that ffprobe cannot read is
// retried, then marked failed with the reason the author sees.
func TestFailedProcessingRecordsReason(t *testing.T) {
	mediatest.RequireFFmpeg(t)
	e := newEnv(t)
	e.proc.MaxAttempts = 2
	// Well-formed boxes, nothing playable inside.
	fake := append([]byte("\x00\x00\x00\x10ftypisom\x00\x00\x02\x00"), []byte("\x00\x00\x00\x10moov\x00\x00\x00\x00\x00\x00\x00\x00")...)
	m, err := e.upload(t, fake)
	must(t, err)
	if err := e.proc.Process(t.Context(), m.ID); err == nil {
		t.Fatal("the first failed run returned nil; the queue would not retry")
	}
	got, _ := e.st.MediaByID(t.Context(), m.ID)
	if got.Status != news.MediaProcessing || got.Failure == "" {
		t.Fatalf("after one failed run: %+v", got)
	}
	must(t, e.proc.Process(t.Context(), m.ID)) // the last attempt: recorded, nothing to retry
	got, _ = e.st.MediaByID(t.Context(), m.ID)
	if got.Status != news.MediaFailed || got.Attempts != 2 || !strings.Contains(got.Failure, "no video stream") {
		t.Fatalf("after the last attempt: %+v", got)
	}
	_, err = e.svc.MainMedia(t.Context(), e.pub, m.ID)
	wantCode(t, "posting failed media", err, news.Invalid)
}

func TestWithoutFFmpegVideosStillWork(t *testing.T) {
	e := newEnv(t)
	e.proc.Tools = media.Tools{}
	f, err := os.Open(mediatest.Video(t, 1, 160, 120, "mp4"))
	must(t, err)
	defer f.Close()
	m, err := e.svc.Upload(t.Context(), e.pub, f)
	must(t, err)
	must(t, e.proc.Process(t.Context(), m.ID))
	got, _ := e.st.MediaByID(t.Context(), m.ID)
	if got.Status != news.MediaReady || got.Key != m.Key || got.PosterKey != "" {
		t.Fatalf("without ffmpeg: %+v, want ready as uploaded, no poster", got)
	}
	caps := media.Tools{}.Capabilities()
	if len(caps) != 3 || caps[1].OK || caps[2].OK || !strings.Contains(caps[2].Note, "without posters") {
		t.Fatalf("capabilities without tools: %+v", caps)
	}
}

func TestRequeueAndRelease(t *testing.T) {
	e := newEnv(t)
	a, err := e.upload(t, mediatest.JPEG(400, 300))
	must(t, err)
	b, err := e.upload(t, mediatest.PNG(50, 50))
	must(t, err)
	must(t, e.proc.Process(t.Context(), b.ID))
	e.queue.ids = nil
	n, err := e.svc.Requeue(t.Context())
	must(t, err)
	if n != 1 || len(e.queue.ids) != 1 || e.queue.ids[0] != a.ID {
		t.Fatalf("Requeue queued %v, want only the item still processing (#%d)", e.queue.ids, a.ID)
	}
	must(t, e.proc.Process(t.Context(), a.ID))
	a, _ = e.st.MediaByID(t.Context(), a.ID)

	post := &news.Post{AuthorID: e.pub.ID, Title: "t", Slug: "t", Status: news.PostDraft,
		BodyMarkdown: "![photo](" + media.URL(a.Key) + ") and a link to a file that is not ours: /media/" + strings.Repeat("0", 64) + ".jpg"}
	must(t, e.st.CreatePost(t.Context(), post))
	must(t, e.svc.Attach(t.Context(), post, b.ID))
	must(t, e.svc.Fill(t.Context(), post))
	if post.Media == nil || post.Media.ID != b.ID {
		t.Fatalf("Fill: %+v", post.Media)
	}
	_, embedded, err := e.st.PostMedia(t.Context(), post.ID)
	must(t, err)
	if len(embedded) != 1 || embedded[0].ID != a.ID {
		t.Fatalf("embedded = %+v, want the image linked in the body", embedded)
	}
	must(t, e.svc.ReleasePost(t.Context(), post.ID))
	for _, key := range []string{a.Key, a.Variants[0].Key, b.Key} {
		if _, err := os.Stat(filepath.Join(e.dir, "media", key[0:2], key[2:4], key)); !os.IsNotExist(err) {
			t.Fatalf("blob %s survived its release: %v", key, err)
		}
	}
}

func pngEncode(w io.Writer, img image.Image) error { return png.Encode(w, img) }

// With blobs in S3, processing fetches a temporary copy, and the variants
// go to the bucket; nothing is left in the work folder.
func TestProcessWithS3(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "headline.db"))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	tmp := filepath.Join(dir, "tmp")
	must(t, os.MkdirAll(tmp, 0o750))
	e := newEnvWith(t, st, newS3(t), tmp, dir)
	m, err := e.upload(t, mediatest.JPEGWithGPS(900, 600, 1))
	must(t, err)
	noLocation(t, "the original in S3", readBlob(t, e.svc.Blobs, m.Key))
	must(t, e.proc.Process(t.Context(), m.ID))
	got, _ := e.st.MediaByID(t.Context(), m.ID)
	if got.Status != news.MediaReady || len(got.Variants) != 2 {
		t.Fatalf("processed from S3: %+v", got)
	}
	for _, v := range got.Variants {
		noLocation(t, "a variant in S3", readBlob(t, e.svc.Blobs, v.Key))
	}
	if left := e.tempFiles(t); len(left) > 0 {
		t.Fatalf("left in the work folder: %v", left)
	}
}

func TestWebPMetadataStripped(t *testing.T) {
	e := newEnv(t)
	src := mediatest.WebPWithEXIF(t, 700, 500)
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(src)); err != nil || format != "webp" || cfg.Width != 700 {
		t.Fatalf("the sample does not decode: %v %s %+v", err, format, cfg)
	}
	m, err := e.upload(t, src)
	must(t, err)
	orig := readBlob(t, e.svc.Blobs, m.Key)
	noLocation(t, "the stored WebP", orig)
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(orig)); err != nil || cfg.Width != 700 || cfg.Height != 500 {
		t.Fatalf("the stripped WebP does not decode: %v %+v", err, cfg)
	}
	if string(orig[12:16]) != "VP8X" || orig[20]&0x08 != 0 || binary.LittleEndian.Uint32(orig[4:]) != uint32(len(orig)-8) {
		t.Fatal("the EXIF flag or the RIFF size is wrong after stripping")
	}
	must(t, e.proc.Process(t.Context(), m.ID))
	got, _ := e.st.MediaByID(t.Context(), m.ID)
	if got.Status != news.MediaReady || len(got.Variants) != 2 {
		t.Fatalf("processed WebP: %+v", got)
	}
}

// A video in a codec browsers cannot play (MPEG-4 part 2) is transcoded to
// H.264 when transcoding is on, and kept (remuxed) when it is off.
func TestTranscodeUnplayable(t *testing.T) {
	path := mediatest.VideoCodec(t, 1, 176, 144, "mp4", "mpeg4")
	for _, on := range []bool{true, false} {
		e := newEnv(t)
		e.proc.Transcode = on
		f, err := os.Open(path)
		must(t, err)
		m, err := e.svc.Upload(t.Context(), e.pub, f)
		f.Close()
		must(t, err)
		must(t, e.proc.Process(t.Context(), m.ID))
		got, _ := e.st.MediaByID(t.Context(), m.ID)
		want := "mpeg4"
		if on {
			want = "h264"
		}
		if got.Status != news.MediaReady || got.VideoCodec != want || got.MIME != "video/mp4" || got.Key == m.Key {
			t.Fatalf("transcode %v: %+v, want %s", on, got, want)
		}
		// What is stored is what the row says.
		stored := filepath.Join(t.TempDir(), "stored.mp4")
		must(t, os.WriteFile(stored, readBlob(t, e.svc.Blobs, got.Key), 0o600))
		out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", stored).Output()
		if err != nil || strings.TrimSpace(string(out)) != want {
			t.Fatalf("transcode %v: the stored file's codec is %q (%v), want %s", on, out, err, want)
		}
	}
}

// releaseMidway deletes the post using the media just before the run that
// processed it records its result, as a delete racing a slow job would.
type releaseMidway struct {
	*sqlite.Store
	release func()
}

func (r releaseMidway) FinishMedia(ctx context.Context, id int64, res news.MediaResult) error {
	r.release()
	return r.Store.FinishMedia(ctx, id, res)
}

// TestDeletedWhileProcessingLeavesNoFiles: the variants a run made for an
// upload whose post was deleted meanwhile are removed, not left behind.
func TestDeletedWhileProcessingLeavesNoFiles(t *testing.T) {
	e := newEnv(t)
	m, err := e.upload(t, mediatest.JPEG(1600, 800))
	must(t, err)
	post := &news.Post{AuthorID: e.pub.ID, Title: "t", Slug: "t", Status: news.PostDraft}
	must(t, e.st.CreatePost(t.Context(), post))
	must(t, e.svc.Attach(t.Context(), post, m.ID))
	proc := *e.proc
	proc.Store = releaseMidway{Store: e.st, release: func() { must(t, e.svc.ReleasePost(t.Context(), post.ID)) }}
	must(t, proc.Process(t.Context(), m.ID))
	var left []string
	filepath.WalkDir(filepath.Join(e.dir, "media"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(path, string(filepath.Separator)+"tmp") {
			left = append(left, path)
		}
		return nil
	})
	if len(left) > 0 {
		t.Fatalf("files left after the upload's post was deleted: %v", left)
	}
}
