package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
)

var mediaTests = []struct {
	name string
	fn   func(t *testing.T, st news.Store)
}{
	{"MediaRoundTrip", testMediaRoundTrip},
	{"MediaAttemptsAndFailure", testMediaAttempts},
	{"MediaSubtitles", testMediaSubtitles},
	{"MediaListByStatus", testMediaListByStatus},
	{"PostMediaRelease", testPostMediaRelease},
}

func newMedia(t *testing.T, st news.Store, owner *news.Account, kind news.MediaKind, key string) *news.Media {
	t.Helper()
	m := &news.Media{OwnerID: owner.ID, Kind: kind, Key: key, Size: 1234, MIME: "video/mp4", Width: 64, Height: 48}
	must(t, "CreateMedia "+key, st.CreateMedia(ctx(t), m))
	return m
}

func testMediaRoundTrip(t *testing.T, st news.Store) {
	a := newAccount(t, st, "embassy")
	before := time.Now()
	m := newMedia(t, st, a, news.MediaVideo, "ab/cd/abcd.mp4")
	if m.ID == 0 || m.Status != news.MediaProcessing || m.Attempts != 0 {
		t.Fatalf("CreateMedia = %+v, want an id, processing, no attempts", m)
	}
	wantRecent(t, "CreatedAt", m.CreatedAt, before)
	got, err := st.MediaByID(ctx(t), m.ID)
	must(t, "MediaByID", err)
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("MediaByID:\n got %+v\nwant %+v", got, m)
	}
	_, err = st.MediaByID(ctx(t), m.ID+100)
	wantCode(t, "MediaByID missing", err, news.NotFound)
	_, err = st.MediaByKey(ctx(t), "no/such/key")
	wantCode(t, "MediaByKey missing", err, news.NotFound)
	err = st.CreateMedia(ctx(t), &news.Media{OwnerID: a.ID + 100, Kind: news.MediaImage, Key: "k", MIME: "image/png"})
	wantCode(t, "CreateMedia for a missing owner", err, news.NotFound)

	// A second upload of the same bytes has the same key; the first is found.
	newMedia(t, st, a, news.MediaVideo, "ab/cd/abcd.mp4")
	byKey, err := st.MediaByKey(ctx(t), "ab/cd/abcd.mp4")
	must(t, "MediaByKey", err)
	if byKey.ID != m.ID {
		t.Fatalf("MediaByKey found #%d, want the oldest #%d", byKey.ID, m.ID)
	}

	r := news.MediaResult{Width: 1920, Height: 1080, Duration: 83*time.Second + 250*time.Millisecond,
		VideoCodec: "h264", AudioCodec: "aac", PosterKey: "po/st/poster.jpg",
		ReplaceKey: "fa/st/faststart.mp4", Size: 999, MIME: "video/mp4",
		Variants: []news.ImageVariant{{Width: 320, Height: 180, Key: "v/320.jpg", Size: 10}, {Width: 640, Height: 360, Key: "v/640.jpg", Size: 20}}}
	must(t, "FinishMedia", st.FinishMedia(ctx(t), m.ID, r))
	got, err = st.MediaByID(ctx(t), m.ID)
	must(t, "MediaByID after finish", err)
	if got.Status != news.MediaReady || got.Width != 1920 || got.Height != 1080 || got.Duration != r.Duration ||
		got.VideoCodec != "h264" || got.AudioCodec != "aac" || got.PosterKey != r.PosterKey ||
		got.Key != r.ReplaceKey || got.Size != 999 || !reflect.DeepEqual(got.Variants, r.Variants) {
		t.Fatalf("after FinishMedia: %+v", got)
	}
	// Finishing again (a retried job) replaces the variants, not adds to them.
	r.ReplaceKey, r.Variants = "", r.Variants[:1]
	must(t, "FinishMedia again", st.FinishMedia(ctx(t), m.ID, r))
	got, _ = st.MediaByID(ctx(t), m.ID)
	if len(got.Variants) != 1 || got.Key != "fa/st/faststart.mp4" || got.Size != 999 {
		t.Fatalf("after a second FinishMedia without a new original: %+v", got)
	}
	wantCode(t, "FinishMedia missing", st.FinishMedia(ctx(t), m.ID+100, r), news.NotFound)
	for _, key := range []string{"fa/st/faststart.mp4", "po/st/poster.jpg", "v/320.jpg"} {
		used, err := st.BlobInUse(ctx(t), key)
		must(t, "BlobInUse", err)
		if !used {
			t.Fatalf("BlobInUse(%s) = false", key)
		}
	}
	if used, _ := st.BlobInUse(ctx(t), "v/640.jpg"); used {
		t.Fatal("BlobInUse of a replaced variant = true")
	}
}

