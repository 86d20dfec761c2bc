package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/headline/headline/internal/storetest"
)

// BenchmarkSocial builds one social fixture (sizes from
// HEADLINE_BENCH_SOCIAL_*, see storetest.BenchSizes) and runs the follows,
// timeline, headlines and publishing benchmarks on it, after the two
// timeline query shapes forced one after the other.
//
//	go test -run '^$' -bench Social -benchtime 1x ./internal/sqlite/    # CI smoke
//	go test -run '^$' -bench Social -benchtime 3s ./internal/sqlite/    # figures
func BenchmarkSocial(b *testing.B) {
	st, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	fx := storetest.BuildBenchFixture(b, st, storetest.BenchSizesFromEnv())
	// The shapes first: the publish benchmark adds posts at the top.
	benchShapes(b, fx, storetest.RunTimelineShape(st, fx))
	storetest.RunSocialBenchmarks(b, st, fx)
}

// benchShapes times both timeline shapes for both readers, whatever
// fanInLimit would pick, to show why it sits where it does.
func benchShapes(b *testing.B, fx *storetest.BenchFixture, run func(b *testing.B, heavy bool)) {
	defer func(v int) { fanInLimit = v }(fanInLimit)
	for _, shape := range []struct {
		name  string
		limit int
	}{{"per-followee", 1 << 30}, {"global-walk", 0}} {
		fanInLimit = shape.limit
		b.Run("TimelineShape/"+shape.name+"/follows=5000", func(b *testing.B) { run(b, true) })
		b.Run("TimelineShape/"+shape.name+"/follows=50", func(b *testing.B) { run(b, false) })
	}
}
