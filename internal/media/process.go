package media

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/disintegration/imaging"

	"github.com/headline/headline/internal/news"
)

// Processor turns an accepted upload into a ready one: it probes videos and
// makes their poster and fast-start MP4, and makes resized variants of
// images. Process is what a background job runs.
type Processor struct {
	Store   news.MediaStore
	Blobs   Blobs
	TempDir string // for work files; on the same file system as a Disk's blobs
	Tools   Tools
	// MaxAttempts is how many runs a media item gets before it is marked
	// failed (0: 3).
	MaxAttempts int
	// Transcode turns videos browsers cannot play (HEVC, ProRes, MPEG-4
	// part 2, …) into H.264/AAC MP4. It costs minutes of CPU per minute of
	// video on a small machine, so operators may turn it off.
	Transcode bool
	// VariantWidths are the widths of image variants (nil: 320, 640, 1280).
	VariantWidths []int
	Log           *slog.Logger
}

// Queue is where accepted uploads wait for processing. The job system
// implements it; Process is what its worker runs.
type Queue interface {
	EnqueueProcess(ctx context.Context, mediaID int64) error
}

func (p *Processor) maxAttempts() int {
	if p.MaxAttempts <= 0 {
		return 3
	}
	return p.MaxAttempts
}

// Process processes one media item. It is idempotent and safe to retry:
// an item no longer processing (ready, failed, deleted) is left alone, and
// every file it writes is content-addressed, so a second run writes the
// same keys. A failed run records its reason; the run that uses up the
// attempts marks the item failed and returns nil (retrying cannot help).
// Other failures return an error, for the queue to retry later.
func (p *Processor) Process(ctx context.Context, mediaID int64) error {
	m, err := p.Store.StartMediaAttempt(ctx, mediaID)
	if news.ErrorCode(err) == news.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Status != news.MediaProcessing {
		return nil
	}
	res, err := p.run(ctx, m)
	if err == nil {
		err := p.Store.FinishMedia(ctx, m.ID, res)
		if news.ErrorCode(err) == news.NotFound {
			// Deleted while this run worked (its post was deleted): the
			// release removed the files it knew of, not those made since.
			keys := []string{m.Key, res.PosterKey, res.ReplaceKey}
			for _, v := range res.Variants {
				keys = append(keys, v.Key)
			}
			for _, k := range keys {
				if k != "" {
					p.dropIfUnused(ctx, k)
				}
			}
			return nil
		} else if err != nil {
			return err
		}
		if res.ReplaceKey != "" && res.ReplaceKey != m.Key {
			p.dropIfUnused(ctx, m.Key)
		}
		return nil
	}
	if ctx.Err() != nil {
		return err // shutting down: the next start runs it again
	}
	final := m.Attempts >= p.maxAttempts()
	p.log().Warn("media processing failed", "media", m.ID, "attempt", m.Attempts, "final", final, "err", err)
	if ferr := p.Store.FailMedia(ctx, m.ID, reason(err), final); ferr != nil {
		return errors.Join(err, ferr)
	}
	if final {
		return nil
	}
	return fmt.Errorf("process media %d (attempt %d): %w", m.ID, m.Attempts, err)
}

// reason is the failure as its owner reads it: one sentence, bounded.
func reason(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func (p *Processor) log() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}

// dropIfUnused deletes a blob no row names any more.
func (p *Processor) dropIfUnused(ctx context.Context, key string) {
	if used, err := p.Store.BlobInUse(ctx, key); err == nil && !used {
		if err := p.Blobs.Delete(ctx, key); err != nil {
			p.log().Warn("delete unused media blob", "key", key, "err", err)
		}
	}
}

func (p *Processor) run(ctx context.Context, m *news.Media) (news.MediaResult, error) {
	path, done, err := p.local(ctx, m.Key)
	if err != nil {
		return news.MediaResult{}, err
	}
	defer done()
	if m.Kind == news.MediaImage {
		return p.image(ctx, path)
	}
	return p.video(ctx, m, path)
}

// local returns a path to the blob's bytes: the file itself in a Disk, or
// a temporary copy of an S3 object, which done removes.
func (p *Processor) local(ctx context.Context, key string) (string, func(), error) {
	if lp, ok := p.Blobs.(localPather); ok {
		return lp.localPath(key), func() {}, nil
	}
	b, err := p.Blobs.Open(ctx, key)
	if err != nil {
		return "", nil, err
	}
	defer b.Close()
	f, err := os.CreateTemp(p.TempDir, "fetch-*")
	if err != nil {
		return "", nil, err
	}
	_, err = io.Copy(f, b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", nil, fmt.Errorf("fetch blob: %w", err)
	}
	return f.Name(), func() { os.Remove(f.Name()) }, nil
}

