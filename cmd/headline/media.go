package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/headline/headline/internal/jobs"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// MediaConfig is where uploads go and what they may be.
type MediaConfig struct {
	MaxImageMB int // per image
	MaxVideoMB int // per video
	Transcode  bool
	S3         media.S3Config // S3.Endpoint set: a bucket instead of the data folder
}

func defaultMediaConfig() MediaConfig {
	l := media.DefaultLimits()
	return MediaConfig{MaxImageMB: int(l.Image >> 20), MaxVideoMB: int(l.Video >> 20), Transcode: true}
}

// validate names the first bad media flag.
func (c MediaConfig) validate() error {
	switch {
	case c.MaxImageMB <= 0:
		return fmt.Errorf("--media-max-image-mb %d: want a positive number of MB", c.MaxImageMB)
	case c.MaxVideoMB <= 0:
		return fmt.Errorf("--media-max-video-mb %d: want a positive number of MB", c.MaxVideoMB)
	case c.S3.Endpoint != "" && (c.S3.Bucket == "" || c.S3.AccessKey == "" || c.S3.SecretKey == ""):
		return fmt.Errorf("--media-s3-endpoint needs --media-s3-bucket, --media-s3-access-key and --media-s3-secret-key")
	}
	return nil
}

// mediaParts are media uploads and processing, wired for serve.
type mediaParts struct {
	svc  *media.Service
	proc *media.Processor
	caps []media.Capability
}

// mediaProcessTimeout bounds one processing attempt: a long video's
// transcode on a small machine, yet under River's one-hour rescue delay,
// after which another instance would take the job as abandoned.
const mediaProcessTimeout = 45 * time.Minute

// processMedia is the durable job that processes one uploaded item.
type processMedia struct {
	MediaID int64 `json:"media_id"`
}

func (processMedia) Kind() string { return "media.process" }

// mediaJobs is media's queue on the job system: enqueueing is durable (the
// job is committed before the upload is acknowledged) and unique per item,
// so that requeueing at start never runs one twice at once.
type mediaJobs struct{ q *jobs.Queue }

func (m mediaJobs) EnqueueProcess(ctx context.Context, id int64) error {
	_, err := m.q.Enqueue(ctx, processMedia{MediaID: id}, &jobs.EnqueueOpts{Unique: true})
	return err
}

// openMedia opens the blob store (the data folder's media/ or a bucket),
// builds the service and the processor, and registers processing as a job
// on q (before q starts). Uploads are first written under the data
// folder's media/tmp either way.
func openMedia(ctx context.Context, cfg Config, st news.Store, q *jobs.Queue, log *slog.Logger) (*mediaParts, error) {
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
	// Process returns nil once the item is ready or failed for good (it
	// counts its own attempts); an error is a run to retry with backoff.
	err = jobs.HandleWith(q, jobs.HandleOpts{Timeout: mediaProcessTimeout}, func(ctx context.Context, j *jobs.Job[processMedia]) error {
		return proc.Process(ctx, j.Args.MediaID)
	})
	if err != nil {
		return nil, err
	}
	limits := media.DefaultLimits()
	limits.Image, limits.Video = int64(cfg.Media.MaxImageMB)<<20, int64(cfg.Media.MaxVideoMB)<<20
	svc := &media.Service{Store: st, Blobs: blobs, TempDir: disk.TempDir(), Limits: limits, Queue: mediaJobs{q}, Log: log}
	caps := append(tools.Capabilities(), media.Capability{Name: "storage", OK: true, Note: blobs.Name()})
	for _, c := range caps {
		if !c.OK {
			log.Warn("media: "+c.Name+" missing", "note", c.Note)
		}
	}
	return &mediaParts{svc: svc, proc: proc, caps: caps}, nil
}

// requeue enqueues again what is still processing: the jobs are durable,
// but an upload acknowledged by a server that died between storing the
// item and enqueueing its job would otherwise wait forever. Unique jobs
// make this a no-op for the others.
func (m *mediaParts) requeue(ctx context.Context, log *slog.Logger) {
	n, err := m.svc.Requeue(ctx)
	if err != nil && ctx.Err() == nil {
		log.Error("media: requeue unfinished processing", "err", err)
	} else if n > 0 {
		log.Info("media: enqueued unfinished processing again", "count", n)
	}
}

// jobCapabilities are media's capabilities for /admin/jobs.
func (m *mediaParts) jobCapabilities() []jobs.Capability {
	var out []jobs.Capability
	for _, c := range m.caps {
		out = append(out, jobs.Capability{Name: c.Name, OK: c.OK, Note: c.Note})
	}
	return out
}
