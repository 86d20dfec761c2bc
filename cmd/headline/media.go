package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// MediaConfig is where uploads go and what they may be.
type MediaConfig struct {
	MaxImageMB int // per image
	MaxVideoMB int // per video
	Transcode  bool
	Workers    int
	S3         media.S3Config // S3.Endpoint set: a bucket instead of the data folder
}

func defaultMediaConfig() MediaConfig {
	l := media.DefaultLimits()
	return MediaConfig{MaxImageMB: int(l.Image >> 20), MaxVideoMB: int(l.Video >> 20), Transcode: true, Workers: 1}
}

// validate names the first bad media flag.
func (c MediaConfig) validate() error {
	switch {
	case c.MaxImageMB <= 0:
		return fmt.Errorf("--media-max-image-mb %d: want a positive number of MB", c.MaxImageMB)
	case c.MaxVideoMB <= 0:
		return fmt.Errorf("--media-max-video-mb %d: want a positive number of MB", c.MaxVideoMB)
	case c.Workers < 1 || c.Workers > 16:
		return fmt.Errorf("--media-workers %d: want 1 to 16", c.Workers)
	case c.S3.Endpoint != "" && (c.S3.Bucket == "" || c.S3.AccessKey == "" || c.S3.SecretKey == ""):
		return fmt.Errorf("--media-s3-endpoint needs --media-s3-bucket, --media-s3-access-key and --media-s3-secret-key")
	}
	return nil
}

// mediaParts are media uploads and processing, wired for serve.
type mediaParts struct {
	svc     *media.Service
	proc    *media.Processor
	queue   *media.LocalQueue
	caps    []media.Capability
	workers int
}

// openMedia opens the blob store (the data folder's media/ or a bucket)
// and builds the service, the processor and the in-process queue. Uploads
// are first written under the data folder's media/tmp either way.
func openMedia(ctx context.Context, cfg Config, st news.Store, log *slog.Logger) (*mediaParts, error) {
	disk, err := media.NewDisk(filepath.Join(cfg.DataDir, "media"))
	if err != nil {
		return nil, err
	}
	// What a crash left in the upload folder; an hour spares uploads that
	// another instance sharing the folder is receiving right now.
	_ = media.CleanTemp(disk.TempDir(), time.Hour)
	var blobs media.Blobs = disk
	if cfg.Media.S3.Endpoint != "" {
		if blobs, err = media.NewS3(ctx, cfg.Media.S3); err != nil {
			return nil, err
		}
	}
	tools := media.FindTools()
	proc := &media.Processor{Store: st, Blobs: blobs, TempDir: disk.TempDir(), Tools: tools, Transcode: cfg.Media.Transcode, Log: log}
	q := &media.LocalQueue{Process: proc.Process, Log: log}
	limits := media.DefaultLimits()
	limits.Image, limits.Video = int64(cfg.Media.MaxImageMB)<<20, int64(cfg.Media.MaxVideoMB)<<20
	svc := &media.Service{Store: st, Blobs: blobs, TempDir: disk.TempDir(), Limits: limits, Queue: q, Log: log}
	caps := append(tools.Capabilities(), media.Capability{Name: "storage", OK: true, Note: blobs.Name()})
	for _, c := range caps {
		if !c.OK {
			log.Warn("media: "+c.Name+" missing", "note", c.Note)
		}
	}
	return &mediaParts{svc: svc, proc: proc, queue: q, caps: caps, workers: cfg.Media.Workers}, nil
}

// run works the processing queue until ctx ends, after queueing again what
// was still processing when the server last stopped.
func (m *mediaParts) run(ctx context.Context, workers int, log *slog.Logger) {
	go func() {
		n, err := m.svc.Requeue(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("media: requeue unfinished processing", "err", err)
		} else if n > 0 {
			log.Info("media: requeued unfinished processing", "count", n)
		}
	}()
	m.queue.Run(ctx, workers)
}
