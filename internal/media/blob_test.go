package media_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// newS3 serves a real S3 protocol server (gofakes3, in memory) on
// 127.0.0.1 and returns a bucket on it.
func newS3(t *testing.T) *media.S3 {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	host := srv.Listener.Addr().String()
	c, err := minio.New(host, &minio.Options{Creds: credentials.NewStaticV4("test-key", "test-secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.MakeBucket(t.Context(), "headline-media", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	s3, err := media.NewS3(t.Context(), media.S3Config{Endpoint: "http://" + host, Bucket: "headline-media",
		AccessKey: "test-key", SecretKey: "test-secret"})
	if err != nil {
		t.Fatal(err)
	}
	return s3
}

func TestBlobsDisk(t *testing.T) {
	d, err := media.NewDisk(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	testBlobs(t, d, d.TempDir())
}

func TestBlobsS3(t *testing.T) {
	testBlobs(t, newS3(t), t.TempDir())
}

func TestS3MissingBucket(t *testing.T) {
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer srv.Close()
	_, err := media.NewS3(t.Context(), media.S3Config{Endpoint: "http://" + srv.Listener.Addr().String(), Bucket: "nope", AccessKey: "k", SecretKey: "s"})
	if err == nil {
		t.Fatal("NewS3 accepted a bucket that does not exist")
	}
}

// testBlobs is the conformance test every Blobs passes.
func testBlobs(t *testing.T, b media.Blobs, tmp string) {
	ctx := t.Context()
	content := bytes.Repeat([]byte("Headline 新闻 Новости "), 5000)
	sum := sha256.Sum256(content)
	key := media.KeyFor(sum[:], "mp4")
	put := func() {
		t.Helper()
		p := filepath.Join(tmp, "upload")
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := b.PutFile(ctx, key, p); err != nil {
			t.Fatalf("PutFile: %v", err)
		}
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("PutFile left its source file: %v", err)
		}
	}
	put()
	put() // the same content again is a no-op

	bl, err := b.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if bl.Size() != int64(len(content)) || bl.ModTime().IsZero() {
		t.Fatalf("Size %d, ModTime %v", bl.Size(), bl.ModTime())
	}
	got, err := io.ReadAll(bl)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
	// Seeking is what range requests do.
	if _, err := bl.Seek(1000, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	part := make([]byte, 500)
	if _, err := io.ReadFull(bl, part); err != nil || !bytes.Equal(part, content[1000:1500]) {
		t.Fatalf("read after seek: %v", err)
	}
	if end, err := bl.Seek(0, io.SeekEnd); err != nil || end != int64(len(content)) {
		t.Fatalf("Seek(end) = %d, %v", end, err)
	}
	bl.Close()

	for _, bad := range []string{"missing" + key[7:], "../../etc/passwd", "", key + "/x", "ab/" + key} {
		_, err := b.Open(ctx, bad)
		if news.ErrorCode(err) != news.NotFound {
			t.Fatalf("Open(%q) = %v, want NotFound", bad, err)
		}
	}
	if err := b.PutFile(ctx, "../../etc/passwd", filepath.Join(tmp, "x")); err == nil {
		t.Fatal("PutFile took a key that is a path")
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := b.Open(ctx, key); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("Open after Delete = %v", err)
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Fatalf("Delete of a missing blob: %v", err)
	}
	if b.Name() == "" {
		t.Fatal("Name is empty")
	}
}
