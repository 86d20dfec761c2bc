package news

import (
	"context"
	"time"
)

// MediaKind says what an uploaded file is.
type MediaKind string

const (
	MediaImage MediaKind = "image"
	MediaVideo MediaKind = "video"
)

// MediaStatus is where a media item is in its processing.
type MediaStatus string

const (
	// MediaProcessing: accepted and stored, not yet probed and resized. The
	// original is already served, so a reader may see it before it is ready.
	MediaProcessing MediaStatus = "processing"
	MediaReady      MediaStatus = "ready"
	// MediaFailed: processing gave up after its attempts; Failure says why.
	MediaFailed MediaStatus = "failed"
)

// Media is an uploaded image or video. Key names the blob of the original
// in the blob store (content-addressed: the same bytes have the same key);
// PosterKey, the variants' and subtitles' keys name blobs too.
type Media struct {
	ID       int64
	OwnerID  int64
	Kind     MediaKind
	Key      string
	Size     int64
	MIME     string
	Status   MediaStatus
	Failure  string // why processing failed (last attempt); shown to the owner only
	Attempts int    // processing runs started

	Width, Height int
	Duration      time.Duration // videos; 0 when unknown
	VideoCodec    string
	AudioCodec    string
	PosterKey     string // videos: a frame as JPEG; "" when none could be made

	Variants  []ImageVariant // images: smaller copies, narrowest first
	Subtitles []Subtitle     // videos: filled by MediaByID, by language
	CreatedAt time.Time
}

// ImageVariant is a resized copy of an image.
type ImageVariant struct {
	Width, Height int
	Key           string
	Size          int64
}

// Subtitle is a WebVTT track of a video in one language.
type Subtitle struct {
	ID      int64
	MediaID int64
	Lang    string // a BCP 47 tag, as CheckLang accepts
	Label   string // shown in the player's menu ("English", "Русский")
	Key     string
}

// MediaResult is what a successful processing run found and made.
// ReplaceKey, when set, is a new original (an MP4 remuxed for fast start
// or transcoded) that replaces Key, with its Size and MIME.
type MediaResult struct {
	Width, Height int
	Duration      time.Duration
	VideoCodec    string
	AudioCodec    string
	PosterKey     string
	Variants      []ImageVariant
	ReplaceKey    string
	Size          int64
	MIME          string
}

// Post media roles: a video or image post's main media, and media embedded
// in an article's body.
const (
	MediaRoleMain  = "main"
	MediaRoleEmbed = "embed"
)

// MediaStore keeps media, their subtitles and which posts use them.
type MediaStore interface {
	// CreateMedia inserts m (status processing, no attempts) and sets ID,
	// Status and CreatedAt. The owner must exist (NotFound).
	CreateMedia(ctx context.Context, m *Media) error
	// MediaByID returns a media item with its variants and subtitles.
	MediaByID(ctx context.Context, id int64) (*Media, error)
	// MediaByKey returns the media item whose original has this key; when
	// several do (the same file uploaded twice), the oldest.
	MediaByKey(ctx context.Context, key string) (*Media, error)
	// ListMediaByStatus returns up to limit items in this status, oldest
	// first, after the id afterID (a keyset).
	ListMediaByStatus(ctx context.Context, status MediaStatus, afterID int64, limit int) ([]*Media, error)
	// StartMediaAttempt counts one more processing run of a media item that
	// is still processing and returns it after the count. A ready or failed
	// item is returned unchanged: processing it again would be a no-op.
	StartMediaAttempt(ctx context.Context, id int64) (*Media, error)
	// FinishMedia stores r and marks the item ready, clearing Failure.
	FinishMedia(ctx context.Context, id int64, r MediaResult) error
	// FailMedia records why a run failed; final marks the item failed,
	// otherwise it stays processing for another attempt.
	FailMedia(ctx context.Context, id int64, reason string, final bool) error
	// AddSubtitle inserts s and sets its ID. The media must exist
	// (NotFound); a second track in one language is a Conflict.
	AddSubtitle(ctx context.Context, s *Subtitle) error
	// SetPostMedia replaces the media the post uses: mainID (0: none) as
	// its main media and embedded in its body. Every id must exist.
	SetPostMedia(ctx context.Context, postID, mainID int64, embedded []int64) error
	// PostMedia returns the post's main media (nil when none) and the
	// media embedded in it.
	PostMedia(ctx context.Context, postID int64) (main *Media, embedded []*Media, err error)
	// ReleasePostMedia drops the post's media references and deletes the
	// media that no post uses any more, returning them (with variants and
	// subtitles) so that their blobs can be removed.
	ReleasePostMedia(ctx context.Context, postID int64) ([]*Media, error)
	// BlobInUse reports whether any media row (original, poster, variant
	// or subtitle) still names key.
	BlobInUse(ctx context.Context, key string) (bool, error)
}
