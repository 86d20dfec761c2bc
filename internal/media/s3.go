package media

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config selects an S3-compatible bucket (AWS, MinIO, Ceph, R2, …).
type S3Config struct {
	Endpoint  string // host:port, or a URL: http:// turns TLS off
	Bucket    string
	AccessKey string
	SecretKey string
	Region    string // optional
}

// S3 keeps blobs as objects in one bucket, under their keys. Pages and the
// API still link to /media/{key} on the site, which proxies the object
// with range support: one origin for the Content-Security-Policy and the
// cache headers, and private buckets work.
type S3 struct {
	c      *minio.Client
	bucket string
	where  string
}

// NewS3 connects to the bucket and checks that it exists.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	host, secure := cfg.Endpoint, true
	if strings.Contains(host, "://") {
		u, err := url.Parse(host)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("--media-s3-endpoint %q: want host:port or a URL", cfg.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	c, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("media s3: %w", err)
	}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("media s3 %s: %w", host, err)
	}
	if !ok {
		return nil, fmt.Errorf("media s3 %s: bucket %q does not exist", host, cfg.Bucket)
	}
	return &S3{c: c, bucket: cfg.Bucket, where: "s3 bucket " + cfg.Bucket + " at " + host}, nil
}

// Name says where the blobs are.
func (s *S3) Name() string { return s.where }

// PutFile uploads the file (unless an object with that key, hence those
// bytes, exists) and removes it.
func (s *S3) PutFile(ctx context.Context, key, path string) error {
	if !ValidKey(key) {
		return fmt.Errorf("put blob: bad key %q", key)
	}
	if _, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{}); err == nil {
		return os.Remove(path)
	}
	_, err := s.c.FPutObject(ctx, s.bucket, key, path, minio.PutObjectOptions{
		ContentType:  ContentType(key),
		CacheControl: "public, max-age=31536000, immutable",
	})
	if err != nil {
		return fmt.Errorf("put blob to s3: %w", err)
	}
	return os.Remove(path)
}

// Open returns the object; reads after a Seek fetch from that offset, so
// range requests fetch only their range.
func (s *S3) Open(ctx context.Context, key string) (Blob, error) {
	if !ValidKey(key) {
		return nil, errNoBlob
	}
	obj, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("open s3 blob: %w", err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, errNoBlob
		}
		return nil, fmt.Errorf("open s3 blob: %w", err)
	}
	return s3Blob{Object: obj, info: info}, nil
}

type s3Blob struct {
	*minio.Object
	info minio.ObjectInfo
}

func (b s3Blob) Size() int64        { return b.info.Size }
func (b s3Blob) ModTime() time.Time { return b.info.LastModified }

// Delete removes the object.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	if err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil &&
		minio.ToErrorResponse(err).Code != "NoSuchKey" {
		return fmt.Errorf("delete s3 blob: %w", err)
	}
	return nil
}