func testMediaAttempts(t *testing.T, st news.Store) {
	a := newAccount(t, st, "uploader")
	m := newMedia(t, st, a, news.MediaVideo, "k1")
	for i := 1; i <= 2; i++ {
		got, err := st.StartMediaAttempt(ctx(t), m.ID)
		must(t, "StartMediaAttempt", err)
		if got.Attempts != i {
			t.Fatalf("attempt %d: Attempts = %d", i, got.Attempts)
		}
		must(t, "FailMedia", st.FailMedia(ctx(t), m.ID, "ffprobe: no video stream", false))
	}
	got, _ := st.MediaByID(ctx(t), m.ID)
	if got.Status != news.MediaProcessing || got.Failure != "ffprobe: no video stream" {
		t.Fatalf("after a failed attempt: status %q failure %q", got.Status, got.Failure)
	}
	must(t, "FailMedia final", st.FailMedia(ctx(t), m.ID, "gave up", true))
	got, err := st.StartMediaAttempt(ctx(t), m.ID)
	must(t, "StartMediaAttempt on failed", err)
	if got.Status != news.MediaFailed || got.Attempts != 2 || got.Failure != "gave up" {
		t.Fatalf("a failed item: %+v, want failed after 2 attempts", got)
	}
	wantCode(t, "StartMediaAttempt missing", func() error { _, err := st.StartMediaAttempt(ctx(t), m.ID+100); return err }(), news.NotFound)
	wantCode(t, "FailMedia missing", st.FailMedia(ctx(t), m.ID+100, "x", true), news.NotFound)

	// A ready item stays ready when a late duplicate run fails.
	r := newMedia(t, st, a, news.MediaImage, "k2")
	must(t, "FinishMedia", st.FinishMedia(ctx(t), r.ID, news.MediaResult{Width: 10, Height: 10}))
	must(t, "FailMedia on ready", st.FailMedia(ctx(t), r.ID, "late", true))
	got, _ = st.MediaByID(ctx(t), r.ID)
	if got.Status != news.MediaReady || got.Failure != "" {
		t.Fatalf("ready item after a late failure: %+v", got)
	}
}

func testMediaSubtitles(t *testing.T, st news.Store) {
	a := newAccount(t, st, "embassy")
	m := newMedia(t, st, a, news.MediaVideo, "video")
	ru := &news.Subtitle{MediaID: m.ID, Lang: "ru", Label: "Русский", Key: "sub/ru.vtt"}
	en := &news.Subtitle{MediaID: m.ID, Lang: "en", Label: "English", Key: "sub/en.vtt"}
	must(t, "AddSubtitle ru", st.AddSubtitle(ctx(t), ru))
	must(t, "AddSubtitle en", st.AddSubtitle(ctx(t), en))
	if ru.ID == 0 || en.ID == 0 {
		t.Fatal("AddSubtitle did not set ID")
	}
	wantCode(t, "AddSubtitle twice in one language", st.AddSubtitle(ctx(t), &news.Subtitle{MediaID: m.ID, Lang: "ru", Label: "x", Key: "y"}), news.Conflict)
	wantCode(t, "AddSubtitle to missing media", st.AddSubtitle(ctx(t), &news.Subtitle{MediaID: m.ID + 100, Lang: "zh", Label: "x", Key: "y"}), news.NotFound)
	got, err := st.MediaByID(ctx(t), m.ID)
	must(t, "MediaByID", err)
	if !reflect.DeepEqual(got.Subtitles, []news.Subtitle{*en, *ru}) {
		t.Fatalf("Subtitles = %+v, want en then ru", got.Subtitles)
	}
	if used, _ := st.BlobInUse(ctx(t), "sub/ru.vtt"); !used {
		t.Fatal("BlobInUse(subtitle) = false")
	}
}

