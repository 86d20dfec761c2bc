package sitecopy

import (
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// fillMedia adds media of both kinds and states, with variants, subtitles
// and post references (rows only: blobs are not copied).
func (s *site) fillMedia(t *testing.T, st *sqlite.Store) error {
	ctx := t.Context()
	for i, kind := range []news.MediaKind{news.MediaVideo, news.MediaImage, news.MediaImage} {
		m := &news.Media{OwnerID: s.accounts[0], Kind: kind, Key: "key-" + string(kind), Size: int64(1000 + i), MIME: "video/mp4", Width: 640, Height: 360}
		if err := st.CreateMedia(ctx, m); err != nil {
			return err
		}
		s.media = append(s.media, m.ID)
	}
	if err := st.FinishMedia(ctx, s.media[0], news.MediaResult{Width: 1920, Height: 1080, Duration: 83250 * time.Millisecond,
		VideoCodec: "h264", AudioCodec: "aac", PosterKey: "poster"}); err != nil {
		return err
	}
	if err := st.FinishMedia(ctx, s.media[1], news.MediaResult{Width: 800, Height: 600,
		Variants: []news.ImageVariant{{Width: 320, Height: 240, Key: "v320", Size: 10}, {Width: 640, Height: 480, Key: "v640", Size: 20}}}); err != nil {
		return err
	}
	if err := st.FailMedia(ctx, s.media[2], "the image cannot be decoded", true); err != nil {
		return err
	}
	for _, l := range [][2]string{{"ru", "Русский"}, {"zh", "中文"}} {
		if err := st.AddSubtitle(ctx, &news.Subtitle{MediaID: s.media[0], Lang: l[0], Label: l[1], Key: "sub-" + l[0]}); err != nil {
			return err
		}
	}
	return st.SetPostMedia(ctx, s.posts[0], s.media[0], []int64{s.media[1]})
}

func compareMedia(t *testing.T, s *site, src, dst news.Store) {
	t.Helper()
	for _, id := range s.media {
		same(t, "MediaByID", src, dst, func(st news.Store) (*news.Media, error) { return st.MediaByID(t.Context(), id) })
	}
	same(t, "PostMedia", src, dst, func(st news.Store) ([]*news.Media, error) {
		main, embedded, err := st.PostMedia(t.Context(), s.posts[0])
		return append([]*news.Media{main}, embedded...), err
	})
}
