package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// Blobs keeps media bytes under keys. Keys are content addresses (KeyFor):
// writing a key that exists is a no-op, and a key's bytes never change, so
// anything served under one may be cached forever.
type Blobs interface {
	// PutFile stores the file at path under key. The file may be moved
	// (renamed) rather than copied, so the caller must not use it after.
	PutFile(ctx context.Context, key, path string) error
	// Open returns the blob for reading with seeking (range requests), or
	// a NotFound error.
	Open(ctx context.Context, key string) (Blob, error)
	// Delete removes the blob; a missing one is not an error.
	Delete(ctx context.Context, key string) error
	// Name says where blobs go, for logs and the admin page.
	Name() string
}

// Blob is one stored blob open for reading.
type Blob interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}

// localPather is a Blobs that keeps blobs as files processing can read in
// place, instead of fetching a copy.
type localPather interface {
	localPath(key string) string
}

// keyRe is the shape of every key: a sha256 in hex and a known extension.
// Nothing else names a blob, so a key from a URL cannot name a path.
var keyRe = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png|gif|webp|mp4|mov|webm|vtt)$`)

// ValidKey reports whether key has the shape of a blob key.
func ValidKey(key string) bool { return keyRe.MatchString(key) }

// KeyFor is the key of content with this sha256 sum and extension.
func KeyFor(sum []byte, ext string) string { return hex.EncodeToString(sum) + "." + ext }

// ContentType is the Content-Type a key is served with.
func ContentType(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		if t := mimeByExt[key[i+1:]]; t != "" {
			return t
		}
	}
	return "application/octet-stream"
}

// hashFile returns the key of the file at path.
func hashFile(path, ext string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return KeyFor(h.Sum(nil), ext), n, nil
}

var errNoBlob = &news.Error{Code: news.NotFound, Message: "That media file does not exist."}

// Disk keeps blobs in a folder, sharded by the first two byte pairs of the
// key (ab/cd/abcd….mp4) so that no directory grows past a few thousand
// entries. Files arrive in its tmp folder, on the same file system, and are
// renamed into place: a reader never sees half a file, and an upload cut
// off midway leaves only a temporary file, which is removed.
type Disk struct {
	dir string
}

// NewDisk returns the blob folder at dir, creating it.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("media folder: %w", err)
	}
	return &Disk{dir: dir}, nil
}

// TempDir is where uploads are written before they become blobs.
func (d *Disk) TempDir() string { return filepath.Join(d.dir, "tmp") }

// Name says where the blobs are.
func (d *Disk) Name() string { return "folder " + d.dir }

func (d *Disk) localPath(key string) string {
	return filepath.Join(d.dir, key[0:2], key[2:4], key)
}

// PutFile renames the file at path into place (it must be on the same file
// system, as TempDir is), or copies it when it is not.
func (d *Disk) PutFile(ctx context.Context, key, path string) error {
	if !ValidKey(key) {
		return fmt.Errorf("put blob: bad key %q", key)
	}
	dst := d.localPath(key)
	if _, err := os.Stat(dst); err == nil {
		return os.Remove(path) // same content already stored
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	if err := os.Rename(path, dst); err == nil {
		return syncDir(filepath.Dir(dst))
	}
	// Another file system: copy into a temporary file beside dst, sync it,
	// then rename, so dst appears whole or not at all.
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(path)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("put blob: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	os.Remove(path)
	return syncDir(filepath.Dir(dst))
}

// syncDir makes a rename durable: the directory entry is on disk too.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open opens the blob's file.
func (d *Disk) Open(ctx context.Context, key string) (Blob, error) {
	if !ValidKey(key) {
		return nil, errNoBlob
	}
	f, err := os.Open(d.localPath(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoBlob
	} else if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return fileBlob{File: f, info: st}, nil
}

type fileBlob struct {
	*os.File
	info fs.FileInfo
}

func (b fileBlob) Size() int64        { return b.info.Size() }
func (b fileBlob) ModTime() time.Time { return b.info.ModTime() }

// Delete removes the blob's file.
func (d *Disk) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	if err := os.Remove(d.localPath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// CleanTemp removes temporary files older than age: what uploads cut off
// by a crash left behind. Serve calls it on start.
func CleanTemp(dir string, age time.Duration) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}