func testMediaListByStatus(t *testing.T, st news.Store) {
	a := newAccount(t, st, "lister")
	var ids []int64
	for _, k := range []string{"a", "b", "c", "d"} {
		ids = append(ids, newMedia(t, st, a, news.MediaImage, k).ID)
	}
	must(t, "FinishMedia", st.FinishMedia(ctx(t), ids[1], news.MediaResult{}))
	page, err := st.ListMediaByStatus(ctx(t), news.MediaProcessing, 0, 2)
	must(t, "ListMediaByStatus", err)
	if len(page) != 2 || page[0].ID != ids[0] || page[1].ID != ids[2] {
		t.Fatalf("first page = %v", mediaIDs(page))
	}
	page, err = st.ListMediaByStatus(ctx(t), news.MediaProcessing, page[1].ID, 2)
	must(t, "ListMediaByStatus", err)
	if len(page) != 1 || page[0].ID != ids[3] {
		t.Fatalf("second page = %v", mediaIDs(page))
	}
}

func mediaIDs(ms []*news.Media) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func testPostMediaRelease(t *testing.T, st news.Store) {
	a := newAccount(t, st, "writer")
	p1 := newPost(t, st, a, "one", news.PostPublished, base, nil)
	p2 := newPost(t, st, a, "two", news.PostPublished, base, nil)
	video := newMedia(t, st, a, news.MediaVideo, "video")
	shared := newMedia(t, st, a, news.MediaImage, "shared")
	own := newMedia(t, st, a, news.MediaImage, "own")
	must(t, "AddSubtitle", st.AddSubtitle(ctx(t), &news.Subtitle{MediaID: video.ID, Lang: "zh", Label: "中文", Key: "sub/zh.vtt"}))

	must(t, "SetPostMedia p1", st.SetPostMedia(ctx(t), p1.ID, video.ID, []int64{shared.ID, own.ID}))
	must(t, "SetPostMedia p2", st.SetPostMedia(ctx(t), p2.ID, 0, []int64{shared.ID}))
	wantCode(t, "SetPostMedia missing post", st.SetPostMedia(ctx(t), p2.ID+100, 0, nil), news.NotFound)
	wantCode(t, "SetPostMedia missing media", st.SetPostMedia(ctx(t), p2.ID, own.ID+100, nil), news.NotFound)

	main, embedded, err := st.PostMedia(ctx(t), p1.ID)
	must(t, "PostMedia", err)
	if main == nil || main.ID != video.ID || len(main.Subtitles) != 1 || !reflect.DeepEqual(mediaIDs(embedded), []int64{shared.ID, own.ID}) {
		t.Fatalf("PostMedia(p1) = %+v, %v", main, mediaIDs(embedded))
	}
	// The refused SetPostMedia above changed nothing of p2.
	main, embedded, err = st.PostMedia(ctx(t), p2.ID)
	must(t, "PostMedia p2", err)
	if main != nil || !reflect.DeepEqual(mediaIDs(embedded), []int64{shared.ID}) {
		t.Fatalf("PostMedia(p2) = %+v, %v", main, mediaIDs(embedded))
	}

	released, err := st.ReleasePostMedia(ctx(t), p1.ID)
	must(t, "ReleasePostMedia", err)
	if !reflect.DeepEqual(mediaIDs(released), []int64{video.ID, own.ID}) {
		t.Fatalf("released %v, want the video and the image no other post uses", mediaIDs(released))
	}
	if len(released[0].Subtitles) != 1 || released[0].Subtitles[0].Key != "sub/zh.vtt" {
		t.Fatalf("released video without its subtitles: %+v", released[0])
	}
	for _, id := range []int64{video.ID, own.ID} {
		_, err := st.MediaByID(ctx(t), id)
		wantCode(t, "MediaByID released", err, news.NotFound)
	}
	if _, err := st.MediaByID(ctx(t), shared.ID); err != nil {
		t.Fatalf("the shared image went with p1: %v", err)
	}
	if used, _ := st.BlobInUse(ctx(t), "sub/zh.vtt"); used {
		t.Fatal("the released video's subtitle is still in use")
	}
	released, err = st.ReleasePostMedia(ctx(t), p2.ID)
	must(t, "ReleasePostMedia p2", err)
	if !reflect.DeepEqual(mediaIDs(released), []int64{shared.ID}) {
		t.Fatalf("released %v from p2, want the shared image", mediaIDs(released))
	}
	// Media never attached to a post is not released by anyone.
	loose := newMedia(t, st, a, news.MediaImage, "loose")
	released, err = st.ReleasePostMedia(ctx(t), p1.ID)
	must(t, "ReleasePostMedia again", err)
	if len(released) != 0 {
		t.Fatalf("a second release freed %v", mediaIDs(released))
	}
	if _, err := st.MediaByID(ctx(t), loose.ID); err != nil {
		t.Fatal(err)
	}
}
