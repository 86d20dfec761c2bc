package media

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/headline/headline/internal/news"
)

// Limits bound what an upload may be.
type Limits struct {
	Image     int64 // bytes
	Video     int64 // bytes
	MaxPixels int64 // width × height of an image, checked before decoding
}

// DefaultLimits are 20 MiB per image, 2 GiB per video, 50 megapixels.
func DefaultLimits() Limits {
	return Limits{Image: 20 << 20, Video: 2 << 30, MaxPixels: 50_000_000}
}

// MaxUpload is the most any upload may be, for the request body limit.
func (l Limits) MaxUpload() int64 { return max(l.Image, l.Video) }

func (l Limits) of(k news.MediaKind) int64 {
	if k == news.MediaImage {
		return l.Image
	}
	return l.Video
}

// ingested is an upload that passed every check, stored as a blob.
type ingested struct {
	Type          Type
	Key           string
	Size          int64
	Width, Height int
}

// ingest streams r into a temporary file while hashing it, never holding
// more than a buffer of it in memory, checks it, and stores it as a blob.
// Whatever fails, the temporary file is removed: an interrupted or refused
// upload leaves nothing behind.
func (s *Service) ingest(ctx context.Context, r io.Reader) (*ingested, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffLen)
	if len(head) == 0 {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read upload: %w", err)
		}
		return nil, invalidFile("The file is empty.")
	}
	t, err := Sniff(head)
	if err != nil {
		return nil, err
	}
	limit := s.Limits.of(t.Kind)
	f, err := os.CreateTemp(s.TempDir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("create upload file: %w", err)
	}
	path := f.Name()
	// After PutFile the file was moved or removed, and this finds nothing.
	defer func() {
		f.Close()
		os.Remove(path)
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(br, limit+1))
	if err != nil {
		var ne *news.Error
		if errors.As(err, &ne) {
			return nil, err
		}
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if n > limit {
		return nil, &news.Error{Code: news.TooLarge, Message: fmt.Sprintf("The file is too large: %s files may be at most %d MB.", t.Kind, limit>>20),
			Fields: map[string]string{"file": "too large"}}
	}
	in := &ingested{Type: t, Size: n, Key: KeyFor(h.Sum(nil), t.Ext)}
	if err := checkComplete(f, n, t); err != nil {
		return nil, err
	}
	stored := path
	if t.Kind == news.MediaImage {
		if stored, err = s.cleanImage(f, path, in); err != nil {
			return nil, err
		}
	} else if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("sync upload: %w", err)
	}
	if err := s.Blobs.PutFile(ctx, in.Key, stored); err != nil {
		os.Remove(stored)
		return nil, err
	}
	return in, nil
}

// cleanImage checks an image's dimensions and drops its metadata (see
// strip.go) into a second temporary file, whose key replaces in.Key. It
// returns the path to store.
func (s *Service) cleanImage(f *os.File, path string, in *ingested) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	w, h, err := checkImage(f, s.Limits.MaxPixels)
	if err != nil {
		return "", err
	}
	in.Width, in.Height = w, h
	var strip func(io.Reader, io.Writer) error
	switch in.Type {
	case typeJPEG:
		strip = stripJPEG
	case typePNG:
		strip = stripPNG
	case typeWebP:
		strip = func(_ io.Reader, w io.Writer) error { return stripWebP(f, in.Size, w) }
	default:
		return path, f.Sync()
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	out, err := os.CreateTemp(s.TempDir, "clean-*")
	if err != nil {
		return "", fmt.Errorf("create upload file: %w", err)
	}
	hash := sha256.New()
	cw := &countWriter{w: io.MultiWriter(out, hash)}
	err = strip(f, cw)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		if errors.Is(err, errStructure) {
			return "", invalidFile("The image is damaged or incomplete and cannot be read.")
		}
		return "", fmt.Errorf("strip image metadata: %w", err)
	}
	in.Key, in.Size = KeyFor(hash.Sum(nil), in.Type.Ext), cw.n
	return out.Name(), nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
