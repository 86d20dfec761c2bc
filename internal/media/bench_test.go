package media_test

import (
	"bytes"
	"testing"

	"github.com/headline/headline/internal/media/mediatest"
)

// BenchmarkImageVariants processes one uploaded photo per iteration: decode
// (with EXIF orientation), resize to 320, 640 and 1280 wide (Lanczos),
// encode each as JPEG and store it. images/s is what one worker sustains.
//
//	go test -run '^$' -bench ImageVariants -benchtime 10x ./internal/media/
//	go test -run '^$' -bench ImageVariants -benchtime 1x ./internal/media/    # CI smoke
func BenchmarkImageVariants(b *testing.B) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"1600x1200", 1600, 1200}, {"4000x3000", 4000, 3000}} {
		b.Run(size.name, func(b *testing.B) {
			e := newEnv(b)
			photo := mediatest.JPEGWithGPS(size.w, size.h, 1)
			for b.Loop() {
				b.StopTimer()
				// The same bytes again make a new media row that is
				// processed in full; only storing the variants is a no-op.
				m, err := e.svc.Upload(b.Context(), e.pub, bytes.NewReader(photo))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := e.proc.Process(b.Context(), m.ID); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