func (p *Processor) video(ctx context.Context, m *news.Media, path string) (news.MediaResult, error) {
	pr, err := p.Tools.probe(ctx, path)
	if errors.Is(err, errNoTool) {
		return news.MediaResult{}, nil // served as uploaded, without a poster
	}
	if err != nil {
		return news.MediaResult{}, err
	}
	res := news.MediaResult{Width: pr.Width, Height: pr.Height, Duration: pr.Duration,
		VideoCodec: pr.VideoCodec, AudioCodec: pr.AudioCodec}
	if p.Tools.FFmpeg == "" {
		return res, nil
	}
	src := path
	var convert func(context.Context, string, string) error
	switch {
	case !playable(m.MIME, pr) && p.Transcode:
		convert = p.Tools.transcode
		res.VideoCodec, res.AudioCodec = "h264", ""
		if pr.AudioCodec != "" {
			res.AudioCodec = "aac"
		}
	case m.MIME == "video/mp4" || (m.MIME == "video/quicktime" && playable(m.MIME, pr)):
		convert = p.Tools.remux
	}
	if convert != nil {
		key, size, err := p.produce(ctx, "mp4", func(out string) error { return convert(ctx, src, out) })
		if err != nil {
			return news.MediaResult{}, fmt.Errorf("convert the video: %w", err)
		}
		res.ReplaceKey, res.Size, res.MIME = key, size, "video/mp4"
	}
	at := min(time.Second, pr.Duration/3)
	key, _, err := p.produce(ctx, "jpg", func(out string) error { return p.Tools.poster(ctx, src, out, at) })
	if err != nil {
		return news.MediaResult{}, fmt.Errorf("make a poster frame: %w", err)
	}
	res.PosterKey = key
	return res, nil
}

// produce runs write on a fresh temporary path and stores what it wrote as
// a blob, returning its key and size.
func (p *Processor) produce(ctx context.Context, ext string, write func(out string) error) (string, int64, error) {
	f, err := os.CreateTemp(p.TempDir, "out-*."+ext)
	if err != nil {
		return "", 0, err
	}
	f.Close()
	out := f.Name()
	defer os.Remove(out) // gone already when PutFile renamed it
	if err := write(out); err != nil {
		return "", 0, err
	}
	key, size, err := hashFile(out, ext)
	if err != nil {
		return "", 0, err
	}
	if size == 0 {
		return "", 0, errors.New("the tool wrote nothing")
	}
	return key, size, p.Blobs.PutFile(ctx, key, out)
}

func (p *Processor) widths() []int {
	if p.VariantWidths == nil {
		return []int{320, 640, 1280}
	}
	return p.VariantWidths
}

// image decodes the image, turned upright by its EXIF orientation, and
// writes a re-encoded copy at each variant width narrower than it (never
// upscaled). Re-encoding carries over no metadata at all.
func (p *Processor) image(ctx context.Context, path string) (news.MediaResult, error) {
	img, err := imaging.Open(path, imaging.AutoOrientation(true))
	if err != nil {
		return news.MediaResult{}, fmt.Errorf("the image cannot be decoded (damaged or incomplete): %w", err)
	}
	b := img.Bounds()
	res := news.MediaResult{Width: b.Dx(), Height: b.Dy()}
	ext, enc := encoderFor(img)
	// Widest first, each made from the one before: a 640 from the 1280
	// costs a quarter of a 640 from a 4000-wide original, and halving with
	// Lanczos keeps the detail.
	widths := slices.Clone(p.widths())
	slices.SortFunc(widths, func(a, b int) int { return b - a })
	src := image.Image(img)
	for _, w := range widths {
		if w >= b.Dx() {
			continue
		}
		v := imaging.Resize(src, w, 0, imaging.Lanczos)
		src = v
		key, size, err := p.produce(ctx, ext, func(out string) error { return writeImage(out, v, enc) })
		if err != nil {
			return news.MediaResult{}, fmt.Errorf("write a %dpx variant: %w", w, err)
		}
		res.Variants = append(res.Variants, news.ImageVariant{Width: w, Height: v.Bounds().Dy(), Key: key, Size: size})
	}
	slices.SortFunc(res.Variants, func(a, b news.ImageVariant) int { return a.Width - b.Width })
	return res, nil
}

// encoderFor keeps transparency (PNG) where the source has any, and uses
// JPEG everywhere else: much smaller for photographs.
func encoderFor(img image.Image) (string, func(io.Writer, image.Image) error) {
	if o, ok := img.(interface{ Opaque() bool }); ok && !o.Opaque() {
		return "png", png.Encode
	}
	return "jpg", func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 82}) }
}

func writeImage(path string, img image.Image, enc func(io.Writer, image.Image) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := enc(f, img); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
